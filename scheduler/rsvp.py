"""Workshop jobs: reminders before the start, nudges of the silent before the RSVP deadline, offer expiry.

Jobs are planned per workshop (`ws:<workshop>:...`). They compute recipients when they fire and only write outbox
rows under idempotency keys (workshop, stage, person), so a job that fires twice, or a missed run caught up
after downtime, never sends twice. An expired seat offer is lapsed and the seat offered to the next in line,
whose own expiry is then planned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from handlers.rsvp.notices import queue_nudges, queue_reminders, send_lapsed, send_offers
from handlers.timing import quiet_shift
from scheduler.core import Scheduler, active, current
from storage.db import transaction
from storage.deadlines import parse_offset
from storage.rsvp import Workshop, expire_offers, get_workshop, upcoming_workshops


def job_prefix(workshop_id: int) -> str:
    return f"ws:{workshop_id}:"


def plan_workshop(scheduler: Scheduler, workshop: Workshop, now: datetime) -> list[tuple[str, datetime]]:
    """(Re)plan a workshop's reminders and nudges; those already past are not planned. Returns what was planned."""
    assert workshop.id is not None
    settings = scheduler.runtime.settings
    prefix = job_prefix(workshop.id)
    for job_id, _ in scheduler.planned(prefix):
        if not job_id.startswith(f"{prefix}offers:"):
            scheduler.cancel(job_id)
    planned = []
    kinds = (("remind", remind, workshop.reminders, workshop.starts_at),
             ("nudge", nudge, workshop.nudges, workshop.rsvp_deadline))
    for kind, job, stages, before in kinds:
        for stage in stages:
            run_at = quiet_shift(before - parse_offset(stage), before, settings)
            if run_at > now:
                job_id = f"{prefix}{kind}:{stage}"
                scheduler.plan(job_id, job, run_at, workshop_id=workshop.id, stage=stage)
                planned.append((job_id, run_at))
    return planned


def plan_offer_expiry(scheduler: Scheduler, workshop_id: int, at: datetime) -> None:
    scheduler.plan(f"{job_prefix(workshop_id)}offers:{int(at.timestamp())}", expire, at, workshop_id=workshop_id)


def plan_missing(scheduler: Scheduler, engine: Engine, now: datetime) -> int:
    """At start-up: plan upcoming workshops that have no jobs at all (e.g. seeded demo data). Returns how many."""
    with transaction(engine) as session:
        workshops = upcoming_workshops(session=session, now=now)
    jobs = [job_id for job_id, _ in scheduler.planned("ws:")]  # one read of the job store, not one per workshop
    unplanned = [w for w in workshops if w.id is not None and not any(j.startswith(job_prefix(w.id)) for j in jobs)]
    for workshop in unplanned:
        plan_workshop(scheduler, workshop, now)
    return len(unplanned)


def remind(workshop_id: int, stage: str) -> int:
    """Remind everyone holding a seat (the principal, and a confirmed delegate); returns messages queued."""
    runtime = current()
    now = runtime.clock()
    with transaction(runtime.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        if workshop is None or now >= workshop.starts_at:
            return 0
        queued = queue_reminders(session=session, workshop=workshop, stage=stage, settings=runtime.settings, now=now)
    runtime.wake_outbox()
    return queued


def nudge(workshop_id: int, stage: str) -> int:
    """Nudge invitees who have not answered (or said maybe) while answers are still open."""
    runtime = current()
    now = runtime.clock()
    with transaction(runtime.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        if workshop is None or now >= workshop.rsvp_deadline:
            return 0
        queued = queue_nudges(session=session, workshop=workshop, stage=stage, settings=runtime.settings, now=now)
    runtime.wake_outbox()
    return queued


def expire(workshop_id: int) -> int:
    """Lapse offers past their time and offer those seats on; returns how many new offers were made."""
    runtime = current()
    now = runtime.clock()
    with transaction(runtime.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id, lock=True)
        if workshop is None:
            return 0
        lapsed, offered = expire_offers(session=session, workshop=workshop, now=now)
        send_lapsed(session=session, workshop=workshop, lapsed=lapsed, now=now)
        send_offers(session=session, workshop=workshop, offered=offered, settings=runtime.settings, now=now)
        times = sorted({r.offer_expires_at for r in offered if r.offer_expires_at is not None})
    scheduler = active()
    if scheduler is not None:  # planned after the commit: the job store writes on its own connection
        for at in times:
            plan_offer_expiry(scheduler, workshop_id, at)
    runtime.wake_outbox()
    return len(offered)
