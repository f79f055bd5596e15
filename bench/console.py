"""Console benchmark: each console page's server time on a network of 100,000 projects and 5,000 people.

The database (a fresh SQLite file, or PostgreSQL with `--pg-url`) holds 100,000 generated projects, 5,000 people
with LINE and Telegram accounts (a tenth unreachable), a dozen windows (three open, half the provinces
submitted, nudge rows in the outbox), a workshop inviting everyone, two broadcasts to everyone, and an audit log of
20,000 entries. The application is `create_app` in this process (no background workers, no scheduler runs); a
signed-in admin's requests go through ASGI in-process, so each time is the server's work: routing, the session
check, the queries and the template. Target: under 200 ms per page.

Figures are printed as milliseconds and as a ratio to this machine's 10,000,000-addition Python loop, measured in
the same run, so a rerun on a quieter or faster machine compares.

    .venv/bin/python bench/console.py [--projects 100000] [--people 5000] [--repeat 15] [--pg-url URL | --db FILE]

`--db FILE` keeps the SQLite database (building it takes a few minutes) and reuses it on the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.web import SESSION_COOKIE  # noqa: E402
from bot.messages import Reply  # noqa: E402
from storage import reference  # noqa: E402
from storage.broadcast import Segment, create_broadcast, fan_out  # noqa: E402
from storage.console import open_session  # noqa: E402
from storage.db import make_engine, transaction  # noqa: E402
from storage.deadlines import create_window, submit  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from storage.models import Account, AuditLog, OutboxMessage, OutboxStatus, Person, Role  # noqa: E402
from storage.projects import Project  # noqa: E402
from storage.projects_demo import generate  # noqa: E402
from storage.rsvp import create_workshop, invite, invitees  # noqa: E402

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
BATCH = 5_000


def loop_time() -> float:
    """Seconds for 10,000,000 additions in a Python loop: this machine's speed, right now."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def build(engine: Engine, projects: int, people: int) -> dict[str, str]:
    """The network; returns the ids the page list needs (a window, a person, a project code)."""
    upgrade(engine)
    rows = list(generate(projects, when=NOW - timedelta(days=1)))
    with transaction(engine) as session:
        for start in range(0, len(rows), BATCH):
            session.execute(insert(Project), rows[start:start + BATCH])
    provinces = [p.iso for p in reference.provinces()]
    roles = [Role.coordinator, Role.coordinator, Role.deputy_governor]
    with transaction(engine) as session:
        admin = Person(name="ผู้ดูแลทดสอบ", role=Role.admin)
        session.add(admin)
        session.flush()
        assert admin.id is not None
        session.execute(insert(Person), [
            {"name": f"บุคลากร {n}", "role": roles[n % 3], "province_iso": provinces[n % len(provinces)],
             "position": "", "lang": "th", "created_at": NOW} for n in range(people - 1)])
        ids = [p for (p,) in session.execute(text("SELECT id FROM person ORDER BY id"))]
        accounts = []
        for n, person_id in enumerate(ids):
            accounts.append({"person_id": person_id, "platform": "line", "user_id": f"U{person_id:032x}",
                             "chat_id": f"U{person_id:032x}", "display_name": f"p{person_id}",
                             "reachable": n % 10 != 0, "unreachable_reason": "" if n % 10 else "unfollowed",
                             "created_at": NOW, "last_seen_at": NOW, "menu": None})
            if n % 2:
                accounts.append({"person_id": person_id, "platform": "telegram", "user_id": str(700_000 + person_id),
                                 "chat_id": str(700_000 + person_id), "display_name": f"p{person_id}",
                                 "reachable": True, "unreachable_reason": "", "created_at": NOW,
                                 "last_seen_at": NOW - timedelta(hours=1), "menu": None})
        session.execute(insert(Account), accounts)
        windows = []
        for n in range(12):
            closes = NOW + timedelta(days=n * 10 - 80)
            window = create_window(session=session, title_th=f"รอบส่งแผน {n}", fiscal_year=2570,
                                   opens_at=closes - timedelta(days=60), closes_at=closes, provinces=provinces,
                                   scope="all")
            windows.append(window)
            for iso in provinces[::2]:
                submit(session=session, window=window, province_iso=iso, person_id=None, now=NOW - timedelta(days=1))
        open_window = next(w for w in windows if w.closes_at > NOW)
        session.execute(insert(OutboxMessage), [
            {"key": f"nudge:{open_window.id}:{stage}:{person_id}", "platform": "line", "user_id": f"U{person_id:032x}",
             "chat_id": f"U{person_id:032x}", "messages": [{"text": "⏰"}], "retry_key": f"r{stage}{person_id}",
             "status": OutboxStatus.sent, "tag": f"window:{open_window.id}", "created_at": NOW, "recipients": [],
             "next_attempt_at": NOW, "sent_at": NOW}
            for stage in ("14d", "7d") for person_id in ids[1::3]])
        workshop = create_workshop(session=session, title_th="สัมมนาระดับชาติ", starts_at=NOW + timedelta(days=20),
                                   ends_at=NOW + timedelta(days=21), rsvp_deadline=NOW + timedelta(days=10),
                                   roles=[Role.coordinator, Role.deputy_governor], provinces=provinces, scope="all")
        invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop))
        for n in range(2):
            broadcast = create_broadcast(session=session, author_id=admin.id, text=f"ประกาศทดสอบ {n}",
                                         segment=Segment(), now=NOW - timedelta(hours=n + 1), ask_ack=True)
            fan_out(session=session, broadcast=broadcast, replies=[Reply(text="📢")], now=NOW)
        session.execute(insert(AuditLog), [
            {"at": NOW - timedelta(minutes=n), "person_id": ids[n % len(ids)], "action": "person_changed",
             "detail": {"person": ids[(n * 7) % len(ids)], "province": [provinces[n % 77], provinces[(n + 1) % 77]]}}
            for n in range(20_000)])
        code = session.execute(text("SELECT code FROM project WHERE province_iso = 'TH-40' LIMIT 1")).scalar_one()
        return {"admin": str(admin.id), "window": str(open_window.id), "person": str(ids[len(ids) // 2]),
                "code": code, "workshop": str(workshop.id), "broadcast": str(broadcast.id)}


def pages(ids: dict[str, str]) -> list[str]:
    return ["/console", "/console/windows", f"/console/windows/{ids['window']}", "/console/people",
            "/console/people?province=TH-40", "/console/people?unreachable=1", f"/console/people/{ids['person']}",
            "/console/people/invites", "/console/audit", "/console/audit?province=TH-50",
            f"/console/audit?person={ids['person']}", "/console/projects", "/console/projects?q=น้ำ",
            "/console/projects?q=ดาวเทียม", "/console/projects?province=TH-40&status=completed&year=2569",
            f"/console/projects/{ids['code']}", "/console/projects/import", "/console/workshops",
            f"/console/workshops/{ids.get('workshop', 1)}", f"/console/workshops/{ids.get('workshop', 1)}/board",
            "/console/announcements", f"/console/announcements/{ids.get('broadcast', 1)}",
            f"/console/announcements/{ids.get('broadcast', 1)}/ledger", "/console/signin"]


async def measure(settings: Settings, engine: Engine, ids: dict[str, str], repeat: int) -> dict[str, list[float]]:
    app = create_app(settings, clock=lambda: NOW)
    times: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):
        with transaction(engine) as session:
            token, _ = open_session(session=session, person_id=int(ids["admin"]), method="bench", now=NOW,
                                    valid_for=timedelta(hours=1))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://coordbot",
                                     cookies={SESSION_COOKIE: token}) as client:
            for path in pages(ids):
                for attempt in range(repeat + 1):
                    started = time.perf_counter()
                    response = await client.get(path)
                    elapsed = time.perf_counter() - started
                    if response.status_code not in (200, 303):
                        raise SystemExit(f"{path} answered {response.status_code}")
                    if attempt:  # the first request of a page warms its template and query caches
                        times.setdefault(path, []).append(elapsed)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--pg-url", help="a PostgreSQL database to fill (it must be empty)")
    parser.add_argument("--db", type=Path, help="a SQLite file to keep and reuse (built when missing)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "console.db"
        url = args.pg_url or f"sqlite:///{path}"
        kept = path.with_suffix(".ids.json")
        engine = make_engine(url)
        if args.db and kept.exists():
            ids = json.loads(kept.read_text())
            print(f"reusing {path}")
        else:
            started = time.perf_counter()
            ids = build(engine, args.projects, args.people)
            kept.write_text(json.dumps(ids))
            print(f"built {args.projects:,} projects and {args.people:,} people in "
                  f"{time.perf_counter() - started:.1f} s ({engine.dialect.name})")
        settings = Settings(database_url=url, background_workers=False, scheduler_enabled=False, menus=False,
                            auto_migrate=False, _env_file=None)
        times = asyncio.run(measure(settings, engine, ids, args.repeat))
        engine.dispose()
    loop = loop_time()
    print(f"10M-addition loop: {loop * 1000:.0f} ms")
    print(f"{'page':<62} {'median ms':>9} {'p95 ms':>7} {'median/loop':>11}")
    worst = 0.0
    for path, samples in times.items():
        median = statistics.median(samples)
        p95 = sorted(samples)[min(len(samples) - 1, math.ceil(len(samples) * 0.95) - 1)]
        worst = max(worst, median)
        print(f"{path:<62} {median * 1000:>9.1f} {p95 * 1000:>7.1f} {median / loop:>11.3f}")
    print(f"slowest page median {worst * 1000:.1f} ms = {worst / loop:.3f} loops (target < 200 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
