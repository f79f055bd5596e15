"""Scheduled announcements: one job per broadcast (`bc:<id>`) that fans it out when it is due.

The job only writes outbox rows; fanning out moves the broadcast to `sending` with a conditional update, so a
job that fires twice, or a cancel racing the job, never sends twice.
"""

from __future__ import annotations

from datetime import datetime

from handlers.broadcast.service import start_sending
from scheduler.core import Scheduler, current
from storage.broadcast import BroadcastStatus
from storage.db import transaction


def job_id(broadcast_id: int) -> str:
    return f"bc:{broadcast_id}"


def plan_send(scheduler: Scheduler, broadcast_id: int, at: datetime) -> None:
    scheduler.plan(job_id(broadcast_id), send_scheduled, at, broadcast_id=broadcast_id)


def cancel_send(scheduler: Scheduler, broadcast_id: int) -> None:
    scheduler.cancel(job_id(broadcast_id))


def send_scheduled(broadcast_id: int) -> None:
    """The job: fan out a scheduled broadcast that was not cancelled meanwhile."""
    runtime = current()
    with transaction(runtime.engine) as session:
        start_sending(session=session, broadcast_id=broadcast_id, now=runtime.clock(), settings=runtime.settings,
                      frm=(BroadcastStatus.scheduled,))
    runtime.wake_outbox()
