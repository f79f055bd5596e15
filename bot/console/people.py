"""People: the network by province and role with their linked accounts and who cannot be reached; one person's
page to change their role or province; unused invite codes (create, revoke); the audit log with filters.

The same functions as `/people`, `/invite`, `/revoke` and `/audit` in chat (`storage.directory`), with the same
rule that admin invites are made only from the command line.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.console import texts as T
from bot.console.web import Admin, Posted, Viewer, back_to, now, render, writing
from bot.vocab import ROLE
from storage import directory, reference
from storage.db import whole_number
from storage.models import Role
from storage.people import audit, create_invite, list_invites

router = APIRouter(prefix="/console")

SHOWN = 200
"""People listed at once; a province or role narrows a longer list."""
INVITE_VALID = timedelta(days=14)
"""As long as an invite made in chat."""
ROLES = (Role.coordinator, Role.deputy_governor, Role.admin, Role.guest)
INVITABLE = (Role.coordinator, Role.deputy_governor)


def _context(viewer: Viewer) -> dict[str, Any]:
    return {"roles": ROLES, "role_name": lambda role: viewer.t(ROLE[role]), "provinces": reference.provinces(),
            "province_name": lambda iso: reference.province_name(iso, viewer.lang) if iso else "-"}


def _role(text: str) -> Role | None:
    return Role(text) if text in Role.__members__ else None


def _province(text: str) -> str | None:
    return text if text and any(p.iso == text for p in reference.provinces()) else None


@router.get("/people")
def people_page(request: Request, viewer: Admin, province: str = "", role: str = "",
                unreachable: str = "") -> Response:
    chosen = {"role": _role(role), "province_iso": _province(province), "unreachable": bool(unreachable)}
    with writing(request) as session:
        entries = directory.people(session=session, limit=SHOWN, **chosen)  # type: ignore[arg-type]
        total = directory.count(session=session, **chosen)  # type: ignore[arg-type]
    return render(request, "people.html", viewer, entries=entries, total=total,
                  filters={"province": province, "role": role, "unreachable": unreachable}, **_context(viewer))


@router.get("/people/invites")
def invites_page(request: Request, viewer: Admin, made: str = "") -> Response:
    return _invites(request, viewer, made=made)


def _invites(request: Request, viewer: Viewer, made: str = "", error: str = "", status_code: int = 200) -> Response:
    at = now(request)
    with writing(request) as session:
        invites = [i for i in list_invites(session=session) if i.expires_at > at and i.link_person_id is None]
    fresh = next((i for i in invites if i.code == made), None)
    made_note = {"note": viewer.t(T.INVITE_MADE, code=fresh.code, until=viewer.when(fresh.expires_at))} if fresh else {}
    return render(request, "invites.html", viewer, status_code=status_code, invites=invites, error=error,
                  invitable=INVITABLE, **made_note, **_context(viewer))


@router.post("/people/invites")
def create_invite_form(request: Request, viewer: Posted, role: str = Form(""), province: str = Form(""),
                       name: str = Form("")) -> Response:
    chosen = _role(role)
    if chosen == Role.admin:
        return _invites(request, viewer, error=viewer.t(T.ADMIN_INVITE_CLI), status_code=400)
    if chosen not in INVITABLE:
        return _invites(request, viewer, error=viewer.t(T.REQUIRED, field=viewer.t(T.ROLE)), status_code=400)
    assert chosen is not None
    with writing(request) as session:
        made = create_invite(session=session, role=chosen, province_iso=_province(province), now=now(request),
                             valid_for=INVITE_VALID, name=name.strip()[:100], created_by=viewer.id)
        audit(session=session, person_id=viewer.id, action="invite_created", code=made.code, role=str(made.role),
              province=made.province_iso, via="console")
    return back_to(f"/console/people/invites?made={made.code}")


@router.post("/people/invites/revoke")
def revoke(request: Request, viewer: Posted, code: str = Form("")) -> Response:
    try:
        with writing(request) as session:
            directory.revoke_invite(session=session, code=code, by=viewer.id, now=now(request))
    except directory.InviteNotRevocable:
        return _invites(request, viewer, error=viewer.t(T.NOT_REVOCABLE, code=code[:20]), status_code=400)
    return back_to("/console/people/invites", "saved")


@router.get("/people/{person_id}")
def person_page(person_id: int, request: Request, viewer: Admin) -> Response:
    with writing(request) as session:
        found = directory.entry(session=session, person_id=person_id)
        history = directory.audit_log(session=session, person_id=person_id, limit=30)
    if found is None:
        return render(request, "message.html", viewer, status_code=404, message=viewer.t(T.PERSON_GONE, id=person_id))
    return render(request, "person.html", viewer, entry=found, history=history, **_context(viewer))


@router.post("/people/{person_id}")
def change(person_id: int, request: Request, viewer: Posted, role: str = Form(""),
           province: str = Form("")) -> Response:
    """A role or province change, audited old → new by `storage.directory.change`, as in chat."""
    with writing(request) as session:
        try:
            target = directory.person(session=session, person_id=person_id)
        except directory.NoSuchPerson:
            return render(request, "message.html", viewer, status_code=404,
                          message=viewer.t(T.PERSON_GONE, id=person_id))
        changed = directory.change(session=session, target=target, by=viewer.id, role=_role(role),
                                   province_iso=_province(province))
    return back_to(f"/console/people/{person_id}", "saved" if changed else "unchanged")


@router.get("/audit")
def audit_page(request: Request, viewer: Admin, person: str = "", province: str = "", action: str = "") -> Response:
    person_id = whole_number(person)
    with writing(request) as session:
        rows = directory.audit_log(session=session, person_id=person_id, province_iso=_province(province),
                                   action=action.strip() or None, limit=100)
    return render(request, "audit.html", viewer, rows=rows, filters={"person": person, "province": province,
                                                                      "action": action}, **_context(viewer))
