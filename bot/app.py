"""The FastAPI application: `create_app(settings)` wires storage, adapters, routes and the scheduler."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from bot import downloads, logs, menus, metrics, sim, webhooks
from bot.config import Settings
from bot.console.app import install as install_console
from bot.line import LineAdapter, quota_left
from bot.messages import Platform
from bot.outbox import TagRules
from bot.platform import Adapter
from bot.quota import QuotaReader
from bot.router import Routes
from bot.service import Service
from bot.telegram import TelegramAdapter
from handlers import console, help, people, registration
from handlers.broadcast import chat as broadcast
from handlers.broadcast import service as announcements
from handlers.deadlines import chat as deadlines
from handlers.projects import chat as projects
from handlers.rsvp import chat as rsvp
from scheduler import Runtime, Scheduler, retention
from scheduler import rsvp as rsvp_jobs
from scheduler.deadlines import plan_missing
from storage.broadcast import TAG_PREFIX as ANNOUNCEMENT
from storage.db import make_engine, one_at_a_time, utcnow
from storage.migrations import upgrade

log = logging.getLogger(__name__)


def adapters_for(settings: Settings) -> dict[Platform, Adapter]:
    adapters: dict[Platform, Adapter] = {}
    if settings.line_enabled:
        adapters[Platform.line] = LineAdapter(settings)
    if settings.telegram_enabled:
        adapters[Platform.telegram] = TelegramAdapter(settings)
    return adapters


def routes() -> Routes:
    """Every feature's router. Order matters only for the help menu and for free-text matchers, which are tried
    in this order."""
    return Routes([registration.router, rsvp.router, projects.router, deadlines.router, broadcast.router,
                   people.router, console.router, help.router], fallback=help.not_understood)


def outbox_rules() -> TagRules:
    """Announcements: each one's progress settled as its rows are attempted (the author told when it is done),
    and a Telegram send of unknown outcome sent again rather than someone left out."""
    return TagRules(settled={ANNOUNCEMENT: announcements.settle}, at_least_once=(ANNOUNCEMENT,))


class App(FastAPI):
    """FastAPI with a webhook's POST taken first, before its middleware and routing, which the webhook needs none
    of (it answers every error itself; an unexpected one reaches uvicorn, which logs it and answers 500): reaching
    its handler took 44 us, now 22 (in process). The route is among FastAPI's too, for the path's other methods."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            match, child_scope = webhooks.route.matches(scope)
            if match is Match.FULL:  # another method is PARTIAL: FastAPI's routing answers it 405
                scope["app"] = self
                scope.update(child_scope)
                await webhooks.route.handle(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, clock: Callable[[], datetime] = utcnow,
               started: Callable[[], None] = lambda: None) -> App:
    """The whole service; `clock` is replaceable so tests can move time. `started` runs once all of it has started:
    the long-running processes tune their garbage collector there (`bot.run.settle_heap`)."""
    logs.protect(settings)
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            upgrade(engine)
        adapters = adapters_for(settings)
        if not adapters:
            log.warning("no LINE or Telegram credentials: webhooks are disabled")
        service = Service(settings, engine, adapters, routes(), clock,
                          quota=QuotaReader(partial(quota_left, settings)), rules=outbox_rules())
        scheduler = Scheduler(Runtime(engine, settings, clock, service.wake_outbox))
        service.scheduler = scheduler
        app.state.service = service
        await service.start(background=settings.background_workers)
        if settings.menus:
            # Processes started together bring the menus up to date one after another: the first does it, the
            # others find nothing to change (at the same time each would create the missing LINE rich menus).
            with one_at_a_time(engine, "menus"):
                await menus.sync_at_start(engine, adapters)
        await scheduler.start(lead=settings.scheduler_enabled)
        plan_missing(scheduler, engine, clock())
        rsvp_jobs.plan_missing(scheduler, engine, clock())
        retention.plan(scheduler, clock())
        metrics.watch(engine, clock, partial(quota_left, settings))
        started()
        try:
            yield
        finally:
            await scheduler.stop()
            await service.stop()
            engine.dispose()

    # The API description is for trying the demo; a real service does not map itself out for strangers.
    # FastAPI's OpenTelemetry is off: the service's measures are its Prometheus metrics (`/metrics`) and logs, and
    # with it on, every request looked up the OpenTelemetry providers (about 1 % of serve's CPU under load).
    app = App(title="coordbot", lifespan=lifespan, openapi_url="/openapi.json" if settings.demo else None,
              telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.settings = settings
    app.state.engine = engine
    app.router.routes.append(webhooks.route)
    app.include_router(downloads.router)
    if settings.demo:  # the simulator acts as any demo person, which only the demo's public credentials allow
        sim.install(app, settings)
    install_console(app)

    @app.get("/healthz", responses={503: {"description": "the database does not answer"}})
    async def healthz(request: Request) -> JSONResponse:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/metrics", include_in_schema=False)
    async def prometheus(request: Request) -> Response:
        if not metrics.allowed(settings, request.client.host if request.client else None, request.headers):
            return JSONResponse({"detail": "metrics are for loopback or the metrics token"}, status_code=403)
        body = await asyncio.to_thread(metrics.render)  # the gauges read the database
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return app
