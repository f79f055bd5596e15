"""The file routes: calendar entries, check-in QR codes and attendee exports, each behind its signed link.

Every response is marked `no-store` (the links are bearer links: a shared cache must never keep the file), and an
export is served only while the admin it was made for is still an admin; every download is written to the audit
log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.files import FORMATS, ics_text, qr_png, render_export
from storage.db import MAX_INTEGER, transaction
from storage.models import Person, Role
from storage.people import audit
from storage.rsvp import Rsvp, Workshop, get_workshop

router = APIRouter(prefix="/files/ws")

NO_STORE = {"Cache-Control": "no-store"}
RowId = Annotated[int, Path(ge=1, le=MAX_INTEGER)]
"""A row id as a link carries it: PostgreSQL's integer; a larger number would fail in the database, not be a 404."""


def described(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """What /openapi.json says a file route answers: the file, or 404 for a link nobody signed."""
    return {200: {"description": "the file", "content": {media_type: {} for media_type in media_types}},
            404: {"description": "no such workshop or row, or a link nobody signed"}}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.service.clock()
    return now


def _workshop(session: Session, workshop_id: int) -> Workshop:
    workshop = get_workshop(session=session, workshop_id=workshop_id)
    if workshop is None:
        raise HTTPException(404)
    return workshop


@router.get("/{workshop_id}/{token}.ics", response_class=Response, responses=described("text/calendar"))
def calendar(workshop_id: RowId, token: str, request: Request) -> Response:
    with transaction(_engine(request)) as session:
        workshop = _workshop(session, workshop_id)
        if not workshop.verify("ics", token):
            raise HTTPException(404)
        body = ics_text(workshop, request.app.state.settings.public_url, _now(request))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={**NO_STORE, "Content-Disposition": f'attachment; filename="workshop-{workshop_id}.ics"'})


@router.get("/{workshop_id}/qr/{rsvp_id}/{token}.png", response_class=Response, responses=described("image/png"))
def qr(workshop_id: RowId, rsvp_id: RowId, token: str, request: Request) -> Response:
    with transaction(_engine(request)) as session:
        workshop = _workshop(session, workshop_id)
        row = session.get(Rsvp, rsvp_id)
        if row is None or row.workshop_id != workshop_id or not workshop.verify(f"qr:{row.id}:{row.code}", token):
            raise HTTPException(404)
        code = row.code
    return Response(qr_png(code), media_type="image/png", headers=NO_STORE)


@router.get("/{workshop_id}/export/{person_id}/{expires}/{contacts}/{token}.{fmt}", response_class=Response,
            responses={**described(*FORMATS.values()), 403: {"description": "the link's admin is no longer one"},
                       410: {"description": "the link has expired"}})
def export(workshop_id: RowId, person_id: RowId, expires: int, contacts: int, token: str, fmt: str,
           request: Request) -> Response:
    if fmt not in FORMATS or contacts not in (0, 1):
        raise HTTPException(404)
    now = _now(request)
    with transaction(_engine(request)) as session:
        workshop = _workshop(session, workshop_id)
        if not workshop.verify(f"export:{fmt}:{contacts}:{person_id}:{expires}", token):
            raise HTTPException(404)
        if now.timestamp() > expires:
            raise HTTPException(410, "this export link has expired; ask for a new one")
        # The link was made for an admin: it stops working as soon as they are no longer one, not 24 h later.
        person = session.get(Person, person_id)
        still_admin = person is not None and person.role == Role.admin
        body = (render_export(session=session, workshop=workshop, fmt=fmt, contacts=bool(contacts),
                              tz=request.app.state.settings.tz)
                if still_admin else None)
        audit(session=session, person_id=person.id if person else None,
              action="workshop_export" if still_admin else "workshop_export_refused", workshop=workshop_id,
              format=fmt, contacts=bool(contacts), via="download", link_for=person_id)
    if body is None:
        raise HTTPException(403, "the person this link was made for is no longer an admin")
    return Response(body, media_type=FORMATS[fmt], headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="workshop-{workshop_id}-attendees.{fmt}"'})
