"""LINE's monthly message quota as handlers see it: a reading taken before their transaction, never a call.

Reading the quota is two calls to LINE. Made inside a handler it would hold the handler's transaction (on SQLite
the database's one write lock) open for as long as LINE takes to answer, so the service reads it first, only
for the commands and buttons that declare `line_quota=True`, and hands the reading over in the context.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineQuota:
    """LINE messages left this month: `left` None means no limit (or no LINE) when `known`, else unknown."""

    left: int | None = None
    known: bool = False


UNREAD = LineQuota()
"""What a handler that did not declare `line_quota=True` sees: not known."""


class QuotaPort(Protocol):
    """Where the service reads the quota (LINE's API through its adapter; a fixed value in tests)."""

    def read(self) -> LineQuota: ...


class QuotaReader:
    """The port over a call that returns the messages left (None: unlimited); a failed call is "unknown".

    A known reading is kept for `max_age_s`: the console's segment form asks again as an admin types, and the
    figure only moves as announcements go out (which LINE itself refuses past the quota)."""

    def __init__(self, quota_left: Callable[[], int | None], max_age_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.quota_left, self.max_age_s, self.clock = quota_left, max_age_s, clock
        self._lock = threading.Lock()
        self._kept: tuple[float, LineQuota] | None = None

    def read(self) -> LineQuota:
        with self._lock:
            if self._kept is not None and self.clock() - self._kept[0] < self.max_age_s:
                return self._kept[1]
        try:
            reading = LineQuota(self.quota_left(), known=True)
        except Exception:  # the SDK raises several unrelated types for a failed call
            log.warning("LINE quota check failed", exc_info=True)
            return LineQuota()
        with self._lock:
            self._kept = (self.clock(), reading)
        return reading
