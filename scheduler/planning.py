"""`bot.planner.Planner` on the real scheduler: each request runs after the handler's transaction commits
(`AfterCommit`), or when the CLI has committed and opened its scheduler (`Deferred`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from scheduler import broadcast, deadlines, rsvp
from scheduler.core import Scheduler
from storage.deadlines import SubmissionWindow
from storage.rsvp import Workshop


class Deferred:
    """Requests kept until `run(scheduler)`: a CLI command plans them once its transaction has committed."""

    def __init__(self) -> None:
        self.requests: list[Callable[[Scheduler], object]] = []

    def _later(self, work: Callable[[Scheduler], object]) -> None:
        self.requests.append(work)

    def run(self, scheduler: Scheduler) -> None:
        for work in self.requests:
            work(scheduler)

    def window_changed(self, window: SubmissionWindow, now: datetime) -> None:
        self._later(lambda s: deadlines.plan_window(s, window, now))

    def window_deleted(self, window_id: int) -> None:
        self._later(lambda s: s.cancel_prefix(deadlines.job_prefix(window_id)))

    def snooze(self, window_id: int, person_id: int, at: datetime) -> None:
        self._later(lambda s: deadlines.plan_snooze(s, window_id, person_id, at))

    def snooze_done(self, window_id: int, person_id: int) -> None:
        self._later(lambda s: s.cancel(deadlines.snooze_job(window_id, person_id)))

    def workshop_created(self, workshop: Workshop, now: datetime) -> None:
        self._later(lambda s: rsvp.plan_workshop(s, workshop, now))

    def offers_expire(self, workshop_id: int, at: datetime) -> None:
        self._later(lambda s: rsvp.plan_offer_expiry(s, workshop_id, at))

    def broadcast_at(self, broadcast_id: int, at: datetime) -> None:
        self._later(lambda s: broadcast.plan_send(s, broadcast_id, at))

    def broadcast_cancelled(self, broadcast_id: int) -> None:
        self._later(lambda s: broadcast.cancel_send(s, broadcast_id))


class AfterCommit(Deferred):
    """Each request runs on `scheduler` once the handler's transaction commits (`bot.service` runs
    `after_commit`)."""

    def __init__(self, scheduler: Scheduler, after_commit: list[Callable[[], None]]) -> None:
        super().__init__()
        self.scheduler = scheduler
        self.after_commit = after_commit

    def _later(self, work: Callable[[Scheduler], object]) -> None:
        scheduler = self.scheduler

        def run() -> None:
            work(scheduler)

        self.after_commit.append(run)
