"""The running service: accepts webhooks into the inbox, handles stored events, drives the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import menus, metrics
from bot.config import Settings
from bot.context import Context
from bot.errors import APOLOGY, SLOW_DOWN
from bot.i18n import Text
from bot.messages import Incoming, Kind, Platform, Reply
from bot.outbox import Claimed, Outbox, TagRules
from bot.planner import NoPlanner
from bot.platform import Adapter, Read
from bot.quota import UNREAD, LineQuota, QuotaPort, QuotaReader
from bot.router import Routes
from scheduler import Scheduler
from scheduler.planning import AfterCommit
from storage.db import Savepoint, is_sqlite, transaction, utcnow
from storage.groupcommit import GroupCommit
from storage.inbox import (
    Allowance,
    Buckets,
    Limit,
    Outcome,
    claim_pending,
    load_buckets,
    save_buckets,
    settle,
    store_events,
    take_token,
)
from storage.models import Account, InboxEvent, InboxStatus, Person
from storage.outbox import QUEUED, enqueue_rows, outbox_row
from storage.people import Guest, KnownAccounts, create_guests, ensure_account, known_accounts, mark_seen

log = logging.getLogger(__name__)

IDLE_POLL_S = 0.25
"""How often an idle worker looks for work stored by another process (`coordbot work` beside web-only servers)."""
HANDLE_BATCH = 16
"""Events handled in one transaction: one claim and one commit for all. On SQLite webhooks wait for that commit.
bench/e2e.py, 3,000 events, answered/s LINE / Telegram: 8 against 24 in one run 107 / 120 and 121 / 146; 16
against 24 in another 119 / 131 and 120 / 139, acknowledging 196 / 256 a second against 174 / 240 (p99 0.9 s)."""
LATE_AFTER = timedelta(seconds=1)
"""While the worker handles events that waited this long (a backlog), each new message gets the loading indicator
as it is stored: shown while it waits, not a moment before its answer."""
READ_KEPT = 4096
"""Accepted events whose SDK objects are kept for their handling (`Service.read`): about 11 MB when they are
Telegram text messages (4,096 `Update`s measured with tracemalloc)."""
MENU_POLL_S = 2.0
"""How often accounts whose role or language changed are given their new menu."""
OUTBOX_LOOPS = 2
"""Dispatch loops per process: while one claims its next batch or settles its last, the other keeps sending
(within the same rate limits), so the platforms' limits are used without gaps between batches."""


class Service:
    """One per process. Background loops are optional so tests can drive it step by step."""

    def __init__(self, settings: Settings, engine: Engine, adapters: Mapping[Platform, Adapter], routes: Routes,
                 clock: Callable[[], datetime] = utcnow, scheduler: Scheduler | None = None,
                 quota: QuotaPort | None = None, *, rules: TagRules) -> None:
        self.settings = settings
        self.engine = engine
        self.adapters = adapters
        self.routes = routes
        self.clock = clock
        self.scheduler = scheduler
        self.quota = quota or QuotaReader(lambda: None)
        self.after_commit: list[Callable[[], None]] = []
        self.answers: list[dict[str, Any]] = []
        """The answers the batch being handled has made (outbox rows), stored together after its last event: one
        statement for the batch, and no savepoint to write for a handler that writes nothing itself."""
        self.read: dict[tuple[str, str], Any] = {}
        """The SDK objects of events this process accepted lately (platform, event id -> `Read.sdk`), taken when they
        are handled: an event is parsed by the SDK once, not again after it was stored. At most `READ_KEPT`."""
        self.parsed: dict[int, Incoming | None] = {}
        """The batch's events as parsed once (whether one reads the quota is asked before it is handled)."""
        self.handing_over = False
        """Whether answers are claimed in their handling transaction and sent as soon as it commits (with the
        background loops running); otherwise the dispatcher finds them (tests and the CLI step it with `drain`)."""
        self.waiting_answers = False
        """Whether some answer could not be handed over (its chat had an earlier one on the way)."""
        self.behind = False
        """Whether the events the worker took last had waited longer than `LATE_AFTER`."""
        self.outbox = Outbox(engine, adapters, settings, clock, rules)
        self.inbox = GroupCommit(engine, "inbox-writer")
        self.inbox_wake = asyncio.Event()
        self.outbox_wake = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.working: set[asyncio.Task[None]] = set()
        self.delivering: set[asyncio.Task[None]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.limit = Limit(per_min=settings.user_rate_per_min, burst=settings.user_burst)

    async def start(self, background: bool) -> None:
        self.loop = asyncio.get_running_loop()
        for adapter in self.adapters.values():
            await adapter.start()
        if background:
            # Only a process that sends may recover sends; on SQLite it is the only such process.
            self.outbox.recover(immediately=is_sqlite(self.engine))
            self.handing_over = True
            self.tasks = [asyncio.create_task(self._inbox_loop()), asyncio.create_task(self._recovery_loop()),
                          *(asyncio.create_task(self._outbox_loop()) for _ in range(OUTBOX_LOOPS))]
            if self.settings.menus:
                self.tasks.append(asyncio.create_task(self._menu_loop()))

    async def stop(self) -> None:
        for task in [*self.tasks, *self.delivering]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for adapter in self.adapters.values():
            await adapter.stop()
        self.inbox.close()
        self.outbox.writes.close()

    async def accept(self, platform: Platform, body: bytes, headers: Mapping[str, str]) -> int:
        """Verify and store a webhook; only after this returns may the platform be answered."""
        adapter = self.adapters.get(platform)
        if adapter is None:
            raise LookupError(platform)
        read = adapter.read_webhook(body, headers)
        if not read:
            return 0  # LINE's verify call
        events = [(event.event_id, adapter.sender(event.raw), event.raw) for event in read]
        stored = await self.inbox.run(partial(store_events, platform=platform, events=events, now=self.clock()))
        if stored:
            self._keep(platform, read)
            self.inbox_wake.set()
            if self.behind:  # the answer will take a while: the loading indicator now, while the event waits
                for chat in {chat for _, _, raw in events if (chat := adapter.waiting_chat(raw))}:
                    self._working(adapter, chat)
        return stored

    def _keep(self, platform: Platform, read: list[Read]) -> None:
        """Keep what the SDK made of these events for their handling (the oldest forgotten beyond `READ_KEPT`: a
        process that only acknowledges, or a long backlog, parses again)."""
        for event in read:
            if event.sdk is not None:
                self.read[(platform, event.event_id)] = event.sdk
        while len(self.read) > READ_KEPT:
            self.read.pop(next(iter(self.read)), None)  # the handling thread may take one meanwhile

    def _working(self, adapter: Adapter, chat_id: str) -> None:
        """Show the loading indicator, beside the handling (on the event loop; the worker may be a thread), unless
        the chat shows it already."""
        if not self.outbox.indicators.begin(adapter.platform, chat_id, self.clock(), adapter.working_s):
            return
        task = asyncio.create_task(adapter.show_working(chat_id))
        task.add_done_callback(_log_failure("loading indicator not shown"))
        self.working.add(task)
        task.add_done_callback(self.working.discard)

    def handle_next(self) -> bool:
        """Handle the next pending event (fair across senders) with its replies; False when none is left."""
        return self.handle_batch(1) > 0

    def handle_batch(self, limit: int) -> int:
        """Handle up to `limit` pending events of different senders in one transaction with their replies (one
        claim and one commit for all, each event in its own savepoint); returns how many. An event over its
        sender's rate limit is kept as throttled and not handled: replying to a flood later would only fill the
        outbox with stale answers, and a person who was asked to slow down sends again what they still need."""
        quota: LineQuota | None = None
        while True:
            self.after_commit, self.answers, self.parsed = [], [], {}
            handled: list[tuple[str, str]] = []
            claimed: Claimed | None = None
            queued = 0
            try:
                with transaction(self.engine) as session:
                    rows = claim_pending(session=session, limit=limit)
                    self.behind = bool(rows) and self.clock() - min(row.received_at for row in rows) > LATE_AFTER
                    if quota is None and any(self._reads_quota(row) for row in rows):
                        raise _QuotaFirst()
                    # The senders' buckets, accounts and people in two queries for the batch, not two per event.
                    senders = [(row.platform, row.sender) for row in rows]
                    known = Known(buckets=load_buckets(session=session, senders=senders),
                                  accounts=known_accounts(session=session, users=senders))
                    self._welcome(session, rows, known.accounts)
                    outcomes = [self._handle_row(session, row, quota or UNREAD, known) for row in rows]
                    settle(session=session, outcomes=outcomes)
                    save_buckets(session=session, buckets=known.buckets)
                    mark_seen(session=session, accounts=known.accounts)
                    enqueue_rows(session=session, rows=self.answers)
                    if self.handing_over and self.answers:
                        claimed = self.outbox.claim(session, [row["key"] for row in self.answers])
                    queued = session.info.get(QUEUED, 0)
                    handled = [(row.platform, str(outcome.status)) for row, outcome in zip(rows, outcomes,
                                                                                            strict=True)]
            except _QuotaFirst:
                # Read LINE's quota outside any transaction, then claim again (nothing was done).
                quota = self.quota.read()
                continue
            break
        for platform, status in handled:
            metrics.EVENTS.labels(platform, status).inc()
        for hook in self.after_commit:
            hook()
        if claimed is not None and claimed.rows and self.loop is not None:
            self.loop.call_soon_threadsafe(self._hand_over, claimed)
        handed = len(claimed.rows) if claimed is not None else 0
        if claimed is not None and handed < len(self.answers):
            self.waiting_answers = True  # some follow an earlier message to their chat, still being sent
        if queued > handed:  # messages to others, or answers that wait: the dispatcher's
            self.wake_outbox()
        return len(handled)

    def _welcome(self, session: Session, rows: list[InboxEvent], accounts: KnownAccounts) -> None:
        """Accounts (and people) for the batch's first-time senders, made before their events are handled: a refusal
        undoes what its handler did, not the person it was made to. All of them together; if that fails (another
        process made one since the batch looked them up), one at a time, each looked up again; one that still cannot
        be made is tried again, and fails, with its event."""
        newcomers: dict[tuple[str, str], Guest] = {}
        for row in rows:
            key = (row.platform, row.sender)
            if key not in accounts or accounts[key] is not None or key in newcomers:
                continue
            try:
                msg = self._parse(row)
            except Exception:
                log.exception("account for %s/%s not made ahead", row.platform, row.event_id)
                continue
            if msg is not None and msg.user_id == row.sender:
                newcomers[key] = _guest(msg)
        if not newcomers:
            return
        try:
            with session.begin_nested():
                made = create_guests(session=session, guests=list(newcomers.values()))
            accounts.update(zip(newcomers, made, strict=True))
            return
        except Exception as exc:
            log.warning("accounts for %d newcomers not made together (%r); one at a time", len(newcomers), exc)
        for key, guest in newcomers.items():
            try:
                with session.begin_nested():
                    accounts[key] = self._account(session, guest, None)  # looked up again: it may exist now
            except Exception:
                log.exception("account for %s/%s not made ahead", *key)

    def _hand_over(self, claimed: Claimed) -> None:
        """Send the answers a batch claimed, on the event loop; then wake the dispatcher for any later answer to
        the same chats, which waited for these."""
        task = asyncio.create_task(self.outbox.deliver(claimed))
        self.delivering.add(task)
        task.add_done_callback(self.delivering.discard)
        task.add_done_callback(self._sent_handed)
        task.add_done_callback(_log_failure("answers not sent; taken back when their lease ends"))

    def _reads_quota(self, row: InboxEvent) -> bool:
        """Whether this event's handler shows or uses LINE's quota (a payload that does not parse does not)."""
        try:
            msg = self._parse(row)
        except Exception:
            return False
        return msg is not None and self.routes.reads_line_quota(msg)

    def _sent_handed(self, _: asyncio.Task[None]) -> None:
        """Answers that had to wait for these may go now: the dispatcher takes them (a claim round only then)."""
        if self.waiting_answers:
            self.waiting_answers = False
            self.outbox_wake.set()

    def _parse(self, row: InboxEvent) -> Incoming | None:
        """The stored event as a neutral message (None if it is nothing to answer), parsed once per batch."""
        assert row.id is not None
        if row.id not in self.parsed:
            adapter = self.adapters.get(Platform(row.platform))
            sdk = self.read.pop((row.platform, row.event_id), None)
            self.parsed[row.id] = adapter.parse(row.payload, row.received_at, sdk) if adapter else None
        return self.parsed[row.id]

    def _handle_row(self, session: Session, row: InboxEvent, quota: LineQuota, known: Known) -> Outcome:
        """One claimed event: handled in a savepoint, or failed (and apologised for) if its handling raised. The
        row itself is not changed here: the batch's outcomes are written together (`settle`)."""
        assert row.id is not None
        hooks, answers = len(self.after_commit), len(self.answers)
        savepoint = Savepoint(session)

        def undo() -> None:
            """A refusal: what the handler did and planned is taken back."""
            savepoint.undo()
            del self.after_commit[hooks:]

        error = ""
        try:
            status = self._handle(session, row, quota, known, undo)
            savepoint.commit()
        except Exception as exc:
            log.exception("event %s/%s failed", row.platform, row.event_id)
            savepoint.rollback()
            status = InboxStatus.failed
            error = f"{type(exc).__name__}: {exc}"[:2000]
            del self.after_commit[hooks:]  # what the failed handling planned was rolled back with it,
            del self.answers[answers:]  # and its answer with it (not yet stored: it would tell of undone work)
            self._tell(session, row, APOLOGY)
        return Outcome(id=row.id, status=status, attempts=row.attempts + 1, handled_at=self.clock(), error=error)

    def wake_outbox(self) -> None:
        """Tell the dispatcher there is work; callable from the worker thread and from jobs."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.outbox_wake.set)

    def _handle_some(self) -> int:
        return self.handle_batch(HANDLE_BATCH)

    def _handle(self, session: Session, row: InboxEvent, quota: LineQuota, known: Known,
                undo: Callable[[], None]) -> InboxStatus:
        allowance = take_token(platform=row.platform, sender=row.sender, at=row.received_at, limit=self.limit,
                               buckets=known.buckets)
        if allowance is not Allowance.ok:
            if allowance is Allowance.first_excess:
                self._tell(session, row, SLOW_DOWN)
            return InboxStatus.throttled
        adapter = self.adapters[Platform(row.platform)]
        msg = self._parse(row)
        if msg is None:
            return InboxStatus.ignored
        if msg.kind in (Kind.text, Kind.button) and not msg.standby and self.loop is not None and (
                self.routes.is_slow(msg)):
            # A search or an export: the loading indicator goes first.
            self.loop.call_soon_threadsafe(self._working, adapter, msg.chat_id)
        ctx = self._context(session, msg, quota, known.accounts)
        replies = self.routes.dispatch(msg, ctx, undo)
        if not msg.standby:  # LINE standby: another channel answers this chat
            self._reply(msg, replies)
        return InboxStatus.done

    def _context(self, session: Session, msg: Incoming, quota: LineQuota = UNREAD,
                 known: KnownAccounts | None = None) -> Context:
        account, person = self._account(session, _guest(msg), known)
        return Context(session=session, person=person, account=account, now=self.clock(), settings=self.settings,
                       catalogue=self.routes, line_quota=quota,
                       planner=AfterCommit(self.scheduler, self.after_commit) if self.scheduler else NoPlanner())

    def _account(self, session: Session, guest: Guest, known: KnownAccounts | None) -> tuple[Account, Person]:
        """The sender's account and person, made on first contact (a guest, in the language their app uses)."""
        return ensure_account(session=session, platform=guest.platform, user_id=guest.user_id,
                              chat_id=guest.chat_id, display_name=guest.display_name, lang=guest.lang, known=known)

    def _reply(self, msg: Incoming, replies: list[Reply]) -> None:
        """The answer to `msg`, stored with the batch's others (see `answers`)."""
        token = msg.reply_token or msg.callback_id
        if not replies and not msg.callback_id:
            return
        expires = msg.received_at + _token_ttl(self.settings, msg.platform)
        key = f"reply:{msg.platform}:{msg.event_id}"
        metrics.answer_queued(key, msg.platform, msg.received_at)
        self.answers.append(outbox_row(key=key, platform=msg.platform, user_id=msg.user_id, chat_id=msg.chat_id,
                                       replies=replies or [Reply()], now=self.clock(), reply_token=token,
                                       reply_token_expires_at=expires))

    def _tell(self, session: Session, row: InboxEvent, text: Text) -> None:
        """Answer an event that is not handled (failed or throttled) with `text`, if it can be answered."""
        try:
            msg = self._parse(row)
        except Exception:
            return
        if msg is not None and not msg.standby:
            ctx = self._context(session, msg)
            self._reply(msg, [Reply(text=ctx.t(text))])

    async def drain(self) -> None:
        """Handle every stored event and send everything due, then return (tests and the CLI use this)."""
        while True:
            handled = 0
            while batch := self.handle_batch(HANDLE_BATCH):
                handled += batch
            sent = await self.outbox.dispatch_due()
            if self.settings.menus:
                await menus.link_due(self.engine, self.adapters)
            if self.working:
                await asyncio.wait(set(self.working))
            if not handled and not sent:
                return

    async def _inbox_loop(self) -> None:
        """Handle events in a worker thread, so the event loop stays free to acknowledge webhooks."""
        while True:
            try:
                if await asyncio.to_thread(self._handle_some):
                    continue
            except Exception:
                log.exception("inbox loop error")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.inbox_wake.wait(), IDLE_POLL_S)
            self.inbox_wake.clear()

    async def _recovery_loop(self) -> None:
        """Sends a process killed mid-way left in `sending` are taken back once their lease expires; on PostgreSQL
        that may be long after this process started. This process's own sends keep their leases meanwhile (renewed
        every `send_timeout_s`, a third of the lease)."""
        while True:
            await asyncio.sleep(self.settings.send_timeout_s)
            try:
                self.outbox.keep_leases()
                self.outbox.recover(immediately=False)
            except Exception:
                log.exception("outbox recovery error")
            self.outbox_wake.set()

    async def _menu_loop(self) -> None:
        while True:
            try:
                await menus.link_due(self.engine, self.adapters)
            except Exception:
                log.exception("menu linking error")
            await asyncio.sleep(MENU_POLL_S)

    async def _outbox_loop(self) -> None:
        while True:
            try:
                if await self.outbox.dispatch_due():
                    continue
            except Exception:
                log.exception("outbox loop error")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.outbox_wake.wait(), IDLE_POLL_S)
            self.outbox_wake.clear()


@dataclass(frozen=True)
class Known:
    """What a batch looked up ahead about its senders, one query each for all of them."""

    buckets: Buckets
    accounts: KnownAccounts


class _QuotaFirst(Exception):
    """A claimed event needs LINE's quota: the batch is rolled back, the quota read, and the batch claimed again."""


def _log_failure(what: str) -> Callable[[asyncio.Task[None]], None]:
    def logged(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.warning("%s: %r", what, task.exception())
    return logged


def _guest(msg: Incoming) -> Guest:
    """The sender as their event shows them: a guest in the language their app uses; their own chat if private."""
    lang = "en" if msg.language_code and not msg.language_code.startswith("th") else "th"
    return Guest(platform=msg.platform, user_id=msg.user_id, chat_id=msg.chat_id if msg.private else None,
                 display_name=msg.display_name or "", lang=lang)


def _token_ttl(settings: Settings, platform: Platform) -> timedelta:
    seconds = settings.line_reply_token_ttl_s if platform == Platform.line else 600
    return timedelta(seconds=seconds)



