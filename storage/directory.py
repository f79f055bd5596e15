"""The admins' people tools: who is in the network and how to reach them, role and province changes,
retiring someone who was transferred, revoking an unused invite, and reading the audit log.

Chat (`handlers/people.py`) and the CLI (`bot/commands/people.py`) both call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.models import Account, AuditLog, Invite, Person, Role
from storage.people import audit, invite_by_code, menu_due
from storage.rsvp import SEATED, Rsvp, Workshop


@dataclass
class Entry:
    """One person as the admins' list shows them: their accounts, and whether any of them reaches the person."""

    person: Person
    accounts: list[Account] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return any(a.reachable for a in self.accounts)


class NoSuchPerson(LookupError):
    pass


class InviteNotRevocable(LookupError):
    """No such code, or it was used already (a used code is history, not something to revoke)."""


def _where(query: Any, role: Role | None, province_iso: str | None, include_retired: bool,
           unreachable: bool) -> Any:
    if role is not None:
        query = query.where(Person.role == role)
    if province_iso is not None:
        query = query.where(Person.province_iso == province_iso)
    if not include_retired:
        query = query.where(col(Person.retired_at).is_(None))
    if unreachable:  # has accounts, none of them reachable
        accounts = select(Account.person_id)
        query = query.where(col(Person.id).in_(accounts), col(Person.id).not_in(
            accounts.where(col(Account.reachable).is_(True))))
    return query


def people(*, session: Session, role: Role | None = None, province_iso: str | None = None,
           include_retired: bool = False, unreachable: bool = False, limit: int | None = None) -> list[Entry]:
    """People by province and role (or only those no account reaches), each with their accounts, in two queries."""
    query = _where(select(Person), role, province_iso, include_retired, unreachable).order_by(
        col(Person.province_iso), col(Person.role), col(Person.name), col(Person.id))
    entries = {p.id: Entry(p) for p in session.exec(query.limit(limit) if limit else query)}
    if entries:
        for account in session.exec(select(Account).where(col(Account.person_id).in_(list(entries)))
                                    .order_by(col(Account.id))):
            entries[account.person_id].accounts.append(account)
    return list(entries.values())


def count(*, session: Session, role: Role | None = None, province_iso: str | None = None,
          include_retired: bool = False, unreachable: bool = False) -> int:
    """How many `people` would list."""
    query = _where(select(func.count()).select_from(Person), role, province_iso, include_retired, unreachable)
    return int(session.exec(query).one())


def entry(*, session: Session, person_id: int) -> Entry | None:
    """One person (retired or not) with their accounts."""
    found = session.get(Person, person_id)
    if found is None:
        return None
    return Entry(found, list(session.exec(select(Account).where(Account.person_id == person_id)
                                          .order_by(col(Account.id)))))


def person(*, session: Session, person_id: int) -> Person:
    found = session.get(Person, person_id)
    if found is None:
        raise NoSuchPerson(person_id)
    return found


def change(*, session: Session, target: Person, by: int | None, role: Role | None = None,
           province_iso: str | None = None) -> dict[str, Any]:
    """Set a person's role and/or province; returns what changed (old → new), which is audited."""
    changed: dict[str, Any] = {}
    if role is not None and role != target.role:
        changed["role"] = [str(target.role), str(role)]
        target.role = role
    if province_iso is not None and province_iso != target.province_iso:
        changed["province"] = [target.province_iso, province_iso]
        target.province_iso = province_iso
    if changed:
        session.add(target)
        audit(session=session, person_id=by, action="person_changed", person=target.id, **changed)
    if "role" in changed:
        menu_due(session=session, person_id=target.id)
    return changed


def held_seats(*, session: Session, person_id: int, now: datetime) -> list[tuple[Workshop, Rsvp]]:
    """Seats the person holds (or is offered) in workshops that have not started: what retiring them frees."""
    return list(session.exec(
        select(Workshop, Rsvp).join(Rsvp, col(Rsvp.workshop_id) == col(Workshop.id))
        .where(Rsvp.person_id == person_id, col(Rsvp.status).in_(SEATED), col(Workshop.starts_at) > now)
        .order_by(col(Workshop.starts_at))
    ))


def retire(*, session: Session, target: Person, by: int | None, now: datetime) -> None:
    """Stop everything addressed to a person who left their post, keeping their history (answers, submissions,
    audit). They become a guest, so a new invite can place them elsewhere; freeing their seats is the caller's
    (it tells the waitlist)."""
    audit(session=session, person_id=by, action="person_retired", person=target.id, role=str(target.role),
          province=target.province_iso)
    target.role, target.retired_at = Role.guest, now
    session.add(target)
    menu_due(session=session, person_id=target.id)


def revoke_invite(*, session: Session, code: str, by: int | None, now: datetime) -> Invite:
    """An unused invite stops working at once (it expires now)."""
    invite = invite_by_code(session=session, code=code)
    if invite is None or invite.used_at is not None:
        raise InviteNotRevocable(code)
    invite.expires_at = min(invite.expires_at, now)
    session.add(invite)
    audit(session=session, person_id=by, action="invite_revoked", code=invite.code)
    return invite


def audit_log(*, session: Session, person_id: int | None = None, province_iso: str | None = None,
              action: str | None = None, limit: int = 50) -> list[tuple[AuditLog, Person | None]]:
    """The latest entries, newest first, filtered by who acted or was acted on, a province (the entry's, either
    side of a change, or the actor's), or an action; filtered in the database, so a filter finds old entries too."""
    query = (select(AuditLog, Person).join(Person, col(Person.id) == col(AuditLog.person_id), isouter=True)
             .order_by(col(AuditLog.id).desc()))
    if action:
        query = query.where(AuditLog.action == action)
    if person_id is not None:
        query = query.where(or_(col(AuditLog.person_id) == person_id,
                                col(AuditLog.detail)["person"].as_string() == str(person_id)))
    if province_iso is not None:
        named = col(AuditLog.detail)["province"].as_string()
        # One code, or [old, new] for a change (its JSON text holds the code in quotes).
        query = query.where(or_(named == province_iso, named.contains(f'"{province_iso}"'),
                                col(Person.province_iso) == province_iso))
    return list(session.exec(query.limit(limit)))

