"""Reminders benchmark: deadline nudges due 100 a second, fired by the real scheduler, and its capacity.

`--nudges` / 5 windows (one province and one coordinator each) with five nudge stages each are planned into the
persistent job store, due evenly from 20 s after the start at `--rate` a second (10,000: 100 s). Then a leading
scheduler starts on that store, as after a restart, and each job writes its outbox row. Reports the lateness of
each row (its `created_at` minus the stage's due time), the start-up time with all jobs in the store, and peak
memory. Then the capacity: the same number of nudges due within 5 s, on a fresh database; the jobs/s the
scheduler sustains through that backlog divided by the jobs/s due is `ratio` (>= 3 keeps up with room to spare).

    .venv/bin/python bench/reminders.py [--nudges 10000] [--rate 100] [--database-url URL]
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

from benchkit import scratch_database  # noqa: E402

from bot.config import Settings  # noqa: E402
from scheduler import Runtime, Scheduler  # noqa: E402
from scheduler.deadlines import plan_missing, plan_window  # noqa: E402
from storage import reference  # noqa: E402
from storage.db import make_engine, transaction  # noqa: E402
from storage.deadlines import create_window, nudge_times  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from storage.models import Account, OutboxMessage, Person, Role  # noqa: E402


def stages(span_s: int, per_window: int, open_s: int) -> list[str]:
    """`per_window` stages spread over `span_s`: the windows' nudges then fall due evenly through it. The last
    comes `open_s` before the close (a nudge that fires after the close is not sent)."""
    return [f"{open_s + span_s * (per_window - j) // per_window}s" for j in range(per_window)]


def seed(engine: Engine, nudges: int, start: datetime, span_s: int, lead_s: int, per_window: int,
         open_s: int) -> dict[str, datetime]:
    """One coordinator per province, and windows each concerning one province, their nudges due from `lead_s`
    after `start` for `span_s`; returns each nudge's idempotency key -> its due time. (A backlog needs one stage
    per window: of a window's stages missed together only the latest is sent.)"""
    windows = nudges // per_window
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
                closes_at=start + timedelta(seconds=lead_s + open_s + span_s + span_s / per_window * i / windows),
                provinces=[provinces[i % len(provinces)]], scope="bench", nudges=stages(span_s, per_window, open_s),
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
    # A backlog of many thousands takes longer than a minute even at several times the rate due: wait as long as
    # they would take at 100 a second, so that a measurement of capacity finishes instead of being cut off.
    deadline = last_due + timedelta(seconds=max(60.0, expected / 100))
    while datetime.now(UTC) < deadline:
        with Session(engine) as session:
            if session.exec(select(func.count()).select_from(OutboxMessage)).one() >= expected:
                break
        await asyncio.sleep(0.5)
    await scheduler.stop()
    return startup


def measure(url: str | None, nudges: int, span_s: int, lead_s: int, per_window: int,
            open_s: int = 0) -> dict[str, float]:
    """Seed, plan and fire `nudges` due over `span_s` on a fresh database; lateness and throughput."""
    workdir = Path(tempfile.mkdtemp(prefix="coordbot-reminders-"))
    with scratch_database(url, workdir) as db_url:
        engine = make_engine(db_url)
        upgrade(engine)
        settings = Settings(database_url=db_url, quiet_start="00:00", quiet_end="00:00",
                            scheduler_poll_s=1.0, _env_file=None)  # type: ignore[call-arg]
        start = datetime.now(UTC)
        due = seed(engine, nudges, start, span_s, lead_s, per_window, open_s)
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
    took = (max((c for _, c in rows), default=start) - min(due.values())).total_seconds()
    return {"nudges": len(due), "rows": len(rows), "duplicates": len(keys) - len(set(keys)),
            "missing": len(set(due) - set(keys)), "planning_s": planning_s, "startup_s": startup_s,
            "p50": q[49], "p99": q[98], "max": max(late, default=0), "jobs_per_s": len(rows) / max(took, 1e-3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nudges", type=int, default=10_000, help="five per window")
    parser.add_argument("--rate", type=int, default=100, help="nudges due a second")
    parser.add_argument("--lead", type=int, help="seconds before the first is due, to seed and plan them (default: "
                                                 "20 + nudges / 250; planning 50,000 took 134 s on a loaded machine)")
    parser.add_argument("--database-url", help="a PostgreSQL server, on which each "
                        "measurement makes a database of its own and drops it (default: a fresh SQLite file each)")
    args = parser.parse_args()
    if args.lead is None:
        args.lead = 20 + args.nudges // 250

    paced = measure(args.database_url, args.nudges, args.nudges // args.rate, args.lead, per_window=5)
    # Due within 5 s, after the seeding and the planning (nothing is planned for a moment already past).
    burst = measure(args.database_url, args.nudges, 5, args.lead + args.nudges // 400, per_window=1, open_s=3600)
    ratio = burst["jobs_per_s"] / args.rate
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = [("nudges planned", paced["nudges"]), ("outbox rows", paced["rows"]),
             ("duplicates", paced["duplicates"] + burst["duplicates"]),
             ("missing", paced["missing"] + burst["missing"]),
             (f"planning {paced['nudges']:.0f} jobs (s)", f"{paced['planning_s']:.1f}"),
             (f"start-up with {paced['nudges']:.0f} jobs stored (s)", f"{paced['startup_s']:.2f}"),
             (f"lateness p50 at {args.rate}/s (ms)", f"{paced['p50']:.0f}"),
             (f"lateness p99 at {args.rate}/s (ms)", f"{paced['p99']:.0f}"),
             (f"lateness max at {args.rate}/s (ms)", f"{paced['max']:.0f}"),
             ("all due at once: jobs/s", f"{burst['jobs_per_s']:.0f}"), (f"ratio to {args.rate}/s due", f"{ratio:.2f}"),
             ("peak RSS (MB)", f"{rss_mb:.0f}")]
    for name, value in table:
        print(f"{name:<40}{value!s:>10}")
    print(f"reminders n={paced['rows']:.0f} late_p50_ms={paced['p50']:.0f} late_p99_ms={paced['p99']:.0f} "
          f"late_max_ms={paced['max']:.0f} jobs_per_s={burst['jobs_per_s']:.0f} ratio={ratio:.2f} "
          f"startup_s={paced['startup_s']:.2f} rss_mb={rss_mb:.0f}")


if __name__ == "__main__":
    main()
