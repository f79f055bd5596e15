"""The dashboard: open submission windows as province grids, upcoming workshops with their answers, and recent
announcements with how many were delivered and acknowledged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.console.grid import Cell, cells
from bot.console.web import Admin, now, render, writing
from handlers.deadlines.compose import time_left, title
from storage.broadcast import Broadcast, ack_counts, delivery, recent_broadcasts
from storage.deadlines import SubmissionWindow, open_windows, submissions
from storage.rsvp import Workshop, answer_counts, upcoming_workshops

router = APIRouter(prefix="/console")

RECENT = 5


@dataclass
class WindowView:
    window: SubmissionWindow
    title: str
    left: str
    done: int
    cells: list[Cell]


@dataclass
class BroadcastView:
    broadcast: Broadcast
    total: int
    sent: int
    acked: int
    reached: int

    @staticmethod
    def pct(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0


@router.get("")
def dashboard(request: Request, viewer: Admin) -> Response:
    at = now(request)
    with writing(request) as session:
        windows = []
        for window in open_windows(session=session, now=at):
            assert window.id is not None
            done = submissions(session=session, window_id=window.id)
            windows.append(WindowView(window, title(window, viewer.lang), time_left(window.closes_at, at, viewer.lang),
                                      len(done), cells(window, done, at, viewer.lang)))
        workshops: list[tuple[Workshop, Counter[str]]] = [
            (w, answer_counts(session=session, workshop_id=w.id or 0))
            for w in upcoming_workshops(session=session, now=at)[:RECENT]]
        broadcasts = []
        for b in recent_broadcasts(session=session, limit=RECENT):
            assert b.id is not None
            states = delivery(session=session, broadcast_id=b.id)
            acked, reached = ack_counts(session=session, broadcast_id=b.id)
            broadcasts.append(BroadcastView(b, sum(sum(c.values()) for c in states.values()),
                                            sum(c["sent"] for c in states.values()), acked, reached))
    return render(request, "dashboard.html", viewer, windows=windows, workshops=workshops, broadcasts=broadcasts)
