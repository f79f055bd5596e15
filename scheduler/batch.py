"""Jobs that fire together share one transaction: a burst of due nudges is a few commits, not one each.

Job functions run on the scheduler's worker threads. The first caller does the work for every call waiting at that
moment and for those that arrive meanwhile; each caller returns with its own result once its batch committed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    def __init__(self, work: Callable[[Sequence[T]], list[R]]) -> None:
        self.work = work
        self.lock = threading.Lock()
        self.waiting: list[tuple[T, Future[R]]] = []
        self.busy = False

    def run(self, item: T) -> R:
        """`work` done for `item` (with whatever else is waiting); raises what its batch raised."""
        done: Future[R] = Future()
        with self.lock:
            self.waiting.append((item, done))
            lead, self.busy = not self.busy, True
        if lead:
            self._drain()
        return done.result()

    def _drain(self) -> None:
        while True:
            with self.lock:
                batch, self.waiting = self.waiting, []
                if not batch:
                    self.busy = False
                    return
            self._do(batch)

    def _do(self, batch: list[tuple[T, Future[R]]]) -> None:
        try:
            results = self.work([item for item, _ in batch])
        except Exception as exc:
            if len(batch) > 1:  # one bad item must not fail the others: each alone, in its own transaction
                log.warning("a batch of %d jobs failed (%r); doing them one by one", len(batch), exc)
                for one in batch:
                    self._do([one])
                return
            batch[0][1].set_exception(exc)
            return
        for (_, done), result in zip(batch, results, strict=True):
            done.set_result(result)
