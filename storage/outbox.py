"""The outbox: every message to send is a row first, so nothing is lost in a crash or sent twice."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Insert, Update, and_, bindparam, func, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from bot.messages import Reply
from storage.db import insert_into
from storage.groupcommit import Statement
from storage.models import OutboxMessage, OutboxStatus
from storage.people import preferred_account

QUEUED = "outbox rows queued"
"""`Session.info` key: how many outbox rows the session has queued (whoever commits it may wake a dispatcher)."""


def enqueue(
    *, session: Session, key: str, platform: str, user_id: str, chat_id: str, replies: Sequence[Reply],
    now: datetime, reply_token: str | None = None, reply_token_expires_at: datetime | None = None, tag: str = "",
    not_before: datetime | None = None, recipients: Sequence[str] = (),
) -> bool:
    """Store one logical send under an idempotency key; a key already stored is left alone (returns False).

    `recipients` makes it one LINE multicast to those user ids (`chat_id` then only names the batch).
    """
    if not replies:
        return False
    row = outbox_row(key=key, platform=platform, user_id=user_id, chat_id=chat_id, replies=replies, now=now,
                     reply_token=reply_token, reply_token_expires_at=reply_token_expires_at, tag=tag,
                     not_before=not_before, recipients=recipients)
    return enqueue_rows(session=session, rows=[row]) == 1


def outbox_row(
    *, key: str, platform: str, user_id: str, chat_id: str, replies: Sequence[Reply], now: datetime,
    reply_token: str | None = None, reply_token_expires_at: datetime | None = None, tag: str = "",
    not_before: datetime | None = None, recipients: Sequence[str] = (),
) -> dict[str, Any]:
    """The columns of one logical send, for `enqueue_rows` (see `enqueue`)."""
    return {
        "key": key, "platform": platform, "user_id": user_id, "chat_id": chat_id,
        "messages": [reply.model_dump(exclude_defaults=True) for reply in replies],
        "reply_token": reply_token, "reply_token_expires_at": reply_token_expires_at,
        # One retry key per logical send: LINE answers 409 to a repeat, so a retried push is never doubled.
        "retry_key": str(uuid.uuid4()), "status": OutboxStatus.pending, "attempts": 0, "parts_sent": 0,
        "next_attempt_at": not_before or now, "last_error": "", "tag": tag, "created_at": now,
        "recipients": list(recipients),
    }


def enqueue_rows(*, session: Session, rows: Sequence[Mapping[str, Any]]) -> int:
    """Store these sends (`outbox_row`) in one statement, in this order; keys already stored are left alone.
    Returns how many were stored."""
    if not rows:
        return 0
    result = session.connection().execute(_insert(session.get_bind().dialect.name), list(rows))
    stored = len(result.all())
    session.info[QUEUED] = session.info.get(QUEUED, 0) + stored
    return stored


@cache
def _insert(dialect_name: str) -> Insert:
    """One insert statement without values, built once: SQLAlchemy compiles it once and caches that too (a
    statement with the row's values in it was built and compiled again for every answer)."""
    return (insert_into(dialect_name, OutboxMessage).on_conflict_do_nothing(index_elements=["key"])
            .returning(col(OutboxMessage.id)))  # rowcount is not reliable for this on PostgreSQL


def enqueue_to_person(
    *, session: Session, person_id: int, key: str, replies: Sequence[Reply], now: datetime, tag: str = "",
    not_before: datetime | None = None,
) -> bool:
    """Queue a proactive message to a person on the account they used last; False if unreachable or a repeat.

    `key` is the idempotency key of this logical message (e.g. `nudge:window:3:stage:7d:person:12`).
    """
    account = preferred_account(session=session, person_id=person_id)
    if account is None:
        return False
    return enqueue(session=session, key=key, platform=account.platform, user_id=account.user_id,
                   chat_id=account.chat_id, replies=replies, now=now, tag=tag, not_before=not_before)


def _first_in_chat(now: Any) -> ColumnElement[bool]:
    """A row no earlier row of its chat is waiting for or being sent before: with several dispatchers (loops,
    processes) a chat's messages still go one after another, in the order written. An earlier row put back
    for a retry (after a 429 or a timeout) holds the later ones back until it has gone; one scheduled for later
    and never tried (a planned announcement) does not."""
    earlier = aliased(OutboxMessage)
    return ~select(earlier.id).where(
        earlier.platform == OutboxMessage.platform, earlier.chat_id == OutboxMessage.chat_id,
        col(earlier.id) < OutboxMessage.id,
        or_(col(earlier.status) == OutboxStatus.sending,
            and_(col(earlier.status) == OutboxStatus.pending,
                 or_(col(earlier.next_attempt_at) <= now, col(earlier.attempts) > 0,
                     col(earlier.last_error) != "")))).exists()


def claim_due(*, session: Session, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
    """Take the earliest due rows for sending; the lease lets another dispatcher recover them if this one dies.

    Only a chat's oldest due row qualifies, and none while an earlier one of that chat is being sent (see
    `_first_in_chat`). An earlier row claimed meanwhile by another dispatcher is still pending and due in this
    snapshot, so the later one waits for it too."""
    return _claim(session, _claim_due(), {"now": now, "until": now + lease, "limit": limit})


def claim_written(*, session: Session, keys: Collection[str], now: datetime, lease: timedelta) -> list[OutboxMessage]:
    """Take for sending the rows of `keys` the caller's transaction has just written (its answers), as
    `claim_due` would: they are sent as soon as that transaction commits, without a claim of their own."""
    return _claim(session, _claim_written(), {"keys": list(keys), "now": now, "until": now + lease})


def _claim(session: Session, statement: Update, params: Mapping[str, object]) -> list[OutboxMessage]:
    """Claim in one statement, the rows loaded by the ORM from its RETURNING (a quarter of the cost of building each
    row with `OutboxMessage(...)`, and no unit of work to flush: nothing of them is changed in the session)."""
    loaded = session.execute(_loading(statement), params).scalars()
    return sorted(loaded, key=lambda row: row.id or 0)


@cache
def _loading(statement: Update) -> Any:
    """The ORM select that loads a claim's rows, built once per claim statement (its cache key is then computed
    once, not on every claim)."""
    return select(OutboxMessage).from_statement(statement).execution_options(populate_existing=True)


def row_update(row_id: int | None, values: Mapping[str, object]) -> Statement:
    """Set these columns of one row (a send's mark, progress or outcome): one statement per set of columns, built
    once, so each of the several updates a send makes is not built and compiled again, and the same updates of
    many rows go to the database together."""
    params = {"row_id": row_id, **{f"new_{k}": v for k, v in values.items()}}
    return Statement(_update_row(tuple(sorted(values))), params)


@cache
def _update_row(columns: tuple[str, ...]) -> Update:
    return (update(OutboxMessage).where(col(OutboxMessage.id) == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in columns}))


@cache
def _claim_due() -> Update:
    """Built once, like every claim statement: SQLAlchemy then compiles it once too. The due rows are picked and
    locked (skipping those another dispatcher holds) in a subquery, so its LIMIT applies."""
    now: BindParameter[datetime] = bindparam("now")
    due = (select(OutboxMessage.id)
           .where(col(OutboxMessage.status) == OutboxStatus.pending, col(OutboxMessage.next_attempt_at) <= now,
                  _first_in_chat(now))
           .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
           .limit(bindparam("limit"))
           .with_for_update(skip_locked=True))
    return _claiming(update(OutboxMessage).where(col(OutboxMessage.id).in_(due.scalar_subquery().correlate(None))))


@cache
def _claim_written() -> Update:
    now: BindParameter[datetime] = bindparam("now")
    return _claiming(update(OutboxMessage)
                     .where(col(OutboxMessage.key).in_(bindparam("keys", expanding=True)),
                            col(OutboxMessage.status) == OutboxStatus.pending,
                            col(OutboxMessage.next_attempt_at) <= now, _first_in_chat(now)))


def _claiming(rows: Update) -> Update:
    """What a claim sets: sending, one attempt more (counted before any send: see `bot.outbox`), leased until
    `until`; no send started yet (Telegram marks its start)."""
    return (rows.values(status=OutboxStatus.sending, attempts=col(OutboxMessage.attempts) + 1,
                        next_attempt_at=bindparam("until"), started_at=None)
            .returning(*OutboxMessage.__table__.columns))  # type: ignore[attr-defined]


def extend_leases(*, session: Session, ids: Collection[int], until: datetime) -> int:
    """Rows still being sent by their dispatcher (e.g. waiting for a rate-limit slot) keep their lease, so no
    other process takes them back and sends them again; returns how many."""
    if not ids:
        return 0
    result = session.connection().execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(list(ids)), col(OutboxMessage.status) == OutboxStatus.sending)
        .values(next_attempt_at=until))
    return int(result.rowcount)


def recover_abandoned(*, session: Session, now: datetime, whole: bool,
                      resend_tags: tuple[str, ...] = (), exclude: Collection[int] = ()) -> tuple[int, int]:
    """Rows left in `sending` by a dead dispatcher (lease expired, or all of them when `whole`): LINE goes
    again (its retry key makes that safe); so does a Telegram row whose send had not started; one that had
    started has no retry key, so its outcome is recorded as unknown, unless its tag starts with one of
    `resend_tags` (rows where a rare duplicate is better than a gap): those go again too. Rows in `exclude`
    are the caller's own sends in progress.
    Returns (sent again, recorded unknown)."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.sending)
    if not whole:
        query = query.where(col(OutboxMessage.next_attempt_at) <= now)
    if exclude:
        query = query.where(col(OutboxMessage.id).not_in(list(exclude)))
    rows = session.exec(query.with_for_update(skip_locked=True)).all()
    retried = unknown = 0
    for row in rows:
        if row.platform == "line" or row.started_at is None or row.tag.startswith(resend_tags):
            row.status = OutboxStatus.pending
            row.next_attempt_at = now
            retried += 1
        else:
            row.status = OutboxStatus.unknown
            row.last_error = "process stopped while sending; outcome unknown"
            unknown += 1
    return retried, unknown


def cancel_pending(*, session: Session, tag: str, platform: str, reason: str) -> int:
    """Cancel the rows of `tag` on `platform` not yet sent, e.g. when LINE's monthly quota is spent."""
    rows = session.exec(select(OutboxMessage).where(
        OutboxMessage.tag == tag, OutboxMessage.platform == platform, OutboxMessage.status == OutboxStatus.pending,
    ).with_for_update(skip_locked=True)).all()
    for row in rows:
        row.status = OutboxStatus.cancelled
        row.last_error = reason
    return len(rows)


def counts_by_status(*, session: Session, tag: str | None = None) -> dict[tuple[str, str], int]:
    """(platform, status) -> rows, for delivery reports."""
    query = select(OutboxMessage.platform, OutboxMessage.status, func.count()).group_by(
        col(OutboxMessage.platform), col(OutboxMessage.status)
    )
    if tag is not None:
        query = query.where(OutboxMessage.tag == tag)
    return {(platform, str(status)): n for platform, status, n in session.exec(query)}


def next_due_at(*, session: Session) -> datetime | None:
    return session.exec(
        select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == OutboxStatus.pending)
    ).first()
