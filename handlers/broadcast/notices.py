"""Broadcast messages to people other than the one asking: the announcement as each recipient gets it, and
what its author is told while it is sent (LINE's quota ran out, the summary with the delivery report)."""

from __future__ import annotations

from collections import Counter

from bot.messages import Button, Card, Reply
from bot.vocab import PLATFORM
from handlers.broadcast.payloads import Ack, Acks, Status
from handlers.broadcast.texts import (
    ACK_LABEL,
    ACKS_BUTTON,
    DONE_SUMMARY,
    LINE_STOPPED,
    LINK,
    REPORT_TITLE,
    STATE_NAMES,
    STATUS_BUTTON,
    STATUS_NAMES,
)
from storage.broadcast import PLATFORMS, STATES, Broadcast


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
