"""Listing and cancelling jobs by id prefix read only the job store's ids and times: a start-up with 50,000 jobs
stored spent most of its time unpickling every job to find a few ids. A job this process cannot unpickle (e.g. planned
by a newer release) is not even read, so it is not dropped either (APScheduler drops the jobs it fails to load)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.service import Service

UNREADABLE = "other:unreadable"


def noop() -> None:
    """A job function to plan; these tests never run it."""


def _store_unreadable(service: Service) -> None:
    with service.engine.begin() as conn:
        conn.execute(text("INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES (:id, :at, :state)"),
                     {"id": UNREADABLE, "at": datetime(2030, 1, 1, tzinfo=UTC).timestamp(), "state": b"no pickle"})


def _stored_ids(service: Service) -> list[str]:
    with service.engine.begin() as conn:
        return [row[0] for row in conn.execute(text("SELECT id FROM apscheduler_jobs ORDER BY id"))]


def test_planned_lists_ids_and_times_by_prefix_without_reading_other_jobs(service: Service) -> None:
    scheduler = service.scheduler
    assert scheduler is not None
    _store_unreadable(service)
    at = datetime(2030, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    scheduler.plan("test:1:b", noop, at + timedelta(hours=1))
    scheduler.plan("test:1:a", noop, at)
    scheduler.plan("test:10:a", noop, at)
    scheduler.plan("TEST:1:upper", noop, at)
    assert scheduler.planned("test:1:") == [("test:1:a", at), ("test:1:b", at + timedelta(hours=1))]
    assert scheduler.planned("test:1_") == []  # no LIKE wildcards
    assert [job for job, _ in scheduler.planned("test:")] == ["test:10:a", "test:1:a", "test:1:b"]
    assert UNREADABLE in [job for job, _ in scheduler.planned()]
    assert UNREADABLE in _stored_ids(service)


def test_cancel_prefix_removes_only_that_prefix_and_leaves_unreadable_jobs(service: Service) -> None:
    scheduler = service.scheduler
    assert scheduler is not None
    _store_unreadable(service)
    at = datetime(2030, 3, 1, tzinfo=UTC)
    for job_id in ("test:1:a", "test:1:b", "test:10:a"):
        scheduler.plan(job_id, noop, at)
    scheduler.cancel_prefix("test:1:")
    assert [job for job, _ in scheduler.planned("test:")] == ["test:10:a"]
    assert UNREADABLE in _stored_ids(service)
