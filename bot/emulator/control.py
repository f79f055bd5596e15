"""Control endpoints under `/_emulator/`, for benchmarks and `coordbot chat` in another process.

Besides reading screens and setting limits, they act as a user: build a realistic event, sign it as the platform
would, and POST it to the service's webhook URL.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import httpx
from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel

from bot.emulator import events as ev
from bot.emulator.state import LINE, PLATFORMS, TELEGRAM, EmulatorState, Said

WEBHOOK_TIMEOUT_S = 10.0


class RateLimitBody(BaseModel):
    platform: Literal["line", "telegram"]
    per_second: float | None = None
    endpoint: str = "*"
    per_chat_per_second: float | None = None


class FaultBody(BaseModel):
    platform: Literal["line", "telegram"]
    endpoint: str
    status: int | None = None
    count: int = 1
    delay: float = 0.0
    retry_after: int | None = None
    message: str | None = None


class QuotaBody(BaseModel):
    limit: int | None
    used: int = 0


class UserBody(BaseModel):
    name: str | None = None
    language: str = "th"


class LineEventBody(BaseModel):
    """A LINE user's action: `text` typed, postback `data` pressed, a location shared, or a follow/unfollow."""

    user_id: str
    type: Literal["text", "postback", "location", "follow", "unfollow"] | None = None
    text: str | None = None
    data: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    title: str | None = None
    redelivery: bool = False


class TelegramUpdateBody(BaseModel):
    """A Telegram user's action: `text` sent, callback `data` pressed, a location shared, or blocking/restarting
    the bot."""

    user_id: int
    type: Literal["message", "callback_query", "location", "kicked", "member"] | None = None
    text: str | None = None
    data: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    title: str | None = None


def control_router(state: EmulatorState) -> APIRouter:
    """The router for driving one emulator from outside."""
    router = APIRouter(prefix="/_emulator")

    def platform_of(name: str) -> str:
        if name not in PLATFORMS:
            raise HTTPException(404, f"unknown platform {name!r}")
        return name

    @router.post("/reset")
    async def reset() -> dict[str, bool]:
        state.reset()
        return {"ok": True}

    @router.get("/screen/{platform}/{user}")
    async def screen(platform: str, user: str, after: int = 0) -> list[dict[str, Any]]:
        return [r.to_json() for r in state.screen(platform_of(platform), user)[after:]]

    @router.get("/conversation/{platform}/{user}")
    async def conversation(platform: str, user: str) -> list[dict[str, Any]]:
        """Both sides of the chat, oldest first: the bot's messages (`"from": "bot"`, as in /screen) and what the
        user's own messages show (`"from": "user"`)."""
        return [entry.to_json() if isinstance(entry, Said) else {"from": "bot", **entry.to_json()}
                for entry in state.conversation(platform_of(platform), user)]

    @router.get("/line/richmenu/{user}")
    async def rich_menu(user: str) -> dict[str, Any] | None:
        """The rich menu the LINE user sees (id, size, chat bar text, whether it opens by itself) with each area's
        bounds and label, in the order `/menu/line/{user}/{number}` taps them; null without one."""
        shown = state.rich_menus.shown_to(user)
        if shown is None:
            return None
        items = menu_of(state, LINE, user)
        return {"richMenuId": shown["richMenuId"], "size": shown["size"], "chatBarText": shown.get("chatBarText"),
                "selected": bool(shown.get("selected")),
                "areas": [{"bounds": area["bounds"], **item} for area, item in zip(shown["areas"], items,
                                                                                  strict=True)]}

    @router.get("/line/richmenus/{menu_id}/image")
    async def rich_menu_image(menu_id: str) -> Response:
        """A rich menu's uploaded image, as the phone draws it (not a LINE API call, so not in the call log)."""
        found = state.rich_menus.images.get(menu_id)
        if found is None:
            raise HTTPException(404, f"no image for rich menu {menu_id!r}")
        return Response(found[0], media_type=found[1])

    @router.get("/calls")
    async def calls(platform: str | None = None, endpoint: str | None = None) -> list[dict[str, Any]]:
        return [c.to_json() for c in state.calls(platform, endpoint)]

    @router.post("/users/{platform}/{user}")
    async def add_user(platform: str, user: str, body: UserBody | None = None) -> dict[str, bool]:
        body = body or UserBody()
        state.add_user(platform_of(platform), user, body.name, body.language)
        return {"ok": True}

    @router.post("/users/{platform}/{user}/block")
    async def block(platform: str, user: str) -> dict[str, bool]:
        state.block(platform_of(platform), user)
        return {"ok": True}

    @router.post("/users/{platform}/{user}/unblock")
    async def unblock(platform: str, user: str) -> dict[str, bool]:
        state.unblock(platform_of(platform), user)
        return {"ok": True}

    @router.post("/rate-limit")
    async def rate_limit(body: RateLimitBody) -> dict[str, bool]:
        state.set_rate_limit(body.platform, body.per_second, endpoint=body.endpoint,
                             per_chat_per_second=body.per_chat_per_second)
        return {"ok": True}

    @router.post("/fault")
    async def fault(body: FaultBody) -> dict[str, bool]:
        state.inject_fault(body.platform, body.endpoint, status=body.status, count=body.count, delay=body.delay,
                           retry_after=body.retry_after, message=body.message)
        return {"ok": True}

    @router.post("/quota")
    async def quota(body: QuotaBody) -> dict[str, bool]:
        state.set_quota(body.limit, body.used)
        return {"ok": True}

    @router.post("/line/events")
    async def line_event(body: LineEventBody) -> dict[str, Any]:
        event = line_event_for(state, body)
        raw = json.dumps(ev.line_body([event], state.bot_line_user_id), ensure_ascii=False).encode()
        headers = {"X-Line-Signature": ev.line_signature(state.line_channel_secret, raw)}
        return {"status": await _post(state.line_webhook_url, raw, headers), "event": event}

    @router.get("/menu/{platform}/{user}")
    async def menu(platform: str, user: str) -> list[dict[str, str]]:
        return menu_of(state, platform_of(platform), user)

    @router.post("/menu/{platform}/{user}/{number}")
    async def tap(platform: str, user: str, number: int) -> dict[str, Any]:
        event = tap_event(state, platform_of(platform), user, number)
        if event is None:
            raise HTTPException(404, f"there is no menu item m{number}")
        if platform == LINE:
            raw = json.dumps(ev.line_body([event], state.bot_line_user_id), ensure_ascii=False).encode()
            headers = {"X-Line-Signature": ev.line_signature(state.line_channel_secret, raw)}
            return {"status": await _post(state.line_webhook_url, raw, headers), "event": event}
        raw = json.dumps(event, ensure_ascii=False).encode()
        headers = {"X-Telegram-Bot-Api-Secret-Token": state.telegram_secret_token}
        return {"status": await _post(state.telegram_webhook_url, raw, headers), "update": event}

    @router.post("/telegram/updates")
    async def telegram_update(body: TelegramUpdateBody) -> dict[str, Any]:
        update = telegram_update_for(state, body)
        raw = json.dumps(update, ensure_ascii=False).encode()
        headers = {"X-Telegram-Bot-Api-Secret-Token": state.telegram_secret_token}
        return {"status": await _post(state.telegram_webhook_url, raw, headers), "update": update}

    return router


def line_event_for(state: EmulatorState, body: LineEventBody) -> dict[str, Any]:
    """The event for a user's action, with a fresh reply token; (un)following also changes the user's state."""
    kind = body.type or ("postback" if body.data is not None else "text")
    user = body.user_id
    state.add_user(LINE, user)
    if kind == "unfollow":
        state.block(LINE, user)
        return ev.line_unfollow_event(user, redelivery=body.redelivery)
    token = state.issue_reply_token(user)
    if kind == "follow":
        state.unblock(LINE, user)
        return ev.line_follow_event(user, reply_token=token, redelivery=body.redelivery)
    if kind == "postback":
        shown = _display_text(state, user, body.data or "")
        if shown:
            state.say(LINE, user, shown)
        return ev.line_postback_event(user, body.data or "", reply_token=token, redelivery=body.redelivery)
    if kind == "location":
        state.say(LINE, user, _place(body))
        return ev.line_location_event(user, body.latitude or 0.0, body.longitude or 0.0, reply_token=token,
                                      title=body.title or "")
    state.say(LINE, user, body.text or "")
    return ev.line_text_event(user, body.text or "", reply_token=token, redelivery=body.redelivery)


def telegram_update_for(state: EmulatorState, body: TelegramUpdateBody) -> dict[str, Any]:
    """The update for a user's action; the chat becomes known to the bot, as on Telegram."""
    kind = body.type or ("callback_query" if body.data is not None else "message")
    chat = body.user_id
    user = state.add_user(TELEGRAM, chat)
    update_id = state.next_update_id()
    bot_id = state.telegram_bot_id
    if kind in ("kicked", "member"):
        (state.block if kind == "kicked" else state.unblock)(TELEGRAM, chat)
        return ev.tg_my_chat_member_update(chat, kind, update_id=update_id, bot_id=bot_id, first_name=user.name)
    if kind == "callback_query":
        data = body.data or ""
        return ev.tg_callback_update(chat, data, update_id=update_id, callback_id=state.issue_callback_id(chat),
                                     message=_message_with_button(state, chat, data), bot_id=bot_id,
                                     first_name=user.name, language_code=user.language)
    if kind == "location":  # a Telegram location has no name; a named place would be a venue
        state.say(TELEGRAM, chat, _place(body))
        return ev.tg_location_update(chat, body.latitude or 0.0, body.longitude or 0.0, update_id=update_id,
                                     message_id=state.next_message_id(TELEGRAM, chat))
    state.say(TELEGRAM, chat, body.text or "")
    return ev.tg_message_update(chat, body.text or "", update_id=update_id,
                                message_id=state.next_message_id(TELEGRAM, chat), first_name=user.name,
                                language_code=user.language)


def menu_of(state: EmulatorState, platform: str, user: str) -> list[dict[str, str]]:
    """What the person's menu offers, in order: a LINE rich menu's areas (label: what tapping shows) or the
    Telegram commands their chat would list (chat scope first, then the default in their language)."""
    if platform == LINE:
        shown = state.rich_menus.shown_to(user) or {"areas": [], "richMenuId": None}
        items = []
        for area in shown["areas"]:
            action = area["action"]
            if action["type"] == "richmenuswitch":
                current = state.rich_menus.aliases.get(action["richMenuAliasId"]) == shown["richMenuId"]
                tab = action.get("label") or action["richMenuAliasId"]
                items.append({"label": f"⇄ {tab}" + (" •" if current else ""),
                              "data": action.get("data", ""), "switch": action["richMenuAliasId"]})
            else:
                items.append({"label": action.get("displayText") or action.get("label") or action.get("data", ""),
                              "data": action.get("data", "")})
        return items
    found = state.user(TELEGRAM, user)
    language = found.language if found else ""
    for key in ((f"chat:{user}", language), (f"chat:{user}", ""), ("default", language), ("default", "")):
        if key in state.telegram_commands:
            return [{"label": f"/{c['command']} — {c['description']}", "data": f"/{c['command']}"}
                    for c in state.telegram_commands[key]]
    return []


def tap_event(state: EmulatorState, platform: str, user: str, number: int) -> dict[str, Any] | None:
    """The webhook event for tapping menu item `number` (from 1): a postback, a tab switch or a command sent."""
    items = menu_of(state, platform, user)
    if not 1 <= number <= len(items):
        return None
    item = items[number - 1]
    if platform == TELEGRAM:
        return telegram_update_for(state, TelegramUpdateBody(user_id=int(user), text=item["data"]))
    state.add_user(LINE, user)
    token = state.issue_reply_token(user)
    if "switch" in item:  # LINE changes the menu on the phone, then sends the postback with the new alias
        state.rich_menus.switched[user] = state.rich_menus.aliases[item["switch"]]
        event = ev.line_postback_event(user, item["data"], reply_token=token)
        event["postback"]["params"] = {"newRichMenuAliasId": item["switch"], "status": "SUCCESS"}
        return event
    shown = state.rich_menus.shown_to(user)
    area = shown["areas"][number - 1]["action"] if shown else {}
    if area.get("displayText"):
        state.say(LINE, user, area["displayText"])
    return ev.line_postback_event(user, item["data"], reply_token=token)


def _display_text(state: EmulatorState, user: str, data: str) -> str | None:
    """The displayText of the postback action carrying `data` in the user's latest message that has one. LINE shows
    it as the user's own message (developers.line.biz/en/reference/messaging-api, postback action: "Text displayed
    in the chat as a message sent by the user when the action is performed"; messaging-api.yml only names it)."""
    def find(node: Any) -> str | None:
        if isinstance(node, dict):
            if node.get("type") == "postback" and node.get("data") == data and node.get("displayText"):
                return str(node["displayText"])
            node = list(node.values())
        if isinstance(node, list):
            return next((found for child in node if (found := find(child)) is not None), None)
        return None

    return next((found for received in reversed(state.screen(LINE, user)) if (found := find(received.raw))), None)


def _place(body: LineEventBody | TelegramUpdateBody) -> str:
    """A shared location as the sender's own message shows it: its name, else its coordinates."""
    return "📍 " + (body.title or f"{body.latitude or 0.0:.5f}, {body.longitude or 0.0:.5f}")


def _message_with_button(state: EmulatorState, chat: int, data: str) -> dict[str, Any] | None:
    """The latest bot message in the chat that has this button (or else the latest one)."""
    screen = state.screen(TELEGRAM, chat)
    for received in reversed(screen):
        if any(d == data for _, d in received.buttons):
            return received.raw
    return screen[-1].raw if screen else None


async def _post(url: str | None, body: bytes, headers: dict[str, str]) -> int:
    if not url:
        raise HTTPException(409, "the emulator has no webhook URL for this platform")
    try:
        async with httpx.AsyncClient(timeout=WEBHOOK_TIMEOUT_S) as client:
            response = await client.post(url, content=body, headers={**headers, "Content-Type": "application/json"})
    except httpx.HTTPError as exc:
        raise HTTPException(502, f"the service did not answer: {exc!r}") from exc
    return response.status_code
