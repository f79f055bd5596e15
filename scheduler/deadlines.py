"""Nudges before a submission window closes, and the admins' report when it has closed.

Jobs are planned per window (`dl:<window>:...`) into the persistent job store. They compute recipients when
they fire and only write outbox rows, each under an idempotency key (window, stage, person), so a job that
fires twice, or a missed run caught up after downtime, never sends twice. A missed nudge whose close has
passed is dropped, and when several were missed only the latest is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from handlers.deadlines.notices import closed_reply, nudge_reply
from handlers.timing import quiet_shift
from scheduler.batch import Batcher
from scheduler.core import Scheduler, current
from storage.db import transaction
from storage.deadlines import (
    SubmissionWindow,
    admins,
    get_window,
    missing_provinces,
    nudge_roles,
    nudge_times,
    open_windows,
    parse_offset,
    submission,
    submitted_provinces,
    windows_by_id,
)
from storage.models import Account, Person, Role
from storage.outbox import enqueue, enqueue_to_person
from storage.people import people_in, preferred_accounts


def job_prefix(window_id: int) -> str:
    return f"dl:{window_id}:"


def plan_window(scheduler: Scheduler, window: SubmissionWindow, now: datetime) -> None:
    """(Re)plan a window's nudges and its close report; stages already past are not planned.

    Job ids are known from the window, so re-planning replaces or cancels them one by one, without scanning
    the job store (which holds every window's jobs). A pending "remind me tomorrow" stays planned.
    """
    assert window.id is not None
    settings = scheduler.runtime.settings
    prefix = job_prefix(window.id)
    due = {stage: quiet_shift(at, window.closes_at, settings) for stage, at in nudge_times(window)}
    for stage in window.nudges:
        job_id = f"{prefix}nudge:{stage}"
        if stage in due and due[stage] > now:
            scheduler.plan(job_id, nudge, due[stage], window_id=window.id, stage=stage)
        else:
            scheduler.cancel(job_id)
    if window.closes_at > now:
        scheduler.plan(f"{prefix}closed", report_closed, window.closes_at, window_id=window.id)
    else:
        scheduler.cancel(f"{prefix}closed")


def plan_missing(scheduler: Scheduler, engine: Engine, now: datetime) -> int:
    """At start-up: plan open windows that have no jobs at all (e.g. seeded demo data). Returns how many."""
    with transaction(engine) as session:
        windows = open_windows(session=session, now=now)
    # Planned outside the transaction: the job store writes on its own connection.
    planned = {job_id.split(":")[1] for job_id, _ in scheduler.planned("dl:")}
    unplanned = [w for w in windows if str(w.id) not in planned]
    for window in unplanned:
        plan_window(scheduler, window, now)
        _catch_up(scheduler, window, now)
    return len(unplanned)


def _catch_up(scheduler: Scheduler, window: SubmissionWindow, now: datetime) -> None:
    """A window never planned (its process died between creating and planning it) gets now, as after downtime, the
    latest nudge that fell due since it was created; the nudge wave's kill scenario lost such windows' nudges."""
    if now >= window.closes_at:
        return
    settings = scheduler.runtime.settings
    missed = [(due, stage) for stage, at in nudge_times(window)
              if window.created_at < (due := quiet_shift(at, window.closes_at, settings)) <= now]
    if missed:
        stage = max(missed)[1]
        scheduler.plan(f"{job_prefix(window.id or 0)}nudge:{stage}", nudge, now, window_id=window.id, stage=stage)


def snooze_job(window_id: int, person_id: int) -> str:
    return f"{job_prefix(window_id)}snooze:{person_id}"


def plan_snooze(scheduler: Scheduler, window_id: int, person_id: int, remind_at: datetime) -> None:
    """Remind one person again at `remind_at`; a second snooze moves the first."""
    scheduler.plan(snooze_job(window_id, person_id), snoozed, remind_at, window_id=window_id,
                   person_id=person_id, token=f"{remind_at:%Y%m%d%H%M}")


def _not_before(now: datetime, window: SubmissionWindow, settings: Settings) -> datetime | None:
    """A caught-up job firing inside quiet hours holds its messages until the end (if that is before the close)."""
    shifted = quiet_shift(now, window.closes_at, settings)
    return shifted if shifted > now else None


def _queue_nudges(session: Session, window: SubmissionWindow, stage: str, people: list[Person],
                  accounts: Mapping[int, Account] | None = None) -> int:
    """One outbox row per person, keyed (window, stage, person), in the job's own transaction; `accounts` are
    the people's preferred accounts when the caller looked them up together."""
    runtime = current()
    now = runtime.clock()
    not_before = _not_before(now, window, runtime.settings)
    queued = 0
    for person in people:
        assert person.id is not None
        key = f"nudge:{window.id}:{stage}:{person.id}"
        replies = [nudge_reply(window, person, now, runtime.settings)]
        if accounts is None:
            queued += enqueue_to_person(session=session, person_id=person.id, key=key, replies=replies, now=now,
                                        tag=f"window:{window.id}", not_before=not_before)
        elif (account := accounts.get(person.id)) is not None:
            queued += enqueue(session=session, key=key, platform=account.platform, user_id=account.user_id,
                              chat_id=account.chat_id, replies=replies, now=now, tag=f"window:{window.id}",
                              not_before=not_before)
    return queued


def nudge(window_id: int, stage: str) -> int:
    """Nudge everyone whose province has not submitted; returns how many messages were queued. Nudges that fire
    together (many windows closing alike, or a backlog) share one transaction and a few queries."""
    return NUDGES.run((window_id, stage))


def _nudge_many(jobs: Sequence[tuple[int, str]]) -> list[int]:
    runtime = current()
    now = runtime.clock()
    queued = [0] * len(jobs)
    with transaction(runtime.engine) as session:
        windows = windows_by_id(session=session, ids=[window_id for window_id, _ in jobs], lock=True)  # see submit()
        done = submitted_provinces(session=session, window_ids=windows)
        due: list[tuple[int, SubmissionWindow, str, list[Role], set[str]]] = []
        for n, (window_id, stage) in enumerate(jobs):
            window = windows.get(window_id)
            if window is None or now >= window.closes_at or _superseded(window, stage, now, runtime.settings):
                continue
            missing = set(window.provinces) - done.get(window_id, set())
            if missing:
                due.append((n, window, stage, nudge_roles(window, window.closes_at - parse_offset(stage)), missing))
        everyone = people_in(session=session, roles=[Role.coordinator, Role.deputy_governor],
                             province_isos=set().union(*(places for *_, places in due))) if due else []
        accounts = preferred_accounts(session=session, person_ids=[p.id for p in everyone if p.id is not None])
        for n, window, stage, roles, places in due:
            people = [p for p in everyone if p.role in roles and p.province_iso in places]
            queued[n] = _queue_nudges(session, window, stage, people, accounts)
    if any(queued):
        runtime.wake_outbox()
    return queued


def _superseded(window: SubmissionWindow, stage: str, now: datetime, settings: Settings) -> bool:
    """Caught up after downtime: only the latest missed stage is sent."""
    times = nudge_times(window)
    stages = [name for name, _ in times]
    later = times[stages.index(stage) + 1:] if stage in stages else []
    return any(quiet_shift(at, window.closes_at, settings) <= now for _, at in later)


NUDGES: Batcher[tuple[int, str], int] = Batcher(_nudge_many)


def snoozed(window_id: int, person_id: int, token: str) -> int:
    """The "remind me tomorrow" reminder, unless the province has submitted meanwhile or the window closed."""
    runtime = current()
    now = runtime.clock()
    with transaction(runtime.engine) as session:
        window = get_window(session=session, window_id=window_id, lock=True)
        person = session.get(Person, person_id)
        if window is None or person is None or now >= window.closes_at or person.province_iso is None:
            return 0
        if submission(session=session, window_id=window_id, province_iso=person.province_iso):
            return 0
        queued = _queue_nudges(session, window, f"snooze-{token}", [person])
    runtime.wake_outbox()
    return queued


def report_closed(window_id: int) -> int:
    """Tell the admins which provinces missed the window."""
    runtime = current()
    now = runtime.clock()
    queued = 0
    with transaction(runtime.engine) as session:
        window = get_window(session=session, window_id=window_id)
        if window is None:
            return 0
        missing = missing_provinces(session=session, window=window)
        for admin in admins(session=session):
            assert admin.id is not None
            queued += enqueue_to_person(
                session=session, person_id=admin.id, key=f"closed:{window_id}:{admin.id}",
                replies=[closed_reply(window, missing, admin)], now=now, tag=f"window:{window_id}",
            )
    runtime.wake_outbox()
    return queued
