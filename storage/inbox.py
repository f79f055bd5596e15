"""The inbox: webhook events stored before they are acknowledged, then handled once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage.models import InboxEvent, InboxStatus

HANDLED = (InboxStatus.done, InboxStatus.ignored, InboxStatus.failed)
FORGOTTEN: dict[str, Any] = {}
"""The payload of an event past its retention period."""


def store_events(conn: Connection, *, platform: str, events: Sequence[tuple[str, dict[str, Any]]],
                 now: datetime) -> int:
    """Insert (event id, payload) pairs, skipping ones already stored; returns how many are new."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # One statement without values, executed per row: SQLAlchemy compiles it once and caches it.
    # (RETURNING tells a new row from a repeat; rowcount does not on PostgreSQL.)
    statement = (dialect.insert(InboxEvent).on_conflict_do_nothing(index_elements=["platform", "event_id"])
                 .returning(InboxEvent.id))
    return sum(conn.execute(statement, {
        "platform": platform, "event_id": event_id, "payload": payload, "received_at": now,
        "status": InboxStatus.pending, "attempts": 0, "error": "",
    }).first() is not None for event_id, payload in events)


def claim_next(*, session: Session) -> InboxEvent | None:
    """The oldest pending event, locked so that parallel workers on PostgreSQL never take the same one."""
    return session.exec(
        select(InboxEvent)
        .where(InboxEvent.status == InboxStatus.pending)
        .order_by(col(InboxEvent.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()



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
