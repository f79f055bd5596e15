"""Shared fixtures: a fresh database per test, the platform emulator, and the service under test.

The real SDKs talk to the emulator over HTTP; webhooks are signed with the test secrets.
Set COORDBOT_TEST_DATABASE_URL to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from bot.app import create_app
from bot.config import Settings
from bot.emulator import EmulatorServer, EmulatorState
from bot.service import Service
from storage.db import make_engine, normalize_url, transaction
from storage.migrations import upgrade
from tests.helpers import Clock, Phones

LINE_SECRET = "test-line-channel-secret"
LINE_TOKEN = "test-line-access-token"
TG_TOKEN = "123456:TEST-telegram-token"
TG_SECRET = "test-telegram-webhook-secret"
PG_URL = os.environ.get("COORDBOT_TEST_DATABASE_URL")
LOOPBACK = ("127.", "::1", "localhost")


class OutsideNetwork(RuntimeError):
    """A test tried to reach beyond this machine: the real platforms (or anything else) must never be called."""


def _loopback_only(connect: Any) -> Any:
    def guarded(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not str(address[0]).startswith(LOOPBACK):
            raise OutsideNetwork(f"network access outside loopback: {address!r}")
        return connect(sock, address)

    return guarded


def pytest_configure(config: pytest.Config) -> None:
    """Any connection outside loopback fails the test (as python-telegram-bot's OfflineRequest does for its own
    tests); the emulator, the service under test and PostgreSQL are all on this machine."""
    socket.socket.connect = _loopback_only(socket.socket.connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _loopback_only(socket.socket.connect_ex)  # type: ignore[method-assign]


def platform_env(emulator: EmulatorServer) -> dict[str, str]:
    """The environment that gives a `coordbot` process the test credentials and points it at the emulator."""
    return {"LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
            "LINE_API_BASE_URL": emulator.line_base_url, "LINE_DATA_API_BASE_URL": emulator.line_data_base_url,
            "TELEGRAM_BOT_TOKEN": TG_TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "TELEGRAM_API_BASE_URL": emulator.telegram_base_url}


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    state = EmulatorState(line_channel_secret=LINE_SECRET, line_access_token=LINE_TOKEN,
                          telegram_token=TG_TOKEN, telegram_secret_token=TG_SECRET)
    with EmulatorServer(state) as server:
        yield server


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per session; each test starts from a copy of it (migrating took most of a short
    test's time). SQLite: a file. PostgreSQL: a database used as `CREATE DATABASE ... TEMPLATE`."""
    if not PG_URL:
        path = tmp_path_factory.mktemp("template") / "coordbot.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()  # the last connection closing folds the WAL into the file, so copying the file is enough
        yield str(path)
        return
    name = f"tpl_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {name}")
    engine = make_engine(_pg_database(name))
    upgrade(engine)
    engine.dispose()
    yield name
    _pg_admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def database_url(template_database: str, tmp_path: Path) -> Iterator[str]:
    """A migrated database of this test's own: a copy of the session's template."""
    if not PG_URL:
        shutil.copyfile(template_database, tmp_path / "coordbot.db")
        yield f"sqlite:///{tmp_path}/coordbot.db"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template_database}")
    yield _pg_database(name)
    _pg_admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on this test's database, committed when the test ends (for tests below the chat)."""
    engine = make_engine(database_url)
    with transaction(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, for the tests of the migrations themselves."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    name = f"e_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {name}")
    yield _pg_database(name)
    _pg_admin(f"DROP DATABASE {name} WITH (FORCE)")


def _pg_database(name: str) -> str:
    """PG_URL pointing at another database on the same server."""
    assert PG_URL is not None
    parts = urlsplit(PG_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(statement: str) -> None:
    """CREATE/DROP DATABASE, which cannot run inside a transaction."""
    assert PG_URL is not None
    engine = create_engine(normalize_url(PG_URL), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(statement))
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
        background_workers=False, scheduler_enabled=False, auto_migrate=False, send_timeout_s=2.0, menus=False,
        telegram_per_chat_per_s=1000.0, telegram_rate_per_s=1000.0, line_rate_per_s=1000.0,
        user_burst=1000,  # conversations in tests happen at one frozen instant; tests/bot/test_fairness.py sets it
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

