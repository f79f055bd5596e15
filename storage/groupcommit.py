"""Group commit: database writes requested together share one transaction, on one writer thread.

The event loop hands its writes to the thread and goes on reading requests and answers while a commit (or, on
SQLite, the wait for another process's write lock) is in progress; whatever is requested meanwhile goes into the
next transaction. Each caller resumes only after the transaction holding its write has committed, so
"acknowledge after storing" and "mark before sending" keep their meaning at a fraction of the commits. A write that
is a single statement (`Statement`) is sent with its like in one executemany: on PostgreSQL a pipelined round trip
for a whole batch of a broadcast's marks instead of one round trip each (1,000 updates: 9 ms instead of 125).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import Executable

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Statement:
    """A write that is one statement and its parameters; its result is None."""

    statement: Executable
    params: Mapping[str, Any]


Work = Callable[[Connection], Any] | Statement


class GroupCommit:
    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.waiting: list[tuple[Work, asyncio.Future[Any]]] = []
        self.flushing: asyncio.Task[None] | None = None

    @overload
    async def run(self, work: Statement) -> None: ...

    @overload
    async def run(self, work: Callable[[Connection], T]) -> T: ...

    async def run(self, work: Callable[[Connection], T] | Statement) -> T | None:
        """`work`'s result once its transaction has committed; raises what the transaction raised."""
        return await self.submit(work)

    def submit(self, work: Work) -> asyncio.Future[Any]:
        """Queue `work` now and return its result to come. Writes commit in the order they were queued (a later
        one in the same transaction or a later one), so a caller may go on once its write is queued, knowing
        that any write queued after it commits only with or after it."""
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting.append((work, done))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return done

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
        """One transaction for the batch. Its writes were asked for at the same moment by callers none of which has
        another write waiting (each awaits its commit), so their order within it is free: each statement's
        parameters go together, after the other writes."""
        results: list[Any] = [None] * len(batch)
        alike: dict[int, list[Statement]] = {}
        with self.engine.begin() as conn:
            for index, work in enumerate(batch):
                if isinstance(work, Statement):
                    alike.setdefault(id(work.statement), []).append(work)
                else:
                    results[index] = work(conn)
            for statements in alike.values():
                conn.execute(statements[0].statement, [statement.params for statement in statements])
        return results

    def close(self) -> None:
        self.thread.shutdown(wait=True)
