"""What a handler asks of the scheduler, without knowing it: plan or cancel the jobs that follow a change.

Handlers call these on `ctx.planner`; `scheduler.planning.AfterCommit` carries them out once the handler's
transaction has committed (the job store writes on its own connection, and a job must never be planned for a
change that was rolled back). Only `scheduler/` knows job ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from storage.deadlines import SubmissionWindow
from storage.rsvp import Workshop


class Planner(Protocol):
    def window_changed(self, window: SubmissionWindow, now: datetime) -> None:
        """A window was created or moved: (re)plan its nudges and its close."""

    def window_deleted(self, window_id: int) -> None: ...

    def snooze(self, window_id: int, person_id: int, at: datetime) -> None:
        """Remind one person of a window again at `at` (a second snooze moves the first)."""

    def snooze_done(self, window_id: int, person_id: int) -> None:
        """The person's province submitted: their snoozed reminder is not needed."""

    def workshop_created(self, workshop: Workshop, now: datetime) -> None: ...

    def offers_expire(self, workshop_id: int, at: datetime) -> None:
        """Seats offered from the waitlist lapse at `at` unless taken."""

    def broadcast_at(self, broadcast_id: int, at: datetime) -> None: ...

    def broadcast_cancelled(self, broadcast_id: int) -> None: ...


class NoPlanner:
    """Where nothing runs jobs (a context without a scheduler): every request is dropped."""

    def window_changed(self, window: SubmissionWindow, now: datetime) -> None:
        pass

    def window_deleted(self, window_id: int) -> None:
        pass

    def snooze(self, window_id: int, person_id: int, at: datetime) -> None:
        pass

    def snooze_done(self, window_id: int, person_id: int) -> None:
        pass

    def workshop_created(self, workshop: Workshop, now: datetime) -> None:
        pass

    def offers_expire(self, workshop_id: int, at: datetime) -> None:
        pass

    def broadcast_at(self, broadcast_id: int, at: datetime) -> None:
        pass

    def broadcast_cancelled(self, broadcast_id: int) -> None:
        pass
