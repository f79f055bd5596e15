"""Webhook endpoints: verify, store in the inbox, and only then answer 200.

A plain Starlette route: this is the hot path, and FastAPI's parameter machinery would cost more than the
storing does.
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


async def webhook(request: Request) -> JSONResponse:
    try:
        platform = Platform(request.path_params["platform"])
    except ValueError:
        return JSONResponse({"detail": "no such platform"}, status_code=404)
    service: Service = request.app.state.service
    body = await request.body()
    try:
        stored = await service.accept(platform, body, request.headers)
    except LookupError:
        return JSONResponse({"detail": f"{platform} is not configured"}, status_code=404)
    except WebhookRejected as rejected:
        log.info("%s webhook rejected: %s", platform, rejected.reason)
        return JSONResponse({"detail": rejected.reason}, status_code=rejected.status)
    except SQLAlchemyError:
        # Not stored, so not acknowledged: the platform will deliver it again.
        log.exception("%s webhook could not be stored", platform)
        return JSONResponse({"detail": "temporarily unavailable"}, status_code=503)
    return JSONResponse({"stored": stored})


routes = [Route("/webhooks/{platform}", webhook, methods=["POST"])]
