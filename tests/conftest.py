"""Shared fixtures: a fresh database per test, the platform emulator, and the service under test.

The real SDKs talk to the emulator over HTTP; webhooks are signed with the test secrets.
Set COORDBOT_TEST_DATABASE_URL to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

from bot.app import create_app
from bot.config import Settings
from bot.emulator import EmulatorServer, EmulatorState
from bot.service import Service
from storage.db import make_engine
from tests.helpers import Clock, Phones

LINE_SECRET = "test-line-channel-secret"
LINE_TOKEN = "test-line-access-token"
TG_TOKEN = "123456:TEST-telegram-token"
TG_SECRET = "test-telegram-webhook-secret"
PG_URL = os.environ.get("COORDBOT_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    state = EmulatorState(line_channel_secret=LINE_SECRET, line_access_token=LINE_TOKEN,
                          telegram_token=TG_TOKEN, telegram_secret_token=TG_SECRET)
    with EmulatorServer(state) as server:
        yield server


@pytest.fixture
def database_url(tmp_path: object) -> Iterator[str]:
    """SQLite in a temporary folder, or a freshly emptied PostgreSQL schema."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path}/coordbot.db"
        return
    engine = make_engine(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture
def settings(database_url: str, emulator: EmulatorServer) -> Settings:
    emulator.state.reset()
    return Settings(
        database_url=database_url,
        line_channel_secret=SecretStr(LINE_SECRET), line_channel_access_token=SecretStr(LINE_TOKEN),
        line_api_base_url=emulator.line_base_url, line_data_api_base_url=emulator.line_data_base_url,
        telegram_bot_token=SecretStr(TG_TOKEN), telegram_webhook_secret=SecretStr(TG_SECRET),
        telegram_api_base_url=emulator.telegram_base_url,
        background_workers=False, scheduler_enabled=False, send_timeout_s=2.0, menus=False,
        telegram_per_chat_per_s=1000.0, telegram_rate_per_s=1000.0, line_rate_per_s=1000.0,
        _env_file=None,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[FastAPI]:
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://coordbot") as client:
        yield client


@pytest.fixture
def service(app: FastAPI) -> Service:
    return app.state.service  # type: ignore[no-any-return]


@pytest.fixture
def phones(client: httpx.AsyncClient, service: Service, emulator: EmulatorServer, clock: Clock) -> Phones:
    return Phones(client, service, emulator.state, clock)

