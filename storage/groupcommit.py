"""Group commit for webhooks: the events of webhooks arriving together are stored in one transaction.

Storing happens on one writer thread, so the event loop keeps reading requests while a commit (or, on SQLite,
the wait for another process's write lock) is in progress; whatever arrived meanwhile goes into the next
transaction. Each webhook is answered only after the transaction holding its events has committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from storage.inbox import store_events

Events = Sequence[tuple[str, dict[str, Any]]]


class InboxWriter:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-writer")
        self.waiting: list[tuple[str, Events, asyncio.Future[int]]] = []
        self.flushing: asyncio.Task[None] | None = None

    async def store(self, platform: str, events: Events) -> int:
        """How many of the events are new, once they are committed; raises what storing raised."""
        stored: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.waiting.append((platform, events, stored))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return await stored

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                pairs = [(platform, events) for platform, events, _ in batch]
                try:
                    counts = await loop.run_in_executor(self.thread, self._store, pairs)
                except Exception as exc:  # every webhook in the transaction is answered 5xx and redelivered
                    for *_, stored in batch:
                        if not stored.done():  # a webhook whose client went away is not waiting any more
                            stored.set_exception(exc)
                else:
                    for (*_, stored), count in zip(batch, counts, strict=True):
                        if not stored.done():
                            stored.set_result(count)
        finally:
            self.flushing = None

    def _store(self, batch: list[tuple[str, Events]]) -> list[int]:
        return store_events(engine=self.engine, batch=batch, now=self.clock())

    def close(self) -> None:
        self.thread.shutdown(wait=True)
