"""A real `coordbot serve` or `coordbot work` that the fault scenarios SIGKILL and start again, and what a kill
can leave behind: the Telegram sends the dead process had begun and not finished (Telegram has no retry key, so
those alone may be doubled or of unknown outcome), and the sends it repeated because their answer never came."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.emulator import EmulatorServer, EmulatorState
from bot.emulator import events as ev
from storage.db import make_engine, utcnow
from storage.models import OutboxMessage, OutboxStatus
from tests.helpers import COORDBOT, wait_for_health

READY = "worker running"
"""What `coordbot work` logs (at info) once it has started: migrated, planned, recovering and sending."""
RESENT = "outcome unknown, sending again"
"""What the dispatcher logs when it repeats a Telegram send whose answer did not come (bot/outbox.py)."""


def webhook(state: EmulatorState, platform: str, payload: dict[str, Any],
            again: bool) -> tuple[str, bytes, dict[str, str]]:
    """The path, body and headers with which a platform delivers one event (`again`: LINE's redelivery flag)."""
    if platform == "line":
        payload["deliveryContext"] = {"isRedelivery": again}
        body = json.dumps(ev.line_body([payload])).encode()
        return "/webhooks/line", body, {"X-Line-Signature": ev.line_signature(state.line_channel_secret, body),
                                        "Content-Type": "application/json"}
    return "/webhooks/telegram", json.dumps(payload).encode(), {
        "X-Telegram-Bot-Api-Secret-Token": state.telegram_secret_token, "Content-Type": "application/json"}


def base_env(emulator: EmulatorServer, database_url: str, home: Path, **settings: str) -> dict[str, str]:
    """A coordbot process pointed at the emulator and the database, the platforms' limits out of the way unless
    `settings` (environment names) say otherwise."""
    state = emulator.state
    return {"PATH": os.environ["PATH"], "HOME": str(home), "COORDBOT_DATABASE_URL": database_url,
            "COORDBOT_SCHEDULER": "false", "COORDBOT_MENUS": "false", "COORDBOT_AUTO_MIGRATE": "false",
            "LINE_CHANNEL_SECRET": state.line_channel_secret, "LINE_CHANNEL_ACCESS_TOKEN": state.line_access_token,
            "LINE_API_BASE_URL": emulator.line_base_url, "LINE_DATA_API_BASE_URL": emulator.line_data_base_url,
            "TELEGRAM_BOT_TOKEN": state.telegram_token, "TELEGRAM_WEBHOOK_SECRET": state.telegram_secret_token,
            "TELEGRAM_API_BASE_URL": emulator.telegram_base_url, "TELEGRAM_RATE_PER_S": "1000",
            "TELEGRAM_PER_CHAT_PER_S": "1000", "COORDBOT_SEND_TIMEOUT_S": "2", **settings}


@dataclass
class Outcome:
    """What a kill scenario measured, on the phones (the emulator's record) and in the database."""

    kills: int = 0
    events: int = 0
    """Messages that had to arrive: recipients, nudges, offers and answers."""
    delivered: int = 0
    lost: int = 0
    """Messages on no phone, nor recorded as of unknown outcome (a Telegram send cut off by a kill, not repeated)."""
    doubled_line: int = 0
    doubled_telegram: int = 0
    unknown_telegram: int = 0
    in_flight: list[int] = field(default_factory=list)
    resent: int = 0
    """Telegram sends repeated because their answer never came; each may be one more duplicate."""
    wrong: list[str] = field(default_factory=list)
    """Broken promises the scenario checks besides those counts (a seat given twice, a nudge after a submission)."""
    notes: dict[str, int] = field(default_factory=dict)

    def take(self, process: Process) -> None:
        self.kills, self.in_flight, self.resent = process.kills, process.in_flight, process.resent()

    def line(self, name: str) -> str:
        notes = "".join(f" {key}={value}" for key, value in self.notes.items())
        return (f"{name}: kills={self.kills} events={self.events} delivered={self.delivered} lost={self.lost} "
                f"doubled_line={self.doubled_line} doubled_telegram={self.doubled_telegram} "
                f"unknown_telegram={self.unknown_telegram} max_telegram_in_flight={max(self.in_flight, default=0)} "
                f"resent_telegram={self.resent} wrong={len(self.wrong)}{notes}")


def telegram_in_flight(engine: Engine, since: datetime) -> int:
    """Telegram sends begun (marked) by a process started at `since` and not finished. A row a process before it
    left in `sending` (on PostgreSQL it waits for its lease to expire) was counted at that process's kill."""
    with Session(engine) as session:
        return len(session.exec(select(OutboxMessage.id).where(
            OutboxMessage.platform == "telegram", OutboxMessage.status == OutboxStatus.sending,
            col(OutboxMessage.started_at) >= since)).all())


class Process:
    """`coordbot <command>`, started, SIGKILLed and started again; each run logs to its own file in `workdir`."""

    def __init__(self, command: str, env: dict[str, str], workdir: Path, database_url: str,
                 port: int | None = None) -> None:
        self.command, self.env, self.workdir, self.port = command, env, workdir, port
        self.engine = make_engine(database_url)
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = utcnow()
        self.runs = 0
        self.in_flight: list[int] = []
        """Telegram sends in flight at each kill."""

    @property
    def kills(self) -> int:
        return len(self.in_flight)

    def start(self, ready: bool = False) -> None:
        """Start it; with `ready`, return once a worker says it runs (a served one always waits for /healthz)."""
        args = [COORDBOT, self.command, "--log-level", "info" if ready else "warning"]
        if self.port is not None:
            args += ["--port", str(self.port)]
        self.started_at = utcnow()
        log = self.workdir / f"{self.command}{self.runs}.log"
        self.runs += 1
        with log.open("wb") as out:
            self.proc = subprocess.Popen(args, cwd=self.workdir, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        if self.port is not None:
            wait_for_health(self.proc, f"http://127.0.0.1:{self.port}", log)
        elif ready:
            wait_until(lambda: READY in log.read_text(errors="replace"), "the worker to start", timeout=60)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.in_flight.append(telegram_in_flight(self.engine, self.started_at))

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.engine.dispose()

    def resent(self) -> int:
        """Telegram sends repeated because their answer never came (a timeout): each may have been delivered."""
        return sum(log.read_text(errors="replace").count(RESENT) for log in self.workdir.glob(f"{self.command}*.log"))


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    """Generous: a loaded machine can take many seconds just to start a process."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
