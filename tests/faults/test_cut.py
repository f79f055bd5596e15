"""Cut: the database or the platform API unavailable for a while, and the service coming back without a restart.

The platform APIs failing during a broadcast (500s, sends hanging past the timeout, 429 bursts): everyone gets
the announcement, nobody twice on LINE, and the ledger counts every recipient as sent.

SQLite locked by another process (a writer holding its lock longer than this process waits for it): webhooks
answer 503, so the platforms deliver them again, and nothing is half-written; once the lock is gone the same
webhooks are stored, handled and answered.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing

import httpx
import pytest

from bot.config import Settings
from bot.emulator import EmulatorServer
from storage import db
from storage.models import InboxEvent, OutboxMessage
from tests.faults.chaos import broadcast_under_faults, lock_sqlite
from tests.helpers import Phones

pytestmark = pytest.mark.faults  # cuts held for seconds, a broadcast under injected faults: `make faults`

HOLD_S = 3.0
"""How long the other process holds SQLite's write lock: longer than this test lets a writer wait."""


def rows(database_url: str) -> tuple[int, int]:
    """Inbox and outbox rows, read beside the lock (the service's own sessions would wait for it)."""
    with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[return-value]
                     for table in (InboxEvent.__tablename__, OutboxMessage.__tablename__))


async def test_webhooks_answer_503_while_sqlite_is_locked_and_are_stored_once_it_is_free(
    phones: Phones, client: httpx.AsyncClient, database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the SQLite lock; bench/faults.py --pg stops PostgreSQL")
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    users = [phones.line(1), phones.telegram(1), phones.line(2), phones.telegram(2)]
    events = [(phone, phone.event_for_text("/help")) for phone in users]
    before = rows(database_url)
    locker = lock_sqlite(database_url, HOLD_S)
    started = time.monotonic()
    answered = [(await phone.post(event)).status_code for phone, event in events]
    assert time.monotonic() - started < HOLD_S, "the lock ended before the webhooks were refused"
    assert answered == [503] * len(events)
    assert (await client.get("/healthz")).status_code in (200, 503)
    assert rows(database_url) == before  # nothing half-written
    locker.communicate(timeout=30)

    assert [(await phone.post(event)).status_code for phone, event in events] == [200] * len(events)
    assert (await client.get("/healthz")).status_code == 200
    for phone in users:
        assert await phone.settle()
    assert rows(database_url)[0] == before[0] + len(events)


async def test_a_broadcast_sent_while_the_platform_apis_fail_reaches_everyone_once_on_line(
    settings: Settings, emulator: EmulatorServer
) -> None:
    people = 300
    report = await broadcast_under_faults(settings, emulator.state, people=people, seed=16, chaos_s=2.0)
    print("\n" + report.line("api faults"))
    assert report.lost == 0 and report.doubled_line == 0
    assert report.ledger["line"] == {"sent": people // 2}
    assert report.ledger["telegram"] == {"sent": people // 2}
    assert report.faults["500"] and report.faults["timeout"]
