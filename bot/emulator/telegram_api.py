"""The Telegram Bot API methods the service calls, as strict as Telegram: `<emulator>/telegram/bot<token>/<method>`.

python-telegram-bot builds URLs as `base_url + token + "/" + method`, so `base_url=<emulator>/telegram/bot`.
Answers are `{"ok": true, "result": ...}` or `{"ok": false, "error_code": N, "description": ...}`.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.emulator.events import tg_bot_user, tg_private_chat
from bot.emulator.forms import FormError, Upload, read_params
from bot.emulator.state import TELEGRAM, Call, EmulatorState
from bot.emulator.telegram_html import EntityError, parse_html

# Limits from api.json (the Bot API): sendMessage.text 1-4096, caption 0-1024, callback_data 1-64 bytes,
# setMyCommands at most 100 commands named 1-32 of [a-z0-9_], setWebhook.secret_token 1-256 of A-Za-z0-9_-,
# webhook ports 443, 80, 88, 8443; the token form is the one @BotFather issues (`<bot id>:<secret>`).
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100
TOKEN = re.compile(r"^\d+:[\w-]+$")
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_PORTS = (80, 88, 443, 8443)
FILE_ID_PREFIX = "BQACAgUAAx"
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message")
# api.json BotCommandScope subtypes, by their `type`
SCOPES = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat", "chat_administrators",
          "chat_member")
# api.json sendChatAction.action
CHAT_ACTIONS = ("typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note")
SEND_METHODS = ("sendMessage", "sendLocation", "sendVenue", "sendDocument", "sendPhoto")


class TgError(Exception):
    """An error answer in the Bot API's format."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad(description: str) -> TgError:
    return TgError(400, f"Bad Request: {description}")


def _too_many(retry_after: int) -> TgError:
    return TgError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


@dataclass
class TgCall:
    """One Bot API call being answered."""

    state: EmulatorState
    params: dict[str, Any]
    files: dict[str, Upload]
    call: Call

    def get(self, name: str) -> Any:
        return self.params.get(name)

    def json_field(self, name: str, error: str) -> Any:
        """A complex field: JSON-encoded in forms, a plain value in JSON bodies."""
        value = self.params.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise _bad(error) from exc
        return value

    def number(self, name: str) -> float:
        try:
            return float(self.params[name])
        except (KeyError, TypeError, ValueError) as exc:
            raise _bad(f"invalid {name} specified") from exc

    def chat(self) -> str:
        """The private chat addressed: known to the bot and not blocking it."""
        value = self.params.get("chat_id")
        if value in (None, ""):
            raise _bad("chat_id is empty")
        try:
            chat = str(int(value))
        except (TypeError, ValueError) as exc:
            raise _bad("chat not found") from exc
        if not self.state.knows(TELEGRAM, chat):
            raise _bad("chat not found")
        if self.state.is_blocked(TELEGRAM, chat):
            raise TgError(403, BLOCKED)
        return chat

    def formatted(self, field: str, limit: int, *, required: bool) -> tuple[str, list[dict[str, Any]]]:
        """A text or caption after entity parsing, within `limit` characters."""
        raw = self.params.get(field)
        raw = "" if raw is None else str(raw)
        mode = str(self.params.get("parse_mode") or "")
        text, entities = raw, list[dict[str, Any]]()
        if mode.lower() == "html":
            try:
                text, entities = parse_html(raw)
            except EntityError as exc:
                raise _bad(f"can't parse entities: {exc}") from exc
        elif mode and mode.lower() not in ("markdown", "markdownv2"):
            raise _bad("unsupported parse_mode")
        # api.json sendMessage.text "1-4096 characters after entities parsing", caption "0-1024"; the error
        # descriptions are the Bot API's own ("Bad Request: message text is empty", "... is too long").
        if required and not text.strip():
            raise _bad("message text is empty")
        if len(text) > limit:
            raise _bad("message is too long" if field == "text" else "message caption is too long")
        return text, entities

    def keyboard(self) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
        """The reply markup and the buttons it shows (label, callback data or URL)."""
        markup = self.json_field("reply_markup", "can't parse reply keyboard markup JSON object")
        if markup is None:
            return None, []
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup, []
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
        return markup, [_button(button) for row in rows for button in row]

    def message(self, chat: str, **content: Any) -> dict[str, Any]:
        """A Message from the bot in this private chat, with the next message id of the chat."""
        user = self.state.user(TELEGRAM, chat)
        return {"message_id": self.state.next_message_id(TELEGRAM, chat),
                "from": tg_bot_user(self.state.telegram_bot_id), "date": int(time.time()),
                "chat": tg_private_chat(int(chat), user.name if user else "ผู้ใช้"),
                **{k: v for k, v in content.items() if v not in (None, [])}}

    def deliver(self, chat: str, kind: str, text: str, buttons: list[tuple[str, str]],
                message: dict[str, Any]) -> dict[str, Any]:
        self.state.deliver(TELEGRAM, chat, kind=kind, text=text, buttons=buttons, raw=message,
                           message_id=str(message["message_id"]))
        return message

    def file(self, name: str, *, photo: bool = False) -> tuple[str, dict[str, Any]]:
        """An uploaded file, a URL or a known file id: its name for the screen and its Document/PhotoSize."""
        value = self.params.get(name)
        upload = self.files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self.files.get(value.removeprefix("attach://"))
        size = 0
        if upload is not None:
            filename, size, mime = upload.filename, len(upload.data), upload.content_type
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            filename, mime = urlsplit(value).path.rsplit("/", 1)[-1] or "file", "application/octet-stream"
        elif isinstance(value, str) and value.startswith(FILE_ID_PREFIX):
            filename, mime = "file", "application/octet-stream"
        else:
            raise _bad("wrong file identifier/HTTP URL specified")
        file_id = FILE_ID_PREFIX + secrets.token_urlsafe(40)
        meta: dict[str, Any] = {"file_id": file_id, "file_unique_id": secrets.token_urlsafe(12), "file_size": size}
        if photo:
            meta.update(width=1280, height=960)
        else:
            meta.update(file_name=filename, mime_type=mime)
        return (value if isinstance(value, str) and upload is None else filename), meta


def _button(button: Any) -> tuple[str, str]:
    """api.json InlineKeyboardButton: a text and exactly one of the optional fields; callback_data 1-64 bytes."""
    if not isinstance(button, dict) or not button.get("text"):
        raise _bad("BUTTON_TEXT_INVALID")
    actions = [k for k in ("callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
                           "login_url", "web_app", "pay", "callback_game", "copy_text") if k in button]
    if len(actions) != 1:
        raise _bad("text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = str(button["callback_data"])
        if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise _bad("BUTTON_DATA_INVALID")
        return str(button["text"]), data
    if "url" in button:
        url = str(button["url"])
        if not url.startswith(("http://", "https://", "tg://")) or not urlsplit(url).netloc:
            raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
        return str(button["text"]), url
    return str(button["text"]), ""


def get_me(c: TgCall) -> Any:
    return {**tg_bot_user(c.state.telegram_bot_id), "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}


def send_message(c: TgCall) -> Any:
    chat = c.chat()
    text, entities = c.formatted("text", MAX_TEXT, required=True)
    markup, buttons = c.keyboard()
    message = c.message(chat, text=text, entities=entities, reply_markup=markup)
    return c.deliver(chat, "text", text, buttons, message)


def send_location(c: TgCall) -> Any:
    chat = c.chat()
    latitude, longitude = _position(c)
    markup, buttons = c.keyboard()
    message = c.message(chat, location={"latitude": latitude, "longitude": longitude}, reply_markup=markup)
    return c.deliver(chat, "location", f"{latitude},{longitude}", buttons, message)


def send_venue(c: TgCall) -> Any:
    chat = c.chat()
    latitude, longitude = _position(c)
    title, address = str(c.get("title") or ""), str(c.get("address") or "")
    if not title or not address:
        raise _bad("venue title and address must be non-empty")
    markup, buttons = c.keyboard()
    location = {"latitude": latitude, "longitude": longitude}
    message = c.message(chat, location=location, venue={"location": location, "title": title, "address": address},
                        reply_markup=markup)
    return c.deliver(chat, "venue", f"{title}\n{address}", buttons, message)


def _position(c: TgCall) -> tuple[float, float]:
    latitude, longitude = c.number("latitude"), c.number("longitude")
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise _bad("wrong location specified")
    return latitude, longitude


def send_document(c: TgCall) -> Any:
    chat = c.chat()
    caption, entities = c.formatted("caption", MAX_CAPTION, required=False)
    name, document = c.file("document")
    markup, buttons = c.keyboard()
    message = c.message(chat, document=document, caption=caption or None, caption_entities=entities,
                        reply_markup=markup)
    return c.deliver(chat, "document", caption or name, buttons, message)


def send_photo(c: TgCall) -> Any:
    chat = c.chat()
    caption, entities = c.formatted("caption", MAX_CAPTION, required=False)
    name, photo = c.file("photo", photo=True)
    markup, buttons = c.keyboard()
    message = c.message(chat, photo=[photo], caption=caption or None, caption_entities=entities,
                        reply_markup=markup)
    return c.deliver(chat, "image", caption or name, buttons, message)


def answer_callback_query(c: TgCall) -> Any:
    if len(str(c.get("text") or "")) > 200:
        raise _bad("MESSAGE_TOO_LONG")
    if not c.state.use_callback_id(str(c.get("callback_query_id") or "")):
        raise _bad("query is too old and response timeout expired or query ID is invalid")
    return True


def _edited(c: TgCall, *, text: bool) -> Any:
    if c.get("inline_message_id"):
        raise _bad("MESSAGE_ID_INVALID")
    chat = c.chat()
    found = c.state.find_message(TELEGRAM, chat, str(c.get("message_id") or ""))
    if found is None:
        raise _bad("message to edit not found")
    markup, buttons = c.keyboard()
    message = dict(found.raw)
    if text:
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        new_text, entities = c.formatted("text", MAX_TEXT, required=True)
        if new_text == message["text"] and entities == message.get("entities", []) and markup == message.get(
                "reply_markup"):
            raise _bad(NOT_MODIFIED)
        message.update(text=new_text, entities=entities)
        if not entities:
            del message["entities"]
    elif markup == message.get("reply_markup"):
        raise _bad(NOT_MODIFIED)
    message.pop("reply_markup", None)
    if markup:
        message["reply_markup"] = markup
    message["edit_date"] = int(time.time())
    c.state.edit(found, text=message.get("text", found.text), buttons=buttons, raw=message)
    return message


def edit_message_text(c: TgCall) -> Any:
    return _edited(c, text=True)


def edit_message_reply_markup(c: TgCall) -> Any:
    return _edited(c, text=False)


def set_webhook(c: TgCall) -> Any:
    url = str(c.get("url") or "")
    secret = c.get("secret_token")
    if url:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if (parts.port or 443) not in WEBHOOK_PORTS:
            raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    if secret is not None and not SECRET_TOKEN.match(str(secret)):
        raise _bad("secret token contains unallowed characters")
    c.state.telegram_webhook = {"url": url, "secret_token": secret}
    return True


def delete_webhook(c: TgCall) -> Any:
    c.state.telegram_webhook = {"url": "", "secret_token": None}
    return True


def get_webhook_info(c: TgCall) -> Any:
    url = c.state.telegram_webhook["url"]
    info: dict[str, Any] = {"url": url, "has_custom_certificate": False, "pending_update_count": 0}
    if url:
        info["max_connections"] = 40
    return info


def _scope(c: TgCall) -> tuple[str, str]:
    """The (scope, language_code) key of a *MyCommands call (api.json BotCommandScope: default and chat here)."""
    scope = c.json_field("scope", "can't parse BotCommandScope JSON object") or {"type": "default"}
    language = str(c.get("language_code") or "")
    if language and not re.fullmatch(r"[a-z]{2}", language):  # "A two-letter ISO 639-1 language code"
        raise _bad("invalid language code specified")
    if not isinstance(scope, dict) or scope.get("type") not in SCOPES:
        raise _bad("can't parse BotCommandScope JSON object")
    if scope["type"] in ("chat", "chat_administrators", "chat_member"):
        chat = scope.get("chat_id")
        if chat in (None, "") or not c.state.knows(TELEGRAM, str(chat)):
            raise _bad("chat not found")
        return f"{scope['type']}:{chat}", language
    return str(scope["type"]), language


def set_my_commands(c: TgCall) -> Any:
    commands = c.json_field("commands", "can't parse commands JSON object")
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:  # "At most 100 commands can be specified."
        raise _bad("can't parse commands JSON object")
    for command in commands:  # BotCommand: "Text of the command; 1-32 characters ... lowercase English letters,
        if not isinstance(command, dict) or not COMMAND.match(str(command.get("command", ""))):  # digits, _"
            raise _bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:  # "Description of the command; 1-256"
            raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
    key = _scope(c)
    c.state.telegram_commands[key] = [{"command": x["command"], "description": x["description"]} for x in commands]
    return True


def get_my_commands(c: TgCall) -> Any:
    return c.state.telegram_commands.get(_scope(c), [])


def delete_my_commands(c: TgCall) -> Any:
    c.state.telegram_commands.pop(_scope(c), None)
    return True


def set_chat_menu_button(c: TgCall) -> Any:
    """No chat_id: the default button; MenuButton types from api.json (commands, web_app, default)."""
    chat = c.chat() if c.get("chat_id") not in (None, "") else "default"
    button = c.json_field("menu_button", "can't parse menu button JSON object") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
        raise _bad("can't parse menu button JSON object")
    c.state.telegram_menu_buttons[chat] = button
    return True


def get_chat_menu_button(c: TgCall) -> Any:
    chat = c.chat() if c.get("chat_id") not in (None, "") else "default"
    # MenuButtonDefault: "Describes that no specific value for the menu button was set."
    return c.state.telegram_menu_buttons.get(chat) or c.state.telegram_menu_buttons.get("default") or {
        "type": "default"}


def send_chat_action(c: TgCall) -> Any:
    chat = c.chat()
    action = str(c.get("action") or "")
    if action not in CHAT_ACTIONS:
        raise _bad("wrong parameter action in request")
    c.state.telegram_chat_actions[chat] = action
    return True


METHODS: dict[str, Callable[[TgCall], Any]] = {
    "getMe": get_me, "sendMessage": send_message, "sendLocation": send_location, "sendVenue": send_venue,
    "sendDocument": send_document, "sendPhoto": send_photo, "answerCallbackQuery": answer_callback_query,
    "editMessageText": edit_message_text, "editMessageReplyMarkup": edit_message_reply_markup,
    "setWebhook": set_webhook, "deleteWebhook": delete_webhook, "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands, "getMyCommands": get_my_commands, "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button, "getChatMenuButton": get_chat_menu_button,
    "sendChatAction": send_chat_action,
}
BY_LOWER = {name.lower(): name for name in METHODS}  # Bot API method names are case-insensitive


def telegram_router(state: EmulatorState) -> APIRouter:
    """The router for one emulated Telegram bot."""
    router = APIRouter(prefix="/telegram")

    @router.api_route("/bot{token}/{method}", methods=["GET", "POST"])
    async def bot_api(request: Request, token: str, method: str) -> JSONResponse:
        name = BY_LOWER.get(method.lower(), method)
        call = state.record_call(TELEGRAM, name)
        try:
            result = await _answer(state, request, token, name, call)
            response = JSONResponse({"ok": True, "result": result})
        except TgError as exc:
            response = JSONResponse(exc.body(), status_code=exc.code)
        call.status = response.status_code
        return response

    return router


async def _answer(state: EmulatorState, request: Request, token: str, name: str, call: Call) -> Any:
    if not secrets.compare_digest(token.encode(), state.telegram_token.encode()):
        raise TgError(401, "Unauthorized") if TOKEN.match(token) else TgError(404, "Not Found")
    if name not in METHODS:
        raise TgError(404, "Not Found")
    try:
        params, files = await read_params(request)
    except FormError as exc:
        raise _bad(str(exc)) from exc
    if params.get("chat_id") is not None:
        call.target = str(params["chat_id"])
    generation = state.generation
    fault = state.take_fault(TELEGRAM, name)
    if fault is not None:
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.status == 429:
            raise _too_many(fault.retry_after or 1)
        if fault.status is not None:
            raise TgError(fault.status, fault.message or _fault_description(fault.status))
    if state.generation != generation:  # the state was reset while this request hung: it belongs to no test
        raise TgError(500, "Internal Server Error")
    if name in SEND_METHODS:
        wait = state.take_rate(TELEGRAM, name, call.target)
        if wait is not None:
            raise _too_many(math.ceil(wait))
    return METHODS[name](TgCall(state, params, files, call))


def _fault_description(status: int) -> str:
    if status == 403:
        return BLOCKED
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return f"Bad Request: {phrase}" if status == 400 else phrase
