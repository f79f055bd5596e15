"""The 77-province grid of a submission window: each province's state, coloured by status and time left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import reference
from storage.deadlines import Submission, SubmissionWindow

URGENT_WITHIN = timedelta(days=1)
SOON_WITHIN = timedelta(days=3)


@dataclass(frozen=True)
class Cell:
    iso: str
    name: str
    state: str
    """done, urgent (under a day left), soon (under three), due, closed (missed), or na (not concerned)."""
    submission: Submission | None = None


def cells(window: SubmissionWindow, done: dict[str, Submission], now: datetime, lang: str) -> list[Cell]:
    left = window.closes_at - now
    waiting = ("closed" if left <= timedelta(0) else "urgent" if left <= URGENT_WITHIN
               else "soon" if left <= SOON_WITHIN else "due")
    concerned = set(window.provinces)
    return [Cell(p.iso, p.name(lang), "done" if p.iso in done else waiting if p.iso in concerned else "na",
                 done.get(p.iso))
            for p in sorted(reference.provinces(), key=lambda p: p.name(lang))]
