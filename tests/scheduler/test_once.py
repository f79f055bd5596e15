"""What the nudge kill scenario found: APScheduler drops a one-off job from its store when it starts it, so a
process killed (or a database cut) while a nudge job ran lost the whole wave. A planned job now stays in the store
until it has finished and runs again `COORDBOT_SCHEDULER_RETRY_S` after a run that was cut off."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

from bot.app import create_app
from bot.config import Settings
from tests.helpers import eventually

RUNS: list[str] = []
CUT_OFF = {"first"}
GATE = threading.Event()


def cut_off_once(name: str) -> None:
    """A job whose first run dies half-way, as a killed process or an unreachable database would leave it."""
    RUNS.append(name)
    if name in CUT_OFF:
        CUT_OFF.discard(name)
        raise ConnectionError("the database went away")


def waits(name: str) -> None:
    RUNS.append(name)
    GATE.wait(timeout=30)


async def test_a_job_cut_off_mid_run_runs_again_and_is_gone_once_it_finished(settings: Settings) -> None:
    RUNS.clear()
    fast = settings.model_copy(update={"scheduler_enabled": True, "scheduler_poll_s": 0.05,
                                       "scheduler_retry_s": 0.3})
    app = create_app(fast)
    async with app.router.lifespan_context(app):
        scheduler = app.state.service.scheduler
        scheduler.plan("test:first", cut_off_once, datetime.now(UTC), name="first")
        assert await eventually(lambda: RUNS == ["first", "first"])
        assert await eventually(lambda: scheduler.planned("test:") == [])
    assert RUNS == ["first", "first"]


async def test_a_running_job_stays_planned_and_one_planned_anew_meanwhile_is_kept(settings: Settings) -> None:
    RUNS.clear()
    GATE.clear()
    fast = settings.model_copy(update={"scheduler_enabled": True, "scheduler_poll_s": 0.05, "scheduler_retry_s": 60})
    app = create_app(fast)
    async with app.router.lifespan_context(app):
        scheduler = app.state.service.scheduler
        scheduler.plan("test:wait", waits, datetime.now(UTC), name="running")
        assert await eventually(lambda: RUNS == ["running"])
        assert [job for job, _ in scheduler.planned("test:")] == ["test:wait"]  # a kill now would not lose it
        later = datetime(2030, 1, 1, tzinfo=UTC)
        scheduler.plan("test:wait", waits, later, name="moved")
        GATE.set()
        await asyncio.sleep(0.3)
        assert scheduler.planned("test:") == [("test:wait", later)]
