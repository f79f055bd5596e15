"""The dispatcher: claims due outbox rows and sends them through the adapters, exactly once.

Every row is sent part by part; progress is committed after each part, so a crash resumes where it
stopped. LINE pushes and multicasts carry the row's retry key (409 means already delivered); Telegram has no
such key, so the start of each send is committed first, and a send with an unknown outcome (a timeout, or a
crash between that mark and the answer) is recorded, not repeated, except for the tags its `TagRules` name
`at_least_once`. The rules also name a hook per tag prefix (`settled`) that runs after rows of such a tag were
attempted, e.g. to report a finished broadcast; `bot.app` hands them in, so no feature registers itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot import metrics
from bot.config import Settings
from bot.messages import Platform, Reply
from bot.platform import Adapter, Failure, SendFailed
from bot.ratelimit import RateLimiter
from storage.db import transaction
from storage.groupcommit import GroupCommit
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import (
    cancel_pending,
    claim_due,
    claim_written,
    extend_leases,
    recover_abandoned,
    row_update,
)
from storage.people import set_reachable, unreachable_among

log = logging.getLogger(__name__)

BATCH = 200
CONCURRENCY = 64
MAX_BACKOFF_S = 300.0
RENDERED = 256
"""Distinct messages whose rendered parts are kept (SDK models are not changed once built, so they are shared)."""

@dataclass(frozen=True)
class TagRules:
    """What features ask of the dispatcher for their rows, by tag prefix."""

    settled: Mapping[str, Callable[[Session, str, datetime], None]] = field(default_factory=dict)
    """Tag prefix -> hook(session, tag, now), run after rows with such a tag were attempted."""
    at_least_once: tuple[str, ...] = ()
    """Tag prefixes whose Telegram sends of unknown outcome are sent again: for an announcement a rare duplicate
    (at most the sends in flight at a crash) is better than someone silently left out."""


class Claimed(NamedTuple):
    """Rows taken for sending, and which of their (platform, user id) accounts are known to be unreachable."""

    rows: list[OutboxMessage]
    unreachable: Set[tuple[str, str]]


def part_key(retry_key: str, index: int) -> str:
    """A retry key per part, stable across attempts: the row's own for part 0, derived for the rest."""
    return retry_key if index == 0 else str(uuid.uuid5(uuid.UUID(retry_key), str(index)))


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF_S, 2.0 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2)


class Indicators:
    """Which chats show the loading indicator now, and until when. A chat that shows it is not asked again (in a
    backlog every message would cost a second API call); a message sent to the chat ends it."""

    KEPT = 10_000
    """Chats remembered at most before the lapsed are forgotten (chats never answered: throttled, ignored)."""

    def __init__(self) -> None:
        self.until: dict[tuple[str, str], datetime] = {}

    def begin(self, platform: str, chat_id: str, now: datetime, lasts_s: float) -> bool:
        """Whether to ask for the indicator in this chat now; if so, it is noted as shown for `lasts_s`."""
        if self.until.get((platform, chat_id), now) > now:
            return False
        if len(self.until) >= self.KEPT:
            for key in [key for key, until in self.until.items() if until <= now]:
                del self.until[key]
        self.until[(platform, chat_id)] = now + timedelta(seconds=lasts_s)
        return True

    def end(self, platform: str, chat_id: str) -> None:
        self.until.pop((platform, chat_id), None)


class Outbox:
    """Sends what the outbox holds; one per process, several processes may share a PostgreSQL outbox."""

    def __init__(self, engine: Engine, adapters: Mapping[Platform, Adapter], settings: Settings,
                 clock: Callable[[], datetime], rules: TagRules) -> None:
        self.engine = engine
        self.rules = rules
        self.adapters = adapters
        self.settings = settings
        self.clock = clock
        self.limiters = {
            Platform.line: RateLimiter(settings.line_rate_per_s),
            Platform.telegram: RateLimiter(settings.telegram_rate_per_s, settings.telegram_per_chat_per_s),
        }
        self.multicast_limiter = RateLimiter(settings.line_multicast_rate_per_s)
        self.rate_streak: dict[Platform, int] = {platform: 0 for platform in Platform}
        """429s in a row per platform: LINE gives no retry-after, so its back-off grows with this."""
        self.slots = asyncio.Semaphore(CONCURRENCY)
        self.telegram_slots = asyncio.Semaphore(settings.telegram_max_in_flight)
        self.lease = timedelta(seconds=settings.send_timeout_s * 3)
        self.writes = GroupCommit(engine, "outbox-writer")
        self.delivering: set[int] = set()
        """Rows this process is sending now: never "abandoned", however long they wait for a rate-limit slot."""
        self.rendered: dict[tuple[Platform, str], list[Any]] = {}
        """Parts rendered lately, by platform and stored messages (oldest first, at most `RENDERED`)."""
        self.indicators = Indicators()

    def keep_leases(self) -> None:
        """Renew the leases of the rows this process is still sending, however long they wait for the rate limiter:
        only a dead process's rows expire."""
        with transaction(self.engine) as session:
            extend_leases(session=session, ids=set(self.delivering), until=self.clock() + self.lease)

    def recover(self, *, immediately: bool) -> None:
        """Deal with rows a dead process left in `sending`; with SQLite no other process can own them."""
        with transaction(self.engine) as session:
            retried, unknown = recover_abandoned(session=session, now=self.clock(), whole=immediately,
                                                 resend_tags=self.rules.at_least_once, exclude=self.delivering)
        if retried or unknown:
            log.warning("outbox recovery: %d sends go again, %d Telegram sends of unknown outcome", retried, unknown)

    async def dispatch_due(self) -> int:
        """Send every row due now; returns how many rows were attempted."""
        claimed = await asyncio.to_thread(self._claim_due)
        await self.deliver(claimed)
        return len(claimed.rows)

    def _claim_due(self) -> Claimed:
        """Run on a thread: on the event loop, a claim's queries (some 30 ms for a batch of 200 on PostgreSQL)
        would hold up every send in progress, the other dispatcher's too."""
        with transaction(self.engine) as session:
            return self.claim(session)

    def claim(self, session: Session, keys: Collection[str] | None = None) -> Claimed:
        """Rows due now (or only those of `keys`), taken for sending in the caller's transaction: a handler's
        answers are claimed before its transaction commits and delivered right after, with no claim of their own."""
        now = self.clock()
        rows = (claim_due(session=session, now=now, limit=BATCH, lease=self.lease) if keys is None else
                claim_written(session=session, keys=keys, now=now, lease=self.lease))
        unreachable = unreachable_among(session=session, accounts=[(row.platform, row.user_id) for row in rows
                                                                   if not row.recipients])
        return Claimed(rows, unreachable)

    async def deliver(self, claimed: Claimed) -> None:
        """Send claimed rows, each chat's in order, the chats side by side."""
        rows, unreachable = claimed
        chats: dict[tuple[str, str], list[OutboxMessage]] = {}
        for row in rows:
            chats.setdefault((row.platform, row.chat_id), []).append(row)

        async def in_order(chat_rows: list[OutboxMessage]) -> None:
            """One chat's messages one after another, so they arrive in the order they were written."""
            for row in chat_rows:
                await self._deliver(row, (row.platform, row.user_id) not in unreachable)

        await asyncio.gather(*(in_order(chat_rows) for chat_rows in chats.values()))
        self._settle({row.tag for row in rows if row.tag})

    def _settle(self, tags: set[str]) -> None:
        for tag in sorted(tags):
            for prefix, hook in self.rules.settled.items():
                if tag.startswith(prefix):
                    with transaction(self.engine) as session:
                        hook(session, tag, self.clock())

    async def _deliver(self, row: OutboxMessage, reachable: bool) -> None:
        assert row.id is not None
        self.delivering.add(row.id)
        try:
            await self._send(row, reachable)
        finally:
            self.delivering.discard(row.id)

    async def _send(self, row: OutboxMessage, reachable: bool) -> None:
        # A Telegram row holds one of few slots from its send-start mark until its outcome is queued for writing.
        # The next row to take that slot marks its start after that, and a mark commits only with or after what was
        # queued before it, so however fast slots change hands, at most one row per slot is ever stored as started
        # with no outcome: the most a crash can leave unknown (or, for `at_least_once`, send twice).
        in_flight = self.telegram_slots if row.platform == Platform.telegram else contextlib.nullcontext()
        async with self.slots:
            async with in_flight:
                outcome = await self._attempt(row, reachable)
            if outcome is not None:
                await outcome

    async def _attempt(self, row: OutboxMessage, reachable: bool) -> Awaitable[None] | None:
        """Send the row's remaining parts; returns its final write, queued but maybe not yet committed (None when a
        failure's writes were already awaited)."""
        if not reachable:
            return self._finish(row, OutboxStatus.unreachable, "account unreachable")
        platform = Platform(row.platform)
        adapter = self.adapters[platform]
        expires = row.reply_token_expires_at
        token = row.reply_token if expires is None or expires > self.clock() else None
        try:
            parts = self._render(platform, row.messages)
            for index in range(row.parts_sent, len(parts)):
                key = part_key(row.retry_key, index)
                if row.recipients:
                    await self.multicast_limiter.acquire(row.chat_id)
                    await adapter.multicast(row.recipients, parts[index], retry_key=key)
                else:
                    await self.limiters[platform].acquire(row.chat_id)
                    # No retry key on Telegram: a crash from here on leaves it unknown. The mark also tells, after
                    # a kill, which sends were in flight (tests/faults count them). A LINE reply needs no mark: its
                    # claim counted the attempt (see `_failed`).
                    if platform == Platform.telegram:
                        await self._update(row.id, started_at=self.clock())
                    await adapter.send(row.chat_id, parts[index], first=index == 0, token=token, retry_key=key)
                self.rate_streak[platform] = 0
                self.indicators.end(row.platform, row.chat_id)
                if index + 1 < len(parts):  # the last part's progress is written with the final status
                    await self._progress(row, index + 1)
        except SendFailed as failed:
            await self._failed(row, failed)
            return None
        except SQLAlchemyError:
            raise  # the row stays claimed and is taken back when its lease expires
        except Exception as exc:  # a message the SDK refuses to build: this row fails, the others go on
            log.exception("outbox row %s cannot be sent", row.id)
            return self._finish(row, OutboxStatus.failed, f"{type(exc).__name__}: {exc}"[:2000])
        return self._finish(row, OutboxStatus.sent, parts_sent=len(parts))

    def _render(self, platform: Platform, messages: list[dict[str, Any]]) -> list[Any]:
        """The platform's parts for stored messages, built once for the same messages: in a burst many people get
        the same answer (an acknowledgement, the help menu), and building SDK models is most of a send's cost."""
        key = (platform, json.dumps(messages, sort_keys=True, ensure_ascii=False))
        parts = self.rendered.get(key)
        if parts is None:
            parts = self.adapters[platform].render([Reply.model_validate(m) for m in messages])
            if len(self.rendered) >= RENDERED:
                self.rendered.pop(next(iter(self.rendered)))
            self.rendered[key] = parts
        return parts

    async def _progress(self, row: OutboxMessage, parts_sent: int) -> None:
        row.parts_sent = parts_sent
        await self._update(row.id, parts_sent=parts_sent)

    def _finish(self, row: OutboxMessage, status: OutboxStatus, error: str = "", **extra: object) -> Awaitable[None]:
        """Queue the row's outcome; awaiting the result waits for its commit."""
        values: dict[str, object] = {"status": status, "last_error": error, **extra}
        if status == OutboxStatus.sent:
            values["sent_at"] = self.clock()
        written = self.writes.submit(row_update(row.id, values))
        metrics.SENDS.labels(row.platform, str(status)).inc()
        if row.key.startswith("reply:"):
            metrics.answer_done(row.key, self.clock() if status == OutboxStatus.sent else None)
        return written

    async def _retry_later(self, row: OutboxMessage, delay: float, error: str, **extra: object) -> None:
        await self._update(row.id, status=OutboxStatus.pending, last_error=error,
                           next_attempt_at=self.clock() + timedelta(seconds=delay), **extra)

    async def _failed(self, row: OutboxMessage, failed: SendFailed) -> None:
        platform = Platform(row.platform)
        match failed.failure:
            case Failure.invalid_reply_token if row.platform == Platform.line and row.attempts > 1:
                # An earlier attempt (cut off by a crash or a timeout) may have replied with this token, and LINE
                # refuses it still within its lifetime: it was used, so that reply was delivered. The rest goes by
                # push. Each claim counts an attempt before any send; the outcomes that prove the token unused (a
                # 429, a refused token) give theirs back, so more than one means an earlier send may have gone out.
                await self._retry_later(row, 0, failed.detail, reply_token=None, parts_sent=1,
                                        attempts=row.attempts - 1)
            case Failure.invalid_reply_token:
                # The token was used or expired: send the same messages by push instead.
                await self._retry_later(row, 0, failed.detail, reply_token=None, attempts=row.attempts - 1)
            case Failure.rate_limited:
                metrics.RATE_LIMITED.labels(row.platform).inc()
                self.rate_streak[platform] += 1
                delay = failed.retry_after if failed.retry_after is not None else backoff(self.rate_streak[platform])
                (self.multicast_limiter if row.recipients else self.limiters[platform]).pause(delay)
                await self._retry_later(row, delay, failed.detail, attempts=row.attempts - 1)
            case Failure.quota_exhausted:
                # LINE's monthly limit: every other send of this tag on LINE would be refused too.
                await self._finish(row, OutboxStatus.failed, failed.detail)
                if row.tag:
                    with transaction(self.engine) as session:
                        cancel_pending(session=session, tag=row.tag, platform=row.platform, reason=failed.detail)
            case Failure.transient if row.attempts < self.settings.max_send_attempts:
                await self._retry_later(row, backoff(row.attempts), failed.detail)
            case Failure.unreachable:
                with transaction(self.engine) as session:
                    set_reachable(session=session, platform=row.platform, user_id=row.user_id, reachable=False,
                                  reason=failed.detail)
                await self._finish(row, OutboxStatus.unreachable, failed.detail)
            case Failure.outcome_unknown if (row.tag.startswith(self.rules.at_least_once)
                                             and row.attempts < self.settings.max_send_attempts):
                # Logged: the earlier send may have arrived, so this is where a duplicate can come from.
                log.warning("outbox row %s: %s; outcome unknown, sending again", row.id, failed.detail)
                await self._retry_later(row, backoff(row.attempts), failed.detail)
            case Failure.outcome_unknown:
                await self._finish(row, OutboxStatus.unknown, failed.detail)
            case _:
                log.error("outbox row %s failed for good: %s", row.id, failed)
                await self._finish(row, OutboxStatus.failed, failed.detail)

    async def _update(self, row_id: int | None, **values: object) -> None:
        """Committed together with the other rows' updates of the moment (one transaction, not one each)."""
        await self.writes.run(row_update(row_id, values))
