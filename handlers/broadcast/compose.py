"""Broadcast results as the author's answers, in their language: the preview, the acknowledgement list, the
recent list (the announcement itself and the delivery report are in `notices`, which these reuse)."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Speaker
from bot.messages import Button, Card, Reply
from bot.quota import LineQuota
from bot.vocab import person_label
from handlers.broadcast.notices import announcement
from handlers.broadcast.payloads import Cancel, Confirm
from handlers.broadcast.texts import (
    ACKED,
    ASKS_ACK,
    CANCEL,
    CONFIRM,
    CONFIRM_AT,
    CONSUMES,
    COUNTS,
    MAX_NAMES,
    NOBODY,
    NONE_YET,
    NOT_ACKED,
    OVER_QUOTA,
    PARTIAL,
    PREVIEW,
    QUIET,
    QUOTA_UNKNOWN,
    RECENT,
    STATUS_NAMES,
    TG_ONLY,
    TO,
    UNLIMITED,
    USAGE,
    WHEN_AT,
    WHEN_NOW,
)
from handlers.segments import describe
from storage.broadcast import Audience, Broadcast, LineMode, Segment
from storage.models import Person


def preview(broadcast: Broadcast, audience: Audience, quota: LineQuota, due: datetime, now: datetime,
            reader: Speaker) -> list[Reply]:
    """What the author checks before confirming: recipients per platform, LINE messages against the quota left,
    when it goes, and the confirmation buttons (Telegram only or partially when LINE's quota is short)."""
    assert broadcast.id is not None
    segment = Segment.from_json(broadcast.segment)
    line, telegram = audience.count("line"), audience.count("telegram")
    left = quota.left
    shown_left = left if left is not None else reader.t(UNLIMITED if quota.known else QUOTA_UNKNOWN)
    lines = [reader.t(TO, segment=describe(segment, reader.lang)),
             reader.t(COUNTS, line=line, telegram=telegram, unreachable=len(audience.unreachable)),
             reader.t(CONSUMES, n=line, left=shown_left)]
    lines.append(reader.t(WHEN_AT, when=reader.when(due)) if broadcast.send_at or due > now else reader.t(WHEN_NOW))
    if broadcast.quiet_hours and due > max(broadcast.send_at or now, now):
        lines[-1] += f" ({reader.t(QUIET)})"
    if broadcast.ask_ack:
        lines.append(reader.t(ASKS_ACK))
    cancel = Button(label=reader.t(CANCEL), payload=Cancel(broadcast.id).pack())
    if left is not None and line > left:
        lines.append(reader.t(OVER_QUOTA, left=left))
        buttons = [Button(label=reader.t(TG_ONLY), payload=Confirm(broadcast.id, LineMode.telegram_only).pack()),
                   Button(label=reader.t(PARTIAL), payload=Confirm(broadcast.id, LineMode.partial).pack()),
                   cancel]
    else:
        label = CONFIRM_AT if broadcast.send_at else CONFIRM
        buttons = [Button(label=reader.t(label), payload=Confirm(broadcast.id).pack()), cancel]
    return [Reply(text=reader.t(PREVIEW, id=broadcast.id)), announcement(broadcast),
            Reply(cards=[Card(title=reader.t(PREVIEW, id=broadcast.id), lines=lines)], buttons=buttons)]


def recent(rows: list[Broadcast], reader: Speaker) -> Reply:
    if not rows:
        return Reply(text=reader.t(NONE_YET) + "\n\n" + reader.t(USAGE))
    lines = [f"#{b.id} {reader.t(STATUS_NAMES[b.status])} · {reader.when(b.send_at or b.created_at)} · {b.text[:40]}"
             for b in rows]
    return Reply(text="\n".join([reader.t(RECENT), *lines]))


def acknowledgements(acked: list[Person], waiting: list[Person], reader: Speaker) -> Reply:
    """Who acknowledged and who not yet, each with role and province, the first 40 of each named."""
    def names(people: list[Person]) -> str:
        shown = ", ".join(person_label(p, reader.lang) for p in people[:MAX_NAMES])
        return (shown + (f" (+{len(people) - MAX_NAMES})" if len(people) > MAX_NAMES else "")) or reader.t(NOBODY)

    total = len(acked) + len(waiting)
    return Reply(text=reader.t(ACKED, n=len(acked), total=total, names=names(acked)) + "\n"
                 + reader.t(NOT_ACKED, n=len(waiting), names=names(waiting)))
