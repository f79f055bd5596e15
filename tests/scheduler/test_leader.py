"""Several service instances on PostgreSQL: exactly one runs the scheduler, and another takes over if it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.emulator import EmulatorServer
from storage.db import make_engine
from storage.migrations import upgrade
from tests.conftest import PG_URL, platform_env
from tests.helpers import COORDBOT

pytestmark = pytest.mark.skipif(not PG_URL, reason="SQLite allows one process; the lock matters on PostgreSQL")

LEADING = "this instance now runs the scheduler"
STANDING_BY = "this one stands by"
Worker = tuple[subprocess.Popen[bytes], Path]


@pytest.fixture
def start_worker(database_url: str, tmp_path: Path, emulator: EmulatorServer) -> Iterator[Callable[[str], Worker]]:
    engine = make_engine(database_url)
    upgrade(engine)  # once, before the instances race to do it
    engine.dispose()
    env = {**os.environ, "COORDBOT_DATABASE_URL": database_url, "COORDBOT_SCHEDULER_POLL_S": "0.2",
           "COORDBOT_AUTO_MIGRATE": "false", **platform_env(emulator)}
    started: list[Worker] = []

    def start(name: str) -> Worker:
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([COORDBOT, "work", "--log-level", "info"], env=env, stdout=out,
                                    stderr=subprocess.STDOUT, cwd=tmp_path)
        started.append((proc, log))
        return proc, log

    yield start
    for proc, _ in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def leads(log: Path) -> bool:
    return LEADING in log.read_text()


def stands_by(log: Path) -> bool:
    return STANDING_BY in log.read_text()


def wait_until(condition: Callable[[], bool], timeout: float = 180.0) -> bool:
    """Generous: a loaded CI machine can take many seconds just to start a process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_one_of_two_instances_runs_the_scheduler_and_the_other_takes_over_when_it_dies(
    start_worker: Callable[[str], Worker]
) -> None:
    first, first_log = start_worker("first")
    assert wait_until(lambda: leads(first_log)), first_log.read_text()
    second, second_log = start_worker("second")
    assert wait_until(lambda: stands_by(second_log)), second_log.read_text()
    time.sleep(2.0)  # ten more polls of the second instance
    assert second.poll() is None and not leads(second_log)

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert wait_until(lambda: leads(second_log)), second_log.read_text()
