"""Queries about people, their accounts, invite codes and the audit log."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Update, bindparam, insert, or_, update
from sqlmodel import Session, SQLModel, col, select

from storage.db import ids_by_platform, pairs_in, utcnow
from storage.models import Account, AuditLog, Invite, Person, Role

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I/L, so a code read aloud or typed from paper is not misread."""


def account_for(*, session: Session, platform: str, user_id: str) -> Account | None:
    return session.exec(
        select(Account).where(Account.platform == platform, Account.user_id == user_id)
    ).first()


def unreachable_among(*, session: Session, accounts: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (platform, user id) accounts are known to be unreachable, in one query."""
    wanted = set(accounts)
    if not wanted:
        return set()
    rows = session.execute(_unreachable(), {"users": sorted({user for _, user in wanted})})
    return {(platform, user) for platform, user in rows if (platform, user) in wanted}


@cache
def _unreachable() -> Any:
    """Built once: every claim of answers asks it, and building the statement cost more than running it."""
    return select(Account.platform, Account.user_id).where(
        col(Account.reachable).is_(False), col(Account.user_id).in_(bindparam("users", expanding=True)))


KnownAccounts = dict[tuple[str, str], tuple[Account, Person] | None]


class Guest(NamedTuple):
    """A first-time chat user as their first event shows them (see `ensure_account`)."""

    platform: str
    user_id: str
    chat_id: str | None
    display_name: str
    lang: str
"""(platform, user id) -> the account and person, or None for a user with no account yet: looked up ahead for a
batch of events (see `known_accounts`)."""


def known_accounts(*, session: Session, users: Iterable[tuple[str, str]]) -> KnownAccounts:
    """The accounts (and their people) of these (platform, user id) pairs, None for those with none yet, in one
    query: a batch of events looks its senders up once instead of once per event."""
    wanted = sorted(set(users))
    grouped = ids_by_platform(wanted)
    if not grouped:
        return {}
    rows = session.execute(_known(tuple(grouped)), grouped)
    found = {(account.platform, account.user_id): (account, person) for account, person in rows}
    return {user: found.get(user) for user in wanted}


@cache
def _known(platforms: tuple[str, ...]) -> Any:
    return (select(Account, Person).join(Person, col(Person.id) == Account.person_id)
            .where(pairs_in(col(Account.platform), col(Account.user_id), platforms)))


def mark_seen(*, session: Session, accounts: KnownAccounts) -> None:
    """The accounts a batch of events looked up ahead were seen now: one statement for all (not an ORM update
    flushed per event)."""
    ids = sorted(found[0].id for found in accounts.values() if found is not None and found[0].id is not None)
    if ids:
        session.connection().execute(_seen(), {"ids": ids, "at": utcnow()})


@cache
def _seen() -> Update:
    return (update(Account).where(col(Account.id).in_(bindparam("ids", expanding=True)))
            .values(last_seen_at=bindparam("at")))


def ensure_account(
    *, session: Session, platform: str, user_id: str, chat_id: str | None, display_name: str = "", lang: str = "th",
    known: KnownAccounts | None = None,
) -> tuple[Account, Person]:
    """The account and person behind a chat user, created as a guest on first contact.

    `chat_id` is the one-to-one chat the message came from, None for a group or room: a person's own chat is
    never a group. Until one is seen it is the user id, which is where both platforms deliver to a user
    (LINE pushes to a userId; a Telegram private chat's id is the user's id). A user in `known` is not looked up
    again; only a user's own first event creates their account, and a person's events are handled one at a time.
    """
    ahead = known is not None and (platform, user_id) in known
    if known is not None and ahead:
        found = known[(platform, user_id)]
    else:
        found = session.exec(select(Account, Person).join(Person, col(Person.id) == Account.person_id)
                             .where(Account.platform == platform, Account.user_id == user_id)).first()
    if found is not None:  # one query for both (or none, when known ahead): this runs for every event
        account, person = found
        if display_name and not account.display_name:
            account.display_name = display_name
        if chat_id is not None and account.chat_id != chat_id:
            account.chat_id = chat_id
        if not ahead:  # those looked up ahead are marked seen together (`mark_seen`)
            account.last_seen_at = utcnow()
        return account, person
    [made] = create_guests(session=session, guests=[Guest(platform, user_id, chat_id, display_name, lang)])
    return made


def create_guests(*, session: Session, guests: Sequence[Guest]) -> list[tuple[Account, Person]]:
    """Accounts and people for first-time users, in two statements for all of them: a burst of newcomers (an
    invitation shared in a group) costs two, not four each. Each statement hands back the session's own objects
    (an ORM INSERT ... RETURNING), so none is built and validated first and then flushed by the unit of work."""
    if not guests:
        return []
    people = session.scalars(_returning(Person), [
        _with_defaults(Person, name=guest.display_name, lang=guest.lang) for guest in guests]).all()
    accounts = session.scalars(_returning(Account), [
        _with_defaults(Account, person_id=person.id, platform=guest.platform, user_id=guest.user_id,
                       chat_id=guest.chat_id or guest.user_id, display_name=guest.display_name)
        for guest, person in zip(guests, people, strict=True)]).all()
    return list(zip(accounts, people, strict=True))


@cache
def _returning(table: type[SQLModel]) -> Any:
    """The ORM insert of `create_guests`, built once; the rows come back in the order they were given."""
    return insert(table).returning(table, sort_by_parameter_order=True)


def _with_defaults(table: type[SQLModel], **values: object) -> dict[str, object]:
    """A new row of `table`: these values and the model's defaults for the rest (its id left to the database, a
    column without a default null)."""
    row: dict[str, object] = dict(values)
    for name, default, factory in _defaults(table):
        if name not in row:
            row[name] = factory() if factory is not None else default
    return row


@cache
def _defaults(table: type[SQLModel]) -> tuple[tuple[str, object, Callable[[], object] | None], ...]:
    """Each optional column's default value or factory (`utcnow`), read once: pydantic's `get_default` inspects the
    factory's signature on every call. The defaults are immutable (strings, enums, booleans), so rows may share
    them."""
    return tuple((name, field.default, field.default_factory)  # type: ignore[misc]  # none takes the data
                 for name, field in table.model_fields.items() if name != "id" and not field.is_required())


def accounts_of(*, session: Session, person_id: int) -> list[Account]:
    return list(session.exec(select(Account).where(Account.person_id == person_id).order_by(col(Account.id))))


def preferred_account(*, session: Session, person_id: int) -> Account | None:
    """Where to reach a person: the reachable account they used last."""
    return session.exec(
        select(Account)
        .where(Account.person_id == person_id, col(Account.reachable).is_(True))
        .order_by(col(Account.last_seen_at).desc())
    ).first()


def preferred_accounts(*, session: Session, person_ids: Iterable[int]) -> dict[int, Account]:
    """`preferred_account` of many people in one query."""
    rows = session.exec(
        select(Account)
        .where(col(Account.person_id).in_(sorted(set(person_ids))), col(Account.reachable).is_(True))
        .order_by(col(Account.last_seen_at))
    )
    return {row.person_id: row for row in rows}  # the last seen wins


def people_in(
    *, session: Session, roles: Iterable[Role] | None = None, province_isos: Iterable[str] | None = None
) -> list[Person]:
    """People with any of `roles` in any of `province_isos` (None means no filter), in a stable order."""
    query = select(Person).where(col(Person.retired_at).is_(None)).order_by(col(Person.id))
    if roles is not None:
        query = query.where(col(Person.role).in_(list(roles)))
    if province_isos is not None:
        query = query.where(col(Person.province_iso).in_(list(province_isos)))
    return list(session.exec(query))


def set_reachable(*, session: Session, platform: str, user_id: str, reachable: bool, reason: str = "") -> None:
    account = account_for(session=session, platform=platform, user_id=user_id)
    if account is not None:
        account.reachable = reachable
        account.unreachable_reason = "" if reachable else reason


def new_code() -> str:
    """Eight characters in two groups, e.g. `K7Q4-M2XD`: short to type, valid as a Telegram deep link."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def create_invite(
    *, session: Session, role: Role, province_iso: str | None, now: datetime, valid_for: timedelta,
    name: str = "", created_by: int | None = None, link_person_id: int | None = None,
) -> Invite:
    invite = Invite(code=new_code(), role=role, province_iso=province_iso, name=name, created_by=created_by,
                    link_person_id=link_person_id, created_at=now, expires_at=now + valid_for)
    session.add(invite)
    session.flush()
    return invite


def normalize_code(text: str) -> str:
    """Codes are matched case-insensitively and with or without the dash."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else text.strip().upper()


def invite_by_code(*, session: Session, code: str) -> Invite | None:
    return session.exec(select(Invite).where(Invite.code == normalize_code(code))).first()


def list_invites(*, session: Session, include_used: bool = False) -> list[Invite]:
    query = select(Invite).order_by(col(Invite.id))
    if not include_used:
        query = query.where(col(Invite.used_at).is_(None))
    return list(session.exec(query))


def audit(*, session: Session, person_id: int | None, action: str, at: datetime | None = None, **detail: Any) -> None:
    session.add(AuditLog(person_id=person_id, action=action, detail=detail, at=at or utcnow()))


def recent_audit(*, session: Session, action: str, since: datetime, person_id: int | None,
                 chat: str) -> list[AuditLog]:
    """Entries of `action` after `since` by this person or from this chat (`detail["chat"]`), newest first."""
    return list(session.exec(select(AuditLog).where(
        AuditLog.action == action, col(AuditLog.at) > since,
        or_(col(AuditLog.person_id) == person_id, col(AuditLog.detail)["chat"].as_string() == chat),
    ).order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())))


def audit_entries(*, session: Session, action: str | None = None) -> list[AuditLog]:
    query = select(AuditLog).order_by(col(AuditLog.id))
    if action:
        query = query.where(AuditLog.action == action)
    return list(session.exec(query))


def menu_due(*, session: Session, person_id: int | None) -> None:
    """The person's role or language changed: their accounts get their new menu once this commits."""
    for account in session.exec(select(Account).where(Account.person_id == person_id)):
        account.menu = None
        session.add(account)
