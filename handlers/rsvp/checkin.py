"""RSVP use cases at the door: an attendee's check-in code, and staff (chat, CLI or console desk) marking an
arrival by that code. Keyword arguments in, domain results out, as in `handlers.rsvp.service`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from handlers.rsvp.errors import DeskNotOpen, NotSeated, UnknownCode
from handlers.rsvp.notices import welcome
from handlers.rsvp.service import workshop_or_refuse
from handlers.rsvp.texts import STATUS_NAMES, title
from storage.models import Person
from storage.people import audit
from storage.rsvp import DeskClosed, Rsvp, RsvpStatus, Workshop, check_in, rsvp_by_code, rsvps_of_person


@dataclass(frozen=True)
class Seat:
    """The seat whose code a person shows at the door: `mine` if they are the one who comes, `delegated` if their
    delegate holds it (the code is the delegate's to show), neither if they have no seat."""

    workshop: Workshop
    mine: Rsvp | None
    delegated: Rsvp | None


@dataclass(frozen=True)
class Arrival:
    """A seat checked in by its code; `arrived` is False when it had been checked in before (nothing changed)."""

    workshop: Workshop
    row: Rsvp
    name: str
    arrived: bool


def next_seat(*, session: Session, person_id: int, now: datetime) -> int | None:
    """The id of the next workshop where the person holds a seat (or their delegate does), if any."""
    seated = [w for w, r in rsvps_of_person(session=session, person_id=person_id)
              if w.ends_at > now and r.status == RsvpStatus.yes]
    return seated[0].id if seated else None


def seat_at(*, session: Session, person_id: int, workshop_id: int) -> Seat:
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id)
    rows = [r for w, r in rsvps_of_person(session=session, person_id=person_id)
            if w.id == workshop.id and r.status == RsvpStatus.yes]
    # A principal who sent a delegate does not get the code: the person at the door is the delegate.
    mine = [r for r in rows if r.delegate_person_id == person_id or (r.person_id == person_id and not r.delegate_name)]
    sent = [r for r in rows if r.person_id == person_id and r.delegate_name]
    return Seat(workshop, mine[0] if mine else None, sent[0] if sent else None)


def check_in_code(*, session: Session, code: str, by: int | None, settings: Settings, now: datetime,
                  via: str) -> Arrival:
    """Mark the arrival of the seat with this code while the desk is open, and welcome whoever came."""
    row = rsvp_by_code(session=session, code=code)
    if row is None:
        raise UnknownCode(code=code)
    workshop = workshop_or_refuse(session=session, workshop_id=row.workshop_id)
    principal = session.get(Person, row.person_id)
    assert principal is not None
    name = row.delegate_name or principal.name
    if row.status != RsvpStatus.yes:
        raise NotSeated(name=name, title=title(workshop), status=STATUS_NAMES[row.status])
    try:
        arrived = check_in(session=session, workshop=workshop, row=row, by=by, now=now, tz=settings.tz,
                           early=timedelta(hours=settings.checkin_early_hours))
    except DeskClosed as closed:
        raise DeskNotOpen(title=title(workshop), opens=closed.opens, closes=closed.closes,
                          tz=settings.tz) from closed
    if arrived:
        audit(session=session, person_id=by, action="workshop_checkin", workshop=workshop.id, rsvp=row.id, via=via)
        welcome(session=session, workshop=workshop, row=row, settings=settings, now=now)
    return Arrival(workshop, row, name, arrived)
