"""Reminders benchmark: 10,000 deadline nudges due within two minutes, fired by the real scheduler.

2,000 windows (one province and one coordinator each) with five nudge stages each are planned into the
persistent job store: 10,000 jobs, due between 20 s and 110 s after the start. Then a leading scheduler starts
on that store, as after a restart, and each job writes its outbox row. Reports the lateness of each row (its
`created_at` minus the stage's due time), the start-up time with 10,000 jobs in the store, and peak memory.

    .venv/bin/python bench/reminders.py [--windows 2000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from scheduler import Runtime, Scheduler  # noqa: E402
from scheduler.deadlines import plan_missing, plan_window  # noqa: E402
from storage import reference  # noqa: E402
from storage.db import make_engine, transaction  # noqa: E402
from storage.deadlines import create_window, nudge_times  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from storage.models import Account, OutboxMessage, Person, Role  # noqa: E402

STAGES = ["100s", "80s", "60s", "40s", "20s"]


def seed(engine: Engine, windows: int, start: datetime) -> dict[str, datetime]:
    """One coordinator per province, and windows each concerning one province; returns each nudge's
    idempotency key -> its due time."""
    provinces = [p.iso for p in reference.provinces()]
    due: dict[str, datetime] = {}
    with transaction(engine) as session:
        coordinators = []
        for n, iso in enumerate(provinces):
            person = Person(name=f"ผู้ประสานงาน {iso}", role=Role.coordinator, province_iso=iso)
            session.add(person)
            session.flush()
            assert person.id is not None
            session.add(Account(person_id=person.id, platform="line", user_id=f"U{n:032x}", chat_id=f"U{n:032x}"))
            coordinators.append(person.id)
        for i in range(windows):
            window = create_window(
                session=session, title_th=f"รอบส่งแผน {i}", fiscal_year=2570, opens_at=start - timedelta(days=1),
                closes_at=start + timedelta(seconds=120 + i % 10), provinces=[provinces[i % len(provinces)]],
                scope="bench", nudges=STAGES,
            )
            for stage, at in nudge_times(window):
                due[f"nudge:{window.id}:{stage}:{coordinators[i % len(provinces)]}"] = at
    return due


async def plan_all(engine: Engine, settings: Settings, start: datetime) -> float:
    from storage.deadlines import all_windows

    scheduler = Scheduler(Runtime(engine, settings, lambda: datetime.now(UTC), lambda: None))
    await scheduler.start(lead=False)
    began = time.perf_counter()
    with Session(engine) as session:
        windows = all_windows(session=session)
    for window in windows:
        plan_window(scheduler, window, start)
    await scheduler.stop()
    return time.perf_counter() - began


async def run(engine: Engine, settings: Settings, expected: int, last_due: datetime) -> float:
    """Start a leading scheduler on the filled store and wait until every nudge has its outbox row."""
    began = time.perf_counter()
    scheduler = Scheduler(Runtime(engine, settings, lambda: datetime.now(UTC), lambda: None))
    await scheduler.start(lead=True)
    plan_missing(scheduler, engine, datetime.now(UTC))
    for _ in range(1000):  # the leader loop resumes the scheduler on its first turn
        if scheduler.is_leader:
            break
        await asyncio.sleep(0.01)
    startup = time.perf_counter() - began
    deadline = last_due + timedelta(seconds=60)
    while datetime.now(UTC) < deadline:
        with Session(engine) as session:
            if session.exec(select(func.count()).select_from(OutboxMessage)).one() >= expected:
                break
        await asyncio.sleep(0.5)
    await scheduler.stop()
    return startup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--windows", type=int, default=2000, help="five nudges each")
    parser.add_argument("--database-url", help="defaults to a fresh SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="coordbot-reminders-"))
    engine = make_engine(args.database_url or f"sqlite:///{workdir}/bench.db")
    upgrade(engine)
    settings = Settings(database_url=str(engine.url), quiet_start="00:00", quiet_end="00:00",
                        scheduler_poll_s=1.0, _env_file=None)  # type: ignore[call-arg]
    start = datetime.now(UTC)
    due = seed(engine, args.windows, start)
    planning_s = asyncio.run(plan_all(engine, settings, start))
    startup_s = asyncio.run(run(engine, settings, len(due), max(due.values())))

    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage.key, OutboxMessage.created_at)
                            .where(col(OutboxMessage.key).startswith("nudge:"))).all()
    engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    late = sorted((created - due[key]).total_seconds() * 1000 for key, created in rows)
    keys = [key for key, _ in rows]
    q = statistics.quantiles(late, n=100) if len(late) > 1 else [0.0] * 99
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = [("nudges planned", len(due)), ("outbox rows", len(rows)), ("duplicates", len(keys) - len(set(keys))),
             ("missing", len(set(due) - set(keys))), (f"planning {len(due)} jobs (s)", f"{planning_s:.1f}"),
             (f"start-up with {len(due)} jobs stored (s)", f"{startup_s:.2f}"), ("lateness p50 (ms)", f"{q[49]:.0f}"),
             ("lateness p99 (ms)", f"{q[98]:.0f}"), ("lateness max (ms)", f"{max(late, default=0):.0f}"),
             ("peak RSS (MB)", f"{rss_mb:.0f}")]
    for name, value in table:
        print(f"{name:<36}{value!s:>10}")
    print(f"reminders n={len(rows)} late_p50_ms={q[49]:.0f} late_p99_ms={q[98]:.0f} "
          f"late_max_ms={max(late, default=0):.0f} startup_s={startup_s:.2f} rss_mb={rss_mb:.0f}")


if __name__ == "__main__":
    main()
