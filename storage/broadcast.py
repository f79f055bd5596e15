"""Announcements: the broadcast, its segment, the recipients ledger (who, on which platform, through which
outbox row) and acknowledgements.

A broadcast is fanned out once (a conditional status change guards it): one outbox row per Telegram chat and
one LINE multicast row per batch of up to 500 user ids, all tagged `broadcast:<id>`. Delivery counts are the
ledger joined with those rows, so they are per recipient on both platforms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint, func, insert
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select, update

from bot.messages import Reply
from storage import reference
from storage.db import utcnow
from storage.deadlines import get_window, missing_provinces
from storage.models import Account, OutboxMessage, OutboxStatus, Person, Role, json_field, when
from storage.outbox import enqueue
from storage.rsvp import Rsvp, RsvpStatus

LINE_BATCH = 500
"""LINE's multicast takes at most 500 user ids per call."""

PLATFORMS = ("line", "telegram")
STATES = ("queued", "sent", "failed", "unreachable")
"""The delivery states every report shows; `unknown` and `skipped` appear when they occur."""


class BroadcastStatus(StrEnum):
    draft = "draft"
    """Composed and previewed; nothing is sent before the author confirms."""
    scheduled = "scheduled"
    sending = "sending"
    done = "done"
    cancelled = "cancelled"


class LineMode(StrEnum):
    """What to do about LINE when the broadcast would exceed the monthly quota."""

    all = "all"
    telegram_only = "telegram_only"
    partial = "partial"


class Broadcast(SQLModel, table=True):
    """One announcement by an admin to a segment."""

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="person.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    image_url: str = ""
    link_url: str = ""
    link_label: str = ""
    segment: dict[str, Any] = json_field()
    ask_ack: bool = False
    quiet_hours: bool = False
    """Respect quiet hours (only when the author asked): sending waits for them to end."""
    status: BroadcastStatus = Field(default=BroadcastStatus.draft, index=True)
    send_at: datetime | None = when(nullable=True)
    line_mode: LineMode = LineMode.all
    line_limit: int | None = None
    """With `partial`: how many LINE recipients the quota allowed when the author confirmed."""
    line_stopped: bool = False
    """LINE answered "monthly limit" while sending; the author has been told."""
    created_at: datetime = when(default_factory=utcnow)
    started_at: datetime | None = when(nullable=True)
    finished_at: datetime | None = when(nullable=True)


class BroadcastRecipient(SQLModel, table=True):
    """The ledger: one row per person a broadcast was meant for, with the outbox row that carries it."""

    __table_args__ = (UniqueConstraint("broadcast_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    platform: str
    user_id: str = ""
    outbox_key: str = ""
    note: str = ""
    """`unreachable` (blocked or unfollowed before sending) or `skipped` (over LINE's quota); else empty."""
    acked_at: datetime | None = when(nullable=True)


@dataclass(frozen=True)
class Segment:
    """Who a broadcast is for; kinds combine with AND, values within a kind with OR; empty means everyone."""

    roles: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    clusters: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    attending: tuple[int, ...] = ()
    """Workshop ids: people who answered yes."""
    silent: tuple[int, ...] = ()
    """Workshop ids: invitees who have not answered."""
    unsubmitted: tuple[int, ...] = ()
    """Submission window ids: people of provinces that window is waiting for."""

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) for k, v in self.__dict__.items() if v}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Segment:
        def ints(name: str) -> tuple[int, ...]:
            return tuple(int(v) for v in data.get(name, ()))

        return cls(roles=tuple(data.get("roles", ())), provinces=tuple(data.get("provinces", ())),
                   clusters=ints("clusters"), regions=tuple(data.get("regions", ())),
                   platforms=tuple(data.get("platforms", ())), attending=ints("attending"), silent=ints("silent"),
                   unsubmitted=ints("unsubmitted"))

    def province_isos(self) -> set[str] | None:
        """Provinces named directly or through a cluster or region; None when no place was given."""
        if not (self.provinces or self.clusters or self.regions):
            return None
        isos = set(self.provinces)
        for no in self.clusters:
            isos.update(p.iso for p in reference.provinces_in_cluster(no))
        for name in self.regions:
            isos.update(p.iso for p in reference.provinces_in_region(name))
        return isos


@dataclass(frozen=True)
class Target:
    person_id: int
    platform: str
    user_id: str
    chat_id: str


@dataclass
class Audience:
    """A resolved segment: reachable people on their chosen account, and those with no reachable account."""

    targets: list[Target] = field(default_factory=list)
    unreachable: list[tuple[int, str]] = field(default_factory=list)

    def count(self, platform: str) -> int:
        return sum(1 for t in self.targets if t.platform == platform)


def resolve(*, session: Session, segment: Segment) -> Audience:
    """Each matching person once, on the reachable account they used last (on the segment's platforms)."""
    query = (sa_select(col(Person.id), col(Account.platform), col(Account.user_id), col(Account.chat_id),
                       col(Account.reachable))
             .join(Account, col(Account.person_id) == col(Person.id))
             .where(col(Person.retired_at).is_(None))
             .order_by(col(Person.id), col(Account.last_seen_at).desc(), col(Account.id).desc()))
    if segment.roles:
        query = query.where(col(Person.role).in_([Role(r) for r in segment.roles]))
    isos = segment.province_isos()
    if isos is not None:
        query = query.where(col(Person.province_iso).in_(sorted(isos)))
    if segment.platforms:
        query = query.where(col(Account.platform).in_(segment.platforms))
    for workshops, status in ((segment.attending, RsvpStatus.yes), (segment.silent, RsvpStatus.invited)):
        if workshops:
            query = query.where(col(Person.id).in_(sa_select(col(Rsvp.person_id)).where(
                col(Rsvp.workshop_id).in_(workshops), col(Rsvp.status) == status)))
    if segment.unsubmitted:
        waiting = {iso for window_id in segment.unsubmitted
                   if (window := get_window(session=session, window_id=window_id)) is not None
                   for iso in missing_provinces(session=session, window=window)}
        query = query.where(col(Person.province_iso).in_(sorted(waiting)))
    audience = Audience()
    chosen: dict[int, Target] = {}
    first_platform: dict[int, str] = {}
    for person_id, platform, user_id, chat_id, reachable in session.execute(query):
        assert person_id is not None
        first_platform.setdefault(person_id, platform)
        if reachable and person_id not in chosen:
            chosen[person_id] = Target(person_id, platform, user_id, chat_id)
    audience.targets = list(chosen.values())
    audience.unreachable = [(p, platform) for p, platform in first_platform.items() if p not in chosen]
    return audience


def create_broadcast(*, session: Session, author_id: int, text: str, segment: Segment, now: datetime,
                     image_url: str = "", link_url: str = "", link_label: str = "", ask_ack: bool = False,
                     quiet_hours: bool = False, send_at: datetime | None = None) -> Broadcast:
    broadcast = Broadcast(author_id=author_id, text=text, segment=segment.to_json(), image_url=image_url,
                          link_url=link_url, link_label=link_label, ask_ack=ask_ack, quiet_hours=quiet_hours,
                          send_at=send_at, created_at=now)
    session.add(broadcast)
    session.flush()
    return broadcast


def get_broadcast(*, session: Session, broadcast_id: int) -> Broadcast | None:
    return session.get(Broadcast, broadcast_id)


def recent_broadcasts(*, session: Session, limit: int = 10) -> list[Broadcast]:
    return list(session.exec(select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)))


def set_status(*, session: Session, broadcast_id: int, frm: Iterable[BroadcastStatus], to: BroadcastStatus,
               **values: Any) -> bool:
    """Move a broadcast from one of `frm` to `to`; False if another transaction moved it first."""
    result = session.exec(update(Broadcast)  # type: ignore[call-overload]
                          .where(col(Broadcast.id) == broadcast_id, col(Broadcast.status).in_(list(frm)))
                          .values(status=to, **values))
    session.expire_all()
    return bool(result.rowcount)


TAG_PREFIX = "broadcast:"
"""Every outbox row of an announcement carries a tag with this prefix (and its id)."""


def tag_of(broadcast_id: int) -> str:
    return f"{TAG_PREFIX}{broadcast_id}"


def fan_out(*, session: Session, broadcast: Broadcast, replies: Sequence[Reply], now: datetime,
            not_before: datetime | None = None) -> Audience:
    """Write the ledger and the outbox rows of a broadcast whose status was just set to `sending`."""
    assert broadcast.id is not None
    audience = resolve(session=session, segment=Segment.from_json(broadcast.segment))
    tag = tag_of(broadcast.id)
    ledger: list[dict[str, Any]] = [
        {"broadcast_id": broadcast.id, "person_id": p, "platform": platform, "user_id": "", "outbox_key": "",
         "note": "unreachable"} for p, platform in audience.unreachable
    ]
    line = [t for t in audience.targets if t.platform == "line"]
    allowed = {LineMode.all: len(line), LineMode.telegram_only: 0,
               LineMode.partial: broadcast.line_limit or 0}[broadcast.line_mode]
    sending, skipped = line[:allowed], line[allowed:]
    # LINE batches first: a handful of calls reaches half the audience while Telegram goes chat by chat.
    for n, start in enumerate(range(0, len(sending), LINE_BATCH)):
        batch = sending[start:start + LINE_BATCH]
        key = f"bc:{broadcast.id}:line:{n}"
        enqueue(session=session, key=key, platform="line", user_id="", chat_id=f"bc{broadcast.id}-{n}",
                replies=replies, now=now, tag=tag, not_before=not_before, recipients=[t.user_id for t in batch])
        ledger += [{"broadcast_id": broadcast.id, "person_id": t.person_id, "platform": "line",
                    "user_id": t.user_id, "outbox_key": key, "note": ""} for t in batch]
    ledger += [{"broadcast_id": broadcast.id, "person_id": t.person_id, "platform": "line", "user_id": t.user_id,
                "outbox_key": "", "note": "skipped"} for t in skipped]
    for target in audience.targets:
        if target.platform == "line":
            continue
        key = f"bc:{broadcast.id}:tg:{target.person_id}"
        enqueue(session=session, key=key, platform=target.platform, user_id=target.user_id,
                chat_id=target.chat_id, replies=replies, now=now, tag=tag, not_before=not_before)
        ledger.append({"broadcast_id": broadcast.id, "person_id": target.person_id, "platform": target.platform,
                       "user_id": target.user_id, "outbox_key": key, "note": ""})
    if ledger:
        session.execute(insert(BroadcastRecipient), ledger)
    return audience


_STATE = {OutboxStatus.pending: "queued", OutboxStatus.sending: "queued", OutboxStatus.sent: "sent",
          OutboxStatus.unreachable: "unreachable", OutboxStatus.unknown: "unknown"}


def delivery(*, session: Session, broadcast_id: int) -> dict[str, Counter[str]]:
    """platform -> state -> recipients, where state is queued/sent/failed/unreachable/unknown/skipped."""
    query = (sa_select(col(BroadcastRecipient.platform), col(BroadcastRecipient.note), col(OutboxMessage.status),
                       func.count())
             .select_from(BroadcastRecipient)
             .outerjoin(OutboxMessage, col(OutboxMessage.key) == col(BroadcastRecipient.outbox_key))
             .where(col(BroadcastRecipient.broadcast_id) == broadcast_id)
             .group_by(col(BroadcastRecipient.platform), col(BroadcastRecipient.note), col(OutboxMessage.status)))
    counts: dict[str, Counter[str]] = {platform: Counter() for platform in PLATFORMS}
    for platform, note, status, n in session.execute(query):
        state = note or (_STATE.get(OutboxStatus(status), "failed") if status is not None else "failed")
        counts.setdefault(platform, Counter())[state] += n
    return counts


@dataclass(frozen=True)
class LedgerRow:
    """One recipient of a broadcast: how it went (`state` as in `delivery`), why it failed, and the "รับทราบ"."""

    person: Person
    platform: str
    state: str
    error: str
    sent_at: datetime | None
    acked_at: datetime | None


def ledger(*, session: Session, broadcast_id: int, limit: int = 500) -> list[LedgerRow]:
    """The per-recipient ledger, in recipient order (the first `limit`)."""
    query = (sa_select(Person, col(BroadcastRecipient.platform), col(BroadcastRecipient.note),
                       col(BroadcastRecipient.acked_at), col(OutboxMessage.status), col(OutboxMessage.last_error),
                       col(OutboxMessage.sent_at))
             .join(Person, col(Person.id) == col(BroadcastRecipient.person_id))
             .outerjoin(OutboxMessage, col(OutboxMessage.key) == col(BroadcastRecipient.outbox_key))
             .where(col(BroadcastRecipient.broadcast_id) == broadcast_id)
             .order_by(col(BroadcastRecipient.id)).limit(limit))
    rows = []
    for person, platform, note, acked_at, status, error, sent_at in session.execute(query):
        state = note or (_STATE.get(OutboxStatus(status), "failed") if status is not None else "failed")
        rows.append(LedgerRow(person, platform, state, error or "" if state == "failed" else "", sent_at, acked_at))
    return rows


def unfinished_rows(*, session: Session, broadcast_id: int) -> int:
    """Outbox rows of the broadcast still to be sent (pending or being sent)."""
    return session.exec(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.tag == tag_of(broadcast_id),
        col(OutboxMessage.status).in_([OutboxStatus.pending, OutboxStatus.sending]),
    )).one()


def line_quota_hit(*, session: Session, broadcast_id: int) -> bool:
    """Whether LINE refused a batch of this broadcast for the monthly limit."""
    return session.exec(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.tag == tag_of(broadcast_id), OutboxMessage.platform == "line",
        col(OutboxMessage.status).in_([OutboxStatus.failed, OutboxStatus.cancelled]),
        col(OutboxMessage.last_error).contains("monthly limit"),
    )).one() > 0


def acknowledge(*, session: Session, broadcast_id: int, person_id: int, now: datetime) -> bool | None:
    """Record "รับทราบ": True the first time, False if already recorded, None if not a recipient."""
    row = session.exec(select(BroadcastRecipient).where(
        BroadcastRecipient.broadcast_id == broadcast_id, BroadcastRecipient.person_id == person_id)).first()
    if row is None:
        return None
    if row.acked_at is not None:
        return False
    row.acked_at = now
    return True


def acknowledgements(*, session: Session, broadcast_id: int) -> tuple[list[Person], list[Person]]:
    """(acknowledged, not yet) among the people the broadcast was sent to, by name."""
    rows = session.exec(
        select(Person, BroadcastRecipient.acked_at)
        .join(BroadcastRecipient, col(BroadcastRecipient.person_id) == col(Person.id))
        .where(BroadcastRecipient.broadcast_id == broadcast_id, BroadcastRecipient.note == "")
        .order_by(col(Person.name), col(Person.id))
    ).all()
    return [p for p, at in rows if at is not None], [p for p, at in rows if at is None]


def ack_counts(*, session: Session, broadcast_id: int) -> tuple[int, int]:
    """(acknowledged, sent to) in one query: the numbers of `acknowledgements` without loading anyone."""
    acked, total = session.execute(
        sa_select(func.count(col(BroadcastRecipient.acked_at)), func.count())
        .where(col(BroadcastRecipient.broadcast_id) == broadcast_id, col(BroadcastRecipient.note) == "")).one()
    return int(acked), int(total)


def waiting_for_ack(*, session: Session, person_id: int) -> Broadcast | None:
    """The latest announcement sent to this person that asks for "รับทราบ" and has not had it yet."""
    return session.exec(
        select(Broadcast)
        .join(BroadcastRecipient, col(BroadcastRecipient.broadcast_id) == col(Broadcast.id))
        .where(BroadcastRecipient.person_id == person_id, col(BroadcastRecipient.acked_at).is_(None),
               BroadcastRecipient.note == "", col(Broadcast.ask_ack).is_(True),
               col(Broadcast.status).in_([BroadcastStatus.sending, BroadcastStatus.done]))
        .order_by(col(Broadcast.id).desc())
    ).first()
