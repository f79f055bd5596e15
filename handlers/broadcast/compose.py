"""Broadcast results as messages: the announcement itself, the author's preview, the delivery report, the
acknowledgement list, the recent list, and the notices the author gets while it is sent."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.i18n import Speaker
from bot.messages import Button, Card, Reply
from bot.quota import LineQuota
from bot.vocab import PLATFORM, person_label
from handlers.broadcast.payloads import Ack, Acks, Cancel, Confirm, Status
from handlers.broadcast.texts import (
    ACK_LABEL,
    ACKED,
    ACKS_BUTTON,
    ASKS_ACK,
    CANCEL,
    CONFIRM,
    CONFIRM_AT,
    CONSUMES,
    COUNTS,
    DONE_SUMMARY,
    LINE_STOPPED,
    LINK,
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
    REPORT_TITLE,
    STATE_NAMES,
    STATUS_BUTTON,
    STATUS_NAMES,
    TG_ONLY,
    TO,
    UNLIMITED,
    USAGE,
    WHEN_AT,
    WHEN_NOW,
)
from handlers.segments import describe
from storage.broadcast import PLATFORMS, STATES, Audience, Broadcast, LineMode, Segment
from storage.models import Person


def announcement(broadcast: Broadcast) -> Reply:
    """The message as every recipient gets it (one text, so LINE can multicast it)."""
    assert broadcast.id is not None
    buttons = []
    if broadcast.link_url:
        buttons.append(Button(label=broadcast.link_label or LINK.th, url=broadcast.link_url))
    if broadcast.ask_ack:
        buttons.append(Button(label=ACK_LABEL, payload=Ack(broadcast.id).pack()))
    return Reply(text=f"📢 {broadcast.text}", image_url=broadcast.image_url or None, buttons=buttons,
                 keep_buttons=True)


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


def report(broadcast: Broadcast, counts: dict[str, Counter[str]], lang: str) -> Reply:
    """Delivery per platform with a progress bar; the same in chat, in the author's summary and in the CLI."""
    assert broadcast.id is not None
    total = sum(sum(c.values()) for c in counts.values())
    done = total - sum(c["queued"] for c in counts.values())
    lines = []
    for platform in PLATFORMS:
        c = counts.get(platform, Counter())
        shown = [s for s in STATE_NAMES if s in STATES or c[s]]
        cells = " · ".join(f"{STATE_NAMES[s].render(lang)} {c[s]}" for s in shown)
        lines.append(f"{PLATFORM[platform]}: {cells}")
    progress = 100 if not total else done * 100 // total
    title = REPORT_TITLE.render(lang, id=broadcast.id, status=STATUS_NAMES[broadcast.status].render(lang))
    buttons = [Button(label=STATUS_BUTTON.render(lang), payload=Status(broadcast.id).pack())]
    if broadcast.ask_ack:
        buttons.append(Button(label=ACKS_BUTTON.render(lang), payload=Acks(broadcast.id).pack()))
    return Reply(cards=[Card(title=title, lines=lines, progress=progress)], buttons=buttons)


def line_stopped(broadcast_id: int, lang: str) -> Reply:
    return Reply(text=LINE_STOPPED.render(lang, id=broadcast_id))


def finished(broadcast: Broadcast, counts: dict[str, Counter[str]], lang: str) -> list[Reply]:
    """The author's summary once nothing is left to send."""
    return [Reply(text=DONE_SUMMARY.render(lang, id=broadcast.id)), report(broadcast, counts, lang)]


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
