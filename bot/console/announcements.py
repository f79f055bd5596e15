"""Announcements: compose one with a segment form (its recipients per platform and LINE quota counted as it
changes) and/or in `/broadcast`'s words, see it as LINE and as Telegram will show it beside the preview chat
shows (recipients per platform, the LINE messages it uses against the quota left, when it goes), send it now or
at its time, or cancel; recent ones with their delivery, and each one's per-recipient ledger (queued, sent,
failed with the reason, unreachable, skipped for LINE's quota, acknowledged), refreshed in place while it sends.

Every step is a use case of `handlers.broadcast.service`, as chat calls it. LINE's quota is read before the
transaction, through the service's port, as chat's preview and confirmation do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.console import texts as T
from bot.console.web import Admin, Posted, PostedFields, Viewer, back_to, now, planned, render, settings, writing
from bot.errors import DomainError
from bot.quota import LineQuota
from bot.vocab import ROLES
from handlers.broadcast import compose, notices, service
from handlers.broadcast.drafts import parse_draft
from handlers.broadcast.texts import STATE_NAMES, STATUS_NAMES, USAGE
from handlers.segments import combine, describe, parse_segment
from storage.broadcast import (
    Audience,
    LineMode,
    Segment,
    ack_counts,
    delivery,
    get_broadcast,
    ledger,
    recent_broadcasts,
)
from storage.models import Role

router = APIRouter(prefix="/console/announcements")

RECENT = 20
SEGMENT_FIELDS = ("role", "province", "cluster", "region", "platform", "workshop", "answer", "window")
"""The segment form's fields: `parse_segment`'s option names, so the form means what `/broadcast` would."""


def built_segment(values: Mapping[str, Any]) -> Segment:
    """The segment form (comma lists, as typed after `/broadcast`) as a segment; unknown names are refused."""
    options = {name: [v.strip() for v in str(values.get(name) or "").split(",") if v.strip()]
               for name in SEGMENT_FIELDS}
    return parse_segment(options)


SegmentForm = PostedFields
"""The posted form, for `built_segment` to take its segment fields from."""


def _names(viewer: Viewer) -> dict[str, Any]:
    return {"state_name": lambda s: viewer.t(STATE_NAMES[s]) if s in STATE_NAMES else s,
            "status_name": lambda s: viewer.t(STATUS_NAMES[s]),
            "segment_name": lambda b: describe(Segment.from_json(b.segment), viewer.lang)}


@router.get("")
def list_page(request: Request, viewer: Admin) -> Response:
    return _list(request, viewer)


def _list(request: Request, viewer: Viewer, typed: str = "", error: str = "", status_code: int = 200,
          chosen: Mapping[str, Any] | None = None, **extra: Any) -> Response:
    with writing(request) as session:
        rows = [(b, delivery(session=session, broadcast_id=b.id or 0)) for b in
                recent_broadcasts(session=session, limit=RECENT)]
    return render(request, "announcements.html", viewer, status_code=status_code, rows=rows, typed=typed,
                  error=error, usage=viewer.t(USAGE), chosen=chosen or {},
                  roles=[(role.value, viewer.t(ROLES[role])) for role in Role], **_names(viewer), **extra)


@router.get("/reach")
def reach(request: Request, viewer: Admin) -> Response:
    """The segment form's recipients per platform and the LINE quota they use, as chat's preview counts them;
    fetched again by the page whenever the form changes. A wrong field gets chat's answer, nothing is drafted."""
    quota = _quota(request)
    try:
        segment = built_segment(request.query_params)
        with writing(request) as session:
            audience = service.reach(session=session, segment=segment)
    except DomainError as err:
        return render(request, "_reach.html", viewer, status_code=400, error=viewer.t(err.text, **err.params))
    return render(request, "_reach.html", viewer, lines=compose.reach(segment, audience, quota, viewer),
                  over_quota=_over(audience, quota))


def _over(audience: Audience, quota: LineQuota) -> bool:
    return quota.left is not None and audience.count("line") > quota.left


def _quota(request: Request) -> LineQuota:
    """LINE's messages left, read through the service's port outside any transaction."""
    quota: LineQuota = request.app.state.service.quota.read()
    return quota


@router.post("/preview")
def preview(request: Request, viewer: Posted, chosen: SegmentForm, typed: str = Form("")) -> Response:
    """A draft (nothing sent) and the preview chat shows: who, how many per platform, the quota it uses. The
    segment form's conditions join any typed before the text."""
    at, config = now(request), settings(request)
    quota = _quota(request)
    try:
        with writing(request) as session:
            draft = parse_draft(typed, config, at)
            draft.segment = combine(draft.segment, built_segment(chosen))
            made, audience = service.draft(session=session, author_id=viewer.id, draft=draft, link_label="",
                                           now=at)
            replies = compose.preview(made, audience, quota, service.send_time(made, config, at), at, viewer)
            message = notices.announcement(made)
    except DomainError as err:
        return _list(request, viewer, typed, viewer.t(err.text, **err.params), status_code=400, chosen=chosen)
    return _list(request, viewer, typed, chosen=chosen, replies=[r for r in replies if r != message],
                 message=message, draft=made, over_quota=_over(audience, quota))


@router.post("/{broadcast_id}/confirm")
def confirm(broadcast_id: int, request: Request, viewer: Posted, mode: str = Form("all")) -> Response:
    quota = _quota(request)
    chosen = LineMode(mode) if mode in LineMode.__members__ else LineMode.all
    try:
        with planned(request) as planner, writing(request) as session:
            service.confirm(session=session, broadcast_id=broadcast_id, mode=chosen, quota=quota, by=viewer.id,
                            now=now(request), settings=settings(request), planner=planner)
    except DomainError as err:
        return _list(request, viewer, error=viewer.t(err.text, **err.params), status_code=400)
    request.app.state.service.wake_outbox()
    return back_to(f"/console/announcements/{broadcast_id}", "saved")


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
    try:
        with planned(request) as planner, writing(request) as session:
            service.cancel(session=session, broadcast_id=broadcast_id, by=viewer.id, planner=planner)
    except DomainError as err:
        context = _ledger(request, broadcast_id) or {}
        return render(request, "announcement.html", viewer, status_code=400, error=viewer.t(err.text, **err.params),
                      **context, **_names(viewer))
    return back_to(f"/console/announcements/{broadcast_id}", "saved")
