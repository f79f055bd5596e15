"""Seats under concurrency, on SQLite and PostgreSQL: many answering at once never fill more than the capacity."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bot.messages import Reply
from storage.db import make_engine, transaction
from storage.migrations import upgrade
from storage.models import Person, Role
from storage.outbox import enqueue
from storage.rsvp import (
    RsvpStatus,
    answer,
    create_workshop,
    get_workshop,
    invite,
    rsvp_of,
    rsvps,
    seats_taken,
)

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def setup(
    database_url: str, people: int, capacity: int, per_province: int | None = None
) -> tuple[Engine, int, list[int]]:
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as session:
        persons = [Person(name=f"p{i}", role=Role.coordinator, province_iso="TH-50" if i % 2 else "TH-40")
                   for i in range(people)]
        session.add_all(persons)
        session.flush()
        workshop = create_workshop(session=session, title_th="w", starts_at=NOW + timedelta(days=10),
                                   ends_at=NOW + timedelta(days=11), rsvp_deadline=NOW + timedelta(days=5),
                                   roles=[Role.coordinator], provinces=["TH-50", "TH-40"], scope="",
                                   capacity=capacity, per_province=per_province)
        invite(session=session, workshop=workshop, people=persons)
        assert workshop.id is not None
        return engine, workshop.id, [p.id for p in persons if p.id is not None]


def race(engine: Engine, workshop_id: int, person_ids: list[int]) -> list[BaseException]:
    """Every person answers yes in their own thread and transaction, released at the same moment."""
    barrier = threading.Barrier(len(person_ids))
    errors: list[BaseException] = []

    def say_yes(person_id: int) -> None:
        try:
            barrier.wait()
            with transaction(engine) as session:
                workshop = get_workshop(session=session, workshop_id=workshop_id, lock=True)
                row = rsvp_of(session=session, workshop_id=workshop_id, person_id=person_id)
                assert workshop is not None and row is not None
                answer(session=session, workshop=workshop, row=row, choice=RsvpStatus.yes, now=NOW)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=say_yes, args=(pid,)) for pid in person_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_people_taking_the_last_seat_exactly_one_gets_it(database_url: str) -> None:
    engine, workshop_id, ids = setup(database_url, people=2, capacity=1)
    assert race(engine, workshop_id, ids) == []
    with transaction(engine) as session:
        statuses = sorted(r.status for r in rsvps(session=session, workshop_id=workshop_id))
    engine.dispose()
    assert statuses == [RsvpStatus.waitlist, RsvpStatus.yes]


def test_many_at_once_never_exceed_capacity_or_the_province_limit(database_url: str) -> None:
    engine, workshop_id, ids = setup(database_url, people=12, capacity=5, per_province=3)
    assert race(engine, workshop_id, ids) == []
    with transaction(engine) as session:
        seated = seats_taken(session=session, workshop_id=workshop_id)
        per = {iso: seats_taken(session=session, workshop_id=workshop_id, province_iso=iso)
               for iso in ("TH-50", "TH-40")}
        waiting = [r for r in rsvps(session=session, workshop_id=workshop_id) if r.status == RsvpStatus.waitlist]
    engine.dispose()
    assert seated == 5 and max(per.values()) == 3 and len(waiting) == 7


def test_a_repeated_outbox_key_is_reported_as_not_queued(database_url: str) -> None:
    """Jobs count what they queued; on PostgreSQL a skipped repeat once counted as queued."""
    engine = make_engine(database_url)
    upgrade(engine)
    queued = []
    for _ in range(2):
        with transaction(engine) as session:
            queued.append(enqueue(session=session, key="rv:nudge:1:2d:7", platform="line", user_id="U1",
                                  chat_id="U1", replies=[Reply(text="x")], now=NOW))
    engine.dispose()
    assert queued == [True, False]
