"""Telegram adapter: secret-token check, `Update.de_json` parsing, sending with `telegram.Bot`."""

from __future__ import annotations

import contextlib
import html
import json
import os
import secrets
import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    Update,
)
from telegram.constants import ChatAction, ChatType, MenuButtonType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBUserWarning

from bot import menus, textsplit
from bot.config import Settings
from bot.messages import Button, Card, Incoming, Kind, Platform, Reply
from bot.platform import Failure, Read, SendFailed, WebhookRejected, env_proxy
from bot.telegram_http import AiohttpRequest
from storage.models import Role

# Opt in to python-telegram-bot's timedelta durations (e.g. RetryAfter.retry_after) instead of deprecated ints.
os.environ.setdefault("PTB_TIMEDELTA", "true")

MAX_TEXT = 4096  # "1-4096 characters after entities parsing": code points, as tdlib counts them (utf8_length)
MAX_CALLBACK_BYTES = 64
BLOCKED_STATUSES = ("kicked", "left")

Part = tuple[str, dict[str, Any]]
"""One Bot API call: the method's name in the Bot API and its parameters (without chat_id).

Sent with `Bot.do_api_request`, which leaves Telegram's answer as the JSON it is: `Bot.send_message` and its like
build a `Message` from every answer, which nothing here reads (112-157 us a send on this machine class, a fifth of
a broadcast's CPU). The SDK still builds the request, sends it and turns every error into its exception; it warns
that it has a method for each of these endpoints, which we know."""
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.send\w+' instead of 'Bot\.do_api_request",
                        category=PTBUserWarning)


class TelegramAdapter:
    platform = Platform.telegram
    working_s = 5.0  # sendChatAction: "5 seconds or less (when a message arrives from your bot)"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bot: Bot | None = None

    async def start(self) -> None:
        # Every send holds one of `telegram_max_in_flight` slots, so that many connections are enough.
        request = AiohttpRequest(pool_size=self.settings.telegram_max_in_flight, timeout=self.settings.send_timeout_s,
                                 proxy=env_proxy(self.settings.telegram_api_base_url))
        self.bot = Bot(self.settings.telegram_bot_token.get_secret_value(),
                       base_url=self.settings.telegram_api_base_url, request=request)

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.shutdown()

    async def set_webhook(self, url: str) -> None:
        """Tell Telegram where to deliver updates, with the secret it must echo in every one."""
        assert self.bot is not None
        if not self.bot._bot_initialized:
            await self.bot.initialize()
        await self.bot.set_webhook(url, secret_token=self.settings.telegram_webhook_secret.get_secret_value(),
                                   allowed_updates=["message", "callback_query", "my_chat_member"])

    def check_headers(self, headers: Mapping[str, str]) -> None:
        given = headers.get("x-telegram-bot-api-secret-token")
        expected = self.settings.telegram_webhook_secret.get_secret_value()
        if not given:
            raise WebhookRejected(401, "missing secret token")
        if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
            raise WebhookRejected(403, "bad secret token")

    def read_webhook(self, body: bytes, headers: Mapping[str, str]) -> list[Read]:
        self.check_headers(headers)
        try:
            data = json.loads(body)
            return [Read(str(int(data["update_id"])), data, Update.de_json(data))]
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise WebhookRejected(400, "malformed update") from exc

    def sender(self, raw: dict[str, Any]) -> str:
        # An update holds one object (message, callback_query, my_chat_member, ...); its `from` is the user.
        for value in raw.values():
            if isinstance(value, dict) and isinstance(value.get("from"), dict):
                return str(value["from"].get("id", ""))
        return ""

    def waiting_chat(self, raw: dict[str, Any]) -> str | None:
        message = raw.get("message") or (raw.get("callback_query") or {}).get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
        return str(chat["id"]) if isinstance(chat, dict) and isinstance(chat.get("id"), int) else None

    def parse(self, raw: dict[str, Any], received_at: datetime, sdk: Any = None) -> Incoming | None:
        update = sdk if sdk is not None else Update.de_json(raw)
        common: dict[str, Any] = {"platform": Platform.telegram, "event_id": str(update.update_id),
                                  "received_at": received_at}
        if update.message and update.message.from_user:
            message, user = update.message, update.message.from_user
            spot = message.location or (message.venue.location if message.venue else None)
            kind = (Kind.text if message.text else Kind.location if spot else
                    Kind.sticker if message.sticker else Kind.other)
            return Incoming(**common, kind=kind, user_id=str(user.id), chat_id=str(message.chat.id),
                            private=message.chat.type == ChatType.PRIVATE,
                            text=message.text or (message.venue.title if message.venue else ""),
                            point=(spot.latitude, spot.longitude) if spot else None,
                            display_name=user.full_name, language_code=user.language_code)
        if update.callback_query:
            query = update.callback_query
            chat = query.message.chat if query.message else None  # no message: the answer goes to the user
            return Incoming(**common, kind=Kind.button, user_id=str(query.from_user.id),
                            chat_id=str(chat.id if chat else query.from_user.id),
                            private=chat is None or chat.type == ChatType.PRIVATE,
                            payload=query.data or "", callback_id=query.id,
                            display_name=query.from_user.full_name, language_code=query.from_user.language_code)
        if update.my_chat_member:
            member = update.my_chat_member
            blocked = member.new_chat_member.status in BLOCKED_STATUSES
            private = member.chat.type == ChatType.PRIVATE
            # In a group it is the bot being added or removed, not the user blocking it.
            kind = (Kind.unfollow if blocked else Kind.follow) if private else (Kind.left if blocked else Kind.joined)
            return Incoming(**common, kind=kind, user_id=str(member.from_user.id), chat_id=str(member.chat.id),
                            private=private, display_name=member.from_user.full_name)
        return None

    def render(self, replies: Sequence[Reply]) -> list[Any]:
        # With nothing to say, one empty part still answers a pressed button's callback query.
        return [part for reply in replies for part in _parts(reply)] or [None]

    async def send(self, chat_id: str, part: Any, *, first: bool, token: str | None, retry_key: str) -> None:
        assert self.bot is not None, "TelegramAdapter.start() was not called"
        try:
            if not self.bot._bot_initialized:  # getMe once, as PTB expects, but not at start-up
                await self.bot.initialize()
            if first and token:
                await _answer_callback(self.bot, token)
            if part is None:
                return
            endpoint, params = part
            await self.bot.do_api_request(endpoint, api_kwargs={"chat_id": int(chat_id), **params})
        except RetryAfter as exc:
            raise SendFailed(Failure.rate_limited, str(exc), retry_after=_seconds(exc)) from exc
        except Forbidden as exc:
            raise SendFailed(Failure.unreachable, exc.message) from exc
        except BadRequest as exc:  # before NetworkError: BadRequest is a subclass of it
            failure = Failure.unreachable if "chat not found" in exc.message.lower() else Failure.rejected
            raise SendFailed(failure, exc.message) from exc
        except TimedOut as exc:
            # Telegram has no idempotency key: the message may have arrived, so it is not sent again.
            raise SendFailed(Failure.outcome_unknown, exc.message) from exc
        except NetworkError as exc:
            raise SendFailed(Failure.transient, exc.message) from exc
        except TelegramError as exc:
            raise SendFailed(Failure.rejected, exc.message) from exc

    async def multicast(self, user_ids: Sequence[str], part: Any, *, retry_key: str) -> None:
        """The Bot API has no multicast: broadcasts store one outbox row per Telegram chat instead."""
        raise SendFailed(Failure.rejected, "Telegram has no multicast")


    async def sync_menus(self, wanted: Sequence[menus.Menu]) -> list[str]:
        """Guests' commands as the default list, per language (Thai also without a language), and the menu
        button showing the commands; only what differs is set."""
        bot = await self._bot()
        changes = []
        for lang in (None, *menus.LANGS):
            commands = _commands(Role.guest, lang or "th")
            if list(await bot.get_my_commands(scope=BotCommandScopeDefault(), language_code=lang)) != commands:
                await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=lang)
                changes.append(f"commands {lang or 'default'}")
        if (await bot.get_chat_menu_button()).type != MenuButtonType.COMMANDS:
            await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
            changes.append("menu button")
        return changes

    async def link_menu(self, chat_ids: Sequence[str], role: Role, lang: str) -> None:
        """A registered person's chat gets their role's commands in their language; a guest's chat falls back to
        the default list. The Bot API has no bulk call: one per chat."""
        bot = await self._bot()
        for chat in chat_ids:
            scope = BotCommandScopeChat(int(chat))
            if role == Role.guest:
                await bot.delete_my_commands(scope=scope)
            else:
                await bot.set_my_commands(_commands(role, lang), scope=scope)

    async def show_working(self, chat_id: str) -> None:
        """"typing…" until our answer arrives (at most 5 seconds)."""
        await (await self._bot()).send_chat_action(int(chat_id), ChatAction.TYPING)

    async def _bot(self) -> Bot:
        assert self.bot is not None, "TelegramAdapter.start() was not called"
        if not self.bot._bot_initialized:
            await self.bot.initialize()
        return self.bot


def _commands(role: Role, lang: str) -> list[BotCommand]:
    return [BotCommand(c.name, c.description) for c in menus.commands(role, lang)]


async def _answer_callback(bot: Bot, callback_id: str) -> None:
    """Stop the button's spinner. A stale query id is not worth failing the reply for."""
    with contextlib.suppress(BadRequest):
        await bot.answer_callback_query(callback_id)


def _seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class _Keyboard(InlineKeyboardMarkup):
    """An answer's buttons as the Bot API takes them, turned into JSON's dict once: a rendered answer is sent to
    many people (`Outbox._render`), and python-telegram-bot rebuilds the dict on every send otherwise (an eighth
    of a send's CPU for the help menu). The dict is only read, to be encoded."""

    __slots__ = ("_as_dict",)
    _as_dict: dict[str, Any]

    def __init__(self, rows: Sequence[Sequence[InlineKeyboardButton]]) -> None:
        super().__init__(rows)
        object.__setattr__(self, "_as_dict", super().to_dict())  # past the SDK's freeze: set once, here

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return self._as_dict if recursive else super().to_dict(recursive)


def _keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = []
    for button in buttons:
        label = textsplit.label(button.label)  # an empty text is BUTTON_TEXT_INVALID
        if button.url:
            rows.append([InlineKeyboardButton(label, url=button.url)])
        else:
            data = button.payload or ""
            if not 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES:
                raise ValueError(f"callback_data must be 1-{MAX_CALLBACK_BYTES} bytes: {data!r}")
            rows.append([InlineKeyboardButton(label, callback_data=data)])
    return _Keyboard(rows)


def progress_bar(percent: int, width: int = 10) -> str:
    filled = round(max(0, min(100, percent)) / 100 * width)
    return "▓" * filled + "░" * (width - filled) + f" {percent}%"


Block = tuple[str, int]
"""A piece of a message: its HTML and its length once Telegram has parsed the entities."""


def _card_blocks(card: Card) -> list[Block]:
    """A card as one block, or, past the length limit, as several that each repeat its bold title."""
    bar = [progress_bar(card.progress)] if card.progress is not None else []
    title = textsplit.cut(card.title, MAX_TEXT // 4, len)  # so that some of the lines fit beside it
    room = MAX_TEXT - len(title) - 1 - sum(len(line) + 1 for line in bar)
    lines = [piece for line in card.lines for piece in textsplit.split(line, room, len)]
    groups = textsplit.pack(lines, room, len, gap=1) or [[]]
    blocks = []
    for i, group in enumerate(groups):
        shown = group + bar if i == len(groups) - 1 else group
        markup = "\n".join([f"<b>{html.escape(title)}</b>", *(html.escape(line) for line in shown)])
        blocks.append((markup, len("\n".join([title, *shown]))))
    return blocks


def _text_chunks(reply: Reply) -> list[str]:
    """HTML chunks under the length limit; cards and text are split between whole blocks, never inside a tag."""
    blocks = [block for card in reply.cards for block in _card_blocks(card)]
    if reply.text:
        blocks += [(html.escape(piece), len(piece)) for piece in textsplit.split(reply.text, MAX_TEXT, len)]
    groups = textsplit.pack(blocks, MAX_TEXT, lambda block: block[1], gap=2)
    return ["\n\n".join(markup for markup, _ in group) for group in groups]


def _parts(reply: Reply) -> list[Part]:
    """The calls for one reply; the inline keyboard rides on the last text message."""
    parts: list[Part] = []
    chunks = _text_chunks(reply)
    for i, chunk in enumerate(chunks):
        markup = _keyboard(reply.buttons) if i == len(chunks) - 1 else None
        parts.append(("sendMessage", {"text": chunk, "parse_mode": ParseMode.HTML, "reply_markup": markup}))
    if reply.location:
        loc = reply.location
        parts.append(("sendVenue", {"latitude": loc.latitude, "longitude": loc.longitude,
                                    "title": loc.title, "address": loc.address}))
    if reply.image_url:
        parts.append(("sendPhoto", {"photo": reply.image_url}))
    if reply.document_url:
        parts.append(("sendDocument", {"document": reply.document_url, "caption": reply.document_name}))
    if not chunks and reply.buttons:
        parts.append(("sendMessage", {"text": "…", "reply_markup": _keyboard(reply.buttons)}))
    return parts
