"""Webhook endpoints: verify, store in the inbox, and only then answer 200."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.messages import Platform
from bot.platform import WebhookRejected
from bot.service import Service

log = logging.getLogger(__name__)

router = APIRouter()


@router.post("/webhooks/{platform}")
async def webhook(platform: Platform, request: Request) -> JSONResponse:
    service: Service = request.app.state.service
    body = await request.body()
    try:
        stored = service.accept(platform, body, request.headers)
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
