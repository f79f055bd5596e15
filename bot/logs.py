"""Logging for the long-running processes: one format, the SDKs' debug chatter kept quiet, and no secret, bearer
link or phone number in any record.

Redaction happens where records are made (a record factory), not in one handler: uvicorn sets up its own
handlers after ours, and its access log would otherwise write working 24-hour export links. Messages, their
arguments, tracebacks and stacks are all redacted; numbers stay numbers, so formatters that expect them work.
"""

from __future__ import annotations

import logging
import numbers
import re
from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

QUIET = {"telegram": logging.INFO, "httpx": logging.WARNING, "httpcore": logging.WARNING,
         "urllib3": logging.INFO, "linebot": logging.INFO, "aiohttp": logging.INFO}
"""At DEBUG these log every request's parameters and answers (python-telegram-bot: the bot token in its API URL,
and each message's text), so they never log below these levels."""

REDACTED = "[redacted]"
SECRET_NAME = re.compile(r"secret|token|signature|password|authorization", re.IGNORECASE)
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Telegram puts the bot token in the path of every API URL: https://api.telegram.org/bot<token>/sendMessage
    (re.compile(r"/bot[^/\s'\"]+"), "/bot" + REDACTED),
    (re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{10,}"), REDACTED),  # a bot token on its own
    (re.compile(r"(?i)\b(bearer)\s+[^\s'\",]+"), r"\1 " + REDACTED),
    # secret=..., "x-telegram-bot-api-secret-token": "...", access_token: ..., X-Line-Signature: ...
    (re.compile(rf"((?:{SECRET_NAME.pattern})[\w-]*['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+)?[^\s'\",&}}]+",
                re.IGNORECASE), r"\1" + REDACTED),
    # A file link's signature (`Workshop.sign`), in the link or alone (Telegram names a file sent by URL after it).
    (re.compile(r"(?<![0-9a-f])[0-9a-f]{24}(?![0-9a-f])"), REDACTED),
    (re.compile(r"\?[^\s'\"#]+"), "?" + REDACTED),  # query strings may carry anything
    # Phone numbers: Thai (081-234-5678, 02 123 4567) and international (+66 81 234 5678).
    (re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?|0)\d(?:[\s.-]?\d){6,10}(?!\w)"), "[phone]"),
)
MIN_SECRET = 6
"""Shorter configured values are not searched for: they would blank out ordinary words."""

_known: set[str] = set()
_secrets: re.Pattern[str] | None = None
_formatter = logging.Formatter()


def protect(settings: Settings) -> None:
    """Redact the configured secrets (every `SecretStr` setting) wherever they appear, whatever their shape."""
    global _secrets
    _known.update(value.get_secret_value() for value in settings.__dict__.values() if isinstance(value, SecretStr))
    longest_first = sorted((v for v in _known if len(v) >= MIN_SECRET), key=len, reverse=True)
    _secrets = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None


def redact(text: str) -> str:
    if _secrets is not None:
        text = _secrets.sub(REDACTED, text)
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_arg(value: Any) -> Any:
    if value is None or isinstance(value, numbers.Number):
        return value  # for %d, and for uvicorn's access formatter, which reads the status code
    return redact(str(value))  # what %s would show of a dict, a URL or an exception


def redact_record(record: logging.LogRecord) -> None:
    """Redact one record in place, before any handler formats it."""
    record.msg = redact(str(record.msg))
    if isinstance(record.args, Mapping):  # logging makes `log.info("%s", a_dict)` a mapping too
        if "%(" in record.msg:
            record.args = {key: REDACTED if SECRET_NAME.search(str(key)) else _redact_arg(value)
                           for key, value in record.args.items()}
        else:
            record.args = (redact(str(record.args)),)
    elif record.args:
        record.args = tuple(_redact_arg(value) for value in record.args)
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(_formatter.formatException(record.exc_info))  # formatters use it as it is
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install() -> None:
    """Make every record redacted from now on (once per process)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def setup_logging(level: str) -> None:
    """Configure logging for `coordbot serve`, `work` and `emulator`."""
    logging.basicConfig(format=FORMAT)  # a handler on stderr, unless one is there already
    root = logging.getLogger()
    root.setLevel(level.upper())
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(max(root.level, quiet))
    install()
