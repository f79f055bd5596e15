"""Workshops and the invitees' answers: seats, the waitlist, offers of a freed seat, delegates, check-in.

A seat is held by an answer in `yes` or `offered`. Every change that can take a seat first locks the workshop
row (`FOR UPDATE` on PostgreSQL; SQLite writers are serialized by BEGIN IMMEDIATE), so two people answering for
the last seat at the same moment are counted one after the other and exactly one gets it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Text, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.deadlines import parse_offset
from storage.models import Person, Role, json_field, utcnow, when
from storage.people import new_code, normalize_code, people_in

DEFAULT_REMINDERS = ("3d", "1d")
DEFAULT_NUDGES = ("2d",)
DEFAULT_OFFER_HOURS = 24


class RsvpStatus(StrEnum):
    invited = "invited"
    """Not answered yet."""
    yes = "yes"
    no = "no"
    maybe = "maybe"
    waitlist = "waitlist"
    offered = "offered"
    """A freed seat is held for them until `offer_expires_at`."""
    lapsed = "lapsed"
    """An offer ran out unanswered; they can answer yes again and join the end of the waitlist."""


SEATED = (RsvpStatus.yes, RsvpStatus.offered)


class Workshop(SQLModel, table=True):
    """A meeting people are invited to; `provinces` and `roles` say who, `capacity` how many seats."""

    id: int | None = Field(default=None, primary_key=True)
    title_th: str
    title_en: str = ""
    starts_at: datetime = when(index=True)
    ends_at: datetime = when()
    venue: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    agenda: str = ""
    rsvp_deadline: datetime = when()
    roles: list[str] = json_field([])
    provinces: list[str] = json_field([])
    scope: str = ""
    """How the provinces were chosen, for display: "all", cluster names, or a list."""
    capacity: int | None = None
    per_province: int | None = None
    reminders: list[str] = json_field(list(DEFAULT_REMINDERS))
    """Offsets before the start, e.g. "3d", "1d", "2h"."""
    nudges: list[str] = json_field(list(DEFAULT_NUDGES))
    """Offsets before the RSVP deadline at which the silent are nudged."""
    offer_hours: int = DEFAULT_OFFER_HOURS
    secret: str = Field(default_factory=lambda: secrets.token_hex(16))
    """Signs the links to this workshop's files (.ics, QR codes, exports)."""
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = when(default_factory=utcnow)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_th

    def sign(self, what: str) -> str:
        """An unguessable token for a file URL; only someone with the workshop's secret can make one."""
        return hmac.new(self.secret.encode(), what.encode(), hashlib.sha256).hexdigest()[:24]

    def verify(self, what: str, token: str) -> bool:
        # As bytes: compare_digest refuses str with non-ASCII characters, and a link's token is anyone's to type.
        return hmac.compare_digest(self.sign(what).encode(), token.encode(errors="replace"))


class Rsvp(SQLModel, table=True):
    """One invitee's answer to one workshop (at most one), with a delegate and the check-in if any."""

    __table_args__ = (UniqueConstraint("workshop_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    province_iso: str | None = None
    status: RsvpStatus = RsvpStatus.invited
    answered_at: datetime | None = when(nullable=True)
    waitlisted_at: datetime | None = when(nullable=True)
    offer_expires_at: datetime | None = when(nullable=True)
    code: str = Field(unique=True)
    """Shown as the QR code and typed by staff at check-in; also what a delegate sends to confirm."""
    delegate_name: str = ""
    delegate_position: str = ""
    delegate_contact: str = ""
    delegate_person_id: int | None = Field(default=None, foreign_key="person.id")
    delegate_confirmed_at: datetime | None = when(nullable=True)
    checked_in_at: datetime | None = when(nullable=True)
    checked_in_by: int | None = Field(default=None, foreign_key="person.id")


class WorkshopDraft(SQLModel, table=True):
    """A workshop typed in chat by an admin, waiting for the confirmation button (the form does not fit in a
    payload). Nothing else is stored until it is confirmed; `workshop_id` says what the confirmation created."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    form: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = when()
    done_at: datetime | None = when(nullable=True)
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id")


class BadWorkshop(ValueError):
    """A workshop that cannot be created; `reason` lets the chat say why in the reader's language."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def new_workshop(
    *, title_th: str, starts_at: datetime, ends_at: datetime, rsvp_deadline: datetime, roles: list[Role],
    provinces: list[str], scope: str, title_en: str = "", venue: str = "", address: str = "",
    latitude: float | None = None, longitude: float | None = None, agenda: str = "", capacity: int | None = None,
    per_province: int | None = None, reminders: list[str] | None = None, nudges: list[str] | None = None,
    offer_hours: int = DEFAULT_OFFER_HOURS, created_by: int | None = None,
) -> Workshop:
    """A checked workshop, not stored yet: the chat previews it before anything is saved."""
    if ends_at <= starts_at:
        raise BadWorkshop("ends_before_start", "a workshop must end after it starts")
    if rsvp_deadline > starts_at:
        raise BadWorkshop("deadline_after_start", "the RSVP deadline must not be after the start")
    if not roles or not provinces:
        raise BadWorkshop("nobody", "invite at least one role in at least one province")
    if (capacity is not None and capacity < 1) or (per_province is not None and per_province < 1):
        raise BadWorkshop("seats", "capacity and seats per province must be at least 1")
    for offset in [*(reminders or []), *(nudges or [])]:
        try:
            parse_offset(offset)
        except ValueError as exc:
            raise BadWorkshop("offset", f"bad reminder offset {offset!r}") from exc
    return Workshop(
        title_th=title_th, title_en=title_en, starts_at=starts_at, ends_at=ends_at, rsvp_deadline=rsvp_deadline,
        roles=[str(r) for r in roles], provinces=sorted(set(provinces)), scope=scope, venue=venue, address=address,
        latitude=latitude, longitude=longitude, agenda=agenda, capacity=capacity, per_province=per_province,
        reminders=list(reminders if reminders is not None else DEFAULT_REMINDERS),
        nudges=list(nudges if nudges is not None else DEFAULT_NUDGES), offer_hours=offer_hours,
        created_by=created_by,
    )


def create_workshop(*, session: Session, **fields: Any) -> Workshop:
    """Check and store a workshop (see `new_workshop` for the fields)."""
    workshop = new_workshop(**fields)
    session.add(workshop)
    session.flush()
    return workshop


def get_workshop(*, session: Session, workshop_id: int, lock: bool = False) -> Workshop | None:
    """The workshop; `lock` takes its row lock, which every seat-changing transaction queues on."""
    query = select(Workshop).where(Workshop.id == workshop_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def all_workshops(*, session: Session) -> list[Workshop]:
    return list(session.exec(select(Workshop).order_by(col(Workshop.starts_at))))


def upcoming_workshops(*, session: Session, now: datetime) -> list[Workshop]:
    return list(session.exec(select(Workshop).where(col(Workshop.ends_at) > now).order_by(col(Workshop.starts_at))))


def invitees(*, session: Session, workshop: Workshop) -> list[Person]:
    """Everyone the workshop's roles and provinces select, now."""
    return people_in(session=session, roles=[Role(r) for r in workshop.roles], province_isos=workshop.provinces)


def invite(*, session: Session, workshop: Workshop, people: list[Person]) -> list[Rsvp]:
    """Create the not-yet-answered rows for people not invited before; returns the new rows."""
    assert workshop.id is not None
    known = {r.person_id for r in rsvps(session=session, workshop_id=workshop.id)}
    fresh = []
    for person in people:
        if person.id is None or person.id in known:
            continue
        row = Rsvp(workshop_id=workshop.id, person_id=person.id, province_iso=person.province_iso, code=new_code())
        session.add(row)
        fresh.append(row)
        known.add(person.id)
    session.flush()
    return fresh


def rsvps(*, session: Session, workshop_id: int, statuses: Iterable[RsvpStatus] | None = None) -> list[Rsvp]:
    """A workshop's rows in invitation order; only those with `statuses` when given."""
    query = select(Rsvp).where(Rsvp.workshop_id == workshop_id)
    if statuses is not None:
        query = query.where(col(Rsvp.status).in_(list(statuses)))
    return list(session.exec(query.order_by(col(Rsvp.id))))


def rsvp_of(*, session: Session, workshop_id: int, person_id: int) -> Rsvp | None:
    return session.exec(select(Rsvp).where(Rsvp.workshop_id == workshop_id, Rsvp.person_id == person_id)).first()


def rsvp_by_code(*, session: Session, code: str) -> Rsvp | None:
    return session.exec(select(Rsvp).where(Rsvp.code == normalize_code(code))).first()


def rsvps_of_person(*, session: Session, person_id: int) -> list[tuple[Workshop, Rsvp]]:
    """The person's invitations and the seats they hold as a confirmed delegate, soonest first."""
    query = (select(Workshop, Rsvp).join(Rsvp, col(Rsvp.workshop_id) == col(Workshop.id))
             .where((Rsvp.person_id == person_id) | (Rsvp.delegate_person_id == person_id))
             .order_by(col(Workshop.starts_at)))
    return [(w, r) for w, r in session.exec(query)]


def seats_taken(*, session: Session, workshop_id: int, province_iso: str | None = None) -> int:
    query = select(func.count()).select_from(Rsvp).where(Rsvp.workshop_id == workshop_id,
                                                         col(Rsvp.status).in_(SEATED))
    if province_iso is not None:
        query = query.where(Rsvp.province_iso == province_iso)
    return int(session.exec(query).one())


def most_seated_province(*, session: Session, workshop_id: int) -> tuple[str | None, int]:
    """The province holding the most seats, and how many: what a per-province limit is checked against."""
    row = session.exec(
        select(Rsvp.province_iso, func.count()).where(Rsvp.workshop_id == workshop_id, col(Rsvp.status).in_(SEATED))
        .group_by(col(Rsvp.province_iso)).order_by(func.count().desc()).limit(1)
    ).first()
    return (row[0], int(row[1])) if row else (None, 0)


def has_seat_for(*, session: Session, workshop: Workshop, province_iso: str | None) -> bool:
    assert workshop.id is not None
    if workshop.capacity is not None and seats_taken(session=session, workshop_id=workshop.id) >= workshop.capacity:
        return False
    if workshop.per_province is not None and province_iso is not None:
        taken = seats_taken(session=session, workshop_id=workshop.id, province_iso=province_iso)
        return taken < workshop.per_province
    return True


def waitlist_position(*, session: Session, row: Rsvp) -> int:
    """1 for the first in line."""
    assert row.waitlisted_at is not None and row.id is not None
    ahead = session.exec(select(func.count()).select_from(Rsvp).where(
        Rsvp.workshop_id == row.workshop_id, Rsvp.status == RsvpStatus.waitlist,
        (col(Rsvp.waitlisted_at) < row.waitlisted_at)
        | ((col(Rsvp.waitlisted_at) == row.waitlisted_at) & (col(Rsvp.id) < row.id)),
    )).one()
    return int(ahead) + 1


@dataclass
class Change:
    """What an answer did: the row's status before and after, and the offers a freed seat caused."""

    before: RsvpStatus
    row: Rsvp
    offered: list[Rsvp]

    @property
    def changed(self) -> bool:
        return self.before != self.row.status


def answer(*, session: Session, workshop: Workshop, row: Rsvp, choice: RsvpStatus, now: datetime) -> Change:
    """Record yes/no/maybe. The caller holds the workshop lock; a repeat of the same answer changes nothing."""
    before = row.status
    if choice == RsvpStatus.yes:
        if before in (RsvpStatus.yes, RsvpStatus.waitlist):
            return Change(before, row, [])
        seat = before == RsvpStatus.offered or has_seat_for(session=session, workshop=workshop,
                                                           province_iso=row.province_iso)
        if seat:
            row.status, row.offer_expires_at = RsvpStatus.yes, None
        else:
            row.status, row.waitlisted_at = RsvpStatus.waitlist, now
    else:
        if before == choice:
            return Change(before, row, [])
        row.status, row.offer_expires_at = choice, None
    row.answered_at = now
    session.add(row)
    session.flush()
    offered = promote(session=session, workshop=workshop, now=now) if before in SEATED else []
    return Change(before, row, offered)


def promote(*, session: Session, workshop: Workshop, now: datetime) -> list[Rsvp]:
    """Offer free seats to the waitlist in order, skipping those whose province is full. The caller holds the lock."""
    assert workshop.id is not None
    if now >= workshop.starts_at:
        return []
    waiting = session.exec(select(Rsvp).where(Rsvp.workshop_id == workshop.id, Rsvp.status == RsvpStatus.waitlist)
                           .order_by(col(Rsvp.waitlisted_at), col(Rsvp.id))).all()
    offered: list[Rsvp] = []
    taken = seats_taken(session=session, workshop_id=workshop.id)  # an offer holds a seat: counted as we go
    for row in waiting:
        if workshop.capacity is not None and taken >= workshop.capacity:
            break
        if workshop.per_province is not None and row.province_iso is not None and seats_taken(
                session=session, workshop_id=workshop.id, province_iso=row.province_iso) >= workshop.per_province:
            continue
        row.status = RsvpStatus.offered
        row.offer_expires_at = min(now + timedelta(hours=workshop.offer_hours), workshop.starts_at)
        session.add(row)
        session.flush()
        offered.append(row)
        taken += 1
    return offered


def expire_offers(*, session: Session, workshop: Workshop, now: datetime) -> tuple[list[Rsvp], list[Rsvp]]:
    """Lapse offers past their time and offer the seats on; returns (lapsed, newly offered)."""
    assert workshop.id is not None
    lapsed = list(session.exec(select(Rsvp).where(
        Rsvp.workshop_id == workshop.id, Rsvp.status == RsvpStatus.offered, col(Rsvp.offer_expires_at) <= now)))
    for row in lapsed:
        row.status, row.offer_expires_at = RsvpStatus.lapsed, None
        session.add(row)
    session.flush()
    return lapsed, promote(session=session, workshop=workshop, now=now)


def set_capacity(*, session: Session, workshop: Workshop, capacity: int | None, per_province: int | None,
                 now: datetime) -> list[Rsvp]:
    """Change the limits (the caller holds the lock); raising them offers seats to the waitlist."""
    workshop.capacity, workshop.per_province = capacity, per_province
    session.add(workshop)
    session.flush()
    return promote(session=session, workshop=workshop, now=now)


def name_delegate(*, session: Session, workshop: Workshop, row: Rsvp, name: str, position: str, contact: str,
                  now: datetime) -> Change:
    """The seat stays with the province: the principal's answer becomes yes (or the waitlist), sent by a delegate."""
    row.delegate_name, row.delegate_position, row.delegate_contact = name, position, contact
    row.delegate_person_id, row.delegate_confirmed_at = None, None
    row.code = new_code()  # a code given to an earlier delegate no longer works
    return answer(session=session, workshop=workshop, row=row, choice=RsvpStatus.yes, now=now)


def confirm_delegate(*, session: Session, row: Rsvp, person: Person, now: datetime) -> None:
    row.delegate_person_id, row.delegate_confirmed_at = person.id, now
    session.add(row)


class DeskClosed(ValueError):
    """A check-in outside the workshop's days (and the early desk before them)."""

    def __init__(self, opens: datetime, closes: datetime) -> None:
        super().__init__(f"the check-in desk is open from {opens:%Y-%m-%d %H:%M} to {closes:%Y-%m-%d %H:%M}")
        self.opens = opens
        self.closes = closes


def desk_hours(workshop: Workshop, tz: ZoneInfo, early: timedelta) -> tuple[datetime, datetime]:
    """From local midnight of the first day (less the early desk) to the end of the workshop."""
    first_day = workshop.starts_at.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return first_day - early, workshop.ends_at


def check_in(*, session: Session, workshop: Workshop, row: Rsvp, by: int | None, now: datetime, tz: ZoneInfo,
             early: timedelta = timedelta(0)) -> bool:
    """Mark an arrival on the workshop's days; False if already checked in (nothing changes)."""
    if row.checked_in_at is not None:
        return False
    opens, closes = desk_hours(workshop, tz, early)
    if not opens <= now <= closes:
        raise DeskClosed(opens, closes)
    row.checked_in_at, row.checked_in_by = now, by
    session.add(row)
    return True


@dataclass
class Counts:
    """Answers overall and per province; `silent` lists the invited provinces where nobody has answered."""

    overall: Counter[str]
    by_province: dict[str, Counter[str]]
    delegates: int
    checked_in: int
    silent: list[str]


def counts(*, session: Session, workshop: Workshop) -> Counts:
    assert workshop.id is not None
    overall: Counter[str] = Counter()
    by_province: dict[str, Counter[str]] = {}
    delegates = checked_in = 0
    # Only the columns counted: building 5,000 Rsvp objects took most of a national workshop's board.
    for status, province_iso, delegate_name, arrived in session.execute(
            select(Rsvp.status, Rsvp.province_iso, Rsvp.delegate_name, Rsvp.checked_in_at)
            .where(Rsvp.workshop_id == workshop.id)):
        overall[status] += 1
        by_province.setdefault(province_iso or "-", Counter())[status] += 1
        delegates += bool(delegate_name) and status in SEATED
        checked_in += arrived is not None
    silent = [iso for iso in workshop.provinces
              if iso in by_province and set(by_province[iso]) == {RsvpStatus.invited}]
    return Counts(overall, by_province, delegates, checked_in, silent)


def answer_counts(*, session: Session, workshop_id: int) -> Counter[str]:
    """Answers by status in one grouped query (the dashboard's line; `counts` has the per-province detail)."""
    rows = session.execute(select(Rsvp.status, func.count()).where(Rsvp.workshop_id == workshop_id)
                           .group_by(col(Rsvp.status)))
    return Counter({str(status): int(n) for status, n in rows})


def silent_people(*, session: Session, workshop: Workshop) -> list[tuple[Rsvp, Person]]:
    """Invitees who have not answered (nor said maybe), for the nudge before the deadline."""
    assert workshop.id is not None
    query = (select(Rsvp, Person).join(Person, col(Person.id) == col(Rsvp.person_id))
             .where(Rsvp.workshop_id == workshop.id, col(Rsvp.status).in_((RsvpStatus.invited, RsvpStatus.maybe)))
             .order_by(col(Rsvp.id)))
    return [(r, p) for r, p in session.exec(query)]


def attendees(*, session: Session, workshop: Workshop) -> list[tuple[Rsvp, Person]]:
    """Everyone with a seat (and the waitlist after them), by province."""
    assert workshop.id is not None
    query = (select(Rsvp, Person).join(Person, col(Person.id) == col(Rsvp.person_id))
             .where(Rsvp.workshop_id == workshop.id, col(Rsvp.status).in_((*SEATED, RsvpStatus.waitlist))))
    rows = [(r, p) for r, p in session.exec(query)]
    order = {RsvpStatus.yes: 0, RsvpStatus.offered: 1, RsvpStatus.waitlist: 2}
    return sorted(rows, key=lambda rp: (order[rp[0].status], rp[0].province_iso or "", rp[1].name))


def latest_open_draft(*, session: Session, person_id: int, since: datetime) -> WorkshopDraft | None:
    """The person's newest workshop form, typed after `since`, still waiting for its confirmation."""
    return session.exec(select(WorkshopDraft).where(
        WorkshopDraft.person_id == person_id, col(WorkshopDraft.done_at).is_(None), WorkshopDraft.created_at >= since,
    ).order_by(col(WorkshopDraft.id).desc()).limit(1)).first()
