"""Broadcast use cases: keyword arguments in, broadcasts and counts out; no reply and no language.

Chat, the CLI, the scheduled job and a console call these. Fanning out moves a broadcast to `sending` with a
conditional update, so whoever comes second (a job firing twice, a cancel racing it) does nothing. The
dispatcher calls `settle` after sending rows tagged `broadcast:<id>`; the author's notices are composed in their
language by `compose`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.config import Settings
from bot.planner import Planner
from bot.quota import LineQuota
from handlers.broadcast import notices
from handlers.broadcast.drafts import Draft
from handlers.broadcast.errors import BroadcastNotFound, NotADraft, NotARecipient
from handlers.broadcast.texts import STATUS_NAMES
from handlers.deadlines.errors import WindowNotFound
from handlers.rsvp.errors import WorkshopNotFound
from handlers.timing import quiet_shift
from storage.broadcast import (
    Audience,
    Broadcast,
    BroadcastStatus,
    LineMode,
    Segment,
    acknowledge,
    acknowledgements,
    create_broadcast,
    delivery,
    fan_out,
    get_broadcast,
    line_quota_hit,
    recent_broadcasts,
    resolve,
    set_status,
    tag_of,
    unfinished_rows,
    waiting_for_ack,
)
from storage.deadlines import get_window
from storage.models import Person
from storage.outbox import enqueue_to_person
from storage.people import audit
from storage.rsvp import get_workshop


@dataclass(frozen=True)
class Confirmed:
    """A confirmed broadcast: scheduled for later (`at`), or fanned out now to `queued` recipients."""

    broadcast: Broadcast
    at: datetime | None = None
    queued: int = 0


def check_segment(session: Session, segment: Segment) -> None:
    """Refuse a segment naming a workshop or window that does not exist, rather than preview nobody."""
    for workshop_id in segment.attending + segment.silent:
        if get_workshop(session=session, workshop_id=workshop_id) is None:
            raise WorkshopNotFound(id=workshop_id)
    for window_id in segment.unsubmitted:
        if get_window(session=session, window_id=window_id) is None:
            raise WindowNotFound(id=window_id)


def send_time(broadcast: Broadcast, settings: Settings, now: datetime) -> datetime:
    """When sending may begin: the scheduled time (or now), out of quiet hours only if the author asked."""
    due = max(broadcast.send_at or now, now)
    if broadcast.quiet_hours:
        due = quiet_shift(due, None, settings)
    return due


def broadcast(*, session: Session, broadcast_id: int) -> Broadcast:
    found = get_broadcast(session=session, broadcast_id=broadcast_id)
    if found is None:
        raise BroadcastNotFound(id=broadcast_id)
    return found


def draft(*, session: Session, author_id: int, draft: Draft, link_label: str, now: datetime
          ) -> tuple[Broadcast, Audience]:
    """A new draft broadcast (nothing sent) and who it would reach."""
    audience = reach(session=session, segment=draft.segment)
    created = create_broadcast(session=session, author_id=author_id, text=draft.text, segment=draft.segment,
                               now=now, image_url=draft.image_url, link_url=draft.link_url,
                               link_label=link_label if draft.link_url else "", ask_ack=draft.ask_ack,
                               quiet_hours=draft.quiet_hours, send_at=draft.send_at)
    return created, audience


def reach(*, session: Session, segment: Segment) -> Audience:
    """Who a segment reaches now (nothing drafted): the preview's counts, and the console's as its form changes."""
    check_segment(session, segment)
    return resolve(session=session, segment=segment)


def confirm(*, session: Session, broadcast_id: int, mode: LineMode, quota: LineQuota, by: int | None,
            now: datetime, settings: Settings, planner: Planner) -> Confirmed:
    """Send a draft in this LINE mode (partially: up to the quota left), now or at its time."""
    found = broadcast(session=session, broadcast_id=broadcast_id)
    if found.status != BroadcastStatus.draft:
        raise NotADraft(id=broadcast_id, status=STATUS_NAMES[found.status])
    found.line_mode = mode
    if mode == LineMode.partial:
        found.line_limit = quota.left or 0
    audit(session=session, person_id=by, action="broadcast.confirm", broadcast=broadcast_id, line_mode=mode.value)
    if found.send_at is not None and found.send_at > now:
        found.status = BroadcastStatus.scheduled
        planner.broadcast_at(broadcast_id, found.send_at)
        return Confirmed(found, at=found.send_at)
    session.flush()
    queued = start_sending(session=session, broadcast_id=broadcast_id, now=now, settings=settings)
    return Confirmed(found, queued=queued or 0)


def cancel(*, session: Session, broadcast_id: int, by: int | None, planner: Planner) -> None:
    """Cancel a draft or a scheduled broadcast; one already sending cannot be."""
    found = broadcast(session=session, broadcast_id=broadcast_id)
    if not set_status(session=session, broadcast_id=broadcast_id,
                      frm=[BroadcastStatus.draft, BroadcastStatus.scheduled], to=BroadcastStatus.cancelled):
        raise NotADraft(id=broadcast_id, status=STATUS_NAMES[found.status])
    planner.broadcast_cancelled(broadcast_id)
    audit(session=session, person_id=by, action="broadcast.cancel", broadcast=broadcast_id)


def report(*, session: Session, broadcast_id: int) -> tuple[Broadcast, dict[str, Counter[str]]]:
    """The broadcast and its delivery counts per platform and state."""
    return broadcast(session=session, broadcast_id=broadcast_id), delivery(session=session, broadcast_id=broadcast_id)


def acks(*, session: Session, broadcast_id: int) -> tuple[list[Person], list[Person]]:
    """Who acknowledged, who has not yet."""
    broadcast(session=session, broadcast_id=broadcast_id)
    return acknowledgements(session=session, broadcast_id=broadcast_id)


def recent(*, session: Session) -> list[Broadcast]:
    return recent_broadcasts(session=session)


def ack(*, session: Session, broadcast_id: int, person_id: int, now: datetime) -> bool:
    """A recipient's รับทราบ: True the first time, False again; refused for someone it was not sent to."""
    first = acknowledge(session=session, broadcast_id=broadcast_id, person_id=person_id, now=now)
    if first is None:
        raise NotARecipient()
    return first


def awaiting_ack(*, session: Session, person_id: int) -> Broadcast | None:
    """The latest announcement still waiting for this person's รับทราบ."""
    return waiting_for_ack(session=session, person_id=person_id)


def start_sending(*, session: Session, broadcast_id: int, now: datetime, settings: Settings,
                  frm: tuple[BroadcastStatus, ...] = (BroadcastStatus.draft, BroadcastStatus.scheduled)) -> int | None:
    """Fan the broadcast out once (whoever moves it to `sending` first); returns the recipients queued."""
    if not set_status(session=session, broadcast_id=broadcast_id, frm=frm, to=BroadcastStatus.sending,
                      started_at=now):
        return None
    found = broadcast(session=session, broadcast_id=broadcast_id)
    due = send_time(found, settings, now)
    audience = fan_out(session=session, broadcast=found, replies=[notices.announcement(found)], now=now,
                       not_before=due if due > now else None)
    settle(session, tag_of(broadcast_id), now)  # nobody to send to: finished at once
    return len(audience.targets)


def settle(session: Session, tag: str, now: datetime) -> None:
    """After the dispatcher sent rows of a broadcast: tell the author if LINE's quota stopped it, and when
    nothing is left to send, mark it done and send the author the summary (each once, by outbox key)."""
    broadcast_id = int(tag.split(":", 1)[1])
    found = get_broadcast(session=session, broadcast_id=broadcast_id)
    if found is None or found.status != BroadcastStatus.sending:
        return
    author = session.get(Person, found.author_id)
    lang = author.lang if author is not None else "th"
    if not found.line_stopped and line_quota_hit(session=session, broadcast_id=broadcast_id):
        found.line_stopped = True
        enqueue_to_person(session=session, person_id=found.author_id, key=f"bc:{broadcast_id}:quota",
                          replies=[notices.line_stopped(broadcast_id, lang)], now=now)
    if unfinished_rows(session=session, broadcast_id=broadcast_id):
        return
    if set_status(session=session, broadcast_id=broadcast_id, frm=[BroadcastStatus.sending],
                  to=BroadcastStatus.done, finished_at=now):
        found = broadcast(session=session, broadcast_id=broadcast_id)
        counts = delivery(session=session, broadcast_id=broadcast_id)
        enqueue_to_person(session=session, person_id=found.author_id, key=f"bc:{broadcast_id}:summary",
                          replies=notices.finished(found, counts, lang), now=now)

