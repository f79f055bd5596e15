"""What the benchmarks share: the emulator with the demo credentials, a service's environment pointed at it, and
starting the service on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from bot.emulator import EmulatorServer, EmulatorState
from bot.run import DEMO_CREDENTIALS
from storage.db import normalize_url


def emulator_state() -> EmulatorState:
    return EmulatorState(
        line_channel_secret=DEMO_CREDENTIALS["line_channel_secret"],
        line_access_token=DEMO_CREDENTIALS["line_channel_access_token"],
        telegram_token=DEMO_CREDENTIALS["telegram_bot_token"],
        telegram_secret_token=DEMO_CREDENTIALS["telegram_webhook_secret"],
    )


def service_env(emulator: EmulatorServer, db_url: str, **settings: str) -> dict[str, str]:
    """This process's environment plus the service's database, the demo credentials, the emulator's URLs and
    `settings` (environment names)."""
    return apis_env(emulator.state, emulator.line_base_url, emulator.telegram_base_url,
                    COORDBOT_DATABASE_URL=db_url, LINE_DATA_API_BASE_URL=emulator.line_data_base_url, **settings)


def apis_env(state: EmulatorState, line_base_url: str, telegram_base_url: str, **settings: str) -> dict[str, str]:
    """This process's environment plus the demo credentials of `state`, the platforms' base URLs and `settings`."""
    return {**os.environ, "LINE_CHANNEL_SECRET": state.line_channel_secret,
            "LINE_CHANNEL_ACCESS_TOKEN": state.line_access_token, "LINE_API_BASE_URL": line_base_url,
            "TELEGRAM_BOT_TOKEN": state.telegram_token, "TELEGRAM_WEBHOOK_SECRET": state.telegram_secret_token,
            "TELEGRAM_API_BASE_URL": telegram_base_url,
            "COORDBOT_MENUS": "false",  # menus are not what is measured; linking thousands would skew it
            **settings}


UNPACED = {"TELEGRAM_RATE_PER_S": "5000", "TELEGRAM_PER_CHAT_PER_S": "100", "LINE_RATE_PER_S": "5000"}
"""Pacing far above what a benchmark sends: what it measures is coordbot, not the platforms' limits."""


@contextmanager
def serving(emulator: EmulatorServer, db_url: str, workdir: Path, *, split: bool, worker_prefix: Sequence[str] = (),
            worker_settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """`coordbot serve` on a free port against the emulator, unpaced, until the block ends; yields its base URL
    once it answers. With `split` it only acknowledges, and a `coordbot work` beside it (started after
    `worker_prefix`, e.g. `nice`, with `worker_settings` added) handles and sends."""
    env = service_env(emulator, db_url, COORDBOT_SCHEDULER="false",
                      COORDBOT_BACKGROUND_WORKERS="false" if split else "true", **UNPACED)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    coordbot = str(Path(sys.executable).parent / "coordbot")
    processes = [subprocess.Popen([coordbot, "serve", "--port", str(port), "--log-level", "warning"], env=env,
                                  cwd=workdir)]
    try:
        wait_for_service(base, processes[0])
        if split:
            processes.append(subprocess.Popen([*worker_prefix, coordbot, "work", "--log-level", "warning"],
                                              env={**env, **(worker_settings or {})}, cwd=workdir))
        yield base
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_service(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the service exited during start-up")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the service did not start")


@contextmanager
def scratch_database(server_url: str | None, workdir: Path, name: str = "bench") -> Iterator[str]:
    """A database the benchmark may fill and throw away; yields its URL.

    None gives a fresh SQLite file in `workdir`. A PostgreSQL URL names a server, not a database to fill: a
    database of its own is made there and dropped afterwards, so a benchmark never seeds `test` (or any database a
    person uses) and can run twice in a row. Any other URL is used as given."""
    if server_url is None:
        yield f"sqlite:///{workdir}/{name}.db"
        return
    if not server_url.startswith(("postgresql", "postgres")):
        yield server_url
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    database = f"{name}_{os.getpid()}"
    admin = create_engine(normalize_url(server_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {database}"))
        conn.execute(text(f"CREATE DATABASE {database}"))
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{database}"))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        admin.dispose()
