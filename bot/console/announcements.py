"""Announcements: recent ones with their delivery, and each one's per-recipient ledger (queued, sent, failed with
the reason, unreachable, skipped for LINE's quota, acknowledged), refreshed in place while it sends; a draft or a
scheduled one can be cancelled. Composing is chat's `/broadcast` (or `coordbot broadcast send`) for now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.console import texts as T
from bot.console.web import Admin, Posted, Viewer, back_to, render, writing
from bot.errors import DomainError
from handlers.broadcast.service import cancel
from handlers.broadcast.texts import STATE_NAMES, STATUS_NAMES
from handlers.segments import describe
from scheduler import Scheduler
from scheduler.planning import AfterCommit
from storage.broadcast import Segment, ack_counts, delivery, get_broadcast, ledger, recent_broadcasts

router = APIRouter(prefix="/console/announcements")

RECENT = 20


def _names(viewer: Viewer) -> dict[str, Any]:
    return {"state_name": lambda s: viewer.t(STATE_NAMES[s]) if s in STATE_NAMES else s,
            "status_name": lambda s: viewer.t(STATUS_NAMES[s]),
            "segment_name": lambda b: describe(Segment.from_json(b.segment), viewer.lang)}


@router.get("")
def list_page(request: Request, viewer: Admin) -> Response:
    with writing(request) as session:
        rows = [(b, delivery(session=session, broadcast_id=b.id or 0)) for b in
                recent_broadcasts(session=session, limit=RECENT)]
    return render(request, "announcements.html", viewer, rows=rows, **_names(viewer))


def _ledger(request: Request, broadcast_id: int) -> dict[str, Any] | None:
    with writing(request) as session:
        broadcast = get_broadcast(session=session, broadcast_id=broadcast_id)
        if broadcast is None:
            return None
        return {"broadcast": broadcast, "counts": delivery(session=session, broadcast_id=broadcast_id),
                "acks": ack_counts(session=session, broadcast_id=broadcast_id),
                "rows": ledger(session=session, broadcast_id=broadcast_id)}


@router.get("/{broadcast_id}")
def ledger_page(broadcast_id: int, request: Request, viewer: Admin, error: str = "") -> Response:
    context = _ledger(request, broadcast_id)
    if context is None:
        return render(request, "message.html", viewer, status_code=404, message=viewer.t(T.NOT_FOUND))
    return render(request, "announcement.html", viewer, **context, **_names(viewer))


@router.get("/{broadcast_id}/ledger")
def ledger_fragment(broadcast_id: int, request: Request, viewer: Admin) -> Response:
    context = _ledger(request, broadcast_id)
    if context is None:
        return render(request, "message.html", viewer, status_code=404, message=viewer.t(T.NOT_FOUND))
    return render(request, "_ledger.html", viewer, **context, **_names(viewer))


@router.post("/{broadcast_id}/cancel")
def cancel_page(broadcast_id: int, request: Request, viewer: Posted) -> Response:
    scheduler: Scheduler | None = getattr(request.app.state.service, "scheduler", None)
    later: list[Callable[[], None]] = []
    try:
        with writing(request) as session:
            planner = AfterCommit(scheduler, later) if scheduler is not None else None
            cancel(session=session, broadcast_id=broadcast_id, by=viewer.id, planner=planner)  # type: ignore[arg-type]
    except DomainError as err:
        context = _ledger(request, broadcast_id) or {}
        return render(request, "announcement.html", viewer, status_code=400, error=viewer.t(err.text, **err.params),
                      **context, **_names(viewer))
    for work in later:
        work()
    return back_to(f"/console/announcements/{broadcast_id}", "saved")
