"""Submission windows: the list and a new-window form; each window's province grid, recording a province as
submitted on its behalf (with the reason), moving the close, deleting, and the nudge history.

Every change is a use case of `handlers.deadlines.service`, as `/window` in chat calls it (same checks, same
audit, other admins told); the reminders are re-planned on the running scheduler once the change has committed.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.console import texts as T
from bot.console.grid import cells
from bot.console.web import Admin, Posted, Viewer, back_to, now, planned, render, writing
from bot.errors import DomainError
from bot.i18n import Text, parse_datetime
from handlers.deadlines import service
from handlers.deadlines.compose import time_left, title
from storage import reference
from storage.deadlines import all_windows, get_window, nudge_history, nudge_times, submissions

router = APIRouter(prefix="/console/windows")


class Invalid(Exception):
    """A form the console cannot accept: shown above the form in the reader's language, nothing changed."""

    def __init__(self, message: Text, /, **params: object) -> None:
        super().__init__(message.en)
        self.message, self.params = message, params


def _local(text: str, viewer: Viewer) -> datetime:
    """A close typed as the browser's `datetime-local` gives it, or as chat reads dates."""
    try:
        return parse_datetime(text.replace("T", " "), viewer.tz)
    except ValueError as exc:
        raise Invalid(T.BAD_DATE, text=text[:40]) from exc


@router.get("")
def list_page(request: Request, viewer: Admin) -> Response:
    return _list(request, viewer)


def _list(request: Request, viewer: Viewer, error: str = "", form: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    with writing(request) as session:
        windows = all_windows(session=session)
        done = {w.id: len(submissions(session=session, window_id=w.id)) for w in windows if w.id is not None}
    rows = [(w, title(w, viewer.lang), done.get(w.id or 0, 0)) for w in reversed(windows)]
    return render(request, "windows.html", viewer, status_code=status_code, rows=rows, error=error, form=form or {})


@router.post("")
def create(request: Request, viewer: Posted, title_th: str = Form(""), closes: str = Form(""),
           provinces: str = Form(""), clusters: str = Form(""), year: str = Form("")) -> Response:
    form = {"title_th": title_th, "closes": closes, "provinces": provinces, "clusters": clusters, "year": year}
    try:
        if not title_th.strip():
            raise Invalid(T.REQUIRED, field=viewer.t(T.TITLE_TH))
        closes_at = _local(closes, viewer)
        with planned(request) as planner, writing(request) as session:
            window = service.add(session=session, title=title_th.strip(), closes_at=closes_at,
                                 provinces=provinces.split(","), clusters=clusters.split(","),
                                 year=year.strip() or None, by=viewer.id, now=now(request), planner=planner)
    except Invalid as bad:
        return _list(request, viewer, viewer.t(bad.message, **bad.params), form, status_code=400)
    except DomainError as err:
        return _list(request, viewer, viewer.t(err.text, **err.params), form, status_code=400)
    return back_to(f"/console/windows/{window.id}", "saved")


@router.get("/{window_id}")
def window_page(window_id: int, request: Request, viewer: Admin) -> Response:
    return _page(request, viewer, window_id)


def _page(request: Request, viewer: Viewer, window_id: int, error: str = "", status_code: int = 200) -> Response:
    at = now(request)
    with writing(request) as session:
        window = get_window(session=session, window_id=window_id)
        if window is None:
            return render(request, "message.html", viewer, status_code=404,
                          message=viewer.t(T.WINDOW_GONE, id=window_id))
        done = submissions(session=session, window_id=window_id)
        history = nudge_history(session=session, window_id=window_id)
    grid = cells(window, done, at, viewer.lang)
    missing = [c for c in grid if c.state not in ("done", "na")]
    to_come = sum(1 for _, due in nudge_times(window) if due > at)
    return render(request, "window.html", viewer, status_code=status_code, window=window,
                  title=title(window, viewer.lang), left=time_left(window.closes_at, at, viewer.lang), cells=grid,
                  done=done, missing=missing, history=history, to_come=to_come, error=error,
                  province_name=lambda iso: reference.province_name(iso, viewer.lang))


@router.post("/{window_id}/submit")
def submit_for(window_id: int, request: Request, viewer: Posted, province: str = Form(""),
               reason: str = Form("")) -> Response:
    """Record on a province's behalf a submission that came by e-mail or letter; the reason is required."""
    if not reason.strip():
        return _page(request, viewer, window_id, viewer.t(T.REQUIRED, field=viewer.t(T.REASON)), status_code=400)
    try:
        with writing(request) as session:
            service.submit_for(session=session, window_id=window_id, province=province, reason=reason.strip(),
                               by=viewer.id, now=now(request))
    except DomainError as err:
        return _page(request, viewer, window_id, viewer.t(err.text, **err.params), status_code=400)
    return back_to(f"/console/windows/{window_id}", "saved")


@router.post("/{window_id}/move")
def move(window_id: int, request: Request, viewer: Posted, closes: str = Form("")) -> Response:
    try:
        closes_at = _local(closes, viewer)
        with planned(request) as planner, writing(request) as session:
            service.move(session=session, window_id=window_id, closes_at=closes_at, by=viewer.id, now=now(request),
                         planner=planner)
    except Invalid as bad:
        return _page(request, viewer, window_id, viewer.t(bad.message, **bad.params), status_code=400)
    except DomainError as err:
        return _page(request, viewer, window_id, viewer.t(err.text, **err.params), status_code=400)
    return back_to(f"/console/windows/{window_id}", "saved")


@router.post("/{window_id}/delete")
def delete(window_id: int, request: Request, viewer: Posted, confirm: str = Form("")) -> Response:
    """Deleting needs the confirming box ticked: the page says first what it stops."""
    if confirm != "yes":
        return _page(request, viewer, window_id, viewer.t(T.REQUIRED, field=viewer.t(T.DELETE_CONFIRM)), 400)
    try:
        with planned(request) as planner, writing(request) as session:
            service.delete(session=session, window_id=window_id, by=viewer.id, planner=planner)
    except DomainError as err:
        return render(request, "message.html", viewer, status_code=404, message=viewer.t(err.text, **err.params))
    return back_to("/console/windows", "saved")
