"""The LINE Messaging API endpoints the service calls, as strict as LINE: mounted under `/line`.

line-bot-sdk v3 builds URLs as `Configuration.host + "/v2/bot/..."`, so `host=<emulator>/line` works.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from bot.emulator.line_messages import check_messages, on_screen, quick_replies
from bot.emulator.state import LINE, Call, EmulatorState

MAX_MULTICAST = 500  # messaging-api.yml, MulticastRequest.to: maxItems 500
CHAT_ID = re.compile(r"^[UCR][0-9a-f]{32}$")
"""User, group and room ids: U, C or R and 32 hex digits (LINE Developers, "Get user IDs" and the webhook
source objects of webhook.yml)."""
# messaging-api.yml, X-Line-Retry-Key: "format: uuid", a UUID in hexadecimal
RETRY_KEY = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Status codes and error bodies: messaging-api.yml (ErrorResponse; 401, 409, 429 on push/multicast) and the
# "Status codes" and "Error messages" tables of the Messaging API reference.
AUTH_REQUIRED = "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'"
AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."
RATE_LIMITED = "The API rate limit has been exceeded. Try again later."
MONTHLY_LIMIT = "You have reached your monthly limit."
# "Retrying a failed API request" (docs/messaging-api/retrying-api-request): the retry key is accepted only by the
# push, multicast, narrowcast and broadcast endpoints; any other endpoint answers 400.
RETRY_KEY_ENDPOINTS = ("push", "multicast", "narrowcast", "broadcast")


class LineError(Exception):
    """An error answer in LINE's format: `{"message": ..., "details": [...]}`."""

    def __init__(self, status: int, message: str, details: list[tuple[str, str]] | None = None,
                 headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, **(extra or {})}
        if details is not None:
            self.body["details"] = [{"message": m, "property": p} for p, m in details]
        self.headers = headers or {}


def _invalid(details: list[tuple[str, str]]) -> LineError:
    return LineError(400, f"The request body has {len(details)} error(s)", details)


Work = Callable[[dict[str, Any], Call], Awaitable[Any]]


def line_router(state: EmulatorState) -> APIRouter:
    """The router for one emulated LINE channel."""
    router = APIRouter(prefix="/line")

    async def serve(request: Request, endpoint: str, work: Work) -> Response:
        return await serve_line(state, request, endpoint, work)

    async def push(body: dict[str, Any], call: Call) -> dict[str, Any]:
        to = body.get("to")
        call.target = to if isinstance(to, str) else None
        if not isinstance(to, str) or not CHAT_ID.match(to):
            raise LineError(400, "The property, 'to', in the request body is invalid (line: -, column: -)")
        messages = _valid_messages(body)
        _refuse_repeat(state, call.retry_key)
        if not state.take_quota(1):
            raise LineError(429, MONTHLY_LIMIT)
        answer = {"sentMessages": _deliver(state, to, messages)}
        _remember(state, call, answer)
        return answer

    async def multicast(body: dict[str, Any], call: Call) -> dict[str, Any]:
        to = body.get("to")
        if not isinstance(to, list) or not 1 <= len(to) <= MAX_MULTICAST:
            raise _invalid([("to", f"Size must be between 1 and {MAX_MULTICAST}")])
        wrong = [(f"to[{i}]", "Invalid user ID") for i, user in enumerate(to)
                 if not isinstance(user, str) or not CHAT_ID.match(user) or not user.startswith("U")]
        if wrong:
            raise _invalid(wrong)
        messages = _valid_messages(body)
        _refuse_repeat(state, call.retry_key)
        if not state.take_quota(len(set(to))):
            raise LineError(429, MONTHLY_LIMIT)
        for user in dict.fromkeys(to):
            _deliver(state, user, messages)
        _remember(state, call, {})
        return {}

    async def reply(body: dict[str, Any], call: Call) -> dict[str, Any]:
        # messaging-api.yml ReplyMessageRequest: replyToken required; a token is used once, within its validity
        # ("Send reply message": "Invalid reply token" for a used or expired one).
        token = body.get("replyToken")
        if not isinstance(token, str) or not token:
            raise _invalid([("replyToken", "May not be empty")])
        messages = _valid_messages(body)
        user = state.use_reply_token(token)
        if user is None:
            raise LineError(400, "Invalid reply token")
        call.target = user
        return {"sentMessages": _deliver(state, user, messages)}

    async def quota(body: dict[str, Any], call: Call) -> dict[str, Any]:
        if state.quota_limit is None:
            return {"type": "none"}
        return {"type": "limited", "value": state.quota_limit}

    async def consumption(body: dict[str, Any], call: Call) -> dict[str, Any]:
        return {"totalUsage": state.quota_used}

    async def info(body: dict[str, Any], call: Call) -> dict[str, Any]:
        return {"userId": state.bot_line_user_id, "basicId": "@coordbot", "displayName": "coordbot",
                "chatMode": "bot", "markAsReadMode": "manual"}

    @router.post("/v2/bot/message/push")
    async def push_route(request: Request) -> Response:
        return await serve(request, "push", push)

    @router.post("/v2/bot/message/multicast")
    async def multicast_route(request: Request) -> Response:
        return await serve(request, "multicast", multicast)

    @router.post("/v2/bot/message/reply")
    async def reply_route(request: Request) -> Response:
        return await serve(request, "reply", reply)

    @router.get("/v2/bot/message/quota")
    async def quota_route(request: Request) -> Response:
        return await serve(request, "quota", quota)

    @router.get("/v2/bot/message/quota/consumption")
    async def consumption_route(request: Request) -> Response:
        return await serve(request, "quota/consumption", consumption)

    @router.get("/v2/bot/info")
    async def info_route(request: Request) -> Response:
        return await serve(request, "info", info)

    @router.get("/v2/bot/profile/{user_id}")
    async def profile_route(request: Request, user_id: str) -> Response:
        async def profile(body: dict[str, Any], call: Call) -> dict[str, Any]:
            call.target = user_id
            if not CHAT_ID.match(user_id) or state.is_blocked(LINE, user_id):
                raise LineError(404, "Not found")
            user = state.add_user(LINE, user_id)
            return {"userId": user_id, "displayName": user.name, "language": user.language,
                    "pictureUrl": f"https://profile.line-scdn.net/{user_id}", "statusMessage": ""}

        return await serve(request, "profile", profile)

    return router


async def serve_line(state: EmulatorState, request: Request, endpoint: str, work: Work, *, status: int = 200,
                     json_body: bool = True) -> Response:
    """One LINE API call: checks, then `work`, answered in LINE's format (or with the `Response` work made)."""
    retry_key = request.headers.get("x-line-retry-key")
    call = state.record_call(LINE, endpoint, retry_key=retry_key)
    try:
        body = await _checked_request(state, request, endpoint, retry_key, json_body=json_body)
        answer = await work(body, call)
        response: Response = answer if isinstance(answer, Response) else JSONResponse(answer, status_code=status)
    except LineError as exc:
        response = JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)
    call.status = response.status_code
    response.headers["x-line-request-id"] = call.request_id
    return response


async def _checked_request(state: EmulatorState, request: Request, endpoint: str,
                           retry_key: str | None, *, json_body: bool = True) -> dict[str, Any]:
    """Authentication, injected faults, rate limit, retry-key form and JSON body, in the order LINE checks them."""
    auth = request.headers.get("authorization", "")
    if not auth.startswith("Bearer "):
        raise LineError(401, AUTH_REQUIRED)
    if not secrets.compare_digest(auth.removeprefix("Bearer ").encode(), state.line_access_token.encode()):
        raise LineError(401, AUTH_FAILED)
    raw = await request.body() if request.method == "POST" else b""  # all of it arrived before LINE is slow
    generation = state.generation
    fault = state.take_fault(LINE, endpoint)
    if fault is not None:
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.status is not None:
            raise LineError(fault.status, fault.message or _fault_message(fault.status))
    if state.generation != generation:  # the state was reset while this request hung: it belongs to no test
        raise LineError(500, "Internal server error")
    if state.take_rate(LINE, endpoint) is not None:
        raise LineError(429, RATE_LIMITED)
    if retry_key is not None:
        if endpoint not in RETRY_KEY_ENDPOINTS:
            raise LineError(400, "The X-Line-Retry-Key header cannot be used with this endpoint")
        if not RETRY_KEY.match(retry_key):
            raise LineError(400, "The value for the 'X-Line-Retry-Key' header is invalid")
    if request.method != "POST" or not raw:  # link, default and similar POSTs carry no body
        return {}
    if not json_body:
        return {"raw": raw, "content_type": request.headers.get("content-type", "")}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise LineError(400, "The request body could not be parsed as JSON") from exc
    if not isinstance(body, dict):
        raise LineError(400, "The request body could not be parsed as JSON")
    return body


def _fault_message(status: int) -> str:
    if status == 429:
        return RATE_LIMITED
    return HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"


def _valid_messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = check_messages(body.get("messages"))
    if errors:
        raise _invalid(errors)
    messages: list[dict[str, Any]] = body["messages"]
    return messages


def _refuse_repeat(state: EmulatorState, retry_key: str | None) -> None:
    """Refuse a request whose retry key LINE already accepted: 409, and nothing is sent again."""
    if retry_key is None:
        return
    found = state.accepted_retry_key(retry_key)
    if found is not None:
        request_id, answer = found
        raise LineError(409, "The retry key is already accepted", headers={"x-line-accepted-request-id": request_id},
                        extra=answer)


def _remember(state: EmulatorState, call: Call, answer: dict[str, Any]) -> None:
    if call.retry_key is not None:
        state.accept_retry_key(call.retry_key, call.request_id, answer)


def _deliver(state: EmulatorState, user: str, messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Put the messages on the user's phone, unless they unfollowed (LINE accepts those pushes silently)."""
    sent = []
    blocked = state.is_blocked(LINE, user)
    for i, message in enumerate(messages):
        kind, text, buttons = on_screen(message)
        if blocked:
            sent.append({"id": str(secrets.randbelow(10**18)), "quoteToken": secrets.token_urlsafe(24)})
            continue
        # "If the user receives multiple message objects, the quickReply property of the last message object is
        # displayed" (Messaging API reference, quick reply); a later message hides them (state.deliver).
        quick = quick_replies(message) if i == len(messages) - 1 else []
        received = state.deliver(LINE, user, kind=kind, text=text, buttons=buttons + quick, raw=message,
                                 quick=len(quick))
        sent.append({"id": received.message_id, "quoteToken": secrets.token_urlsafe(24)})
    return sent
