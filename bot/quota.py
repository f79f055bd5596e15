"""LINE's monthly message quota as handlers see it: a reading taken before their transaction, never a call.

Reading the quota is two calls to LINE. Made inside a handler it would hold the handler's transaction (on SQLite
the database's one write lock) open for as long as LINE takes to answer, so the service reads it first, only
for the commands and buttons that declare `line_quota=True`, and hands the reading over in the context.
"""

from __future__ import annotations

import logging
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


@dataclass(frozen=True)
class QuotaReader:
    """The port over a call that returns the messages left (None: unlimited); a failed call is "unknown"."""

    quota_left: Callable[[], int | None]

    def read(self) -> LineQuota:
        try:
            return LineQuota(self.quota_left(), known=True)
        except Exception:  # the SDK raises several unrelated types for a failed call
            log.warning("LINE quota check failed", exc_info=True)
            return LineQuota()
