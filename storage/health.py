"""What an operator watches, read from the database: how far behind the inbox is, and what the outbox holds.

`/metrics` (as gauges) and `coordbot status` (for a person at a terminal) both read these, so they agree, and
the status needs no running service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, inspect, text
from sqlmodel import Session, col, select

from storage.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus


@dataclass
class Health:
    inbox_pending: int = 0
    inbox_lag_s: float = 0.0
    """Age of the oldest event still waiting to be handled (0 when none waits)."""
    inbox_by_status: dict[str, int] = field(default_factory=dict)
    outbox: dict[tuple[str, str], int] = field(default_factory=dict)
    """Rows by (platform, status)."""
    jobs_due: int = 0
    jobs_late_s: float = 0.0
    """How long the most overdue job has waited past its time (0 when none is overdue)."""


def read(*, session: Session, now: datetime) -> Health:
    health = Health()
    for status, count in session.exec(select(InboxEvent.status, func.count()).group_by(col(InboxEvent.status))):
        health.inbox_by_status[str(status)] = int(count)
    health.inbox_pending = health.inbox_by_status.get(str(InboxStatus.pending), 0)
    oldest = session.exec(select(func.min(InboxEvent.received_at))
                          .where(InboxEvent.status == InboxStatus.pending)).one()
    if oldest is not None:
        health.inbox_lag_s = max(0.0, (now - _aware(oldest, now)).total_seconds())
    for platform, status, count in session.exec(
            select(OutboxMessage.platform, OutboxMessage.status, func.count())
            .group_by(col(OutboxMessage.platform), col(OutboxMessage.status))):
        health.outbox[(platform, str(status))] = int(count)
    health.jobs_due, health.jobs_late_s = _jobs(session, now)
    return health


def outbox_depth(health: Health, platform: str) -> int:
    """Rows of a platform still to be sent (pending or being sent)."""
    return sum(n for (p, status), n in health.outbox.items()
               if p == platform and status in (OutboxStatus.pending, OutboxStatus.sending))


def _jobs(session: Session, now: datetime) -> tuple[int, float]:
    """Jobs due now in the scheduler's job store, and how late the oldest is (the table exists once a scheduler
    ran)."""
    if not inspect(session.connection()).has_table("apscheduler_jobs"):
        return 0, 0.0
    due, oldest = session.connection().execute(text(
        "SELECT COUNT(*), MIN(next_run_time) FROM apscheduler_jobs WHERE next_run_time <= :now"),
        {"now": now.timestamp()}).one()
    return int(due), max(0.0, now.timestamp() - float(oldest)) if oldest is not None else 0.0


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)
