"""Builders of realistic LINE webhook events and Telegram updates, and the LINE signature.

Plain functions returning dicts, shaped like what the platforms really send, so the service's tests and the
emulator's "act as a user" endpoints build webhooks the same way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any

ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DEFAULT_DESTINATION = "U" + "0" * 32


def event_id() -> str:
    """A ULID-like webhookEventId: 10 characters of millisecond time, then 16 random ones."""
    now = int(time.time() * 1000)
    head = "".join(ULID_ALPHABET[(now >> (5 * i)) & 31] for i in reversed(range(10)))
    return head + "".join(secrets.choice(ULID_ALPHABET) for _ in range(16))


def _line_event(event_type: str, user_id: str, *, reply_token: str | None, redelivery: bool,
                timestamp: int | None, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": event_type,
        "mode": "active",
        "timestamp": timestamp if timestamp is not None else int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id(),
        "deliveryContext": {"isRedelivery": redelivery},
        **fields,
    }
    if reply_token is not None:
        event["replyToken"] = reply_token
    return event


def line_text_event(user_id: str, text: str, *, reply_token: str, redelivery: bool = False,
                    timestamp: int | None = None) -> dict[str, Any]:
    """The user typed `text`."""
    message = {"type": "text", "id": str(secrets.randbelow(10**18)), "quoteToken": secrets.token_urlsafe(24),
               "text": text}
    return _line_event("message", user_id, reply_token=reply_token, redelivery=redelivery, timestamp=timestamp,
                       message=message)


def line_location_event(user_id: str, latitude: float, longitude: float, *, reply_token: str, title: str = "",
                        address: str = "") -> dict[str, Any]:
    """The user shared a map point (LINE's location message; title and address are optional)."""
    message: dict[str, Any] = {"type": "location", "id": str(secrets.randbelow(10**18)), "latitude": latitude,
                               "longitude": longitude}
    message.update({k: v for k, v in (("title", title), ("address", address)) if v})
    return _line_event("message", user_id, reply_token=reply_token, redelivery=False, timestamp=None,
                       message=message)


def line_postback_event(user_id: str, data: str, *, reply_token: str, redelivery: bool = False,
                        timestamp: int | None = None) -> dict[str, Any]:
    """The user pressed a postback button carrying `data`."""
    return _line_event("postback", user_id, reply_token=reply_token, redelivery=redelivery, timestamp=timestamp,
                       postback={"data": data})


def line_follow_event(user_id: str, *, reply_token: str, unblocked: bool = False, redelivery: bool = False,
                      timestamp: int | None = None) -> dict[str, Any]:
    """The user added the bot as a friend (or unblocked it)."""
    return _line_event("follow", user_id, reply_token=reply_token, redelivery=redelivery, timestamp=timestamp,
                       follow={"isUnblocked": unblocked})


def line_unfollow_event(user_id: str, *, redelivery: bool = False, timestamp: int | None = None) -> dict[str, Any]:
    """The user blocked the bot; LINE gives no reply token for this."""
    return _line_event("unfollow", user_id, reply_token=None, redelivery=redelivery, timestamp=timestamp)


def line_body(events: list[dict[str, Any]], destination: str = DEFAULT_DESTINATION) -> dict[str, Any]:
    """The webhook request body around some events; `destination` is the bot's own user id."""
    return {"destination": destination, "events": events}


def line_signature(secret: str, body: bytes) -> str:
    """The X-Line-Signature header: base64 of HMAC-SHA256 of the raw body, keyed with the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def tg_user(user_id: int, first_name: str = "ผู้ใช้", language_code: str = "th") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}


def tg_bot_user(bot_id: int, username: str = "coordbot") -> dict[str, Any]:
    return {"id": bot_id, "is_bot": True, "first_name": username, "username": f"{username}_bot"}


def tg_private_chat(chat_id: int, first_name: str = "ผู้ใช้") -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": first_name}


def tg_message_update(chat_id: int, text: str, *, update_id: int, message_id: int = 1, first_name: str = "ผู้ใช้",
                      language_code: str = "th", date: int | None = None) -> dict[str, Any]:
    """The user sent `text` in their private chat with the bot; a leading /command is marked as Telegram does."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": tg_user(chat_id, first_name, language_code),
        "chat": tg_private_chat(chat_id, first_name),
        "date": date if date is not None else int(time.time()),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0] if text.strip() else text
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
    return {"update_id": update_id, "message": message}


def tg_location_update(chat_id: int, latitude: float, longitude: float, *, update_id: int,
                       message_id: int = 1) -> dict[str, Any]:
    """The user shared a location in their private chat with the bot."""
    message = {"message_id": message_id, "from": tg_user(chat_id), "chat": tg_private_chat(chat_id),
               "date": int(time.time()), "location": {"latitude": latitude, "longitude": longitude}}
    return {"update_id": update_id, "message": message}


def tg_callback_update(chat_id: int, data: str, *, update_id: int, callback_id: str,
                       message: dict[str, Any] | None = None, bot_id: int = 123456, first_name: str = "ผู้ใช้",
                       language_code: str = "th") -> dict[str, Any]:
    """The user pressed an inline button carrying `data` under `message` (by default, a stand-in bot message)."""
    if message is None:
        message = {"message_id": 1, "from": tg_bot_user(bot_id), "chat": tg_private_chat(chat_id, first_name),
                   "date": int(time.time()), "text": "…"}
    query = {"id": callback_id, "from": tg_user(chat_id, first_name, language_code), "message": message,
             "chat_instance": str(chat_id * 7919 % 10**18), "data": data}
    return {"update_id": update_id, "callback_query": query}


def tg_my_chat_member_update(chat_id: int, status: str, *, update_id: int, bot_id: int = 123456,
                             first_name: str = "ผู้ใช้") -> dict[str, Any]:
    """The user blocked ("kicked") or restarted ("member") the bot in their private chat."""
    old = "member" if status == "kicked" else "kicked"

    def member(state: str) -> dict[str, Any]:
        fields = {"until_date": 0} if state == "kicked" else {}
        return {"user": tg_bot_user(bot_id), "status": state, **fields}

    change = {"chat": tg_private_chat(chat_id, first_name), "from": tg_user(chat_id, first_name),
              "date": int(time.time()), "old_chat_member": member(old), "new_chat_member": member(status)}
    return {"update_id": update_id, "my_chat_member": change}
