"""Kill: a `coordbot work` running a wave of deadline nudges (several windows whose nudge falls due one after
another), SIGKILLed at seeded random moments, while provinces submit (as `/window submit` or the chat's button
does) at seeded random moments too.

Afterwards each coordinator of a province that did not submit has each window's nudge by the same rule as any
message (LINE exactly once; Telegram once, or recorded as of unknown outcome when a kill cut its send off: nudges
are not repeated), and no nudge reached a province after it submitted, except one already being sent then.
Shared by tests/faults/test_kill_scenarios.py (bounded) and bench/faults.py.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, func, select

from bot.emulator import EmulatorServer, EmulatorState
from storage import reference
from storage.db import make_engine, transaction, utcnow
from storage.deadlines import create_window, get_window, submit
from storage.models import OutboxMessage, OutboxStatus
from tests.factories import seed_people
from tests.faults.process import Outcome, Process, base_env, wait_until

STAGE = "3d"


def marker(k: int) -> str:
    """Each window's title, told apart in the nudge's text."""
    return f"แผนทดสอบ [{k}]"


@dataclass
class Submitted:
    window: int
    province: str
    at: datetime
    sending: set[str]
    """Chats of the province whose nudge of that window was being sent when the submission was recorded."""


def audience(people: int) -> list[tuple[str, str]]:
    return [("line", f"U{6_000_000 + n:032x}") if n % 2 == 0 else ("telegram", str(6_000_000 + n))
            for n in range(people)]


def seed(database_url: str, people: int, windows: int, every_s: float) -> list[int]:
    """The people, and `windows` windows over every province whose nudge falls due every `every_s` seconds."""
    engine = make_engine(database_url)
    ids = seed_people(engine, audience(people))
    isos = [p.iso for p in reference.provinces()]
    now = utcnow()
    with transaction(engine) as session:
        for k in range(windows):
            closes = now + timedelta(days=3, seconds=2 + k * every_s)
            create_window(session=session, title_th=marker(k), fiscal_year=2570, opens_at=now - timedelta(days=30),
                          closes_at=closes, provinces=isos, scope="all", nudges=[STAGE])
    engine.dispose()
    return ids


def record_submission(engine: Engine, window_id: int, province: str, chats: set[str]) -> Submitted:
    """Submit as the commands do, and note which of the province's nudges were being sent at that moment."""
    with transaction(engine) as session:
        window = get_window(session=session, window_id=window_id)
        assert window is not None
        submit(session=session, window=window, province_iso=province, person_id=None, now=utcnow(),
               reference="kill scenario")
        sending = {row.chat_id for row in session.exec(select(OutboxMessage).where(
            OutboxMessage.tag == f"window:{window_id}", OutboxMessage.status == OutboxStatus.sending))
            if row.chat_id in chats}
    return Submitted(window_id, province, utcnow(), sending)


def nudges_killed(emulator: EmulatorServer, database_url: str, workdir: Path, *, people: int, windows: int,
                  kills: int, seed_: int, rate: float = 300) -> Outcome:
    state = emulator.state
    state.reset()
    rng = random.Random(seed_)
    who = audience(people)
    for platform, user in who:
        if platform == "telegram":
            state.add_user(platform, user)
    cycle_s = 4.5  # a start (1-3 s on a loaded machine), then a submission and a kill within 3.5 s
    ids = seed(database_url, people, windows, every_s=kills * cycle_s / windows)
    isos = [p.iso for p in reference.provinces()]
    province_of = {n: isos[n % len(isos)] for n in range(people)}
    env = base_env(emulator, database_url, workdir, COORDBOT_SCHEDULER="true", COORDBOT_SCHEDULER_POLL_S="0.2",
                   COORDBOT_SCHEDULER_RETRY_S="1", COORDBOT_QUIET_START="00:00", COORDBOT_QUIET_END="00:00",
                   TELEGRAM_RATE_PER_S=str(rate))
    worker = Process("work", env, workdir, database_url)
    engine = make_engine(database_url)
    submitted: list[Submitted] = []
    open_pairs = [(w, iso) for w in range(1, windows + 1) for iso in isos]
    rng.shuffle(open_pairs)
    try:
        for _ in range(kills):
            worker.start(ready=True)
            time.sleep(rng.uniform(0.0, 2.0))
            w, iso = open_pairs.pop()
            chats = {user for n, (_, user) in enumerate(who) if province_of[n] == iso}
            submitted.append(record_submission(engine, w, iso, chats))
            time.sleep(rng.uniform(0.0, 1.5))
            worker.kill()
        worker.start()
        wait_until(lambda: settled(engine, windows), "the nudge jobs and their sends", timeout=300)
    finally:
        worker.stop()
    outcome = measure(state, engine, who, ids, province_of, windows, submitted)
    engine.dispose()
    outcome.take(worker)
    outcome.notes["submissions"] = len(submitted)
    return outcome


def settled(engine: Engine, windows: int) -> bool:
    """Every window planned (its close report waits in the job store), its nudge job done and gone, nothing waiting
    in the outbox."""
    with Session(engine) as session:
        try:
            jobs = dict(session.execute(text(
                "SELECT id LIKE :closing AS closing, count(*) FROM apscheduler_jobs WHERE id LIKE :ours GROUP BY 1"),
                {"closing": "%:closed", "ours": "dl:%"}).all())
        except OperationalError:  # no process has started its scheduler yet
            return False
        if jobs.get(True, 0) < windows or jobs.get(False, 0):
            return False
        waiting = session.exec(select(func.count()).select_from(OutboxMessage).where(
            col(OutboxMessage.status).in_([OutboxStatus.pending, OutboxStatus.sending]))).one()
    return waiting == 0


def measure(state: EmulatorState, engine: Engine, who: list[tuple[str, str]], ids: list[int],
            province_of: dict[int, str], windows: int, submitted: list[Submitted]) -> Outcome:
    outcome = Outcome()
    with Session(engine) as session:
        unknown = {row.key for row in session.exec(select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.unknown))}
    done = {(s.window, s.province): s for s in submitted}
    for n, (platform, user) in enumerate(who):
        screen = state.screen(platform, user)
        for w in range(1, windows + 1):
            copies = [r for r in screen if marker(w - 1) in r.text]
            extra = max(0, len(copies) - 1)
            if platform == "line":
                outcome.doubled_line += extra
            else:
                outcome.doubled_telegram += extra
            was_unknown = f"nudge:{w}:{STAGE}:{ids[n]}" in unknown
            outcome.unknown_telegram += was_unknown
            submission = done.get((w, province_of[n]))
            if submission is None:
                outcome.events += 1
                outcome.delivered += bool(copies)
                outcome.lost += not copies and not was_unknown
            elif any(r.at > submission.at for r in copies) and user not in submission.sending:
                outcome.wrong.append(f"window {w}: {platform} {user} nudged after {submission.province} submitted")
    return outcome
