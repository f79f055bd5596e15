"""The inbox: webhook events stored before they are acknowledged, then handled once, fairly across senders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import Insert, Text, Update, bindparam, cast, func, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.db import ids_by_platform, insert_into, pairs_in
from storage.models import InboxEvent, InboxStatus, SenderBucket

HANDLED = (InboxStatus.done, InboxStatus.ignored, InboxStatus.failed, InboxStatus.throttled)
FORGOTTEN: dict[str, Any] = {}
"""The payload of an event past its retention period."""


def store_events(conn: Connection, *, platform: str, events: Sequence[tuple[str, str, dict[str, Any]]],
                 now: datetime) -> int:
    """Insert (event id, sender, payload) triples, skipping ones already stored; returns how many are new.

    Each event gets a turn (start-time fair queueing): one after the sender's last pending event, or the turn
    being handled now if they have none waiting. Handling in turn order then takes one event per waiting sender
    per round, however many one of them sent."""
    statement = _store_statement(conn.dialect.name)
    return sum(conn.execute(statement, {
        "platform": platform, "event_id": event_id, "sender": sender, "payload": payload, "received_at": now,
        "status": InboxStatus.pending, "attempts": 0, "error": "", "p": platform, "s": sender,
    }).first() is not None for event_id, sender, payload in events)


@cache
def _store_statement(dialect_name: str) -> Insert:
    """One insert without values, built once and executed per row (SQLAlchemy then compiles it once too). An
    event's turn is one after its sender's last pending event, or the turn being handled now if they have none."""
    pending = InboxEvent.status == InboxStatus.pending
    own_next = (select(col(InboxEvent.turn) + 1)
                .where(InboxEvent.platform == bindparam("p"), InboxEvent.sender == bindparam("s"), pending)
                .order_by(col(InboxEvent.id).desc()).limit(1).scalar_subquery())
    current = select(func.min(InboxEvent.turn)).where(pending).scalar_subquery()
    larger = func.greatest if dialect_name == "postgresql" else func.max
    # RETURNING tells a new row from a repeat; rowcount does not on PostgreSQL.
    return (insert_into(dialect_name, InboxEvent)
            .values(turn=larger(func.coalesce(own_next, 0), func.coalesce(current, 0)))
            .on_conflict_do_nothing(index_elements=["platform", "event_id"])
            .returning(col(InboxEvent.id)))


def claim_next(*, session: Session) -> InboxEvent | None:
    """The one pending event whose turn comes first (see `claim_pending`)."""
    return next(iter(claim_pending(session=session, limit=1)), None)


def claim_pending(*, session: Session, limit: int) -> list[InboxEvent]:
    """Up to `limit` pending events in turn order among each sender's oldest, locked so that parallel workers on
    PostgreSQL never take the same one. Only a sender's oldest pending event qualifies, and one being handled
    elsewhere is still pending (and locked, so skipped): a person's events are handled one at a time, in order,
    and the events claimed together are of different senders."""
    return list(session.exec(_claim_pending(), params={"limit": limit}))


@cache
def _claim_pending() -> SelectOfScalar[InboxEvent]:
    """Built once, so that its cache key is not computed again for every batch."""
    earlier = aliased(InboxEvent)
    return (select(InboxEvent)
            .where(InboxEvent.status == InboxStatus.pending)
            .where(~select(earlier.id).where(
                earlier.platform == InboxEvent.platform, earlier.sender == InboxEvent.sender,
                earlier.status == InboxStatus.pending, col(earlier.id) < InboxEvent.id).exists())
            .order_by(col(InboxEvent.turn), col(InboxEvent.id))
            .limit(bindparam("limit"))
            .with_for_update(skip_locked=True))


@dataclass
class Bucket:
    """A sender's token bucket as a batch spends from it (saved for all of them at once, see `save_buckets`)."""

    tokens: float
    at: datetime
    throttled: bool = False
    """Asked to slow down since the bucket was last full (so not asked again until it has been)."""


Buckets = dict[tuple[str, str], Bucket | None]
"""(platform, sender) -> their token bucket, None for a sender without one yet (see `load_buckets`)."""


def load_buckets(*, session: Session, senders: Iterable[tuple[str, str]]) -> Buckets:
    """The token buckets of these (platform, sender) pairs, None for those without one, in one query: a batch of
    events reads its senders' buckets once and writes them back once (`save_buckets`), not once per event."""
    wanted = sorted(set(senders))
    grouped = ids_by_platform(wanted)
    if not grouped:
        return {}
    rows = session.connection().execute(_buckets(tuple(grouped)), grouped)
    found = {(row.platform, row.sender): Bucket(row.tokens, row.at, row.throttled) for row in rows}
    return {sender: found.get(sender) for sender in wanted}


@cache
def _buckets(platforms: tuple[str, ...]) -> Any:
    table = SenderBucket.__table__  # type: ignore[attr-defined]
    return select(table).where(pairs_in(table.c.platform, table.c.sender, platforms))


def save_buckets(*, session: Session, buckets: Buckets) -> None:
    """Write back the buckets a batch spent from, in one statement for all of them."""
    spent = [{"platform": platform, "sender": sender, "tokens": b.tokens, "at": b.at, "throttled": b.throttled}
             for (platform, sender), b in buckets.items() if b is not None]
    if spent:
        session.connection().execute(_save_statement(session.get_bind().dialect.name), spent)


@cache
def _save_statement(dialect_name: str) -> Insert:
    statement = insert_into(dialect_name, SenderBucket)
    return statement.on_conflict_do_update(index_elements=["platform", "sender"], set_={
        "tokens": statement.excluded.tokens, "at": statement.excluded.at,
        "throttled": statement.excluded.throttled})


@dataclass(frozen=True)
class Outcome:
    """How the handling of one claimed event ended."""

    id: int
    status: InboxStatus
    attempts: int
    handled_at: datetime
    error: str


def settle(*, session: Session, outcomes: Sequence[Outcome]) -> None:
    """Record how a batch's events ended in one statement executed for all (not one ORM flush per row)."""
    if outcomes:
        session.connection().execute(_settling(), [
            {"row_id": o.id, "row_status": o.status, "row_attempts": o.attempts, "row_handled_at": o.handled_at,
             "row_error": o.error} for o in outcomes])


@cache
def _settling() -> Update:
    return (update(InboxEvent).where(col(InboxEvent.id) == bindparam("row_id"))
            .values(status=bindparam("row_status"), attempts=bindparam("row_attempts"),
                    handled_at=bindparam("row_handled_at"), error=bindparam("row_error")))


def forget_payloads(*, session: Session, handled_before: datetime) -> int:
    """Empty the payload of events handled before `handled_before`; returns how many.

    The row stays (platform, event id, status, times), so a redelivery of the event is still recognised.
    """
    result = session.connection().execute(
        update(InboxEvent)
        .where(col(InboxEvent.status).in_(HANDLED), col(InboxEvent.handled_at) < handled_before,
               cast(InboxEvent.payload, Text) != "{}")
        .values(payload=FORGOTTEN)
    )
    return int(result.rowcount)


class Allowance(Enum):
    ok = "ok"
    first_excess = "first_excess"
    """Over the limit for the first time since the bucket was last full: the sender is told, once, to slow down."""
    excess = "excess"


@dataclass(frozen=True)
class Limit:
    per_min: float
    burst: int


def take_token(*, platform: str, sender: str, at: datetime, limit: Limit, buckets: Buckets) -> Allowance:
    """Spend one of the sender's tokens (from `buckets`, as `load_buckets` read them) for an event received `at`
    (their sending rate, however late it is handled); the bucket refills at `limit.per_min` up to `limit.burst`.
    During a sustained flood the refilled tokens are still spent (a few messages answered), but the slow-down
    request is made once per flood. The token stays spent even if the event's handling fails: it was sent."""
    bucket = buckets.get((platform, sender))
    if bucket is None:
        bucket = buckets[(platform, sender)] = Bucket(tokens=limit.burst, at=at)
    elapsed = max((at - bucket.at).total_seconds(), 0.0)
    bucket.tokens = min(float(limit.burst), bucket.tokens + elapsed * limit.per_min / 60)
    bucket.at = max(at, bucket.at)
    if bucket.tokens >= limit.burst:
        bucket.throttled = False  # quiet long enough to refill: a later flood is a new one, told again
    if bucket.tokens >= 1:
        bucket.tokens -= 1
        return Allowance.ok
    first = not bucket.throttled
    bucket.throttled = True
    return Allowance.first_excess if first else Allowance.excess


def throttled(*, session: Session, limit: int = 20) -> tuple[int, list[InboxEvent]]:
    """How many events were stored over their sender's limit, and the latest `limit` of them."""
    where = InboxEvent.status == InboxStatus.throttled
    count = session.exec(select(func.count()).select_from(InboxEvent).where(where)).one()
    rows = session.exec(select(InboxEvent).where(where).order_by(col(InboxEvent.id).desc()).limit(limit))
    return count, list(rows)
