"""Signing in and out: by the one-time link `/console` sends to an admin's own chat, or by password.

Opening a link only shows a "sign in as …" button: chat apps fetch links to preview them, and such a fetch must
not spend the link. Wrong passwords and unusable links are counted per login and browser address, and lock out
as wrong invite codes do (`COORDBOT_CODE_MAX_FAILURES` within `COORDBOT_CODE_FAILURE_WINDOW_S`, for
`COORDBOT_CODE_LOCKOUT_S`). Every sign-in, failure and sign-out is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.console import texts as T
from bot.console.passwords import verify
from bot.console.web import (
    LANG_COOKIE,
    PRE_CSRF_COOKIE,
    SESSION_COOKIE,
    Posted,
    back_to,
    check_pre_csrf,
    client,
    lang_of,
    now,
    pre_csrf,
    render,
    set_cookie,
    settings,
    writing,
)
from bot.i18n import LANGUAGES, format_datetime
from storage.console import (
    Limits,
    close_session,
    locked_until,
    open_session,
    password_hash,
    record_failure,
    usable_link,
    use_link,
)
from storage.db import whole_number
from storage.models import Person, Role
from storage.people import audit

router = APIRouter(prefix="/console")


def _form_page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    token = pre_csrf(request)
    response = render(request, template, status_code=status_code, form_csrf=token, **context)
    set_cookie(response, request, PRE_CSRF_COOKIE, token)
    return response


@router.get("/signin")
def signin_page(request: Request) -> Response:
    return _form_page(request, "signin.html")


def _admin(person: Person | None) -> bool:
    return person is not None and person.role == Role.admin and person.retired_at is None


def _locked(request: Request, until: datetime) -> Response:
    when = format_datetime(until, lang_of(request), settings(request).tz)
    return _form_page(request, "signin.html", status_code=429, error=T.LOCKED_OUT.render(lang_of(request),
                                                                                             until=when))


def _signed_in(request: Request, person_id: int, method: str) -> Response:
    """Open the session (the caller's transaction) and send the browser to the dashboard."""
    with writing(request) as session:
        hours = settings(request).console_session_hours
        token, _ = open_session(session=session, person_id=person_id, method=method, now=now(request),
                                valid_for=timedelta(hours=hours))
        audit(session=session, person_id=person_id, action="console_signed_in", method=method, chat=client(request))
    response = RedirectResponse("/console", status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token, max_age=int(hours * 3600))
    response.delete_cookie(PRE_CSRF_COOKIE, path="/console")
    return response


def _limits(request: Request) -> Limits:
    s = settings(request)
    return Limits(s.code_max_failures, timedelta(seconds=s.code_failure_window_s), timedelta(seconds=s.code_lockout_s))


@router.post("/signin")
def signin_password(request: Request, login: str = Form(""), password: str = Form(""),
                    csrf: str = Form("")) -> Response:
    check_pre_csrf(request, csrf)
    at, chat = now(request), client(request)
    typed = login.strip().lstrip("#")
    person_id = whole_number(typed)
    limits = _limits(request)
    with writing(request) as session:
        until = locked_until(session=session, now=at, person_id=person_id, chat=chat, lockout=limits.lockout)
        if until is None:
            person = session.get(Person, person_id) if person_id is not None else None
            known = person.id if person is not None else None
            # The hash is checked even for an unknown login, so the time taken does not say who exists.
            if verify(password_hash(session=session, person_id=known) if known else None, password) and _admin(person):
                assert known is not None
                ok = known
            else:
                ok = None
                until = record_failure(session=session, now=at, person_id=known, chat=chat, limits=limits,
                                       method="password", login=typed[:20])
    if until is not None:
        return _locked(request, until)
    if ok is None:
        return _form_page(request, "signin.html", status_code=401, error=T.WRONG_PASSWORD.render(lang_of(request)))
    return _signed_in(request, ok, "password")


@router.get("/signin/{token}")
def link_page(token: str, request: Request) -> Response:
    """The confirmation page: only its button spends the link."""
    with writing(request) as session:
        link = usable_link(session=session, token=token, now=now(request))
        person = session.get(Person, link.person_id) if link else None
    if link is None or not _admin(person):
        return render(request, "message.html", status_code=404, message=T.LINK_UNUSABLE.render(lang_of(request)))
    assert person is not None
    return _form_page(request, "signin_link.html", token=token, name=person.name or f"#{person.id}")


@router.post("/signin/{token}")
def signin_link(token: str, request: Request, csrf: str = Form("")) -> Response:
    check_pre_csrf(request, csrf)
    at, chat = now(request), client(request)
    with writing(request) as session:
        # Only the browser's address counts here: a link names its person, and a stranger's guesses must not
        # lock an admin out of the one way in that needs no password.
        until = locked_until(session=session, now=at, person_id=None, chat=chat, lockout=_limits(request).lockout)
        person_id = None
        if until is None:
            person_id = use_link(session=session, token=token, now=at)
            if person_id is None or not _admin(session.get(Person, person_id)):
                person_id = None
                until = record_failure(session=session, now=at, person_id=None, chat=chat, limits=_limits(request),
                                       method="link")
    if until is not None:
        return _locked(request, until)
    if person_id is None:
        return render(request, "message.html", status_code=404, message=T.LINK_UNUSABLE.render(lang_of(request)))
    return _signed_in(request, person_id, "link")


@router.post("/signout")
def signout(request: Request, viewer: Posted) -> Response:
    with writing(request) as session:
        close_session(session=session, token=request.cookies.get(SESSION_COOKIE, ""))
        audit(session=session, person_id=viewer.id, action="console_signed_out")
    response = back_to("/console/signin")
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/lang/{lang}")
def switch_language(lang: str, request: Request, next: str = "/console") -> Response:
    """Thai or English for this browser; `next` must be a console page (never another site)."""
    target = next if next.startswith("/console") and "//" not in next else "/console"
    response = RedirectResponse(target, status_code=303)
    if lang in LANGUAGES:
        set_cookie(response, request, LANG_COOKIE, lang, max_age=365 * 24 * 3600)
    return response
