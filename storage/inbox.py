"""The inbox: webhook events stored before they are acknowledged, then handled once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage.models import InboxEvent, InboxStatus


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

