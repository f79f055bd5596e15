"""RSVP use cases for admins: the workshops ahead, one workshop's board (overall, per cluster and per province),
the waitlist and the seats on offer, seats, nudging the silent, and attendee exports (audited; one with contacts
is told to every admin).

Keyword arguments in, domain results out, as in `handlers.rsvp.service`; the chat, the CLI and the web console
share them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.config import Settings
from bot.files import export_url
from bot.planner import Planner
from handlers.rsvp.errors import BadSeats
from handlers.rsvp.notices import queue_nudges, tell_admins_of_export
from handlers.rsvp.payloads import ExportFormat
from handlers.rsvp.service import offer_seats, open_for_answers, taken, workshop_or_refuse
from storage import reference
from storage.models import Person
from storage.people import audit
from storage.rsvp import (
    Counts,
    Rsvp,
    RsvpStatus,
    Workshop,
    counts,
    most_seated_province,
    rsvps,
    seats_taken,
    set_capacity,
    upcoming_workshops,
)


@dataclass(frozen=True)
class Board:
    """One workshop's answers: `counts` overall and per province, and `by_cluster` (0: Bangkok, in no cluster)."""

    workshop: Workshop
    counts: Counts
    by_cluster: dict[int, Counter[str]]


@dataclass(frozen=True)
class Line:
    """Who waits for a seat, in the order seats are offered, and who has been offered one (until when)."""

    workshop: Workshop
    offered: list[tuple[Rsvp, Person]]
    waiting: list[tuple[Rsvp, Person]]


@dataclass(frozen=True)
class SeatsBelow:
    """New seats below those already taken: nothing changed yet, the admin is asked to confirm. `over_total` is
    the seats taken when above the new total; `over_province` the fullest province and its seats when above the
    new limit per province."""

    workshop: Workshop
    capacity: int
    per_province: int | None
    over_total: int | None
    over_province: tuple[str, int] | None


@dataclass(frozen=True)
class SeatsSet:
    workshop: Workshop
    capacity: int
    per_province: int | None
    offered: int


@dataclass(frozen=True)
class Exported:
    workshop: Workshop
    url: str
    fmt: ExportFormat


def upcoming(*, session: Session, now: datetime) -> list[tuple[Workshop, int]]:
    """Workshops not started yet, each with its seats taken."""
    return [(w, taken(session=session, workshop=w)) for w in upcoming_workshops(session=session, now=now)]


def workshop_board(*, session: Session, workshop_id: int) -> Board:
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id)
    tally = counts(session=session, workshop=workshop)
    by_cluster: dict[int, Counter[str]] = {}
    for iso, tally_p in tally.by_province.items():
        if iso == "-":
            continue
        no = reference.province(iso).cluster or 0
        by_cluster.setdefault(no, Counter()).update(tally_p)
    return Board(workshop, tally, by_cluster)


def waitlist(*, session: Session, workshop_id: int) -> Line:
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id)
    assert workshop.id is not None
    rows = rsvps(session=session, workshop_id=workshop.id)

    def with_person(status: RsvpStatus) -> list[tuple[Rsvp, Person]]:
        # the order `storage.rsvp.promote` offers seats in: first waitlisted first
        chosen = sorted((r for r in rows if r.status == status),
                        key=lambda r: (r.waitlisted_at.timestamp() if r.waitlisted_at else 0.0, r.id or 0))
        return [(r, person) for r in chosen if (person := session.get(Person, r.person_id)) is not None]

    return Line(workshop, with_person(RsvpStatus.offered), with_person(RsvpStatus.waitlist))


def set_seats(*, session: Session, workshop_id: int, capacity: int, per_province: int | None, confirmed: bool,
              by: int | None, settings: Settings, now: datetime, planner: Planner) -> SeatsSet | SeatsBelow:
    """Set the seats and offer any freed ones to the waitlist; below the seats already taken it first asks
    (unless `confirmed`), since nobody loses a seat by it."""
    if capacity < 1 or (per_province is not None and per_province < 1):
        raise BadSeats()
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id, lock=True)
    if not confirmed:
        seated = seats_taken(session=session, workshop_id=workshop_id)
        iso, most = most_seated_province(session=session, workshop_id=workshop_id)
        over_total = seated if seated > capacity else None
        over_province = (iso, most) if per_province is not None and iso is not None and most > per_province else None
        if over_total is not None or over_province is not None:
            return SeatsBelow(workshop, capacity, per_province, over_total, over_province)
    offered = set_capacity(session=session, workshop=workshop, capacity=capacity, per_province=per_province, now=now)
    audit(session=session, person_id=by, action="workshop_seats", workshop=workshop_id, capacity=capacity,
          per_province=per_province)
    offer_seats(session=session, workshop=workshop, offered=offered, settings=settings, now=now, planner=planner)
    return SeatsSet(workshop, capacity, per_province, len(offered))


def nudge_silent(*, session: Session, workshop_id: int, by: int | None, settings: Settings, now: datetime) -> int:
    """Nudge everyone who has not answered, while answers are open; returns how many were nudged."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id)
    open_for_answers(workshop=workshop, settings=settings, now=now)
    stamp = int(now.timestamp()) // 3600  # pressed twice within the hour: nobody is nudged twice
    sent = queue_nudges(session=session, workshop=workshop, stage=f"manual{stamp}", settings=settings, now=now)
    audit(session=session, person_id=by, action="workshop_nudge", workshop=workshop.id, sent=sent)
    return sent


def record_export(*, session: Session, workshop: Workshop, by: Person | None, fmt: str, contacts: bool, via: str,
                  now: datetime, **detail: Any) -> int:
    """Audit an attendee export (chat, CLI or console); one with contacts is told to every admin, so that an
    export of people's phone numbers never goes unseen. Returns the number of admins told."""
    audit(session=session, person_id=by.id if by else None, action="workshop_export", workshop=workshop.id,
          format=fmt, contacts=contacts, via=via, at=now, **detail)
    if not contacts:
        return 0
    return tell_admins_of_export(session=session, workshop=workshop, by=by, fmt=fmt, via=via, now=now)


def export_link(*, session: Session, workshop_id: int, fmt: ExportFormat, contacts: bool, by: Person,
                settings: Settings, now: datetime, via: str) -> Exported:
    """A signed link to the attendee list that works for a day, audited as an export by `by`."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id)
    assert by.id is not None
    url = export_url(settings, workshop, fmt=fmt, contacts=contacts, person_id=by.id, now=now)
    record_export(session=session, workshop=workshop, by=by, fmt=fmt, contacts=contacts, via=via, now=now)
    return Exported(workshop, url, fmt)
