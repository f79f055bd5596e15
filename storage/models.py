"""Tables of the service foundation: people and their chat accounts, invites, inbox, outbox, audit log.

Feature tables live beside their queries (`storage/rsvp.py`, ...) and register on the same metadata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from storage.db import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend: stored as UTC, always read back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use timezone-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def when(nullable: bool = False, index: bool = False, **kw: Any) -> Any:
    """A UTC datetime column."""
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index), **kw)


def json_field(default: Any = None) -> Any:
    return Field(default_factory=lambda: default if default is not None else {},
                 sa_column=Column(JSON, nullable=False))


class Role(StrEnum):
    admin = "admin"
    deputy_governor = "deputy_governor"
    coordinator = "coordinator"
    guest = "guest"


class Person(SQLModel, table=True):
    """Someone in the network; may have a LINE and a Telegram account."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    role: Role = Field(default=Role.guest, index=True)
    province_iso: str | None = Field(default=None, index=True)
    position: str = ""
    lang: str = "th"
    created_at: datetime = when(default_factory=utcnow)
    retired_at: datetime | None = when(nullable=True)
    """Left the post (transferred): kept for history, no longer addressed by anything."""


class Account(SQLModel, table=True):
    """One chat account on one platform; `reachable` turns false when the user blocks or unfollows.

    A person has at most one account per platform; `chat_id` is always a one-to-one chat, never a group.
    """

    __table_args__ = (UniqueConstraint("platform", "user_id"),
                      Index("ix_account_person_platform", "person_id", "platform", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str
    user_id: str
    chat_id: str
    display_name: str = ""
    reachable: bool = True
    unreachable_reason: str = ""
    created_at: datetime = when(default_factory=utcnow)
    last_seen_at: datetime = when(default_factory=utcnow)
    """Proactive messages go to the person's most recently used account."""
    menu: str | None = Field(default="guest-th", index=True)
    """The menu this account was last given (`bot.menus.Menu.key`); None: due to get its role's menu."""


class Invite(SQLModel, table=True):
    """A one-time, expiring code. It grants a role and province, or links an account to `link_person_id`."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    role: Role = Role.guest
    province_iso: str | None = None
    name: str = ""
    link_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = when(default_factory=utcnow)
    expires_at: datetime = when()
    used_at: datetime | None = when(nullable=True)
    used_by: int | None = Field(default=None, foreign_key="person.id")


class InboxStatus(StrEnum):
    pending = "pending"
    done = "done"
    ignored = "ignored"
    failed = "failed"
    throttled = "throttled"
    """Over its sender's rate limit: kept for admins to see, never handled (see `bot.service`)."""


class InboxEvent(SQLModel, table=True):
    """A webhook event, stored before the platform is answered; unique per platform event id."""

    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_inbox_fair", "status", "turn", "id"),  # the claim: pending events in turn order
        Index("ix_inbox_sender", "platform", "sender", "status", "id"),  # a sender's pending events
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    event_id: str
    sender: str = ""
    """The platform's user id, so events are handled fairly across people and in order for each one."""
    turn: int = 0
    """Round-robin position: a sender's next event gets the turn after their previous pending one, a sender with
    none pending gets the current turn, so one person's backlog cannot push others back (see `store_events`)."""
    payload: dict[str, Any] = json_field()
    received_at: datetime = when(default_factory=utcnow)
    status: InboxStatus = InboxStatus.pending
    attempts: int = 0
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    handled_at: datetime | None = when(nullable=True)


class SenderBucket(SQLModel, table=True):
    """A sender's token bucket for the inbox rate limit, as of their last handled event."""

    platform: str = Field(primary_key=True)
    sender: str = Field(primary_key=True)
    tokens: float
    at: datetime = when()
    throttled: bool = False
    """Asked to slow down since the bucket was last full (so not asked again until it has been)."""


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    unreachable = "unreachable"
    unknown = "unknown"
    """Telegram gave no answer (timeout or crash mid-send); not repeated, because it has no retry key."""
    cancelled = "cancelled"


class OutboxMessage(SQLModel, table=True):
    """One logical send to one chat. Stored first; the dispatcher delivers it exactly once."""

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),
                      Index("ix_outbox_chat", "platform", "chat_id", "status"))

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    platform: str
    user_id: str
    chat_id: str
    messages: list[dict[str, Any]] = json_field([])
    reply_token: str | None = None
    reply_token_expires_at: datetime | None = when(nullable=True)
    retry_key: str
    status: OutboxStatus = OutboxStatus.pending
    attempts: int = 0
    parts_sent: int = 0
    next_attempt_at: datetime = when(default_factory=utcnow)
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    tag: str = Field(default="", index=True)
    """Groups rows for reports, e.g. `broadcast:12`."""
    created_at: datetime = when(default_factory=utcnow)
    sent_at: datetime | None = when(nullable=True)
    recipients: list[str] = json_field([])
    """LINE multicast: the user ids of one batch (at most 500); empty for a message to one chat."""
    started_at: datetime | None = when(nullable=True)
    """Telegram: when the current send began; a row left in `sending` without it was claimed but never sent.
    Not used on LINE, whose pushes carry a retry key and whose replies count on `attempts` (`bot.outbox`)."""


class AuditLog(SQLModel, table=True):
    """Who did what, when: updates, exports, refused admin commands."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = when(default_factory=utcnow, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(index=True)
    detail: dict[str, Any] = json_field()
