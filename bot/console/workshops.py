"""Workshops: the list and a new workshop from the same form as `/newworkshop` (checked the same way, and
previewed as the invitation chat shows before anything is stored or sent), and its edit (checked the same way;
those coming are told of a new date or venue); each workshop's answers per cluster and province (refreshed in
place every few seconds), the waitlist and offers, the seats, a nudge to the silent, attendee exports (audited,
as in chat) and a check-in desk where staff type a code.

Every action is a use case of `handlers.rsvp` (create, board, checkin), as chat and the CLI call them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.console import texts as T
from bot.console.web import Admin, Posted, PostedFields, Viewer, back_to, now, planned, render, settings, writing
from bot.errors import DomainError
from bot.messages import Reply
from bot.vocab import ROLE
from handlers.rsvp import board, checkin, compose, create
from handlers.rsvp.payloads import ExportFormat
from storage import reference
from storage.models import Role

router = APIRouter(prefix="/console/workshops")


def _names(viewer: Viewer) -> dict[str, Any]:
    return {"province_name": lambda iso: reference.province_name(iso, viewer.lang) if iso and iso != "-" else "-",
            "cluster_name": lambda no: reference.cluster(no).name(viewer.lang) if no else
            reference.province_name("TH-10", viewer.lang),
            "role_name": lambda role: viewer.t(ROLE[Role(role)])}


def _refusal(viewer: Viewer, err: DomainError) -> str:
    return viewer.t(err.text, **err.params)


@router.get("")
def list_page(request: Request, viewer: Admin) -> Response:
    return _list(request, viewer)


def _list(request: Request, viewer: Viewer, form: str = "", error: str = "", replies: list[Reply] | None = None,
          draft: int | None = None, status_code: int = 200) -> Response:
    at = now(request)
    with writing(request) as session:
        workshops = board.upcoming(session=session, now=at)
    example = compose.form_example(viewer.lang, settings(request), at)[0].text
    return render(request, "workshops.html", viewer, status_code=status_code, workshops=workshops, form=form,
                  example=example, error=error, replies=replies or [], draft=draft)


@router.post("/preview")
def preview(request: Request, viewer: Posted, form: str = Form("")) -> Response:
    """Check the form and show the invitation as invitees will see it; nothing is stored but the draft."""
    try:
        with writing(request) as session:
            result = create.preview_form(session=session, person_id=viewer.id, form=form, settings=settings(request),
                                         now=now(request))
    except DomainError as err:
        return _list(request, viewer, form, _refusal(viewer, err), status_code=400)
    replies = compose.preview(result, viewer.lang, settings(request))
    return _list(request, viewer, form, replies=replies, draft=result.draft)


@router.post("/confirm")
def confirm(request: Request, viewer: Posted, draft: int = Form(0)) -> Response:
    try:
        with planned(request) as planner, writing(request) as session:
            result = create.confirm_draft(session=session, person_id=viewer.id, draft_id=draft,
                                          settings=settings(request), now=now(request),
                                          planner=planner)
    except DomainError as err:
        return _list(request, viewer, error=_refusal(viewer, err), status_code=400)
    workshop_id = result.workshop.id if isinstance(result, create.Created) else result.workshop_id
    if workshop_id is None:
        return back_to("/console/workshops")
    return back_to(f"/console/workshops/{workshop_id}", "saved")


def _board_context(request: Request, workshop_id: int) -> dict[str, Any]:
    with writing(request) as session:
        return {"board": board.workshop_board(session=session, workshop_id=workshop_id),
                "line": board.waitlist(session=session, workshop_id=workshop_id)}


@router.get("/{workshop_id}")
def workshop_page(workshop_id: int, request: Request, viewer: Admin) -> Response:
    return _page(request, viewer, workshop_id)


def _typed(moment: datetime, viewer: Viewer) -> str:
    """A moment as the edit form shows it, in a form `parse_datetime` reads back."""
    return f"{moment.astimezone(viewer.tz):%Y-%m-%d %H:%M}"


def _edit_values(board_: board.Board, viewer: Viewer) -> dict[str, str]:
    w = board_.workshop
    return {"title_th": w.title_th, "title_en": w.title_en, "start": _typed(w.starts_at, viewer),
            "end": _typed(w.ends_at, viewer), "deadline": _typed(w.rsvp_deadline, viewer), "venue": w.venue,
            "address": w.address, "agenda": w.agenda, "capacity": str(w.capacity or ""),
            "per_province": str(w.per_province or "")}


def _page(request: Request, viewer: Viewer, workshop_id: int, error: str = "", status_code: int = 200,
          typed: dict[str, str] | None = None, **extra: Any) -> Response:
    """The workshop's page; after a refused edit its form keeps what the admin typed (a repost of the same edit
    changes nothing and tells nobody again)."""
    try:
        context = _board_context(request, workshop_id)
    except DomainError as err:
        return render(request, "message.html", viewer, status_code=404, message=_refusal(viewer, err))
    return render(request, "workshop.html", viewer, status_code=status_code, error=error, **context,
                  edit={**_edit_values(context["board"], viewer), **(typed or {})}, edit_fields=T.EDIT_FIELDS,
                  **_names(viewer), **extra)


@router.get("/{workshop_id}/board")
def board_fragment(workshop_id: int, request: Request, viewer: Admin) -> Response:
    """The answers alone, for the page's script to swap in without a reload."""
    try:
        context = _board_context(request, workshop_id)
    except DomainError as err:
        return render(request, "message.html", viewer, status_code=404, message=_refusal(viewer, err))
    return render(request, "_board.html", viewer, **context, **_names(viewer))


@router.post("/{workshop_id}/seats")
def seats(workshop_id: int, request: Request, viewer: Posted, capacity: str = Form(""),
          per_province: str = Form(""), confirmed: str = Form("")) -> Response:
    if not capacity.strip().isdecimal() or (per_province.strip() and not per_province.strip().isdecimal()):
        return _page(request, viewer, workshop_id, viewer.t(T.BAD_SEATS), status_code=400)
    try:
        with planned(request) as planner, writing(request) as session:
            result = board.set_seats(session=session, workshop_id=workshop_id, capacity=int(capacity),
                                     per_province=int(per_province) if per_province.strip() else None,
                                     confirmed=confirmed == "yes", by=viewer.id, settings=settings(request),
                                     now=now(request), planner=planner)
    except DomainError as err:
        return _page(request, viewer, workshop_id, _refusal(viewer, err), status_code=400)
    if isinstance(result, board.SeatsBelow):
        return _page(request, viewer, workshop_id, replies=compose.seats(result, viewer.lang), below=result)
    return back_to(f"/console/workshops/{workshop_id}", "saved")


@router.post("/{workshop_id}/edit")
def edit(workshop_id: int, request: Request, viewer: Posted, form: PostedFields) -> Response:
    """Change the workshop with `create.edit_workshop`, as the CLI does; refused, nothing changes."""
    typed = {field: str(form[field]) for field in create.EDITABLE if field in form}
    try:
        with planned(request) as planner, writing(request) as session:
            edited = create.edit_workshop(session=session, workshop_id=workshop_id, values=typed, by=viewer.id,
                                          settings=settings(request), now=now(request), planner=planner,
                                          via="console")
    except DomainError as err:
        return _page(request, viewer, workshop_id, _refusal(viewer, err), status_code=400, typed=typed)
    return _page(request, viewer, workshop_id, note=viewer.t(T.CHANGES_TOLD, n=edited.told))


@router.post("/{workshop_id}/nudge")
def nudge(workshop_id: int, request: Request, viewer: Posted) -> Response:
    try:
        with writing(request) as session:
            sent = board.nudge_silent(session=session, workshop_id=workshop_id, by=viewer.id,
                                      settings=settings(request), now=now(request))
    except DomainError as err:
        return _page(request, viewer, workshop_id, _refusal(viewer, err), status_code=400)
    return _page(request, viewer, workshop_id, replies=compose.nudged(sent, viewer.lang))


@router.post("/{workshop_id}/export")
def export(workshop_id: int, request: Request, viewer: Posted, fmt: str = Form("csv"),
           contacts: str = Form("")) -> Response:
    """A signed link to the attendee list, audited as chat's export (with contacts: every admin is told)."""
    if fmt not in ("csv", "xlsx"):
        return _page(request, viewer, workshop_id, viewer.t(T.NOT_FOUND), status_code=400)
    try:
        with writing(request) as session:
            made = board.export_link(session=session, workshop_id=workshop_id, fmt=ExportFormat(fmt),
                                     contacts=contacts == "yes", by=viewer.person, settings=settings(request),
                                     now=now(request), via="console")
    except DomainError as err:
        return _page(request, viewer, workshop_id, _refusal(viewer, err), status_code=400)
    return RedirectResponse(made.url, status_code=303)


@router.get("/{workshop_id}/desk")
def desk(workshop_id: int, request: Request, viewer: Admin) -> Response:
    return render(request, "desk.html", viewer, workshop_id=workshop_id)


@router.post("/{workshop_id}/desk")
def check_in(workshop_id: int, request: Request, viewer: Posted, code: str = Form("")) -> Response:
    """Staff type (or a scanner types) the attendee's code; the attendee is welcomed as with `/checkin CODE`."""
    try:
        with writing(request) as session:
            arrival = checkin.check_in_code(session=session, code=code.strip(), by=viewer.id,
                                            settings=settings(request), now=now(request), via="console")
    except DomainError as err:
        return render(request, "desk.html", viewer, status_code=400, workshop_id=workshop_id,
                      error=_refusal(viewer, err))
    return render(request, "desk.html", viewer, workshop_id=workshop_id,
                  replies=compose.arrival(arrival, viewer.lang, settings(request)))
