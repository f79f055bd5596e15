"""Submission windows: the list and a new-window form; each window's province grid, recording a province as
submitted on its behalf (with the reason), moving the close, deleting, and the nudge history.

The same storage functions as `/window` in chat and `coordbot window`, audited the same way; the reminders are
re-planned on the running scheduler once the change has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.console import texts as T
from bot.console.grid import cells
from bot.console.web import Admin, Posted, Viewer, back_to, now, render, writing
from bot.i18n import Text, parse_datetime
from handlers.deadlines import tell_admins, time_left, title
from scheduler import Scheduler
from scheduler.deadlines import job_prefix, plan_window
from storage import reference
from storage.deadlines import (
    DEFAULT_NUDGES,
    UnknownPlace,
    all_windows,
    create_window,
    default_fiscal_year,
    delete_window,
    get_window,
    move_window,
    nudge_history,
    nudge_times,
    parse_offset,
    resolve_scope,
    submission,
    submissions,
    submit,
)
from storage.people import audit

router = APIRouter(prefix="/console/windows")


class Invalid(Exception):
    """A form the console cannot accept: shown above the form in the reader's language, nothing changed."""

    def __init__(self, message: Text, /, **params: object) -> None:
        super().__init__(message.en)
        self.message, self.params = message, params


def _after_commit(request: Request, work: Callable[[Scheduler], object]) -> None:
    """Plan jobs on the running scheduler (the web process owns one); a console without one plans nothing."""
    scheduler: Scheduler | None = getattr(request.app.state.service, "scheduler", None)
    if scheduler is not None:
        work(scheduler)


def _local(text: str, viewer: Viewer, at: datetime) -> datetime:
    """A close typed as the browser's `datetime-local` gives it, or as chat reads dates; in the future."""
    try:
        moment = parse_datetime(text.replace("T", " "), viewer.tz)
    except ValueError as exc:
        raise Invalid(T.BAD_DATE, text=text[:40]) from exc
    if moment <= at:
        raise Invalid(T.DATE_IN_PAST, when=viewer.when(moment))
    return moment


@router.get("")
def list_page(request: Request, viewer: Admin) -> Response:
    return _list(request, viewer)


def _list(request: Request, viewer: Viewer, error: str = "", form: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    with writing(request) as session:
        windows = all_windows(session=session)
        done = {w.id: len(submissions(session=session, window_id=w.id)) for w in windows if w.id is not None}
    rows = [(w, title(w, viewer.lang), done.get(w.id or 0, 0)) for w in reversed(windows)]
    return render(request, "windows.html", viewer, status_code=status_code, rows=rows, error=error,
                  form=form or {"nudges": ",".join(DEFAULT_NUDGES)})


@router.post("")
def create(request: Request, viewer: Posted, title_th: str = Form(""), title_en: str = Form(""),
           closes: str = Form(""), provinces: str = Form(""), clusters: str = Form(""), year: str = Form(""),
           nudges: str = Form("")) -> Response:
    form = {"title_th": title_th, "title_en": title_en, "closes": closes, "provinces": provinces,
            "clusters": clusters, "year": year, "nudges": nudges}
    at = now(request)
    try:
        if not title_th.strip():
            raise Invalid(T.REQUIRED, field=viewer.t(T.TITLE_TH))
        closes_at = _local(closes, viewer, at)
        isos, scope = _scope(provinces, clusters)
        fiscal_year = _year(year, title_th, closes_at)
        stages = _nudges(nudges)
    except Invalid as bad:
        return _list(request, viewer, viewer.t(bad.message, **bad.params), form, status_code=400)
    with writing(request) as session:
        window = create_window(session=session, title_th=title_th.strip(), title_en=title_en.strip(),
                               fiscal_year=fiscal_year, opens_at=at, closes_at=closes_at, provinces=isos,
                               scope=scope, nudges=stages, created_by=viewer.id)
        audit(session=session, person_id=viewer.id, action="window_created", window=window.id, via="console")
    _after_commit(request, lambda s: plan_window(s, window, at))
    return back_to(f"/console/windows/{window.id}", "saved")


def _scope(provinces: str, clusters: str) -> tuple[list[str], str]:
    try:
        return resolve_scope(provinces=provinces.split(","), clusters=clusters.split(","))
    except UnknownPlace as exc:
        raise Invalid(T.UNKNOWN_PLACE, name=exc.name) from exc


def _year(text: str, name: str, closes_at: datetime) -> int:
    if not text.strip():
        return default_fiscal_year(name, closes_at)
    if not text.strip().isdecimal() or not 2500 <= int(text) <= 2700:
        raise Invalid(T.BAD_YEAR, text=text[:10])
    return int(text)


def _nudges(text: str) -> list[str]:
    stages = [n.strip() for n in text.split(",") if n.strip()]
    try:
        for stage in stages:
            parse_offset(stage)
    except ValueError as exc:
        raise Invalid(T.BAD_NUDGES, text=text[:40]) from exc
    return stages


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
    at = now(request)
    try:
        with writing(request) as session:
            window = get_window(session=session, window_id=window_id)
            if window is None:
                raise Invalid(T.WINDOW_GONE, id=window_id)
            if not reason.strip():
                raise Invalid(T.REQUIRED, field=viewer.t(T.REASON))
            if province not in window.provinces:
                raise Invalid(T.NOT_CONCERNED)
            earlier = submission(session=session, window_id=window_id, province_iso=province)
            if earlier is not None:
                raise Invalid(T.ALREADY_SUBMITTED, province=reference.province_name(province, viewer.lang),
                              when=viewer.when(earlier.submitted_at))
            submit(session=session, window=window, province_iso=province, person_id=viewer.id, now=at,
                   reference=reason.strip())
            audit(session=session, person_id=viewer.id, action="window_submitted_for", window=window_id,
                  province=province, reason=reason.strip(), via="console")
            tell_admins(session=session, window=window, iso=province, by=viewer.id, now=at)
    except Invalid as bad:
        return _page(request, viewer, window_id, viewer.t(bad.message, **bad.params), status_code=400)
    return back_to(f"/console/windows/{window_id}", "saved")


@router.post("/{window_id}/move")
def move(window_id: int, request: Request, viewer: Posted, closes: str = Form("")) -> Response:
    at = now(request)
    try:
        closes_at = _local(closes, viewer, at)
        with writing(request) as session:
            window = get_window(session=session, window_id=window_id)
            if window is None:
                raise Invalid(T.WINDOW_GONE, id=window_id)
            try:
                move_window(session=session, window=window, closes_at=closes_at)
            except ValueError as exc:
                raise Invalid(T.CLOSE_BEFORE_OPEN, opens=viewer.when(window.opens_at)) from exc
            audit(session=session, person_id=viewer.id, action="window_moved", window=window_id,
                  closes_at=closes_at.isoformat(), via="console")
    except Invalid as bad:
        return _page(request, viewer, window_id, viewer.t(bad.message, **bad.params), status_code=400)
    _after_commit(request, lambda s: plan_window(s, window, at))
    return back_to(f"/console/windows/{window_id}", "saved")


@router.post("/{window_id}/delete")
def delete(window_id: int, request: Request, viewer: Posted, confirm: str = Form("")) -> Response:
    """Deleting needs the confirming box ticked: the page says first what it stops."""
    if confirm != "yes":
        return _page(request, viewer, window_id, viewer.t(T.REQUIRED, field=viewer.t(T.DELETE_CONFIRM)), 400)
    with writing(request) as session:
        window = get_window(session=session, window_id=window_id)
        if window is None:
            return render(request, "message.html", viewer, status_code=404,
                          message=viewer.t(T.WINDOW_GONE, id=window_id))
        delete_window(session=session, window=window)
        audit(session=session, person_id=viewer.id, action="window_deleted", window=window_id, via="console")
    _after_commit(request, lambda s: s.cancel_prefix(job_prefix(window_id)))
    return back_to("/console/windows", "saved")
