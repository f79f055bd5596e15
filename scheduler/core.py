"""APScheduler 3 with a persistent job store in the service's own database, and one active instance.

Every instance can plan jobs (they are rows in `apscheduler_jobs`); only the instance holding the leader
lock runs them. On PostgreSQL the lock is a session advisory lock, so if the leader dies its connection
closes and another instance takes over. SQLite allows only one process, which is always the leader.

APScheduler drops a one-off ("date") job from the store the moment it starts it, so a process killed while the
job runs would lose it: a planned job is stored instead as a retrying job that removes itself once it has
finished (`_once`). Jobs are idempotent (their rows carry idempotency keys), so running one again is safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.util import obj_to_ref, ref_to_obj, utc_timestamp_to_datetime
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine

from bot import metrics
from bot.config import Settings
from scheduler.batch import Batcher

log = logging.getLogger(__name__)

LEADER_LOCK_CLASS = 0x636F6F72  # "coor"
JOB_THREADS = 20


@dataclass
class Runtime:
    """What job functions need; jobs are stored by reference, so they find it here when they fire."""

    engine: Engine
    settings: Settings
    clock: Callable[[], datetime]
    wake_outbox: Callable[[], None]


_runtime: Runtime | None = None
_scheduler: Scheduler | None = None


def current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("the scheduler runtime is not set up")
    return _runtime


def active() -> Scheduler | None:
    """The scheduler of this process, for a job that plans a follow-up job (e.g. the next offer's expiry)."""
    return _scheduler


def _once(ref: str, job_id: str, token: str, kwargs: dict[str, Any]) -> Any:
    """Run a planned job, then take it out of the store, unless it was planned anew meanwhile."""
    result = ref_to_obj(ref)(**kwargs)
    if _scheduler is not None:
        _scheduler._finished(job_id, token)
    return result


def _lateness(event: JobExecutionEvent) -> None:
    """How late a job started after its planned time: the scheduler keeping up, as /metrics shows it."""
    metrics.SCHEDULER_LAG.set(max(0.0, (datetime.now(UTC) - event.scheduled_run_time).total_seconds()))


class _JobThreads(ThreadPoolExecutor):
    """Job threads; a stopped scheduler drops the jobs still queued, as the asyncio executor did (they stay in the
    store, to run again `scheduler_retry_s` after they were submitted), so a stop with a backlog does not wait on it."""

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait, cancel_futures=True)


class Scheduler:
    """Plans jobs into the database; runs them only while this process is the leader."""

    def __init__(self, runtime: Runtime) -> None:
        global _runtime, _scheduler
        _runtime, _scheduler = runtime, self
        self.runtime = runtime
        self.store = SQLAlchemyJobStore(engine=runtime.engine)
        self.aps = AsyncIOScheduler(
            jobstores={"default": self.store},
            # Nudges due together share a transaction (`scheduler.batch`), as many as there are threads waiting: the
            # event loop's default pool (6 threads here) held a backlog to 270 jobs/s, 20 threads reach 600.
            executors={"default": _JobThreads(JOB_THREADS)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone=runtime.settings.tz,
        )
        self.aps.add_listener(_lateness, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self.lock_conn: Connection | None = None
        self.watcher: asyncio.Task[None] | None = None
        self.finishing: Batcher[tuple[str, str], None] = Batcher(self._finish_many)

    @property
    def is_leader(self) -> bool:
        return self.aps.state == STATE_RUNNING  # started and not paused

    async def start(self, lead: bool) -> None:
        """Start paused, so planning always reaches the job store; `lead` competes to run the jobs."""
        self.aps.start(paused=True)
        if lead:
            self.watcher = asyncio.create_task(self._lead())

    async def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher
        if self.aps.running:
            self.aps.shutdown(wait=False)
        if self.lock_conn is not None:
            self.lock_conn.close()
            self.lock_conn = None

    async def _lead(self) -> None:
        """Try for the leader lock until we have it, then keep waking up for jobs other instances planned.

        A standby instance tries again every `scheduler_poll_s`, so that is how long a takeover can take.
        """
        standing_by = False
        while True:
            if self.is_leader:
                self.aps.wakeup()
            elif self._take_lock():
                log.info("this instance now runs the scheduler")
                self.aps.resume()
            elif not standing_by:
                log.info("another instance runs the scheduler; this one stands by to take over")
                standing_by = True
            await asyncio.sleep(self.runtime.settings.scheduler_poll_s)

    def _take_lock(self) -> bool:
        engine = self.runtime.engine
        if engine.dialect.name != "postgresql":
            return True
        if self.lock_conn is None:
            self.lock_conn = engine.connect()
        # One lock per database and schema, so separate deployments (or test schemas) never wait on each other.
        got = bool(self.lock_conn.execute(text(
            "SELECT pg_try_advisory_lock(:k, hashtext(current_database() || '.' || current_schema()))"
        ), {"k": LEADER_LOCK_CLASS}).scalar())
        self.lock_conn.commit()
        return got

    def plan(self, job_id: str, func: Callable[..., Any], run_at: datetime, **kwargs: Any) -> None:
        """Run `func(**kwargs)` at `run_at`; planning the same id again moves it. Missed runs still fire once, and a
        run cut off (the process died, or it raised) goes again `scheduler_retry_s` after it began."""
        once = {"ref": obj_to_ref(func), "job_id": job_id, "token": uuid.uuid4().hex, "kwargs": kwargs}
        self.aps.add_job(_once, "interval", id=job_id, seconds=self.runtime.settings.scheduler_retry_s,
                         next_run_time=run_at, kwargs=once, replace_existing=True)

    def _finished(self, job_id: str, token: str) -> None:
        """A planned job has run: remove it, unless it was planned again while it ran (another token). Jobs that
        finish together are removed in one transaction (this was half of a nudge job's cost, in two)."""
        self.finishing.run((job_id, token))

    def _finish_many(self, finished: Sequence[tuple[str, str]]) -> list[None]:
        tokens = dict(finished)
        jobs = self.store.jobs_t
        # The store's lock, as `remove_job` takes it: the leader must not update a job between our read and delete.
        with self.aps._jobstores_lock, self.store.engine.begin() as conn:
            rows = conn.execute(select(jobs.c.id, jobs.c.job_state).where(jobs.c.id.in_(tokens))).all()
            # A job's stored state is `Job.__getstate__()`: its kwargs are those `plan` gave `_once`.
            done = [job_id for job_id, state in rows if pickle.loads(state)["kwargs"].get("token") == tokens[job_id]]
            if done:
                conn.execute(jobs.delete().where(jobs.c.id.in_(done)))
        return [None] * len(finished)

    def repeat(self, job_id: str, func: Callable[[], Any], every: timedelta, first: datetime) -> None:
        """Run `func()` at `first` and then every `every`; planning the same id again starts it afresh."""
        self.aps.add_job(func, "interval", id=job_id, seconds=every.total_seconds(), next_run_time=first,
                         replace_existing=True)

    def cancel(self, job_id: str) -> None:
        with contextlib.suppress(JobLookupError):
            self.aps.remove_job(job_id)

    def cancel_prefix(self, prefix: str) -> None:
        for job_id, _ in self.planned(prefix):
            self.cancel(job_id)

    def planned(self, prefix: str = "") -> list[tuple[str, datetime]]:
        """The jobs whose ids start with `prefix`, from the job store's id and time columns alone: `get_jobs`
        unpickles every job stored (1.8 s of each start-up with 50,000), and drops any it cannot unpickle."""
        jobs = self.store.jobs_t
        query = select(jobs.c.id, jobs.c.next_run_time).where(jobs.c.id.startswith(prefix, autoescape=True))
        with self.store.engine.begin() as conn:
            rows = conn.execute(query).all()
        tz = self.aps.timezone
        return sorted((job_id, utc_timestamp_to_datetime(at).astimezone(tz)) for job_id, at in rows
                      if job_id.startswith(prefix))  # SQLite's LIKE ignores case
