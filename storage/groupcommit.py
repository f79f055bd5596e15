"""Group commit: database writes requested together share one transaction, on one writer thread.

The event loop hands its writes to the thread and goes on reading requests and answers while a commit (or, on
SQLite, the wait for another process's write lock) is in progress; whatever is requested meanwhile goes into the
next transaction. Each caller resumes only after the transaction holding its write has committed, so
"acknowledge after storing" and "mark before sending" keep their meaning at a fraction of the commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

T = TypeVar("T")
Work = Callable[[Connection], Any]


class GroupCommit:
    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.waiting: list[tuple[Work, asyncio.Future[Any]]] = []
        self.flushing: asyncio.Task[None] | None = None

    async def run(self, work: Callable[[Connection], T]) -> T:
        """`work`'s result once its transaction has committed; raises what the transaction raised."""
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self.waiting.append((work, done))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    results = await loop.run_in_executor(self.thread, self._commit, [work for work, _ in batch])
                except Exception as exc:  # the whole transaction failed: so did every write in it
                    for _, done in batch:
                        if not done.done():  # a caller that went away is not waiting any more
                            done.set_exception(exc)
                else:
                    for (_, done), result in zip(batch, results, strict=True):
                        if not done.done():
                            done.set_result(result)
        finally:
            self.flushing = None

    def _commit(self, batch: list[Work]) -> list[Any]:
        with self.engine.begin() as conn:
            return [work(conn) for work in batch]

    def close(self) -> None:
        self.thread.shutdown(wait=True)
