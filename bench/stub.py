"""One local stub of the LINE and Telegram APIs for bench/e2e.py: answers 200 as the real APIs do, and notes
when each answer (reply, push, multicast, sendMessage) arrived and for whom.

Runs in its own process (`python bench/stub.py PORT`), so that counting costs the servers under test nothing.
LINE's base URL is http://127.0.0.1:PORT/line, Telegram's http://127.0.0.1:PORT/telegram/bot.
GET /_answers returns [[monotonic time, endpoint, user], ...] and forgets them.
A reply token reads `rt:<user>:<n>`, so a reply tells whom it answers.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from aiohttp import web

ANSWERS: list[tuple[float, str, str]] = []


def note(endpoint: str, users: list[str]) -> None:
    now = time.monotonic()
    ANSWERS.extend((now, endpoint, user) for user in users)


def sent_messages(messages: list[Any]) -> dict[str, Any]:
    return {"sentMessages": [{"id": str(10**17 + i), "quoteToken": f"q{i}"} for i, _ in enumerate(messages)]}


async def line(request: web.Request) -> web.Response:
    endpoint = request.match_info["endpoint"]
    body = await request.json() if request.can_read_body else {}
    messages = body.get("messages", [])
    if endpoint == "reply":
        token = str(body.get("replyToken", ""))
        note("reply", [token.split(":")[1] if token.startswith("rt:") else ""])
    elif endpoint == "push":
        note("push", [str(body.get("to", ""))])
    elif endpoint == "multicast":
        note("multicast", [str(to) for to in body.get("to", [])])
        return web.json_response({})
    else:
        return web.json_response({})
    return web.json_response(sent_messages(messages))


async def line_get(request: web.Request) -> web.Response:
    return web.json_response({"type": "limited", "value": 1_000_000, "totalUsage": 0, "userId": "Ubot",
                              "basicId": "@bench", "displayName": "bench", "chatMode": "bot",
                              "markAsReadMode": "auto"})


async def telegram(request: web.Request) -> web.Response:
    method = request.match_info["method"]
    if request.content_type == "application/json":
        params: dict[str, Any] = await request.json()
    else:
        params = dict(await request.post())
    bot = {"id": 123456, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
    if method == "getMe":
        return web.json_response({"ok": True, "result": bot})
    if method == "sendMessage":
        chat = str(params.get("chat_id", ""))
        note("sendMessage", [chat])
        text = params.get("text", "")
        message = {"message_id": len(ANSWERS), "date": int(time.time()), "from": bot,
                   "chat": {"id": int(chat) if chat.lstrip("-").isdigit() else 0, "type": "private"},
                   "text": json.loads(text) if isinstance(text, str) and text.startswith('"') else text}
        return web.json_response({"ok": True, "result": message})
    return web.json_response({"ok": True, "result": True})


async def answers(request: web.Request) -> web.Response:
    taken = list(ANSWERS)
    ANSWERS.clear()
    return web.json_response(taken)


def app() -> web.Application:
    application = web.Application()
    application.add_routes([
        web.post("/line/v2/bot/message/{endpoint}", line),
        web.post("/line/{path:.*}", line_get),
        web.get("/line/{path:.*}", line_get),
        web.post("/telegram/bot{token}/{method}", telegram),
        web.get("/telegram/bot{token}/{method}", telegram),
        web.get("/_answers", answers),
    ])
    return application


if __name__ == "__main__":
    web.run_app(app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
