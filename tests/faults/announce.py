"""Kill: a `coordbot work` sending an announcement, SIGKILLed at seeded random moments and started again each time.

The first kill lands while LINE holds the multicasts (an injected delay: delivered after the process died, before
it learnt so); the others at seeded random counts of Telegram sends. Afterwards everyone has the announcement; on
LINE exactly once (a resent multicast carries its retry key, LINE answers 409); on Telegram, which has no retry
key, at most the sends in flight at a kill (and those repeated after a timeout) twice; and the ledger counts
every recipient as sent. Shared by tests/faults/test_kill_scenarios.py (bounded) and bench/faults.py.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from sqlmodel import Session

from bot.config import Settings
from bot.emulator import EmulatorServer
from storage.broadcast import LINE_BATCH, delivery
from storage.db import make_engine
from tests.factories import confirm_broadcast, seed_people
from tests.faults.process import Outcome, Process, base_env, wait_until

TEXT = "ประกาศ: ซ้อมแผนรับมือเหตุฉุกเฉินของเครือข่าย"
ADMIN = "U" + "b" * 32
IN_FLIGHT = 16
"""TELEGRAM_MAX_IN_FLIGHT: the most Telegram sends a kill can cut off."""
DONE = "ส่งประกาศ #1 เสร็จแล้ว"


def audience(people: int) -> list[tuple[str, str]]:
    return [("line", f"U{4_000_000 + n:032x}") if n % 2 == 0 else ("telegram", str(5_000_000 + n))
            for n in range(people)]


def announcement_killed(emulator: EmulatorServer, database_url: str, workdir: Path, *, people: int, kills: int,
                        seed: int, rate: float = 400) -> Outcome:
    """Announce to `people` (half on each platform) while the worker is killed `kills` times."""
    state = emulator.state
    state.reset()
    state.set_rate_limit("telegram", 1000, per_chat_per_second=1)
    state.set_rate_limit("line", 200, endpoint="multicast")
    who = audience(people)
    for platform, user in who:
        if platform == "telegram":
            state.add_user(platform, user)
    engine = make_engine(database_url)
    seed_people(engine, who, admin=ADMIN)
    confirm_broadcast(engine, Settings(database_url=database_url, _env_file=None), TEXT)  # type: ignore[call-arg]
    engine.dispose()
    env = base_env(emulator, database_url, workdir, TELEGRAM_RATE_PER_S=str(rate), TELEGRAM_PER_CHAT_PER_S="1",
                   TELEGRAM_MAX_IN_FLIGHT=str(IN_FLIGHT), LINE_MULTICAST_RATE_PER_S="200")
    worker = Process("work", env, workdir, database_url)
    rng = random.Random(seed)
    on_telegram = sum(platform == "telegram" for platform, _ in who)
    batches = -(-(people - on_telegram) // LINE_BATCH)

    def sent() -> int:
        return len(state.calls("telegram", "sendMessage"))

    try:
        state.inject_fault("line", "multicast", delay=1.0, count=batches)
        worker.start()
        wait_until(lambda: len(state.calls("line", "multicast")) >= batches, "the multicasts")
        worker.kill()
        for target in sorted(rng.sample(range(1, on_telegram), kills - 1)):
            worker.start()
            goal = min(max(target, sent() + 1), on_telegram)  # each run gets somewhere before it dies
            wait_until(lambda: sent() >= goal, f"{goal} Telegram sends")  # noqa: B023 (used at once)
            time.sleep(rng.uniform(0, 0.05))
            worker.kill()
        worker.start()
        wait_until(lambda: any(DONE in r.text for r in state.screen("line", ADMIN)), "the author's summary")
    finally:
        worker.stop()
    outcome = Outcome(events=people)
    outcome.take(worker)
    for platform, user in who:
        copies = sum(TEXT in r.text for r in state.screen(platform, user))
        outcome.delivered += copies > 0
        outcome.lost += copies == 0
        if platform == "line":
            outcome.doubled_line += max(0, copies - 1)
        else:
            outcome.doubled_telegram += max(0, copies - 1)
    engine = make_engine(database_url)
    with Session(engine) as session:
        ledger = delivery(session=session, broadcast_id=1)
    engine.dispose()
    expected = {"line": {"sent": people - on_telegram}, "telegram": {"sent": on_telegram}}
    if {platform: dict(counts) for platform, counts in ledger.items()} != expected:
        outcome.wrong.append(f"ledger {ledger} != {expected}")
    outcome.notes["line_409"] = sum(c.status == 409 for c in state.calls("line", "multicast"))
    return outcome
