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
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlmodel import Session, select

from bot.cli import main
from bot.emulator import EmulatorServer, EmulatorState
from storage import reference
from storage.broadcast import LINE_BATCH, BroadcastStatus, delivery, get_broadcast
from storage.db import make_engine, transaction, utcnow
from storage.migrations import upgrade
from storage.models import Account, OutboxMessage, OutboxStatus, Person, Role
from storage.people import ensure_account
from tests.conftest import LINE_SECRET, LINE_TOKEN, TG_SECRET, TG_TOKEN
from tests.helpers import COORDBOT

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
    provinces = [p.iso for p in reference.provinces()]
    now = utcnow()
    with transaction(engine) as session:
        _, admin = ensure_account(session=session, platform="line", user_id=ADMIN, chat_id=ADMIN)
        admin.role, admin.name = Role.admin, "ผู้ดูแล"
        session.execute(insert(Person), [{"name": f"p{n}", "role": Role.coordinator,
                                          "province_iso": provinces[n % len(provinces)], "lang": "th", "position": "",
                                          "created_at": now}
                                         for n in range(PEOPLE)])
        ids = {name: id_ for name, id_ in session.execute(select(Person.name, Person.id))}
        accounts = []
        for n in range(PEOPLE):
            user = line_user(n) if n % 2 == 0 else tg_chat(n)
            accounts.append({"person_id": ids[f"p{n}"], "platform": "line" if n % 2 == 0 else "telegram",
                             "user_id": user, "chat_id": user, "display_name": "", "reachable": True,
                             "unreachable_reason": "", "created_at": now, "last_seen_at": now})
        session.execute(insert(Account), accounts)
    engine.dispose()
    for n in range(1, PEOPLE, 2):
        state.add_user("telegram", tg_chat(n))
    for n in range(1, 2 * BLOCKED, 2):
        state.block("telegram", tg_chat(n))
    yield database_url


@pytest.fixture
def start_worker(seeded: str, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        with (tmp_path / f"worker{len(started)}.log").open("wb") as out:
            proc = subprocess.Popen([COORDBOT, "work", "--log-level", "warning"], env=dict(os.environ), stdout=out,
                                    stderr=subprocess.STDOUT, cwd=tmp_path)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    """Generous: a loaded CI machine can take many seconds just to start a process."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def kill(proc: subprocess.Popen[bytes], database_url: str, state: EmulatorState) -> int:
    """SIGKILL, then count the Telegram sends it had made and not recorded (delivered, the row still being
    sent): the possible duplicates."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    engine = make_engine(database_url)
    with Session(engine) as session:
        chats = session.exec(select(OutboxMessage.chat_id).where(
            OutboxMessage.platform == "telegram", OutboxMessage.status == OutboxStatus.sending)).all()
    engine.dispose()
    return sum(any(TEXT in r.text for r in state.screen("telegram", chat)) for chat in chats)


def test_a_broadcast_killed_twice_mid_way_finishes_and_nobody_gets_it_twice_on_line(
    seeded: str, emulator: EmulatorServer, start_worker: Callable[[], subprocess.Popen[bytes]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    state = emulator.state
    assert main(["broadcast", "send", "--text", TEXT, "--yes"]) == 0
    assert "queued for 5001 people" in capsys.readouterr().out

    def tg_calls() -> int:
        return len(state.calls("telegram", "sendMessage"))

    # Kill 1: the multicasts (2,501 LINE users) are inside LINE, which delivers and answers a second later.
    state.inject_fault("line", "multicast", delay=1.0, count=BATCHES)
    first = start_worker()
    wait_until(lambda: len(state.calls("line", "multicast")) == BATCHES, "the multicasts")
    in_flight = [kill(first, seeded, state)]
    wait_until(lambda: all(c.status for c in state.calls("line", "multicast")), "LINE to finish them anyway")

    # Kill 2: half way through the Telegram chats.
    second = start_worker()
    wait_until(lambda: tg_calls() >= PEOPLE // 4, "half the Telegram chats")
    in_flight.append(kill(second, seeded, state))
    tg_at_kill = tg_calls()

    third = start_worker()
    wait_until(lambda: any("ส่งประกาศ #1 เสร็จแล้ว" in r.text for r in state.screen("line", ADMIN)),
               "the author's summary")
    third.send_signal(signal.SIGTERM)
    assert third.wait(timeout=60) == 0

    got = Counter({(p, u): sum(TEXT in r.text for r in state.screen(p, u))
                   for p, u in [("line", ADMIN)] + [("line", line_user(n)) for n in range(0, PEOPLE, 2)]
                   + [("telegram", tg_chat(n)) for n in range(1, PEOPLE, 2)]})
    blocked = {("telegram", tg_chat(n)) for n in range(1, 2 * BLOCKED, 2)}
    missing = [who for who, n in got.items() if n == 0 and who not in blocked]
    line_twice = [who for who, n in got.items() if who[0] == "line" and n > 1]
    tg_twice = sum(n - 1 for who, n in got.items() if who[0] == "telegram" and n > 1)
    print(f"\nkilled at {tg_at_kill} Telegram sends; in flight at the kills: {in_flight}; "
          f"Telegram duplicates: {tg_twice}; LINE multicast answers: "
          f"{[c.status for c in state.calls('line', 'multicast')]}")
    assert missing == [] and line_twice == []
    assert all(got[who] == 0 for who in blocked)
    assert 409 in [c.status for c in state.calls("line", "multicast")]  # the resent batches were recognised
    assert tg_twice <= sum(in_flight) and max(in_flight) <= IN_FLIGHT

    engine = make_engine(seeded)
    with transaction(engine) as session:
        broadcast = get_broadcast(session=session, broadcast_id=1)
        assert broadcast is not None and broadcast.status == BroadcastStatus.done
        counts = delivery(session=session, broadcast_id=1)
    engine.dispose()
    assert counts["line"] == {"sent": LINE_PEOPLE}
    assert counts["telegram"] == {"sent": PEOPLE // 2 - BLOCKED, "unreachable": BLOCKED}
