"""What the emulated platforms remember: credentials, users, their screens, tokens, limits, faults and a call log.

Plain Python and thread-safe, because the emulator serves HTTP from its own thread while a test reads and
configures it from another. Every method takes the lock; the API modules call several methods in a row without
awaiting in between, so one request's checks and effects are never interleaved with another's.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

LINE = "line"
TELEGRAM = "telegram"
PLATFORMS = (LINE, TELEGRAM)

RETRY_KEY_TTL_S = 24 * 3600
"""LINE remembers an accepted X-Line-Retry-Key for 24 hours."""


@dataclass
class Received:
    """One message as it appears on a user's phone."""

    platform: str
    user: str
    kind: str  # text | location | venue | document | flex | image | template | sticker
    text: str
    buttons: list[tuple[str, str]]
    raw: dict[str, Any]
    at: datetime
    message_id: str
    quick: int = 0
    """How many of `buttons`, at the end, are LINE quick replies, shown until the next message arrives."""

    def to_json(self) -> dict[str, Any]:
        return {"platform": self.platform, "user": self.user, "kind": self.kind, "text": self.text,
                "buttons": [{"label": label, "data": data} for label, data in self.buttons],
                "raw": self.raw, "at": self.at.isoformat(), "message_id": self.message_id, "quick": self.quick}


@dataclass
class Said:
    """What the user's own message shows on their phone: what they typed, or a pressed LINE button's displayText."""

    text: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"from": "user", "text": self.text, "at": self.at.isoformat()}


@dataclass
class Call:
    """One API request as the platform saw it; `status` is 0 while it is still being answered."""

    platform: str
    endpoint: str
    at: datetime
    status: int = 0
    target: str | None = None
    retry_key: str | None = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def to_json(self) -> dict[str, Any]:
        return {"platform": self.platform, "endpoint": self.endpoint, "at": self.at.isoformat(),
                "status": self.status, "target": self.target, "retry_key": self.retry_key,
                "request_id": self.request_id}


@dataclass
class Fault:
    """What the next `count` calls to one endpoint do instead of (or before) their normal work."""

    status: int | None
    count: int
    delay: float = 0.0
    retry_after: int | None = None
    message: str | None = None


@dataclass
class User:
    platform: str
    id: str
    name: str
    language: str = "th"
    blocked: bool = False


@dataclass
class RichMenus:
    """One channel's rich menus, their images and aliases, the default and each user's linked menu."""

    menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    linked: dict[str, str] = field(default_factory=dict)
    switched: dict[str, str] = field(default_factory=dict)
    """The tab a user switched to with a richmenuswitch area, until their link changes."""
    loading: dict[str, int] = field(default_factory=dict)

    def shown_to(self, user: str) -> dict[str, Any] | None:
        """The menu a user sees: a tab they switched to, the one linked to them, else the default (with an image)."""
        menu_id = self.switched.get(user) or self.linked.get(user) or self.default
        menu = self.menus.get(menu_id or "")
        return {**menu, "richMenuId": menu_id} if menu is not None and menu_id in self.images else None


@dataclass
class _Token:
    user: str
    expires: float


@dataclass
class _Limits:
    per_endpoint: dict[tuple[str, str], float] = field(default_factory=dict)
    per_chat: dict[str, float] = field(default_factory=dict)


class EmulatorState:
    """Everything both emulated platforms know; tests call these methods directly."""

    def __init__(
        self,
        *,
        line_channel_secret: str,
        line_access_token: str,
        telegram_token: str,
        telegram_secret_token: str,
        line_webhook_url: str | None = None,
        telegram_webhook_url: str | None = None,
        reply_token_ttl: float = 60.0,
        callback_ttl: float = 600.0,
    ) -> None:
        self.line_channel_secret = line_channel_secret
        self.line_access_token = line_access_token
        self.telegram_token = telegram_token
        self.telegram_secret_token = telegram_secret_token
        self.line_webhook_url = line_webhook_url
        self.telegram_webhook_url = telegram_webhook_url
        self.reply_token_ttl = reply_token_ttl
        self.callback_ttl = callback_ttl
        self.bot_line_user_id = "U" + uuid.uuid5(uuid.NAMESPACE_URL, line_access_token).hex
        self._lock = threading.RLock()
        self.reset()

    @property
    def telegram_bot_id(self) -> int:
        return int(self.telegram_token.split(":", 1)[0])

    def reset(self) -> None:
        """Forget users, screens, tokens, calls, limits, faults and quota; keep the credentials and webhook URLs."""
        with self._lock:
            self.generation = getattr(self, "generation", 0) + 1
            self._users: dict[tuple[str, str], User] = {}
            self._screens: dict[tuple[str, str], list[Received]] = defaultdict(list)
            self._said: dict[tuple[str, str], list[Said]] = defaultdict(list)
            self._reply_tokens: dict[str, _Token] = {}
            self._callbacks: dict[str, _Token] = {}
            self._retry_keys: dict[str, tuple[float, str, dict[str, Any]]] = {}
            self._calls: list[Call] = []
            self._limits = _Limits()
            self._hits: dict[tuple[str, str], deque[float]] = defaultdict(deque)
            self._faults: dict[tuple[str, str], Fault] = {}
            self.quota_limit: int | None = None
            self.quota_used = 0
            self._line_message_id = 470_000_000_000_000_000
            self._tg_message_ids: dict[str, int] = defaultdict(int)
            # From the clock: a restarted emulator must not reuse ids the service's inbox already holds as handled.
            self._update_id = int(time.time()) * 1000
            self.telegram_webhook: dict[str, Any] = {"url": "", "secret_token": None}
            self.telegram_commands: dict[tuple[str, str], list[dict[str, str]]] = {}
            """setMyCommands lists by (scope key, language code); the scope key is "default" or "chat:<id>"."""
            self.telegram_menu_buttons: dict[str, dict[str, Any]] = {}
            self.telegram_chat_actions: dict[str, str] = {}
            self.rich_menus = RichMenus()

    # Users

    def add_user(self, platform: str, user: str | int, name: str | None = None, language: str = "th") -> User:
        """Make a user known (a Telegram chat must be known before the bot can write to it)."""
        key = (platform, str(user))
        with self._lock:
            if key not in self._users:
                self._users[key] = User(platform, str(user), name or f"ผู้ใช้ {str(user)[-4:]}", language)
            return self._users[key]

    def user(self, platform: str, user: str | int) -> User | None:
        with self._lock:
            return self._users.get((platform, str(user)))

    def knows(self, platform: str, user: str | int) -> bool:
        """LINE lets a bot address any well-formed user id; Telegram only chats that have talked to it."""
        with self._lock:
            return platform == LINE or (platform, str(user)) in self._users

    def block(self, platform: str, user: str | int) -> None:
        """Unfollow on LINE (pushes are accepted but not delivered), block the bot on Telegram (403)."""
        with self._lock:
            self.add_user(platform, user).blocked = True

    def unblock(self, platform: str, user: str | int) -> None:
        with self._lock:
            self.add_user(platform, user).blocked = False

    def is_blocked(self, platform: str, user: str | int) -> bool:
        with self._lock:
            found = self._users.get((platform, str(user)))
            return found is not None and found.blocked

    # Screens

    def screen(self, platform: str, user: str | int) -> list[Received]:
        """What this user's phone shows, oldest first."""
        with self._lock:
            return list(self._screens.get((platform, str(user)), []))

    def deliver(self, platform: str, user: str | int, *, kind: str, text: str, buttons: list[tuple[str, str]],
                raw: dict[str, Any], message_id: str | None = None, quick: int = 0) -> Received:
        """Put one message on the user's phone; the quick replies of the one before disappear."""
        with self._lock:
            if message_id is None:
                self._line_message_id += 1
                message_id = str(self._line_message_id)
            screen = self._screens[(platform, str(user))]
            if screen and screen[-1].quick:
                screen[-1].buttons, screen[-1].quick = screen[-1].buttons[:-screen[-1].quick], 0
            received = Received(platform, str(user), kind, text, buttons, copy.deepcopy(raw), _now(), message_id,
                                quick)
            screen.append(received)
            return received

    def say(self, platform: str, user: str | int, text: str) -> None:
        """Show the user's own message on their phone (the bot never receives this record; the webhook does)."""
        with self._lock:
            self._said[(platform, str(user))].append(Said(text, _now()))

    def conversation(self, platform: str, user: str | int) -> list[Received | Said]:
        """Both sides of the chat as the phone shows them, oldest first."""
        with self._lock:
            both: list[Received | Said] = [*self._screens.get((platform, str(user)), []),
                                           *self._said.get((platform, str(user)), [])]
        return sorted(both, key=lambda entry: entry.at)

    def find_message(self, platform: str, user: str | int, message_id: str) -> Received | None:
        with self._lock:
            for received in self._screens.get((platform, str(user)), []):
                if received.message_id == message_id:
                    return received
            return None

    def edit(self, received: Received, *, text: str, buttons: list[tuple[str, str]], raw: dict[str, Any]) -> None:
        """Change a message already on the phone, as Telegram's editMessage* do."""
        with self._lock:
            received.text, received.buttons, received.raw = text, buttons, copy.deepcopy(raw)

    def next_message_id(self, platform: str, user: str | int) -> int:
        """The next Telegram message id in this chat (user and bot messages share one sequence)."""
        with self._lock:
            self._tg_message_ids[str(user)] += 1
            return self._tg_message_ids[str(user)]

    def next_update_id(self) -> int:
        with self._lock:
            self._update_id += 1
            return self._update_id

    # Single-use tokens

    def issue_reply_token(self, user_id: str, ttl: float | None = None) -> str:
        """A LINE reply token for one webhook event from this user; single use, expires after `ttl` seconds."""
        token = secrets.token_hex(16)
        with self._lock:
            self._reply_tokens[token] = _Token(user_id, time.monotonic() + (self.reply_token_ttl if ttl is None
                                                                            else ttl))
        return token

    def use_reply_token(self, token: str) -> str | None:
        """The user the token was issued for, or None if it is unknown, used or expired. Uses it up."""
        with self._lock:
            found = self._reply_tokens.pop(token, None)
        return found.user if found is not None and time.monotonic() < found.expires else None

    def issue_callback_id(self, chat_id: int | str, ttl: float | None = None) -> str:
        """A Telegram callback query id for a button this chat pressed."""
        query_id = str(secrets.randbits(63))
        with self._lock:
            self._callbacks[query_id] = _Token(str(chat_id), time.monotonic() + (self.callback_ttl if ttl is None
                                                                                  else ttl))
        return query_id

    def use_callback_id(self, query_id: str) -> bool:
        with self._lock:
            found = self._callbacks.pop(query_id, None)
        return found is not None and time.monotonic() < found.expires

    # LINE retry keys

    def accepted_retry_key(self, key: str) -> tuple[str, dict[str, Any]] | None:
        """The request id and answer of an earlier accepted request with this retry key, if any."""
        with self._lock:
            found = self._retry_keys.get(key.lower())
            if found is None or time.monotonic() - found[0] > RETRY_KEY_TTL_S:
                return None
            return found[1], found[2]

    def accept_retry_key(self, key: str, request_id: str, answer: dict[str, Any]) -> None:
        with self._lock:
            self._retry_keys[key.lower()] = (time.monotonic(), request_id, answer)

    # Call log

    def record_call(self, platform: str, endpoint: str, *, target: str | None = None,
                    retry_key: str | None = None) -> Call:
        call = Call(platform, endpoint, _now(), target=target, retry_key=retry_key)
        with self._lock:
            self._calls.append(call)
        return call

    def calls(self, platform: str | None = None, endpoint: str | None = None) -> list[Call]:
        """Every API call so far, optionally for one platform and endpoint ("push", "sendMessage", ...)."""
        with self._lock:
            return [c for c in self._calls
                    if (platform is None or c.platform == platform) and (endpoint is None or c.endpoint == endpoint)]

    # Rate limits

    def set_rate_limit(self, platform: str, per_second: float | None = None, *, endpoint: str = "*",
                       per_chat_per_second: float | None = None) -> None:
        """Requests per second (LINE: per endpoint; Telegram: messages, all chats) and Telegram's per-chat limit.

        None turns a limit off. The real values are LINE 2,000/s (multicast 200/s) and Telegram about 30/s
        overall and 1/s per chat; the default is off so tests can send as fast as they like.
        """
        with self._lock:
            self._limits.per_endpoint[(platform, endpoint)] = per_second if per_second is not None else 0.0
            if platform == TELEGRAM:
                self._limits.per_chat[platform] = per_chat_per_second or 0.0

    def take_rate(self, platform: str, endpoint: str, chat: str | None = None) -> float | None:
        """Count one request, or return how many seconds to wait if it is over a limit (then it is not counted)."""
        with self._lock:
            now = time.monotonic()
            limit = self._limits.per_endpoint.get((platform, endpoint)) or self._limits.per_endpoint.get(
                (platform, "*"))
            windows: list[tuple[tuple[str, str], float]] = []
            if limit:
                windows.append(((platform, endpoint if platform == LINE else "*"), limit))
            per_chat = self._limits.per_chat.get(platform)
            if per_chat and chat is not None:
                windows.append(((platform, "chat:" + chat), per_chat))
            for key, per_second in windows:
                hits = self._hits[key]
                while hits and now - hits[0] >= 1.0:
                    hits.popleft()
                if len(hits) >= per_second:
                    return max(hits[0] + 1.0 - now, 0.001)
            for key, _ in windows:
                self._hits[key].append(now)
            return None

    # Faults

    def inject_fault(self, platform: str, endpoint: str, *, status: int | None = None, count: int = 1,
                     delay: float = 0.0, retry_after: int | None = None, message: str | None = None) -> None:
        """Make the next `count` calls to `endpoint` answer `status`, and/or hang `delay` seconds first."""
        with self._lock:
            self._faults[(platform, endpoint)] = Fault(status, count, delay, retry_after, message)

    def take_fault(self, platform: str, endpoint: str) -> Fault | None:
        with self._lock:
            fault = self._faults.get((platform, endpoint))
            if fault is None:
                return None
            fault.count -= 1
            if fault.count <= 0:
                del self._faults[(platform, endpoint)]
            return fault

    # LINE monthly quota

    def set_quota(self, limit: int | None, used: int = 0) -> None:
        """The monthly message limit (None: unlimited) and how much of it is used."""
        with self._lock:
            self.quota_limit = limit
            self.quota_used = used

    def take_quota(self, messages: int) -> bool:
        """Count `messages` against the monthly limit, or return False (counting nothing) if they do not fit."""
        with self._lock:
            if self.quota_limit is not None and self.quota_used + messages > self.quota_limit:
                return False
            self.quota_used += messages
            return True


def _now() -> datetime:
    return datetime.now(UTC)
