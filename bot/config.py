"""Settings, read from the environment and `.env`; built once in `create_app` and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER = "change-me"
"""Value `.env.example` ships with; refused outside demo mode so nobody runs production on it."""

DEFAULT_DB = "sqlite:///var/coordbot.db"

CREDENTIAL_PAIRS = (("line_channel_secret", "line_channel_access_token"),
                    ("telegram_bot_token", "telegram_webhook_secret"))
"""Each platform's credentials, which only work together (a Telegram token without its webhook secret would
refuse every update)."""


class ConfigError(Exception):
    """The service must not run with this configuration; the message says what to do instead."""


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    """Everything the service can be told. The environment names are the documented ones."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(DEFAULT_DB, validation_alias=_env("COORDBOT_DATABASE_URL"))
    public_url: str = Field("http://127.0.0.1:8000", validation_alias=_env("COORDBOT_PUBLIC_URL"))
    timezone: str = Field("Asia/Bangkok", validation_alias=_env("COORDBOT_TIMEZONE"))
    demo: bool = Field(False, validation_alias=_env("COORDBOT_DEMO"))
    background_workers: bool = Field(True, validation_alias=_env("COORDBOT_BACKGROUND_WORKERS"))
    scheduler_enabled: bool = Field(True, validation_alias=_env("COORDBOT_SCHEDULER"))
    auto_migrate: bool = Field(True, validation_alias=_env("COORDBOT_AUTO_MIGRATE"))
    menus: bool = Field(True, validation_alias=_env("COORDBOT_MENUS"))
    """Keep the LINE rich menus and Telegram command lists in sync at start-up, and each person's linked."""
    scheduler_poll_s: float = Field(5.0, validation_alias=_env("COORDBOT_SCHEDULER_POLL_S"))
    scheduler_retry_s: float = Field(60.0, validation_alias=_env("COORDBOT_SCHEDULER_RETRY_S"))
    """A planned job that did not finish (its process died, or it raised) runs again this long after it began."""
    max_webhook_bytes: int = Field(1_000_000, validation_alias=_env("COORDBOT_MAX_WEBHOOK_BYTES"))
    """Longer webhook bodies are refused (413) unread; LINE's and Telegram's are a few kilobytes."""

    line_channel_secret: SecretStr = Field(SecretStr(""), validation_alias=_env("LINE_CHANNEL_SECRET"))
    line_channel_access_token: SecretStr = Field(
        SecretStr(""), validation_alias=_env("LINE_CHANNEL_ACCESS_TOKEN")
    )
    line_api_base_url: str = Field("https://api.line.me", validation_alias=_env("LINE_API_BASE_URL"))
    line_data_api_base_url: str = Field("https://api-data.line.me", validation_alias=_env("LINE_DATA_API_BASE_URL"))
    """Where LINE serves content such as rich menu images (its api-data host)."""
    line_rate_per_s: float = Field(100.0, validation_alias=_env("LINE_RATE_PER_S"))
    line_multicast_rate_per_s: float = Field(200.0, validation_alias=_env("LINE_MULTICAST_RATE_PER_S"))
    line_reply_token_ttl_s: float = Field(50.0, validation_alias=_env("LINE_REPLY_TOKEN_TTL_S"))

    telegram_bot_token: SecretStr = Field(SecretStr(""), validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_webhook_secret: SecretStr = Field(
        SecretStr(""), validation_alias=_env("TELEGRAM_WEBHOOK_SECRET")
    )
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot", validation_alias=_env("TELEGRAM_API_BASE_URL")
    )
    telegram_rate_per_s: float = Field(25.0, validation_alias=_env("TELEGRAM_RATE_PER_S"))
    telegram_per_chat_per_s: float = Field(1.0, validation_alias=_env("TELEGRAM_PER_CHAT_PER_S"))
    telegram_max_in_flight: int = Field(16, validation_alias=_env("TELEGRAM_MAX_IN_FLIGHT"))
    """Telegram sends under way at once. Telegram has no idempotency key, so this is also the most messages a
    crash can deliver twice (a broadcast resends what was under way). A send holds its slot from its mark until its
    outcome is queued for writing: 16 kept 0.86-0.93 of 1,000 messages/s on SQLite and PostgreSQL
    (bench/broadcast.py)."""

    line_basic_id: str = Field("", validation_alias=_env("LINE_BASIC_ID"))
    """The official account's basic id (e.g. `@123abcde`), for a link that opens its one-to-one chat."""
    telegram_bot_username: str = Field("", validation_alias=_env("TELEGRAM_BOT_USERNAME"))
    """The bot's @username without the @, for a link that opens its one-to-one chat."""
    code_max_failures: int = Field(5, validation_alias=_env("COORDBOT_CODE_MAX_FAILURES"))
    """Wrong invite, link or delegate codes within `code_failure_window_s` before a lockout."""
    code_failure_window_s: float = Field(900.0, validation_alias=_env("COORDBOT_CODE_FAILURE_WINDOW_S"))
    code_lockout_s: float = Field(900.0, validation_alias=_env("COORDBOT_CODE_LOCKOUT_S"))
    console_link_s: float = Field(600.0, gt=0, validation_alias=_env("COORDBOT_CONSOLE_LINK_S"))
    """How long a console sign-in link sent by `/console` can be used (once)."""
    console_session_hours: float = Field(12.0, gt=0, validation_alias=_env("COORDBOT_CONSOLE_SESSION_HOURS"))

    send_timeout_s: float = Field(10.0, validation_alias=_env("COORDBOT_SEND_TIMEOUT_S"))
    max_send_attempts: int = Field(8, validation_alias=_env("COORDBOT_MAX_SEND_ATTEMPTS"))
    checkin_early_hours: float = Field(0.0, validation_alias=_env("COORDBOT_CHECKIN_EARLY_HOURS"))
    """The check-in desk opens this long before midnight of a workshop's first day (e.g. 6 for the evening
    before); it closes when the workshop ends."""
    user_rate_per_min: float = Field(30.0, validation_alias=_env("COORDBOT_USER_RATE_PER_MIN"))
    user_burst: int = Field(10, validation_alias=_env("COORDBOT_USER_BURST"))
    """Events one person may send at once before the rate above applies; the excess is stored, not handled."""
    metrics_token: SecretStr = Field(SecretStr(""), validation_alias=_env("COORDBOT_METRICS_TOKEN"))
    """Bearer token for `/metrics` from anywhere; without it only loopback callers (not through a proxy) get it."""
    log_format: Literal["text", "json"] = Field("text", validation_alias=_env("COORDBOT_LOG_FORMAT"))
    quiet_start: str = Field("21:00", validation_alias=_env("COORDBOT_QUIET_START"))
    quiet_end: str = Field("07:00", validation_alias=_env("COORDBOT_QUIET_END"))
    inbox_retention_days: int = Field(90, ge=1, validation_alias=_env("COORDBOT_INBOX_RETENTION_DAYS"))
    """Days a handled webhook event keeps its raw payload (names, texts); the row itself stays for dedup."""

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.demo:
            return self
        for name in ("line_channel_secret", "line_channel_access_token", "telegram_bot_token",
                     "telegram_webhook_secret"):
            value: SecretStr = getattr(self, name)
            if value.get_secret_value() == PLACEHOLDER:
                raise ValueError(f"{name.upper()} is still the placeholder from .env.example")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS when the service is reached by HTTPS."""
        return self.public_url.lower().startswith("https://")

    @property
    def line_enabled(self) -> bool:
        return _given(self.line_channel_secret) and _given(self.line_channel_access_token)

    @property
    def telegram_enabled(self) -> bool:
        return _given(self.telegram_bot_token)

    def half_given(self) -> list[tuple[str, str]]:
        """(set, missing) environment names of each platform whose credentials are only half given."""
        return [(a.upper(), b.upper()) if _given(getattr(self, a)) else (b.upper(), a.upper())
                for a, b in CREDENTIAL_PAIRS if _given(getattr(self, a)) != _given(getattr(self, b))]

    def sqlite_path(self) -> Path | None:
        """The database file, so the CLI can create its folder; None for server databases."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix(prefix))
        return None


def load_settings(**values: Any) -> Settings:
    """Settings from the environment and `.env` (and `values`); a wrong value is a ConfigError naming it."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            text = error["msg"].removeprefix("Value error, ")
            problems.append(f"{'.'.join(map(str, error['loc']))}: {text}" if error["loc"] else text)
        raise ConfigError("; ".join(problems)) from exc


def _given(secret: SecretStr) -> bool:
    """Set to something real: not empty and not the `.env.example` placeholder (allowed in demo mode)."""
    return secret.get_secret_value() not in ("", PLACEHOLDER)
