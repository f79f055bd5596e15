"""The admin console's sign-in: one-time links sent to an admin's own chat, passwords, and browser sessions.

Links and session tokens are long random strings, stored only as their SHA-256 digests (a copy of the database
does not sign anyone in); passwords are stored only as argon2 hashes (made in `bot.console.passwords`). Who may
use the console (the admin role) is checked on every request, not here.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Field, Session, SQLModel, col, select

from storage.models import when
from storage.people import audit, recent_audit

FAILED = "console_signin_failed"
LOCKOUT = "console_lockout"
NOBODY = -1
"""Stands for "no known person" in the lockout queries, which match by person or by browser address."""


def digest(token: str) -> str:
    """What is stored of a bearer token: enough to recognise it, useless to present."""
    return hashlib.sha256(token.encode()).hexdigest()


class ConsoleLink(SQLModel, table=True):
    """A one-time sign-in link the bot sent to an admin's one-to-one chat (`/console`)."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime = when()
    expires_at: datetime = when()
    used_at: datetime | None = when(nullable=True)


class ConsolePassword(SQLModel, table=True):
    """An admin's console password (argon2), set with `coordbot console set-password`."""

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    password_hash: str
    set_at: datetime = when()


class ConsoleSession(SQLModel, table=True):
    """A signed-in browser; the cookie holds the token, the forms carry `csrf`."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    csrf: str
    method: str
    """How it was opened: "link" or "password"."""
    created_at: datetime = when()
    expires_at: datetime = when()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def create_link(*, session: Session, person_id: int, now: datetime, valid_for: timedelta) -> str:
    """A new sign-in link token for this person; only its digest is kept."""
    token = new_token()
    session.add(ConsoleLink(token_hash=digest(token), person_id=person_id, created_at=now,
                            expires_at=now + valid_for))
    session.flush()
    return token


def usable_link(*, session: Session, token: str, now: datetime) -> ConsoleLink | None:
    """The link behind `token` if it is unused and unexpired; None otherwise (one answer for every reason)."""
    link = session.exec(select(ConsoleLink).where(ConsoleLink.token_hash == digest(token))).first()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


def use_link(*, session: Session, token: str, now: datetime) -> int | None:
    """Spend a link once; returns its person, or None if it cannot be used. Two tabs racing: one wins."""
    link = usable_link(session=session, token=token, now=now)
    if link is None:
        return None
    claimed = session.exec(select(ConsoleLink).where(col(ConsoleLink.id) == link.id, col(ConsoleLink.used_at).is_(None))
                           .with_for_update()).first()
    if claimed is None:
        return None
    claimed.used_at = now
    session.add(claimed)
    session.flush()
    return claimed.person_id


def set_password(*, session: Session, person_id: int, password_hash: str, now: datetime) -> None:
    """Set or replace the person's password; their open sessions end, as a password change should."""
    row = session.get(ConsolePassword, person_id) or ConsolePassword(person_id=person_id, password_hash="",
                                                                     set_at=now)
    row.password_hash, row.set_at = password_hash, now
    session.add(row)
    end_sessions(session=session, person_id=person_id)


def password_hash(*, session: Session, person_id: int) -> str | None:
    row = session.get(ConsolePassword, person_id)
    return row.password_hash if row else None


def open_session(*, session: Session, person_id: int, method: str, now: datetime,
                 valid_for: timedelta) -> tuple[str, str]:
    """A new browser session: (cookie token, CSRF token)."""
    token, csrf = new_token(), new_token()
    session.add(ConsoleSession(token_hash=digest(token), person_id=person_id, csrf=csrf, method=method,
                               created_at=now, expires_at=now + valid_for))
    session.flush()
    return token, csrf


def session_of(*, session: Session, token: str, now: datetime) -> ConsoleSession | None:
    row = session.exec(select(ConsoleSession).where(ConsoleSession.token_hash == digest(token))).first()
    return row if row is not None and row.expires_at > now else None


def close_session(*, session: Session, token: str) -> None:
    for row in session.exec(select(ConsoleSession).where(ConsoleSession.token_hash == digest(token))):
        session.delete(row)


def end_sessions(*, session: Session, person_id: int) -> int:
    """Sign a person out everywhere (password changed, no longer an admin); returns how many ended."""
    rows = list(session.exec(select(ConsoleSession).where(ConsoleSession.person_id == person_id)))
    for row in rows:
        session.delete(row)
    return len(rows)


@dataclass(frozen=True)
class Limits:
    """Failed sign-ins allowed within `window` before a lockout of `lockout`."""

    max_failures: int
    window: timedelta
    lockout: timedelta


def locked_until(*, session: Session, now: datetime, person_id: int | None, chat: str,
                 lockout: timedelta) -> datetime | None:
    """When the lockout of this person or browser address ends, if one is running."""
    locks = recent_audit(session=session, action=LOCKOUT, since=now - lockout, person_id=person_id or NOBODY,
                         chat=chat)
    return locks[0].at + lockout if locks else None


def record_failure(*, session: Session, now: datetime, person_id: int | None, chat: str, limits: Limits,
                   **detail: object) -> datetime | None:
    """Audit a failed sign-in; the last one allowed within `window` starts a lockout, whose end it returns.

    As with wrong invite codes, failures before the last lockout were paid for by it."""
    audit(session=session, person_id=person_id, action=FAILED, at=now, chat=chat, **detail)
    start = now - limits.window
    locks = recent_audit(session=session, action=LOCKOUT, since=start, person_id=person_id or NOBODY, chat=chat)
    failures = recent_audit(session=session, action=FAILED, since=locks[0].at if locks else start,
                            person_id=person_id or NOBODY, chat=chat)
    if len(failures) < limits.max_failures:
        return None
    audit(session=session, person_id=person_id, action=LOCKOUT, at=now, chat=chat, failures=len(failures))
    return now + limits.lockout
