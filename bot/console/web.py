"""What every console page shares: who is signed in, the CSRF check, the language, rendering, and refusals.

Each request reads its session cookie and the person behind it again, so an admin whose role is taken away is
refused on their very next request. Every form carries the session's CSRF token; a POST without it is a 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.console import texts as T
from bot.i18n import LANGUAGES, Text, format_datetime, on_clock
from bot.planner import NoPlanner, Planner
from scheduler import Scheduler
from scheduler.planning import AfterCommit
from storage.console import end_sessions, session_of
from storage.db import transaction
from storage.models import Person, Role
from storage.people import audit

HERE = Path(__file__).parent
SESSION_COOKIE = "coordbot_console"
PRE_CSRF_COOKIE = "coordbot_console_form"
"""Before signing in there is no session: the sign-in forms use a double-submit cookie instead."""
LANG_COOKIE = "coordbot_console_lang"

PAGE_HEADERS = {
    "Cache-Control": "no-store",  # pages show people's details: no shared cache may keep them
    "X-Frame-Options": "DENY",  # no framing: a form cannot be clicked through someone else's page
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # a sign-in link's address never travels in a Referer
}

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                        trim_blocks=True, lstrip_blocks=True)


class SignInNeeded(Exception):
    """No valid session: a page sends the browser to the sign-in page."""


class Refused(Exception):
    """Signed in, but not an admin (or a form without its CSRF token): a 403 page in the reader's language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass
class Viewer:
    """The admin using the console in this request."""

    person: Person
    csrf: str
    lang: str
    tz: Any

    @property
    def id(self) -> int:
        assert self.person.id is not None
        return self.person.id

    def t(self, text: Text, /, **params: object) -> str:
        """A text in the viewer's language; a `Text` or a moment among the parameters too (as services give)."""
        return text.render(self.lang, **on_clock(params, self.tz))

    def when(self, moment: datetime | None, with_time: bool = True) -> str:
        return format_datetime(moment, self.lang, self.tz, with_time) if moment else "-"


@contextmanager
def planned(request: Request) -> Iterator[Planner]:
    """A planner whose jobs are planned once the block (and its transaction) has ended without an error."""
    scheduler: Scheduler | None = getattr(request.app.state.service, "scheduler", None)
    later: list[Callable[[], None]] = []
    yield AfterCommit(scheduler, later) if scheduler is not None else NoPlanner()
    for work in later:
        work()


def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def now(request: Request) -> datetime:
    moment: datetime = request.app.state.service.clock()
    return moment


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "th")
    return lang if lang in LANGUAGES else "th"


def client(request: Request) -> str:
    """The browser's address, which failed sign-ins are counted by (with the login tried)."""
    return f"console:{request.client.host if request.client else '-'}"


@contextmanager
def writing(request: Request) -> Iterator[Session]:
    with transaction(engine(request)) as session:
        yield session


def _viewer(request: Request, session: Session) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE)
    row = session_of(session=session, token=token, now=now(request)) if token else None
    if row is None:
        raise SignInNeeded()
    person = session.get(Person, row.person_id)
    if person is None or person.role != Role.admin or person.retired_at is not None:
        audit(session=session, person_id=row.person_id, action="console_refused", path=request.url.path)
        end_sessions(session=session, person_id=row.person_id)
        raise Refused(T.FORBIDDEN)
    return Viewer(person, row.csrf, lang_of(request), settings(request).tz)


def signed_in(request: Request) -> Viewer:
    """A page's dependency: the signed-in admin (else a redirect to sign in, or a 403)."""
    with writing(request) as session:
        try:
            return _viewer(request, session)
        except Refused as exc:
            refused = exc  # the refusal is audited and the session ended (committed), then shown
    raise refused


def posted(request: Request, csrf: str = Form("")) -> Viewer:
    """A form's dependency: the signed-in admin, and the form's CSRF token must be this session's."""
    viewer = signed_in(request)
    if not csrf or not secrets.compare_digest(csrf, viewer.csrf):
        raise Refused(T.BAD_FORM)
    return viewer


Admin = Annotated[Viewer, Depends(signed_in)]
"""A page's viewer: the signed-in admin."""
Posted = Annotated[Viewer, Depends(posted)]
"""A form's viewer: the signed-in admin, the form's CSRF token checked."""


async def _posted_fields(request: Request) -> Mapping[str, Any]:
    return await request.form()


PostedFields = Annotated[Mapping[str, Any], Depends(_posted_fields)]
"""The posted form's fields, for a form with many (FastAPI reads the body once and keeps it for the other form
parameters, the CSRF token among them)."""


def pre_csrf(request: Request) -> str:
    """The sign-in forms' token: the one already in the browser's cookie, else a new one."""
    return request.cookies.get(PRE_CSRF_COOKIE) or secrets.token_urlsafe(24)


def check_pre_csrf(request: Request, csrf: str) -> None:
    cookie = request.cookies.get(PRE_CSRF_COOKIE, "")
    if not cookie or not csrf or not secrets.compare_digest(cookie, csrf):
        raise Refused(T.BAD_FORM)


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True, samesite="lax",
                        secure=settings(request).secure_cookies)


def render(request: Request, template: str, viewer: Viewer | None = None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    lang = viewer.lang if viewer else lang_of(request)
    note = NOTES.get(request.query_params.get("note", ""))
    context.setdefault("note", note.render(lang) if note else "")
    page = templates.get_template(template).render(
        T=T, v=viewer, lang=lang, t=lambda text, **p: text.render(lang, **p), path=request.url.path,
        here=quote(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""), safe=""),
        **context)
    return HTMLResponse(page, status_code=status_code, headers=PAGE_HEADERS)


NOTES = {"saved": T.SAVED, "unchanged": T.UNCHANGED}
"""What a page may say after a redirect (`?note=saved`): only these, so a crafted address cannot put words in the
console's mouth."""


def back_to(path: str, note: str = "") -> RedirectResponse:
    """Post/redirect/get: after a write the browser lands on a page it can reload safely."""
    suffix = f"?note={quote(note)}" if note else ""
    return RedirectResponse(path + suffix, status_code=303)


def refused_page(request: Request, exc: Refused) -> HTMLResponse:
    return render(request, "message.html", status_code=403, message=exc.text.render(lang_of(request)))


def to_sign_in(request: Request, exc: SignInNeeded) -> Response:
    if request.method != "GET":
        return render(request, "message.html", status_code=403, message=T.FORBIDDEN.render(lang_of(request)))
    return RedirectResponse("/console/signin", status_code=303)
