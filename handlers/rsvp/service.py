"""RSVP use cases for invitees: see my workshops and one workshop, answer, take or pass on an offered seat, name
or confirm a delegate; and giving up a seat on someone's behalf.

Keyword arguments in, domain results out, refusals raised as `handlers.rsvp.errors`: no reply, no reader's
language, so the chat, the CLI, the jobs and the web console share them. Messages to other people go through
`handlers.rsvp.notices`; jobs that follow a change go through the `Planner`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import When
from bot.planner import Planner
from handlers.rsvp.errors import DeadlinePassed, NotInvited, Started, WorkshopNotFound
from handlers.rsvp.notices import send_offers, tell_principal
from handlers.rsvp.texts import title
from storage.models import Account, Person, Role
from storage.people import audit
from storage.rsvp import (
    SEATED,
    Change,
    Rsvp,
    RsvpStatus,
    Workshop,
    answer,
    confirm_delegate,
    get_workshop,
    name_delegate,
    rsvp_by_code,
    rsvp_of,
    rsvps_of_person,
    seats_taken,
    waitlist_position,
)


@dataclass(frozen=True)
class Seen:
    """One workshop as a person may see it: their answer (None for an admin or a delegate) and the seats taken."""

    workshop: Workshop
    row: Rsvp | None
    taken: int


@dataclass(frozen=True)
class Answered:
    """An answer's outcome; `waitlisted` is the person's place in line when they are on the waitlist."""

    workshop: Workshop
    row: Rsvp
    changed: bool
    waitlisted: int | None


@dataclass(frozen=True)
class OfferGone:
    """The seat offer expired or never was; `seated` when the person had already taken it."""

    row: Rsvp
    seated: bool


@dataclass(frozen=True)
class DelegateNamed:
    workshop: Workshop
    row: Rsvp
    waitlisted: int | None


@dataclass(frozen=True)
class DelegateConfirmed:
    workshop: Workshop
    row: Rsvp
    principal: Person


def workshop_or_refuse(*, session: Session, workshop_id: int, lock: bool = False) -> Workshop:
    workshop = get_workshop(session=session, workshop_id=workshop_id, lock=lock)
    if workshop is None:
        raise WorkshopNotFound(id=workshop_id)
    return workshop


def open_for_answers(*, workshop: Workshop, settings: Settings, now: datetime) -> None:
    """Refuse an answer once the workshop started or its answers closed."""
    if now >= workshop.starts_at:
        raise Started(title=title(workshop))
    if now >= workshop.rsvp_deadline:
        raise DeadlinePassed(title=title(workshop), when=When(workshop.rsvp_deadline, settings.tz))


def taken(*, session: Session, workshop: Workshop) -> int:
    assert workshop.id is not None
    return seats_taken(session=session, workshop_id=workshop.id)


def offer_seats(*, session: Session, workshop: Workshop, offered: list[Rsvp], settings: Settings, now: datetime,
                planner: Planner) -> None:
    """Tell those offered a freed seat, and plan the offers' expiry."""
    send_offers(session=session, workshop=workshop, offered=offered, settings=settings, now=now)
    assert workshop.id is not None
    for at in sorted({r.offer_expires_at for r in offered if r.offer_expires_at is not None}):
        planner.offers_expire(workshop.id, at)


def my_workshops(*, session: Session, person_id: int, now: datetime) -> list[tuple[Workshop, Rsvp]]:
    """The workshops a person is invited to (or a delegate at) that have not ended yet."""
    return [(w, r) for w, r in rsvps_of_person(session=session, person_id=person_id) if w.ends_at > now]


def see_workshop(*, session: Session, person: Person, workshop_id: int) -> Seen:
    """A workshop for its invitees, their delegates and admins; anyone else is refused."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id)
    assert person.id is not None and workshop.id is not None
    row = rsvp_of(session=session, workshop_id=workshop.id, person_id=person.id)
    delegate = any(w.id == workshop.id for w, r in rsvps_of_person(session=session, person_id=person.id)
                   if r.delegate_person_id == person.id)
    if row is None and person.role != Role.admin and not delegate:
        raise NotInvited(title=title(workshop))
    return Seen(workshop, row, taken(session=session, workshop=workshop))


def _my_row(session: Session, workshop: Workshop, person_id: int) -> Rsvp:
    assert workshop.id is not None
    row = rsvp_of(session=session, workshop_id=workshop.id, person_id=person_id)
    if row is None:
        raise NotInvited(title=title(workshop))
    return row


def _settled(session: Session, workshop: Workshop, change: Change, settings: Settings, now: datetime,
             planner: Planner) -> Answered:
    if change.changed:
        offer_seats(session=session, workshop=workshop, offered=change.offered, settings=settings, now=now,
                    planner=planner)
    row = change.row
    waitlisted = waitlist_position(session=session, row=row) if row.status == RsvpStatus.waitlist else None
    return Answered(workshop, row, change.changed, waitlisted)


def answer_invitation(*, session: Session, person_id: int, workshop_id: int, choice: RsvpStatus,
                      settings: Settings, now: datetime, planner: Planner) -> Answered:
    """Yes, no or maybe while answers are open; a yes on a full workshop joins the waitlist, a no frees a seat for
    the next in line."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id, lock=True)
    row = _my_row(session, workshop, person_id)
    open_for_answers(workshop=workshop, settings=settings, now=now)
    change = answer(session=session, workshop=workshop, row=row, choice=choice, now=now)
    return _settled(session, workshop, change, settings, now, planner)


def answer_offer(*, session: Session, person_id: int, workshop_id: int, accept: bool, settings: Settings,
                 now: datetime, planner: Planner) -> Answered | OfferGone:
    """Take or pass on a seat offered from the waitlist, until the offer expires or the workshop starts."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id, lock=True)
    row = _my_row(session, workshop, person_id)
    if now >= workshop.starts_at:
        raise Started(title=title(workshop))
    if row.status != RsvpStatus.offered or row.offer_expires_at is None or now >= row.offer_expires_at:
        return OfferGone(row, seated=accept and row.status == RsvpStatus.yes)
    choice = RsvpStatus.yes if accept else RsvpStatus.no
    change = answer(session=session, workshop=workshop, row=row, choice=choice, now=now)
    return _settled(session, workshop, change, settings, now, planner)


def appoint_delegate(*, session: Session, person_id: int, workshop_id: int, name: str, position: str,
                     contact: str, settings: Settings, now: datetime, planner: Planner) -> DelegateNamed:
    """A principal names who goes in their place; the seat stays theirs and their province's."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id, lock=True)
    row = _my_row(session, workshop, person_id)
    if row.status not in SEATED:  # a held seat may change hands until the start; anything else is an answer
        open_for_answers(workshop=workshop, settings=settings, now=now)
    elif now >= workshop.starts_at:
        raise Started(title=title(workshop))
    change = name_delegate(session=session, workshop=workshop, row=row, name=name, position=position,
                           contact=contact, now=now)
    audit(session=session, person_id=person_id, action="workshop_delegate", workshop=workshop_id, delegate=name)
    offer_seats(session=session, workshop=workshop, offered=change.offered, settings=settings, now=now,
                planner=planner)
    waitlisted = waitlist_position(session=session, row=row) if row.status == RsvpStatus.waitlist else None
    return DelegateNamed(workshop, row, waitlisted)


def confirm_delegate_code(*, session: Session, person: Person, account: Account, code: str,
                          now: datetime) -> DelegateConfirmed | None:
    """The delegate confirms with the principal's code; None for a code guessed, used or out of date (the caller
    counts it towards the codes' lockout)."""
    row = rsvp_by_code(session=session, code=code)
    workshop = get_workshop(session=session, workshop_id=row.workshop_id) if row is not None else None
    if (row is None or workshop is None or not row.delegate_name or row.delegate_confirmed_at is not None
            or row.person_id == person.id or now >= workshop.starts_at):
        return None
    confirm_delegate(session=session, row=row, person=person, now=now)
    principal = session.get(Person, row.person_id)
    assert principal is not None
    tell_principal(session=session, workshop=workshop, row=row, principal=principal, delegate=person,
                   account=account, now=now)
    audit(session=session, person_id=person.id, action="workshop_delegate_confirmed", workshop=workshop.id,
          principal=row.person_id, account=account.id)
    return DelegateConfirmed(workshop, row, principal)


def release_seat(*, session: Session, workshop_id: int, row: Rsvp, settings: Settings, now: datetime,
                 planner: Planner) -> list[Rsvp]:
    """Give up a seat on someone's behalf (an admin retiring them); the waitlist is offered it as usual.
    Returns the seats offered."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id, lock=True)
    change = answer(session=session, workshop=workshop, row=row, choice=RsvpStatus.no, now=now)
    offer_seats(session=session, workshop=workshop, offered=change.offered, settings=settings, now=now,
                planner=planner)
    return change.offered
