"""The broadcast feature's chat routes (see the package's docstring for the commands)."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UsageError
from bot.i18n import Text
from bot.messages import Button, Incoming, Kind, Reply
from bot.router import Router, first_word
from handlers.broadcast import compose, service
from handlers.broadcast.drafts import parse_draft
from handlers.broadcast.payloads import Ack, Acks, Cancel, Confirm, Status
from handlers.broadcast.texts import (
    ACK_CMD,
    ACK_LABEL,
    ACK_WHICH,
    ALREADY_ACKED,
    CANCEL,
    CANCELLED,
    LINK,
    NOTHING_TO_ACK,
    SCHEDULED,
    SENDING,
    STATUS_BUTTON,
    SUMMARY,
    THANKS,
    TYPED_ACK,
    USAGE,
)
from handlers.segments import ids
from storage.models import Role

router = Router("broadcast")

ADMINS = {Role.admin}
STATUS_WORDS = ("status", "สถานะ")
CANCEL_WORDS = ("cancel", "ยกเลิก")
ACKS_WORDS = ("acks", "ผู้รับทราบ")


@router.command("broadcast", "ประกาศ", roles=ADMINS, summary=SUMMARY, verbatim=True,
                example=Text("ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ประชุมพรุ่งนี้ 09:00 น.",
                             "/broadcast role=coordinator ack | Meeting tomorrow 09:00"),
                aliases=("ประกาส", "broadcat"), shortcuts={"สถานะ": "status", "ผู้รับทราบ": "acks"}, private=True,
                line_quota=True)
def broadcast_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """Alone: the recent announcements; with options and a text: a new draft and its preview."""
    if not msg.args:
        return [compose.recent(service.recent(session=ctx.session), ctx)]
    assert ctx.person.id is not None
    try:
        draft = parse_draft(msg.args, ctx.settings, ctx.now)
        created, audience = service.draft(session=ctx.session, author_id=ctx.person.id, draft=draft,
                                          link_label=LINK.render(ctx.lang), now=ctx.now)
    except UsageError as err:
        raise UsageError(usage="\n" + ctx.t(USAGE)) from err
    due = service.send_time(created, ctx.settings, ctx.now)
    return compose.preview(created, audience, ctx.line_quota, due, ctx.now, ctx)


def _target(msg: Incoming, ctx: Context) -> int:
    """The announcement id after the variant's word (`/broadcast status 3`)."""
    words = msg.args.split(maxsplit=1)
    try:
        [target] = ids([words[1] if len(words) > 1 else ""])
    except UsageError as err:
        raise UsageError(usage="\n" + ctx.t(USAGE)) from err
    return target


@router.command("broadcast", args=first_word(*STATUS_WORDS), roles=ADMINS, private=True)
def status_command(msg: Incoming, ctx: Context) -> list[Reply]:
    return _status(ctx, _target(msg, ctx))


@router.command("broadcast", args=first_word(*CANCEL_WORDS), roles=ADMINS, private=True)
def cancel_command(msg: Incoming, ctx: Context) -> list[Reply]:
    return _cancel(ctx, _target(msg, ctx))


@router.command("broadcast", args=first_word(*ACKS_WORDS), roles=ADMINS, private=True)
def acks_command(msg: Incoming, ctx: Context) -> list[Reply]:
    return _acks(ctx, _target(msg, ctx))


def _status(ctx: Context, broadcast_id: int) -> list[Reply]:
    found, counts = service.report(session=ctx.session, broadcast_id=broadcast_id)
    return [compose.report(found, counts, ctx.lang)]


def _acks(ctx: Context, broadcast_id: int) -> list[Reply]:
    acked, waiting = service.acks(session=ctx.session, broadcast_id=broadcast_id)
    return [compose.acknowledgements(acked, waiting, ctx)]


def _cancel(ctx: Context, broadcast_id: int) -> list[Reply]:
    service.cancel(session=ctx.session, broadcast_id=broadcast_id, by=ctx.person.id, planner=ctx.planner)
    return [Reply(text=ctx.t(CANCELLED, id=broadcast_id))]


@router.button(Confirm, roles=ADMINS, private=True, line_quota=True)
def confirm(msg: Incoming, ctx: Context, data: Confirm) -> list[Reply]:
    done = service.confirm(session=ctx.session, broadcast_id=data.broadcast, mode=data.mode, quota=ctx.line_quota,
                           by=ctx.person.id, now=ctx.now, settings=ctx.settings, planner=ctx.planner)
    status = [Button(label=ctx.t(STATUS_BUTTON), payload=Status(data.broadcast).pack())]
    if done.at is not None:
        cancel = Button(label=ctx.t(CANCEL), payload=Cancel(data.broadcast).pack())
        return [Reply(text=ctx.t(SCHEDULED, id=data.broadcast, when=ctx.when(done.at)), buttons=[*status, cancel])]
    return [Reply(text=ctx.t(SENDING, id=data.broadcast, n=done.queued), buttons=status)]


@router.button(Cancel, roles=ADMINS, private=True)
def cancel_button(msg: Incoming, ctx: Context, data: Cancel) -> list[Reply]:
    return _cancel(ctx, data.broadcast)


@router.button(Status, roles=ADMINS, private=True)
def status_button(msg: Incoming, ctx: Context, data: Status) -> list[Reply]:
    return _status(ctx, data.broadcast)


@router.button(Acks, roles=ADMINS, private=True)
def acks_button(msg: Incoming, ctx: Context, data: Acks) -> list[Reply]:
    return _acks(ctx, data.broadcast)


@router.button(Ack, private=True)
def ack_button(msg: Incoming, ctx: Context, data: Ack) -> list[Reply]:
    assert ctx.person.id is not None
    first = service.ack(session=ctx.session, broadcast_id=data.broadcast, person_id=ctx.person.id, now=ctx.now)
    return [Reply(text=ctx.t(THANKS if first else ALREADY_ACKED))]


@router.command("ack", "รับทราบ", "ทราบแล้ว", summary=ACK_CMD, example=Text("รับทราบ", "/ack"),
                aliases=("รับทราบแล้ว", "ทราบ", "รับทาบ", "รับทราบคับ", "acknowledge", "acknowledged", "👍", "👌"))
def typed_ack(msg: Incoming, ctx: Context) -> list[Reply]:
    """รับทราบ typed instead of pressed."""
    return _ack_latest(msg, ctx)


@router.event(Kind.sticker)
def sticker(msg: Incoming, ctx: Context) -> list[Reply]:
    """A sticker (a thumbs-up, a bow) answers an announcement that waits for รับทราบ, like the typed word."""
    return _ack_latest(msg, ctx)


def _ack_latest(msg: Incoming, ctx: Context) -> list[Reply]:
    """The latest announcement still waiting for this person's รับทราบ is acknowledged (asked first when more
    was typed). Only in a one-to-one chat: in a group, รับทราบ and stickers answer the group, not us."""
    if not msg.private:
        return []
    assert ctx.person.id is not None
    waiting = service.awaiting_ack(session=ctx.session, person_id=ctx.person.id)
    if waiting is None:
        return [Reply(text=ctx.t(NOTHING_TO_ACK))]
    assert waiting.id is not None
    shown = waiting.text if len(waiting.text) <= 60 else waiting.text[:59] + "…"
    if msg.args:  # "รับทราบแล้วแต่…" is a sentence, not a plain acknowledgement: ask
        return [Reply(text=ctx.t(ACK_WHICH, id=waiting.id, text=shown),
                      buttons=[Button(label=ACK_LABEL, payload=Ack(waiting.id).pack())])]
    service.ack(session=ctx.session, broadcast_id=waiting.id, person_id=ctx.person.id, now=ctx.now)
    return [Reply(text=ctx.t(TYPED_ACK, id=waiting.id, text=shown))]
