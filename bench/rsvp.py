"""RSVP benchmark: 1,000 invitees answering one workshop within a minute, through the signed webhooks.

Seeds a fresh database (SQLite by default, or --database-url) with the invitees, half on LINE and half on
Telegram, and a workshop with fewer seats than invitees. Then `coordbot serve` runs in its own process, by
default (`--mode single`) handling the events itself; `--mode split` puts a `coordbot work` process beside it as
in bench/ingest.py, whose idle polling then adds to the latency at this modest rate. This process posts each
invitee's button press (attend / decline / maybe) as a LINE postback or a Telegram callback, spread over
`--window` seconds, plus redeliveries of some of them, which must not count twice.

Checks: every answer recorded exactly once (one answered row per invitee, redeliveries ignored), seats never above
the capacity. Latency is handler-side: from the webhook being stored to its handler's transaction being done
(the inbox row's `received_at` to `handled_at`), which includes waiting behind other events.

    .venv/bin/python bench/rsvp.py [--invitees 1000] [--capacity 800] [--window 45] [--mode split|single]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
from sqlmodel import col, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import emulator_state, scratch_database, serving  # noqa: E402

from bot.emulator import EmulatorServer, EmulatorState  # noqa: E402
from bot.emulator import events as ev  # noqa: E402
from storage import reference  # noqa: E402
from storage.db import make_engine, transaction, utcnow  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from storage.models import Account, InboxEvent, Person, Role  # noqa: E402
from storage.rsvp import Rsvp, RsvpStatus, create_workshop, invite, seats_taken  # noqa: E402

REDELIVERED = 0.05
"""Share of answers the platform delivers twice (same event id): they must be stored and handled once."""


def seed(db_url: str, invitees: int, capacity: int) -> tuple[int, list[tuple[str, str]]]:
    """Invitees across all provinces, each with one chat account; returns the workshop id and (platform, user)."""
    engine = make_engine(db_url)
    upgrade(engine)
    provinces = [p.iso for p in reference.provinces()]
    users = []
    now = utcnow()
    with transaction(engine) as session:
        people = [Person(name=f"ผู้ประสานงาน {i}", role=Role.coordinator, province_iso=provinces[i % len(provinces)])
                  for i in range(invitees)]
        session.add_all(people)
        session.flush()
        for i, person in enumerate(people):
            assert person.id is not None
            platform, user = ("line", f"U{i:032x}") if i % 2 == 0 else ("telegram", str(800_000 + i))
            session.add(Account(person_id=person.id, platform=platform, user_id=user, chat_id=user))
            users.append((platform, user))
        workshop = create_workshop(
            session=session, title_th="สัมมนาระดับชาติ (benchmark)", starts_at=now + timedelta(days=14),
            ends_at=now + timedelta(days=15), rsvp_deadline=now + timedelta(days=7), roles=[Role.coordinator],
            provinces=provinces, scope="all", capacity=capacity, reminders=[], nudges=[])
        invite(session=session, workshop=workshop, people=people)
        assert workshop.id is not None
        workshop_id = workshop.id
    engine.dispose()
    return workshop_id, users


def build_requests(state: EmulatorState, workshop_id: int, users: list[tuple[str, str]],
                   rng: random.Random) -> list[tuple[str, bytes, dict[str, str]]]:
    """One answer per invitee (85% attend, 10% decline, 5% maybe), in random order, plus redeliveries."""
    requests = []
    for n, (platform, user) in enumerate(users):
        choice = rng.choices(["yes", "no", "maybe"], weights=[85, 10, 5])[0]
        data = f"rv:{workshop_id}:{choice}"
        if platform == "line":
            event = ev.line_postback_event(user, data, reply_token=state.issue_reply_token(user, ttl=600))
            body = json.dumps(ev.line_body([event])).encode()
            headers = {"X-Line-Signature": ev.line_signature(state.line_channel_secret, body),
                       "Content-Type": "application/json"}
            requests.append(("/webhooks/line", body, headers))
        else:
            state.add_user("telegram", user)
            update = ev.tg_callback_update(int(user), data, update_id=n + 1,
                                           callback_id=state.issue_callback_id(int(user), ttl=600))
            body = json.dumps(update).encode()
            headers = {"X-Telegram-Bot-Api-Secret-Token": state.telegram_secret_token,
                       "Content-Type": "application/json"}
            requests.append(("/webhooks/telegram", body, headers))
    rng.shuffle(requests)
    again = rng.sample(requests, int(len(requests) * REDELIVERED))
    return requests + again


async def post_paced(base: str, requests: list[tuple[str, bytes, dict[str, str]]], window: float) -> int:
    """Post the requests spread evenly over `window` seconds; returns how many were not answered 200."""
    failures = 0
    gap = window / max(1, len(requests))
    async with aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=32)) as client:

        async def post(path: str, body: bytes, headers: dict[str, str]) -> None:
            nonlocal failures
            async with client.post(path, data=body, headers=headers) as response:
                await response.read()
                failures += response.status != 200

        start = time.perf_counter()
        tasks = []
        for i, request in enumerate(requests):
            delay = start + i * gap - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(*request)))
        await asyncio.gather(*tasks)
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--invitees", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=800)
    parser.add_argument("--window", type=float, default=45.0, help="seconds over which the answers arrive")
    parser.add_argument("--mode", choices=["split", "single"], default="single")
    parser.add_argument("--database-url", help="a PostgreSQL server, on which a database of the "
                        "benchmark's own is made and dropped (default: a fresh SQLite file)")
    parser.add_argument("--drain-timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="coordbot-bench-rsvp-"))
    with scratch_database(args.database_url, workdir) as db_url:
        workshop_id, users = seed(db_url, args.invitees, args.capacity)
        state = emulator_state()
        engine = make_engine(db_url)
        try:
            with EmulatorServer(state) as emulator, serving(emulator, db_url, workdir,
                                                            split=args.mode == "split") as base:
                requests = build_requests(state, workshop_id, users, random.Random(args.seed))
                started = time.monotonic()
                failures = asyncio.run(post_paced(base, requests, args.window))
                posted_s = time.monotonic() - started
                deadline = time.monotonic() + args.drain_timeout
                while time.monotonic() < deadline:
                    with transaction(engine) as session:
                        pending = session.exec(select(func.count()).select_from(InboxEvent)
                                               .where(col(InboxEvent.handled_at).is_(None))).one()
                    if not pending:
                        break
                    time.sleep(0.25)
                with transaction(engine) as session:
                    events = session.exec(select(InboxEvent)).all()
                    latencies = [(e.handled_at - e.received_at).total_seconds() * 1000 for e in events if e.handled_at]
                    failed = sum(1 for e in events if e.status == "failed")
                    rows = session.exec(select(Rsvp).where(Rsvp.workshop_id == workshop_id)).all()
                    recorded = sum(1 for r in rows if r.answered_at is not None)
                    seated = seats_taken(session=session, workshop_id=workshop_id)
                    waitlist = sum(1 for r in rows if r.status == RsvpStatus.waitlist)
        finally:
            engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)

        answers = len(users)
        p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else float("nan")
        report = [("answers posted (+ redeliveries)", f"{answers} (+{len(requests) - answers})"),
                  ("non-200 webhook answers", f"{failures}"), ("posting took (s)", f"{posted_s:.1f}"),
                  ("inbox events stored", f"{len(events)}"), ("handler failures", f"{failed}"),
                  ("answers recorded", f"{recorded}"), ("seats taken / capacity", f"{seated}/{args.capacity}"),
                  ("waitlisted", f"{waitlist}"), ("p50 handler-side (ms)", f"{statistics.median(latencies):.1f}"),
                  ("p99 handler-side (ms)", f"{p99:.1f}")]
        for name, value in report:
            print(f"{name:<34}{value:>14}")
        print(f"rsvp answers={answers} recorded={recorded} over_capacity={max(0, seated - args.capacity)} "
              f"p99_ms={p99:.1f}")


if __name__ == "__main__":
    main()
