"""Kill: a workshop's waitlist promoted while a real `coordbot serve` is SIGKILLed at seeded random moments.

The workshop is full and has a waitlist. Seat holders decline (the "no" button); each freed seat is offered to
the next in line, who takes it or passes it on (the offer's buttons, pressed as soon as the offer is on their
phone), which offers it again. The driver plays both platforms and delivers again whatever was not acknowledged.
Afterwards the seats held (yes or offered) are exactly the capacity, never more at any kill, the people who left
the waitlist are its head in order, each of them was offered once, and every press was answered once by the same
rule as any message. Shared by tests/faults/test_kill_scenarios.py (bounded) and bench/faults.py.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.emulator import EmulatorServer, EmulatorState
from bot.emulator import events as ev
from handlers.rsvp.payloads import Answer, Choice, Offer
from storage.db import make_engine, transaction, utcnow
from storage.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus, Person, Role
from storage.rsvp import SEATED, Rsvp, RsvpStatus, create_workshop, invite, rsvps
from tests.factories import seed_people
from tests.faults.process import Outcome, Process, base_env, wait_until, webhook
from tests.helpers import free_port

OFFERED = "มีที่นั่งว่างใน"
"""The start of the offer (handlers/rsvp/texts.py OFFERED)."""
CONCURRENCY = 8
ACCEPT = 0.7


@dataclass
class Press:
    person: int
    platform: str
    user: str
    payload: dict[str, Any]
    acked: bool = False
    tried: bool = False


def audience(people: int) -> list[tuple[str, str]]:
    return [("line", f"U{7_000_000 + n:032x}") if n % 2 == 0 else ("telegram", str(7_000_000 + n))
            for n in range(people)]


def seed_workshop(engine: Engine, ids: list[int], seats: int) -> int:
    """A full workshop: the first `seats` people hold a seat, the others wait, in this order."""
    now = utcnow()
    with transaction(engine) as session:
        people = list(session.exec(select(Person).where(col(Person.id).in_(ids))))
        provinces = sorted({p.province_iso for p in people if p.province_iso})
        workshop = create_workshop(session=session, title_th="สัมมนาเครือข่ายประจำปี", starts_at=now + timedelta(days=10),
                                   ends_at=now + timedelta(days=11), rsvp_deadline=now + timedelta(days=5),
                                   roles=[Role.coordinator], provinces=provinces, scope="all", capacity=seats)
        assert workshop.id is not None
        invite(session=session, workshop=workshop, people=people)
        for place, person_id in enumerate(ids):
            seated = place < seats
            session.execute(update(Rsvp).where(col(Rsvp.workshop_id) == workshop.id, col(Rsvp.person_id) == person_id)
                            .values(status=RsvpStatus.yes if seated else RsvpStatus.waitlist, answered_at=now,
                                    waitlisted_at=None if seated else now + timedelta(microseconds=place)))
        return workshop.id


def press(state: EmulatorState, n: int, platform: str, user: str, data: str) -> Press:
    if platform == "line":
        payload = ev.line_postback_event(user, data, reply_token=state.issue_reply_token(user, ttl=3600))
    else:
        payload = ev.tg_callback_update(int(user), data, update_id=state.next_update_id(),
                                        callback_id=state.issue_callback_id(user, ttl=3600))
    return Press(n, platform, user, payload)


def idle(engine: Engine) -> bool:
    """No event waiting to be handled, no message waiting to be sent."""
    with Session(engine) as session:
        inbox = session.exec(select(func.count()).select_from(InboxEvent).where(
            InboxEvent.status == InboxStatus.pending)).one()
        outbox = session.exec(select(func.count()).select_from(OutboxMessage).where(
            col(OutboxMessage.status).in_([OutboxStatus.pending, OutboxStatus.sending]))).one()
    return inbox == 0 and outbox == 0


def seated(engine: Engine, workshop_id: int) -> int:
    with Session(engine) as session:
        return sum(row.status in SEATED for row in rsvps(session=session, workshop_id=workshop_id))


async def waitlist_killed(emulator: EmulatorServer, database_url: str, workdir: Path, *, seats: int, waiting: int,
                          declines: int, kills: int, seed: int) -> Outcome:
    state = emulator.state
    state.reset()
    rng = random.Random(seed)
    who = audience(seats + waiting)
    for platform, user in who:
        if platform == "telegram":
            state.add_user(platform, user)
    engine = make_engine(database_url)
    ids = seed_people(engine, who)
    workshop_id = seed_workshop(engine, ids, seats)
    server = Process("serve", base_env(emulator, database_url, workdir), workdir, database_url, port=free_port())
    accepts = {n: rng.random() < ACCEPT for n in range(seats, seats + waiting)}
    no = Answer(workshop_id, Choice.no).pack()
    presses = [press(state, n, *who[n], no) for n in rng.sample(range(seats), declines)]
    offered: set[int] = set()
    kill_at = sorted(rng.sample(range(1, 2 * declines), kills))
    outcome = Outcome()

    def new_offers() -> list[Press]:
        fresh = [n for n in accepts if n not in offered and any(OFFERED in r.text for r in state.screen(*who[n]))]
        offered.update(fresh)
        return [press(state, n, *who[n], Offer(workshop_id, accepts[n]).pack()) for n in fresh]

    async def post(client: httpx.AsyncClient, item: Press) -> None:
        path, body, headers = webhook(state, item.platform, item.payload, item.tried)
        item.tried = True
        try:
            response = await client.post(f"http://127.0.0.1:{server.port}{path}", content=body, headers=headers)
        except httpx.HTTPError:
            return
        item.acked = response.status_code == 200

    def kill_and_restart() -> None:
        server.kill()
        if seated(engine, workshop_id) > seats:
            outcome.wrong.append(f"{seated(engine, workshop_id)} seats held of {seats} at kill {server.kills}")
        server.start()

    try:
        await asyncio.to_thread(server.start)
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                presses += new_offers()
                pending = [p for p in presses if not p.acked]
                if not pending:
                    await asyncio.to_thread(wait_until, lambda: idle(engine), "the answers and offers", 120)
                    if fresh := new_offers():
                        presses += fresh
                        continue
                    break
                killer = None
                if kill_at and sum(p.acked for p in presses) >= kill_at[0]:
                    kill_at.pop(0)
                    await asyncio.sleep(rng.uniform(0, 0.05))
                    killer = asyncio.create_task(asyncio.to_thread(kill_and_restart))
                await asyncio.gather(*(post(client, p) for p in pending[:CONCURRENCY]))
                if killer is not None:
                    await killer
                await asyncio.sleep(0.02)
    finally:
        server.stop()
    measure(outcome, state, engine, who, ids, workshop_id, seats, presses)
    engine.dispose()
    outcome.take(server)
    outcome.notes["offers"] = len(offered)
    return outcome


def measure(outcome: Outcome, state: EmulatorState, engine: Engine, who: list[tuple[str, str]], ids: list[int],
            workshop_id: int, seats: int, presses: list[Press]) -> None:
    with Session(engine) as session:
        status = {row.person_id: row.status for row in rsvps(session=session, workshop_id=workshop_id)}
        unknown = {row.chat_id for row in session.exec(select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.unknown))}
    held = sum(s in SEATED for s in status.values())
    if held != seats:
        outcome.wrong.append(f"{held} seats held of {seats}")
    left = [status[ids[n]] != RsvpStatus.waitlist for n in range(seats, len(who))]
    if left != sorted(left, reverse=True):
        outcome.wrong.append("the seats were not offered in waitlist order")
    pressed = {p.person for p in presses}

    def count(platform: str, user: str, copies: int, due: int) -> None:
        outcome.events += due
        outcome.delivered += min(copies, due)
        missing = max(0, due - copies)
        if missing and platform == "telegram" and user in unknown:
            outcome.unknown_telegram += missing
            missing = 0
        outcome.lost += missing
        extra = max(0, copies - due)
        if platform == "line":
            outcome.doubled_line += extra
        else:
            outcome.doubled_telegram += extra

    for n, (platform, user) in enumerate(who):
        screen = state.screen(platform, user)
        offers = sum(OFFERED in r.text for r in screen)
        waited = n >= seats
        count(platform, user, offers, int(waited and left[n - seats]))
        count(platform, user, len(screen) - offers, int(n in pressed))
