"""A webhook storm against a real `coordbot serve`, SIGKILLed at seeded random moments and restarted each time.

The driver plays both platforms: it posts every event and delivers again whatever was not acknowledged with a
200 (as LINE and Telegram do; LINE marks it `isRedelivery`), until all are acknowledged. Each event comes from a
user of its own, so what a user's phone shows is the answer to that one event: shown twice means doubled.
Shared by tests/faults/test_kill.py (bounded) and bench/faults.py (longer, and on PostgreSQL too).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.emulator import EmulatorServer
from bot.emulator import events as ev
from storage.db import make_engine
from storage.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus
from tests.faults.process import Process, base_env, webhook
from tests.helpers import free_port

TEXT = "สวัสดีครับ"
CONCURRENCY = 8


@dataclass
class Event:
    platform: str
    user: str
    payload: dict[str, Any]
    acked: bool = False


@dataclass
class Outcome:
    """What the storm measured."""

    kills: int = 0
    events: int = 0
    posts: int = 0
    stored: int = 0
    handled: int = 0
    delivered: int = 0
    lost: int = 0
    """Acknowledged events whose answer is on no phone and not recorded as of unknown outcome either."""
    doubled_line: int = 0
    doubled_telegram: int = 0
    unknown_telegram: int = 0
    """Telegram answers in flight at a kill, recorded as of unknown outcome and not sent again (no retry key)."""
    in_flight: list[int] = field(default_factory=list)
    """Telegram sends begun and not finished at each kill: the most a kill can double or leave unknown."""

    def line(self, name: str) -> str:
        return (f"{name}: kills={self.kills} events={self.events} posts={self.posts} stored={self.stored} "
                f"handled={self.handled} delivered={self.delivered} lost={self.lost} "
                f"doubled_line={self.doubled_line} doubled_telegram={self.doubled_telegram} "
                f"unknown_telegram={self.unknown_telegram} max_telegram_in_flight={max(self.in_flight, default=0)}")


class Storm:
    def __init__(self, emulator: EmulatorServer, database_url: str, workdir: Path, *, seed: int, per_platform: int,
                 kills: int, env: dict[str, str]) -> None:
        self.emulator, self.database_url, self.workdir = emulator, database_url, workdir
        self.rng = random.Random(seed)
        self.kills, self.env = kills, env
        self.port = free_port()
        self.process = Process("serve", env, workdir, database_url, port=self.port)
        self.engine = make_engine(database_url)
        self.outcome = Outcome()
        state = emulator.state
        self.events = []
        for n in range(per_platform):
            line_id = f"U{1_000_000 + n:032x}"
            self.events.append(Event("line", line_id, ev.line_text_event(
                line_id, TEXT, reply_token=state.issue_reply_token(line_id, ttl=3600))))
            chat = 8_000_000 + n
            state.add_user("telegram", str(chat))
            self.events.append(Event("telegram", str(chat), ev.tg_message_update(chat, TEXT, update_id=chat)))
        self.rng.shuffle(self.events)
        self.outcome.events = len(self.events)

    # the process

    def start(self) -> None:
        self.process.start()

    def kill(self) -> None:
        self.process.kill()
        self.outcome.kills, self.outcome.in_flight = self.process.kills, self.process.in_flight

    def stop(self) -> None:
        self.process.stop()
        self.engine.dispose()

    def _session(self) -> Session:
        return Session(self.engine)

    # the platforms

    async def _post(self, client: httpx.AsyncClient, event: Event, again: bool) -> None:
        path, body, headers = webhook(self.emulator.state, event.platform, event.payload, again)
        self.outcome.posts += 1
        try:
            response = await client.post(f"http://127.0.0.1:{self.port}{path}", content=body, headers=headers)
        except httpx.HTTPError:
            return
        event.acked = response.status_code == 200

    async def run(self) -> Outcome:
        """The storm, the kills, then waiting until everything is handled and sent; the outcome as measured."""
        await asyncio.to_thread(self.start)
        total = len(self.events)
        kill_at = sorted(self.rng.sample(range(CONCURRENCY, total), self.kills))
        tried: set[int] = set()
        async with httpx.AsyncClient(timeout=10) as client:
            while pending := [e for e in self.events if not e.acked]:
                batch = pending[:CONCURRENCY]
                acked = total - len(pending)
                killer = None
                if kill_at and acked >= kill_at[0]:
                    kill_at.pop(0)
                    killer = asyncio.create_task(self._kill_soon(self.rng.uniform(0, 0.05)))
                await asyncio.gather(*(self._post(client, e, id(e) in tried) for e in batch))
                tried.update(id(e) for e in batch)
                if killer is not None:
                    await killer
        await asyncio.to_thread(self._settle)
        self.stop()
        self._measure()
        return self.outcome

    async def _kill_soon(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await asyncio.to_thread(self.kill)
        await asyncio.to_thread(self.start)

    def _settle(self, timeout: float = 120) -> None:
        """Wait until no event is pending and no answer waits to be sent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._session() as session:
                inbox = session.exec(select(func.count()).select_from(InboxEvent).where(
                    InboxEvent.status == InboxStatus.pending)).one()
                outbox = session.exec(select(func.count()).select_from(OutboxMessage).where(
                    col(OutboxMessage.status).in_([OutboxStatus.pending, OutboxStatus.sending]))).one()
            if inbox == 0 and outbox == 0:
                return
            time.sleep(0.1)
        raise AssertionError(f"not settled: {inbox} events pending, {outbox} answers unsent")

    def _measure(self) -> None:
        out, state = self.outcome, self.emulator.state
        with self._session() as session:
            rows = session.exec(select(InboxEvent)).all()
            unknown = {row.chat_id for row in session.exec(select(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.unknown))}
        out.stored = len(rows)
        out.handled = sum(row.status == InboxStatus.done for row in rows)
        out.unknown_telegram = len(unknown)
        for event in self.events:
            texts = Counter(r.text for r in state.screen(event.platform, event.user))
            if texts:
                out.delivered += 1
            elif not (event.platform == "telegram" and event.user in unknown):
                out.lost += 1
            extra = max(texts.values(), default=1) - 1
            if event.platform == "line":
                out.doubled_line += extra
            else:
                out.doubled_telegram += extra


def serve_env(emulator: EmulatorServer, database_url: str, home: Path) -> dict[str, str]:
    """A `coordbot serve` pointed at the emulator and the database, with the platforms' limits out of the way."""
    return base_env(emulator, database_url, home)
