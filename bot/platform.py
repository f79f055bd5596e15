"""What the service needs from a platform adapter, and the two ways a platform call can go wrong."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from bot.messages import Incoming, Platform, Reply

if TYPE_CHECKING:
    from bot.menus import Menu
    from storage.models import Role


class WebhookRejected(Exception):
    """The webhook request is refused with `status` and nothing is stored."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Failure(StrEnum):
    rate_limited = "rate_limited"
    quota_exhausted = "quota_exhausted"
    transient = "transient"
    outcome_unknown = "outcome_unknown"
    unreachable = "unreachable"
    invalid_reply_token = "invalid_reply_token"
    rejected = "rejected"


class SendFailed(Exception):
    """A send that did not go through, classified so the dispatcher knows whether and when to retry."""

    def __init__(self, failure: Failure, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{failure}: {detail}")
        self.failure = failure
        self.detail = detail
        self.retry_after = retry_after


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (`HTTPS_PROXY`, `NO_PROXY`, ...), read once by an adapter as it
    starts, not by its HTTP session on every request."""
    parts = urllib.parse.urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


class Read(NamedTuple):
    """One event of a verified webhook."""

    event_id: str
    raw: dict[str, Any]
    """What is stored."""
    sdk: Any
    """The SDK's own object for it, made while the webhook was verified: handling it in this process need not
    parse it again (see `Adapter.parse`)."""


class Adapter(Protocol):
    """The only code that knows a platform. One instance per platform, created in the app's lifespan."""

    platform: Platform
    working_s: float
    """How long the loading indicator lasts unless an answer ends it first."""

    def check_headers(self, headers: Mapping[str, str]) -> None:
        """Refuse a webhook by its headers alone (raise `WebhookRejected`), before its body is read."""
        ...

    def read_webhook(self, body: bytes, headers: Mapping[str, str]) -> list[Read]:
        """Verify and split a webhook into its events; raise `WebhookRejected` if bad."""
        ...

    def sender(self, raw: dict[str, Any]) -> str:
        """The user id behind one raw event (the `Incoming.user_id` it parses to), or "" if it has none."""
        ...

    def parse(self, raw: dict[str, Any], received_at: datetime, sdk: Any = None) -> Incoming | None:
        """One stored raw event as a neutral message; None for events the service ignores. `sdk` is its `Read.sdk`
        when this process read the webhook (otherwise the raw event is parsed again)."""
        ...

    def render(self, replies: Sequence[Reply]) -> list[Any]:
        """Replies as the platform's API calls ("parts"); part i of a row is always the same call."""
        ...

    async def send(self, chat_id: str, part: Any, *, first: bool, token: str | None, retry_key: str) -> None:
        """Make one API call; raise `SendFailed`. `token` is a LINE reply token / Telegram callback id."""
        ...

    async def multicast(self, user_ids: Sequence[str], part: Any, *, retry_key: str) -> None:
        """One call delivering `part` to many users, where the platform has one; raise `SendFailed`."""
        ...

    async def sync_menus(self, menus: Sequence[Menu]) -> list[str]:
        """Make the platform's menus (LINE rich menus, Telegram default commands) match; return what changed."""
        ...

    async def link_menu(self, chat_ids: Sequence[str], role: Role, lang: str) -> None:
        """Show these chats their role's menu in that language (for guests, the default one)."""
        ...

    def waiting_chat(self, raw: dict[str, Any]) -> str | None:
        """The chat a stored event (a message or a button press) waits for an answer in; None for other events."""
        ...

    async def show_working(self, chat_id: str) -> None:
        """Tell the user an answer is coming (LINE's loading animation, Telegram's "typing")."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
