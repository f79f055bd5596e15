"""Jobs that fire together share one transaction, and one job that fails does not fail the others with it."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from scheduler.batch import Batcher


def held_batches(fail_on: int | None = None) -> tuple[Batcher[int, int], list[list[int]], threading.Event,
                                                   threading.Event]:
    """A batcher whose first batch waits for `release`; items equal to `fail_on` make their batch raise."""
    batches: list[list[int]] = []
    first_started, release = threading.Event(), threading.Event()

    def work(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        if len(batches) == 1:
            first_started.set()
            release.wait(10)
        if fail_on in items:
            raise ValueError(f"window {fail_on} is broken")
        return [item * 10 for item in items]

    return Batcher(work), batches, first_started, release


def run_behind_a_first_batch(items: list[int], fail_on: int | None = None) -> tuple[list[Future[int]], list[list[int]]]:
    batcher, batches, first_started, release = held_batches(fail_on)
    with ThreadPoolExecutor(max_workers=len(items) + 1) as pool:
        first = pool.submit(batcher.run, 0)
        first_started.wait(10)
        rest = [pool.submit(batcher.run, n) for n in items]
        for _ in range(1000):  # all of them wait behind the first batch
            if len(batcher.waiting) == len(items):
                break
            threading.Event().wait(0.01)
        release.set()
        for future in [first, *rest]:
            future.exception(10)
    return rest, batches


def test_calls_arriving_during_a_batch_go_together_in_the_next_and_each_gets_its_own_result() -> None:
    futures, batches = run_behind_a_first_batch([1, 2, 3, 4, 5])
    assert [f.result() for f in futures] == [10, 20, 30, 40, 50]
    assert batches[0] == [0] and sorted(batches[1]) == [1, 2, 3, 4, 5] and len(batches) == 2


def test_a_failing_item_fails_alone() -> None:
    futures, _ = run_behind_a_first_batch([1, 3, 5], fail_on=3)
    assert futures[0].result() == 10 and futures[2].result() == 50
    with pytest.raises(ValueError, match="window 3"):
        futures[1].result()
