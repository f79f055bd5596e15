"""Retention: handled webhook events lose their raw payload (names, texts, ids) after
COORDBOT_INBOX_RETENTION_DAYS; a daily job does it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from scheduler.core import Scheduler, current
from storage.db import transaction
from storage.inbox import forget_payloads

log = logging.getLogger(__name__)

JOB_ID = "retention:inbox"


def plan(scheduler: Scheduler, now: datetime) -> None:
    """At start-up and then daily, so a service that is often restarted still runs it."""
    scheduler.repeat(JOB_ID, forget_old_payloads, every=timedelta(days=1), first=now)


def forget_old_payloads() -> None:
    """The job: empty the payloads handled before the retention period."""
    runtime = current()
    days = runtime.settings.inbox_retention_days
    with transaction(runtime.engine) as session:
        forgotten = forget_payloads(session=session, handled_before=runtime.clock() - timedelta(days=days))
    if forgotten:
        log.info("inbox: forgot the payload of %d events handled more than %d days ago", forgotten, days)
