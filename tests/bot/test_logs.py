"""No secret, bearer link or phone number reaches the logs, at any level, from our code, the SDKs or uvicorn."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import httpx
import pytest
from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter

from bot.emulator import events as ev
from bot.logs import FORMAT, QUIET, JsonFormatter, install, setup_logging
from bot.service import Service
from storage.models import Role
from tests.conftest import LINE_SECRET, LINE_TOKEN, TG_SECRET, TG_TOKEN
from tests.factories import export, last_document, make_workshop
from tests.helpers import Phones, register

PHONE = "081-234-5678"
SIGNED = re.compile(r"/([0-9a-f]{24})\.\w+$")


@pytest.fixture
def serve_logs(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """Logging set up as `coordbot serve --log-level debug` sets it up, written to a string; with "loud", the
    SDK loggers are turned back up to DEBUG, as an operator chasing a problem might."""
    root = logging.getLogger()
    saved = (root.level, logging.getLogRecordFactory(), {name: logging.getLogger(name).level for name in QUIET})
    setup_logging("debug")
    if getattr(request, "param", "quiet") == "loud":
        for name in QUIET:
            logging.getLogger(name).setLevel(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    root.setLevel(saved[0])
    logging.setLogRecordFactory(saved[1])
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def leaks(text: str, link: str) -> list[str]:
    token = SIGNED.search(link)
    assert token is not None, link
    wanted = [TG_TOKEN, TG_SECRET, LINE_SECRET, LINE_TOKEN, token.group(1), PHONE, PHONE.replace("-", "")]
    return [secret for secret in wanted if secret in text]


@pytest.mark.parametrize("serve_logs", ["quiet", "loud"], indirect=True)
async def test_a_conversation_at_debug_logs_no_token_secret_link_or_phone(
    serve_logs: io.StringIO, phones: Phones, service: Service, client: httpx.AsyncClient
) -> None:
    dg, admin = phones.telegram(1), phones.telegram(9)
    register(dg, Role.deputy_governor, "TH-50", name="ประเสริฐ ศรีสุข")
    register(admin, Role.admin, name="สุนีย์")
    workshop = make_workshop(service)
    await dg.settle()
    await dg.say(f"/delegate {workshop} มาลี ใจดี (โทร {PHONE}) | ปลัดจังหวัด | {PHONE}")
    await export(admin, workshop, "CSV พร้อมข้อมูลติดต่อ")
    link = last_document(service)
    assert (await client.get(link)).status_code == 200
    body = json.dumps(ev.line_body([])).encode()
    forged = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": "forged"})
    assert forged.status_code == 403

    logged = serve_logs.getvalue()
    assert "line webhook rejected: bad signature" in logged  # the capture works
    assert leaks(logged, link) == []
    if logging.getLogger("telegram").isEnabledFor(logging.DEBUG):  # what the SDK said, redacted
        assert "Set Bot API URL: " + service.settings.telegram_api_base_url.split("/bot")[0] in logged
        assert "/files/ws/" in logged and "[phone]" in logged
    else:
        assert "Calling Bot API endpoint" not in logged


def test_the_access_log_keeps_no_working_link(serve_logs: io.StringIO) -> None:
    """uvicorn's access logger has its own handler, set up after ours; its records are redacted all the same."""
    path = "/files/ws/3/export/7/1772593200/1/0123456789abcdef01234567.xlsx"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessFormatter(LOGGING_CONFIG["formatters"]["access"]["fmt"], use_colors=False))
    access = logging.getLogger("uvicorn.access")
    level = access.level
    access.setLevel(logging.INFO)  # as `serve` has it; the test emulator's server is quieter
    access.addHandler(handler)
    try:
        access.info('%s - "%s %s HTTP/%s" %d', "203.0.113.7:51234", "GET", path, "1.1", 200)
        access.info('%s - "%s %s HTTP/%s" %d', "203.0.113.7:51234", "GET", "/files/ws/3/0123456789abcdef01234567.ics"
                    "?token=abc", "1.1", 404)
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert lines == ['INFO:     203.0.113.7:51234 - "GET /files/ws/3/export/7/1772593200/1/[redacted].xlsx HTTP/1.1" '
                     '200 OK',
                     'INFO:     203.0.113.7:51234 - "GET /files/ws/3/[redacted].ics?[redacted] HTTP/1.1" 404 Not Found']


def test_tokens_in_urls_headers_and_tracebacks_are_redacted_even_when_not_configured(
    serve_logs: io.StringIO
) -> None:
    token = "7312345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    log = logging.getLogger("coordbot.test")
    log.debug("Set Bot API URL: %s", f"https://api.telegram.org/bot{token}")
    log.info("headers %s", {"Authorization": "Bearer 9vQm1xLINEchannelaccesstoken=", "X-Line-Signature": "c2lnbg=="})
    log.info("sent %d messages to %s", 3, "+66 81 234 5678")
    try:
        raise ConnectionError(f"Cannot connect to https://api.telegram.org/bot{token}/sendMessage")
    except ConnectionError:
        log.exception("send failed")
    logged = serve_logs.getvalue()
    assert token not in logged and "9vQm1x" not in logged and "c2lnbg" not in logged and "234 5678" not in logged
    assert "Set Bot API URL: https://api.telegram.org/bot[redacted]" in logged
    assert "sent 3 messages to [phone]" in logged
    assert "ConnectionError: Cannot connect to https://api.telegram.org/bot[redacted]" in logged


def test_json_logs_are_one_redacted_object_a_line() -> None:
    install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("coordbot.test.json")
    logger.addHandler(handler)
    try:
        logger.warning("event %s from 081-234-5678 via /bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678/x", "line/ev1")
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry["level"] == "WARNING" and entry["logger"] == "coordbot.test.json"
    assert "line/ev1" in entry["message"]
    assert "081-234-5678" not in entry["message"] and "ABCdefGHI" not in entry["message"]
