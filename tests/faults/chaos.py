"""Cuts shared by tests/faults/test_cut.py and bench/faults.py: a broadcast sent while the platform APIs fail (the
emulator answering 500s, hanging past the send timeout and answering 429 in bursts, injected at seeded random
moments; recipients seeded in bulk, the announcement confirmed as the confirm button does), and another process
that holds SQLite's write lock."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from fastapi import FastAPI

from bot.app import create_app
from bot.config import Settings
from bot.emulator import EmulatorState
from storage.broadcast import delivery, unfinished_rows
from storage.db import transaction
from tests.factories import confirm_broadcast, seed_people

TEXT = "ประกาศ: ประชุมใหญ่เครือข่ายวิทยาศาสตร์จังหวัด"
ADMIN = "U" + "a" * 32
ENDPOINTS = (("line", "multicast"), ("telegram", "sendMessage"))


@dataclass
class Report:
    faults: Counter[str] = field(default_factory=Counter)
    recipients: int = 0
    delivered: int = 0
    lost: int = 0
    doubled_line: int = 0
    doubled_telegram: int = 0
    ledger: dict[str, Counter[str]] = field(default_factory=dict)

    def line(self, name: str) -> str:
        faults = " ".join(f"{kind}={n}" for kind, n in sorted(self.faults.items()))
        return (f"{name}: {faults} events={self.recipients} delivered={self.delivered} lost={self.lost} "
                f"doubled_line={self.doubled_line} doubled_telegram={self.doubled_telegram} "
                f"ledger={ {p: dict(c) for p, c in self.ledger.items()} }")


def lock_sqlite(database_url: str, seconds: float) -> subprocess.Popen[str]:
    """Another process that takes SQLite's write lock, says so, and keeps it for `seconds`."""
    path = database_url.removeprefix("sqlite:///")
    code = ("import sqlite3, sys, time\n"
            f"c = sqlite3.connect({path!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            f"time.sleep({seconds})\n"
            "c.execute('COMMIT')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def audience(people: int) -> list[tuple[str, str]]:
    return [("line", f"U{2_000_000 + n:032x}") if n % 2 == 0 else ("telegram", str(9_000_000 + n))
            for n in range(people)]


def seed_and_confirm(app: FastAPI, state: EmulatorState, people: int) -> int:
    """An admin and `people` coordinators, half on each platform; the announcement to all of them, queued."""
    seed_people(app.state.engine, audience(people), admin=ADMIN)
    queued = confirm_broadcast(app.state.engine, app.state.settings, TEXT)
    for platform, user in audience(people):
        if platform == "telegram":
            state.add_user(platform, user)
    return queued


async def broadcast_under_faults(settings: Settings, state: EmulatorState, *, people: int, seed: int,
                                 chaos_s: float, timeout_s: float = 120) -> Report:
    """Send an announcement to `people` while faults are injected for `chaos_s` seconds; then wait for it."""
    rng = random.Random(seed)
    report = Report(recipients=people)
    app = create_app(settings.model_copy(update={"background_workers": True}))
    async with app.router.lifespan_context(app):
        seed_and_confirm(app, state, people)
        began = time.monotonic()
        while time.monotonic() - began < chaos_s:
            platform, endpoint = rng.choice(ENDPOINTS)
            kind = rng.choices(["500", "timeout", "429 burst"], weights=[5, 5, 1])[0]
            if kind == "500":
                state.inject_fault(platform, endpoint, status=500, count=1)
            elif kind == "timeout":  # past the send timeout (Telegram); the LINE client has no send timeout: it waits
                state.inject_fault(platform, endpoint, delay=settings.send_timeout_s + 0.5, count=1)
            else:
                state.inject_fault(platform, endpoint, status=429, count=rng.randint(5, 20),
                                   retry_after=1 if platform == "telegram" else None)
            report.faults[kind.replace(" ", "_")] += 1
            await asyncio.sleep(rng.uniform(0.01, 0.1))
        while True:
            with transaction(app.state.engine) as session:
                if unfinished_rows(session=session, broadcast_id=1) == 0:
                    report.ledger = delivery(session=session, broadcast_id=1)
                    break
            assert time.monotonic() - began < timeout_s, "the broadcast did not finish"
            await asyncio.sleep(0.2)
    for platform, user in audience(people):
        copies = sum(TEXT in r.text for r in state.screen(platform, user))
        report.delivered += copies > 0
        report.lost += copies == 0
        if platform == "line":
            report.doubled_line += max(0, copies - 1)
        else:
            report.doubled_telegram += max(0, copies - 1)
    return report
