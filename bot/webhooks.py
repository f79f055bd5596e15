"""Webhook endpoints: verify, store in the inbox, and only then answer 200.

A plain Starlette route, reached before FastAPI's middleware and routing (`bot.app.App`): this is the hot path,
and FastAPI's parameter machinery would cost more than the storing does.
Nothing of the body is read before the headers pass, and reading stops at `max_webhook_bytes`, so a stranger's
request costs at most that much memory.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.messages import Platform
from bot.platform import WebhookRejected
from bot.service import Service

log = logging.getLogger(__name__)


class TooLarge(Exception):
    """The body is longer than the limit; the rest of it is never read."""


async def read_body(request: Request, limit: int) -> bytes:
    """The body, streamed and stopped at `limit`: a Content-Length may be missing (chunked) or a lie."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > limit:
        raise TooLarge()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def refuse(status: int, reason: str) -> JSONResponse:
    """A refusal that closes the connection: the server then stops receiving whatever of the body is unread."""
    return JSONResponse({"detail": reason}, status_code=status, headers={"Connection": "close"})


async def webhook(request: Request) -> JSONResponse:
    try:
        platform = Platform(request.path_params["platform"])
    except ValueError:
        return JSONResponse({"detail": "no such platform"}, status_code=404)
    service: Service = request.app.state.service
    adapter = service.adapters.get(platform)
    if adapter is None:
        return JSONResponse({"detail": f"{platform} is not configured"}, status_code=404)
    try:
        adapter.check_headers(request.headers)
        body = await read_body(request, service.settings.max_webhook_bytes)
        stored = await service.accept(platform, body, request.headers)
    except TooLarge:
        log.info("%s webhook refused: longer than %d bytes", platform, service.settings.max_webhook_bytes)
        return refuse(413, "body too large")
    except WebhookRejected as rejected:
        log.info("%s webhook rejected: %s", platform, rejected.reason)
        return refuse(rejected.status, rejected.reason)
    except SQLAlchemyError:
        # Not stored, so not acknowledged: the platform will deliver it again.
        log.exception("%s webhook could not be stored", platform)
        return JSONResponse({"detail": "temporarily unavailable"}, status_code=503)
    return JSONResponse({"stored": stored})


route = Route("/webhooks/{platform}", webhook, methods=["POST"])
