"""Kill-and-resume: a `coordbot work` process killed with SIGKILL in the middle of a 5,000-recipient broadcast,
then started again, finishes it. Every reachable recipient gets the announcement; nobody gets it twice on LINE
(the resent multicast carries the same retry key, so LINE answers 409); on Telegram, which has no such key, the
only duplicates are the sends that were in flight at a kill.

Kill 1 lands while LINE's multicasts are held up inside the platform (an injected delay), so they are delivered
after the process died and before it learnt so; kill 2 lands in the middle of the Telegram chats.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.emulator import EmulatorServer
from storage.broadcast import LINE_BATCH, BroadcastStatus, delivery, get_broadcast
from storage.db import make_engine, transaction
from storage.migrations import upgrade
from tests.conftest import LINE_SECRET, LINE_TOKEN, TG_SECRET, TG_TOKEN
from tests.factories import seed_people
from tests.faults.process import Process, wait_until

pytestmark = pytest.mark.faults  # minutes of real processes: `make faults`, not `make test`

PEOPLE = 5000
BLOCKED = 10
"""Telegram chats that blocked the bot without us knowing: 403, marked unreachable, not counted as missing."""
TEXT = "ประชุมใหญ่เครือข่าย 5 มีนาคม"
ADMIN = "U" + "a" * 32
LINE_PEOPLE = PEOPLE // 2 + 1
"""Every other coordinator, and the admin."""
BATCHES = -(-LINE_PEOPLE // LINE_BATCH)
IN_FLIGHT = 16
"""TELEGRAM_MAX_IN_FLIGHT: Telegram sends under way at once, so the most that a kill can leave of unknown outcome."""


def line_user(n: int) -> str:
    return f"U{n:032x}"


def tg_chat(n: int) -> str:
    return str(7_000_000 + n)


@pytest.fixture
def seeded(database_url: str, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An admin on LINE and 5,000 coordinators, every other one on LINE, the rest on Telegram, in bulk."""
    state = emulator.state
    state.reset()
    env = {"COORDBOT_DATABASE_URL": database_url, "COORDBOT_AUTO_MIGRATE": "false", "COORDBOT_SCHEDULER": "false",
           "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
           "LINE_API_BASE_URL": emulator.line_base_url, "TELEGRAM_BOT_TOKEN": TG_TOKEN,
           "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "TELEGRAM_API_BASE_URL": emulator.telegram_base_url,
           # Telegram paced at 400 messages a second (the emulator allows 1,000 and 1 per chat), so a kill
           # lands in the middle; sends time out after 2 s, so PostgreSQL takes back a dead process's rows
           # after 6 s.
           "TELEGRAM_RATE_PER_S": "400", "TELEGRAM_PER_CHAT_PER_S": "1", "COORDBOT_SEND_TIMEOUT_S": "2",
           "TELEGRAM_MAX_IN_FLIGHT": str(IN_FLIGHT)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    state.set_rate_limit("telegram", 1000, per_chat_per_second=1)
    state.set_rate_limit("line", 200, endpoint="multicast")
    engine = make_engine(database_url)
    upgrade(engine)
    seed_people(engine, [("line", line_user(n)) if n % 2 == 0 else ("telegram", tg_chat(n)) for n in range(PEOPLE)],
                admin=ADMIN)
    engine.dispose()
    for n in range(1, PEOPLE, 2):
        state.add_user("telegram", tg_chat(n))
    for n in range(1, 2 * BLOCKED, 2):
        state.block("telegram", tg_chat(n))
    yield database_url


@pytest.fixture
def worker(seeded: str, tmp_path: Path) -> Iterator[Process]:
    process = Process("work", dict(os.environ), tmp_path, seeded)
    yield process
    process.stop()


def test_a_broadcast_killed_twice_mid_way_finishes_and_nobody_gets_it_twice_on_line(
    seeded: str, emulator: EmulatorServer, worker: Process, capsys: pytest.CaptureFixture[str],
) -> None:
    state = emulator.state
    assert main(["broadcast", "send", "--text", TEXT, "--yes"]) == 0
    assert "queued for 5001 people" in capsys.readouterr().out

    def tg_calls() -> int:
        return len(state.calls("telegram", "sendMessage"))

    # Kill 1: the multicasts (2,501 LINE users) are inside LINE, which delivers and answers a second later.
    state.inject_fault("line", "multicast", delay=1.0, count=BATCHES)
    worker.start()
    wait_until(lambda: len(state.calls("line", "multicast")) == BATCHES, "the multicasts")
    worker.kill()
    wait_until(lambda: all(c.status for c in state.calls("line", "multicast")), "LINE to finish them anyway")

    # Kill 2: half way through the Telegram chats.
    worker.start()
    wait_until(lambda: tg_calls() >= PEOPLE // 4, "half the Telegram chats")
    worker.kill()
    tg_at_kill = tg_calls()

    worker.start()
    wait_until(lambda: any("ส่งประกาศ #1 เสร็จแล้ว" in r.text for r in state.screen("line", ADMIN)),
               "the author's summary")
    assert worker.proc is not None
    worker.proc.send_signal(signal.SIGTERM)
    assert worker.proc.wait(timeout=60) == 0
    in_flight, resent = worker.in_flight, worker.resent()

    got = Counter({(p, u): sum(TEXT in r.text for r in state.screen(p, u))
                   for p, u in [("line", ADMIN)] + [("line", line_user(n)) for n in range(0, PEOPLE, 2)]
                   + [("telegram", tg_chat(n)) for n in range(1, PEOPLE, 2)]})
    blocked = {("telegram", tg_chat(n)) for n in range(1, 2 * BLOCKED, 2)}
    missing = [who for who, n in got.items() if n == 0 and who not in blocked]
    line_twice = [who for who, n in got.items() if who[0] == "line" and n > 1]
    tg_twice = sum(n - 1 for who, n in got.items() if who[0] == "telegram" and n > 1)
    print(f"\nkilled at {tg_at_kill} Telegram sends; in flight at the kills: {in_flight}; "
          f"resent after a timeout: {resent}; Telegram duplicates: {tg_twice}; LINE multicast answers: "
          f"{[c.status for c in state.calls('line', 'multicast')]}")
    assert missing == [] and line_twice == []
    assert all(got[who] == 0 for who in blocked)
    assert 409 in [c.status for c in state.calls("line", "multicast")]  # the resent batches were recognised
    # Duplicates come from the sends in flight at a kill, and from those repeated because their answer never came
    # (under load a send can time out here while the emulator still delivers it).
    assert tg_twice <= sum(in_flight) + resent and max(in_flight) <= IN_FLIGHT

    engine = make_engine(seeded)
    with transaction(engine) as session:
        broadcast = get_broadcast(session=session, broadcast_id=1)
        assert broadcast is not None and broadcast.status == BroadcastStatus.done
        counts = delivery(session=session, broadcast_id=1)
    engine.dispose()
    assert counts["line"] == {"sent": LINE_PEOPLE}
    assert counts["telegram"] == {"sent": PEOPLE // 2 - BLOCKED, "unreachable": BLOCKED}
