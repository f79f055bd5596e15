"""Admin announcements: compose, preview with recipient counts and LINE quota, confirm, schedule, report.

Commands (admins): /broadcast (ประกาศ) `[options] | TEXT` composes and previews; options are `role=`,
`province=`, `cluster=`, `region=`, `platform=`, `workshop=ID attending|silent` (who said yes, who has not
answered), `window=ID` (provinces that have not submitted; `unsubmitted` may follow) (comma lists; kinds combine
with AND), `at=2569-03-05 09:00`, `image=URL`, `link=URL`, `ack` (ask for "รับทราบ") and `quiet` (respect quiet
hours); Thai keys work too (บทบาท= จังหวัด= กลุ่ม= ภาค= แพลตฟอร์ม= สัมมนา= ตอบรับ|ยังไม่ตอบ รอบ= ยังไม่ส่ง
เวลา= รูป= ลิงก์= รับทราบ เวลาเงียบ). `/broadcast status ID`,
`/broadcast cancel ID`, `/broadcast acks ID`, and `/broadcast` alone lists recent ones.
Buttons: confirm (all / Telegram only / partial when LINE's quota is short), cancel, status, who acknowledged;
for recipients, "รับทราบ" (acknowledge). Typed: รับทราบ (ทราบแล้ว, 👍, a sticker) acknowledges the latest
announcement still waiting for it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from datetime import datetime
from typing import ClassVar

from sqlmodel import Session

from bot.config import Settings
from bot.context import Context
from bot.errors import DomainError, UsageError
from bot.i18n import Text, parse_datetime
from bot.messages import Button, Card, Incoming, Kind, Reply
from bot.outbox import AT_LEAST_ONCE, SETTLED
from bot.payloads import Payload
from bot.planner import Planner
from bot.router import Router, first_word
from bot.vocab import person_label
from handlers.deadlines import WindowNotFound
from handlers.rsvp import WorkshopNotFound
from handlers.segments import ANSWERS, describe, ids, parse_segment
from handlers.timing import quiet_shift
from storage.broadcast import (
    PLATFORMS,
    STATES,
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
from storage.models import Person, Role
from storage.outbox import enqueue_to_person
from storage.people import audit
from storage.rsvp import get_workshop

log = logging.getLogger(__name__)
router = Router("broadcast")


@dataclasses.dataclass(frozen=True)
class Confirm(Payload):
    """Send a previewed broadcast to LINE in this mode (all, Telegram only, partial)."""

    prefix: ClassVar[str] = "bcc"
    broadcast: int
    mode: LineMode = LineMode.all


@dataclasses.dataclass(frozen=True)
class Cancel(Payload):
    prefix: ClassVar[str] = "bcx"
    broadcast: int


@dataclasses.dataclass(frozen=True)
class Status(Payload):
    prefix: ClassVar[str] = "bcs"
    broadcast: int


@dataclasses.dataclass(frozen=True)
class Acks(Payload):
    prefix: ClassVar[str] = "bcw"
    broadcast: int


@dataclasses.dataclass(frozen=True)
class Ack(Payload):
    """The recipient's "รับทราบ"."""

    prefix: ClassVar[str] = "bca"
    broadcast: int


SUMMARY = Text("ส่งประกาศถึงกลุ่มเป้าหมาย (ผู้ดูแล)", "send an announcement to a segment (admins)")
USAGE = Text(
    "/ประกาศ จังหวัด=เชียงใหม่ บทบาท=ผู้ประสานงาน เวลา=2569-03-05 09:00 รับทราบ | ข้อความ\n"
    "ตัวเลือก: บทบาท= จังหวัด= กลุ่ม= ภาค= แพลตฟอร์ม= สัมมนา=ID ตอบรับ|ยังไม่ตอบ รอบ=ID ยังไม่ส่ง "
    "เวลา= รูป= ลิงก์= รับทราบ เวลาเงียบ\n"
    "/ประกาศ สถานะ ID | /ประกาศ ยกเลิก ID | /ประกาศ ผู้รับทราบ ID",
    "/broadcast province=Chiang Mai role=coordinator at=2026-03-05 09:00 ack | TEXT\n"
    "options: role= province= cluster= region= platform= workshop=ID attending|silent window=ID unsubmitted "
    "at= image= link= ack quiet\n"
    "/broadcast status ID | /broadcast cancel ID | /broadcast acks ID",
)
PREVIEW = Text("ตัวอย่างประกาศ #{id} (ยังไม่ได้ส่ง)", "Preview of announcement #{id} (not sent yet)")
TO = Text("ถึง: {segment}", "To: {segment}")
COUNTS = Text("ผู้รับ: LINE {line} · Telegram {telegram} · ติดต่อไม่ได้ {unreachable}",
              "Recipients: LINE {line} · Telegram {telegram} · unreachable {unreachable}")
CONSUMES = Text("ใช้โควตา LINE {n} ข้อความ (เหลือ {left})", "Uses {n} LINE messages (quota left: {left})")
UNLIMITED = Text("ไม่จำกัด", "unlimited")
QUOTA_UNKNOWN = Text("ตรวจสอบไม่ได้", "could not be checked")
OVER_QUOTA = Text("⚠️ เกินโควตา LINE ที่เหลือ กรุณาเลือก: ส่งเฉพาะ Telegram, ส่ง LINE บางส่วน ({left} คน) หรือยกเลิก",
                  "⚠️ Over LINE's remaining quota. Choose: Telegram only, LINE partially ({left:person|people}), "
                  "or cancel.")
WHEN_NOW = Text("ส่ง: ทันทีเมื่อยืนยัน", "Sends: as soon as you confirm")
WHEN_AT = Text("ส่ง: {when}", "Sends: {when}")
QUIET = Text("เลื่อนออกจากช่วงเวลาเงียบ", "moved out of quiet hours")
ASKS_ACK = Text("ขอให้กด \"รับทราบ\"", "Asks recipients to acknowledge")
CONFIRM = Text("ยืนยันส่ง", "Confirm and send")
CONFIRM_AT = Text("ยืนยันตั้งเวลา", "Confirm schedule")
TG_ONLY = Text("ส่งเฉพาะ Telegram", "Telegram only")
PARTIAL = Text("ส่งบางส่วน", "Send partially")
CANCEL = Text("ยกเลิก", "Cancel")
STATUS_BUTTON = Text("สถานะการส่ง", "Delivery status")
ACKS_BUTTON = Text("ใครรับทราบแล้ว", "Who acknowledged")
LINK = Text("เปิดลิงก์", "Open link")
ACK_LABEL = "รับทราบ"
SENDING = Text("กำลังส่งประกาศ #{id} ถึง {n} คน", "Sending announcement #{id} to {n:person|people}.")
SCHEDULED = Text("ตั้งเวลาส่งประกาศ #{id} แล้ว: {when} (ยกเลิกได้จนถึงเวลาส่ง)",
                 "Announcement #{id} is scheduled for {when} (cancellable until then).")
CANCELLED = Text("ยกเลิกประกาศ #{id} แล้ว ไม่มีการส่ง", "Announcement #{id} is cancelled; nothing was sent.")
STATE_NAMES = {
    "queued": Text("รอส่ง", "queued"), "sent": Text("ส่งแล้ว", "sent"), "failed": Text("ไม่สำเร็จ", "failed"),
    "unreachable": Text("ติดต่อไม่ได้", "unreachable"), "unknown": Text("ไม่ทราบผล", "unknown"),
    "skipped": Text("ข้าม (โควตา)", "skipped (quota)"),
}
STATUS_NAMES = {
    BroadcastStatus.draft: Text("รอยืนยัน", "awaiting confirmation"),
    BroadcastStatus.scheduled: Text("ตั้งเวลาไว้", "scheduled"),
    BroadcastStatus.sending: Text("กำลังส่ง", "sending"), BroadcastStatus.done: Text("ส่งเสร็จแล้ว", "finished"),
    BroadcastStatus.cancelled: Text("ยกเลิกแล้ว", "cancelled"),
}
REPORT_TITLE = Text("ประกาศ #{id}: {status}", "Announcement #{id}: {status}")
ACKED = Text("รับทราบแล้ว {n}/{total}: {names}", "Acknowledged {n}/{total}: {names}")
NOT_ACKED = Text("ยังไม่รับทราบ {n}: {names}", "Not yet {n}: {names}")
NOBODY = Text("-", "-")
THANKS = Text("บันทึกว่ารับทราบแล้ว ขอบคุณค่ะ", "Acknowledged, thank you.")
TYPED_ACK = Text("บันทึกว่ารับทราบประกาศ #{id} แล้ว ขอบคุณค่ะ: \"{text}\"",
                 "Acknowledged announcement #{id}, thank you: \"{text}\"")
NOTHING_TO_ACK = Text("ขอบคุณค่ะ 🙏 ตอนนี้ไม่มีประกาศที่รอให้รับทราบ",
                      "Thank you 🙏 No announcement is waiting for you to acknowledge.")
ACK_WHICH = Text("รับทราบประกาศ #{id} \"{text}\" ใช่ไหม? กดปุ่มเพื่อยืนยัน",
                 "Acknowledge announcement #{id} \"{text}\"? Press the button to confirm.")
ACK_CMD = Text("รับทราบประกาศล่าสุดที่ขอให้รับทราบ", "acknowledge the latest announcement that asks for it")
ALREADY_ACKED = Text("บันทึกไว้แล้วว่าคุณรับทราบ", "You had already acknowledged it.")
DONE_SUMMARY = Text("✅ ส่งประกาศ #{id} เสร็จแล้ว", "✅ Announcement #{id} has finished sending.")
LINE_STOPPED = Text("⚠️ ประกาศ #{id}: LINE แจ้งว่าโควตาข้อความประจำเดือนหมดแล้ว หยุดส่งทาง LINE (Telegram ส่งต่อ)",
                    "⚠️ Announcement #{id}: LINE's monthly message limit is reached; LINE sending stopped "
                    "(Telegram continues).")
RECENT = Text("ประกาศล่าสุด:", "Recent announcements:")
NONE_YET = Text("ยังไม่มีประกาศ", "No announcements yet.")
MAX_NAMES = 40


class BroadcastNotFound(DomainError):
    text = Text("ไม่พบประกาศ #{id}", "There is no announcement #{id}.")


class NotADraft(DomainError):
    text = Text("ประกาศ #{id} {status} จึงทำรายการนี้ไม่ได้", "Announcement #{id} is {status}; that cannot be done.")


class BadWhen(DomainError):
    text = Text("เวลา \"{text}\" ใช้ไม่ได้: ใช้รูปแบบ 2569-03-05 09:00 และต้องเป็นเวลาในอนาคต",
                "\"{text}\" will not do: use 2026-03-05 09:00, in the future.")


class BadUrl(DomainError):
    text = Text("ลิงก์ \"{url}\" ต้องขึ้นต้นด้วย https://", "\"{url}\" must start with https://.")


class NotARecipient(DomainError):
    text = Text("ประกาศนี้ไม่ได้ส่งถึงคุณ", "This announcement was not sent to you.")


KEYS = {
    "role": "role", "roles": "role", "บทบาท": "role", "province": "province", "provinces": "province",
    "จังหวัด": "province", "cluster": "cluster", "clusters": "cluster", "กลุ่ม": "cluster",
    "กลุ่มจังหวัด": "cluster", "region": "region", "ภาค": "region", "platform": "platform",
    "แพลตฟอร์ม": "platform", "at": "at", "เวลา": "at", "image": "image", "รูป": "image", "link": "link",
    "ลิงก์": "link", "workshop": "workshop", "สัมมนา": "workshop", "window": "window", "รอบ": "window",
    "รอบส่งแผน": "window",
}
FLAGS = {"ack": "ack", "รับทราบ": "ack", "quiet": "quiet", "เวลาเงียบ": "quiet", "attending": "attending",
         "ตอบรับ": "attending", "silent": "silent", "ยังไม่ตอบ": "silent", "unsubmitted": "unsubmitted",
         "ยังไม่ส่ง": "unsubmitted"}
# A date option's value holds one space (`2570-03-05 09:00`, `5/3/2570 9.00`); other values none.
OPTION = re.compile(r"\s*(?:(?P<key>[^\s=|]+)=(?P<value>(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})[ T]"
                    r"\d{1,2}[:.]\d{2}|[^\s|]+)"
                    r"|(?P<flag>[^\s=|]+)(?=\s|\||$))")
ADMINS = {Role.admin}
STATUS_WORDS = ("status", "สถานะ")
CANCEL_WORDS = ("cancel", "ยกเลิก")
ACKS_WORDS = ("acks", "ผู้รับทราบ")


@dataclasses.dataclass
class Draft:
    """What the author typed, understood."""

    text: str = ""
    segment: Segment = dataclasses.field(default_factory=Segment)
    send_at: datetime | None = None
    image_url: str = ""
    link_url: str = ""
    ask_ack: bool = False
    quiet_hours: bool = False


def check_segment(session: Session, segment: Segment) -> None:
    """Refuse a segment naming a workshop or window that does not exist, rather than preview nobody."""
    for workshop_id in segment.attending + segment.silent:
        if get_workshop(session=session, workshop_id=workshop_id) is None:
            raise WorkshopNotFound(id=workshop_id)
    for window_id in segment.unsubmitted:
        if get_window(session=session, window_id=window_id) is None:
            raise WindowNotFound(id=window_id)


def parse_draft(args: str, settings: Settings, now: datetime) -> Draft:
    """Leading `key=value` options and flags, then the text (after `|`, or whatever follows the options).

    Before a `|` an option's value may hold spaces (`จังหวัด=Khon Kaen`, `เวลา=15 ธ.ค. 2569 16:30`): it runs until
    the next option or flag. If the options read that way make no sense (the words were the text, and the `|`
    part of it), they are read the way without a `|`."""
    head, bar, text = args.partition("|")
    spaced = _spaced_options(head) if bar else None
    if spaced is not None:
        try:
            return _draft(spaced, text, settings, now)
        except DomainError:
            pass
    found: list[tuple[str, str | None]] = []
    pos = 0
    while (match := OPTION.match(args, pos)) is not None:
        key = KEYS.get(match["key"].lower()) if match["key"] is not None else FLAGS.get(match["flag"].lower())
        if key is None:
            break
        found.append((key, match["value"]))
        pos = match.end()
    return _draft(found, args[pos:], settings, now)


def _draft(found: list[tuple[str, str | None]], text: str, settings: Settings, now: datetime) -> Draft:
    """The draft of these options (`value` None for a flag) and this text."""
    options: dict[str, list[str]] = {}
    draft = Draft(text=text.strip().removeprefix("|").strip())
    for name, value in found:
        if value is not None:
            options.setdefault(name, []).extend(v.strip() for v in value.split(",") if v.strip())
        elif name in ANSWERS:
            options.setdefault("answer", []).append(name)
        elif name in ("ack", "quiet"):
            setattr(draft, {"ack": "ask_ack", "quiet": "quiet_hours"}[name], True)
    if not draft.text:
        raise UsageError(usage="")
    draft.segment = parse_segment(options)
    for when in options.get("at", [])[:1]:
        draft.send_at = parse_send_at(when, settings, now)
    for name in ("image", "link"):
        for url in options.get(name, [])[:1]:
            setattr(draft, f"{name}_url", check_url(url))
    return draft


def _spaced_options(head: str) -> list[tuple[str, str | None]] | None:
    """The options before a `|` as (key or flag, value); None when the head does not start with one (then it is
    text, read the old way)."""
    found: list[tuple[str, str | None]] = []
    for word in head.split():
        name, eq, value = word.partition("=")
        key = KEYS.get(name.lower()) if eq else None
        flag = FLAGS.get(word.lower()) if not eq else None
        if key is not None:
            found.append((key, value))
        elif flag is not None:
            found.append((flag, None))
        elif found and found[-1][1] is not None:
            found[-1] = (found[-1][0], f"{found[-1][1]} {word}")
        else:
            return None
    return found or None


def parse_send_at(text: str, settings: Settings, now: datetime) -> datetime:
    """A Bangkok date and time still to come (`2026-03-19 09:00`; a `T` between them is fine too)."""
    try:
        when = parse_datetime(text.replace("T", " "), settings.tz)
    except ValueError as exc:
        raise BadWhen(text=text) from exc
    if when <= now:
        raise BadWhen(text=text)
    return when


def check_url(url: str) -> str:
    """Only https: LINE refuses any other image or button link."""
    if not url.startswith("https://"):
        raise BadUrl(url=url)
    return url


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


def send_time(broadcast: Broadcast, settings: Settings, now: datetime) -> datetime:
    """When sending may begin: the scheduled time (or now), out of quiet hours only if the author asked."""
    due = max(broadcast.send_at or now, now)
    if broadcast.quiet_hours:
        due = quiet_shift(due, None, settings)
    return due


def preview(broadcast: Broadcast, ctx: Context) -> list[Reply]:
    assert broadcast.id is not None
    segment = Segment.from_json(broadcast.segment)
    audience = resolve(session=ctx.session, segment=segment)
    line, telegram = audience.count("line"), audience.count("telegram")
    left, known = ctx.line_quota.left, ctx.line_quota.known
    lines = [ctx.t(TO, segment=describe(segment, ctx.lang)),
             ctx.t(COUNTS, line=line, telegram=telegram, unreachable=len(audience.unreachable)),
             ctx.t(CONSUMES, n=line, left=left if left is not None else ctx.t(UNLIMITED if known else QUOTA_UNKNOWN))]
    due = send_time(broadcast, ctx.settings, ctx.now)
    lines.append(ctx.t(WHEN_AT, when=ctx.when(due)) if broadcast.send_at or due > ctx.now else ctx.t(WHEN_NOW))
    if broadcast.quiet_hours and due > max(broadcast.send_at or ctx.now, ctx.now):
        lines[-1] += f" ({ctx.t(QUIET)})"
    if broadcast.ask_ack:
        lines.append(ctx.t(ASKS_ACK))
    cancel = Button(label=ctx.t(CANCEL), payload=Cancel(broadcast.id).pack())
    if left is not None and line > left:
        lines.append(ctx.t(OVER_QUOTA, left=left))
        buttons = [Button(label=ctx.t(TG_ONLY), payload=Confirm(broadcast.id, LineMode.telegram_only).pack()),
                   Button(label=ctx.t(PARTIAL), payload=Confirm(broadcast.id, LineMode.partial).pack()),
                   cancel]
    else:
        label = CONFIRM_AT if broadcast.send_at else CONFIRM
        buttons = [Button(label=ctx.t(label), payload=Confirm(broadcast.id).pack()), cancel]
    return [Reply(text=ctx.t(PREVIEW, id=broadcast.id)), announcement(broadcast),
            Reply(cards=[Card(title=ctx.t(PREVIEW, id=broadcast.id), lines=lines)], buttons=buttons)]


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
        lines.append(f"{'LINE' if platform == 'line' else 'Telegram'}: {cells}")
    progress = 100 if not total else done * 100 // total
    title = REPORT_TITLE.render(lang, id=broadcast.id, status=STATUS_NAMES[broadcast.status].render(lang))
    buttons = [Button(label=STATUS_BUTTON.render(lang), payload=Status(broadcast.id).pack())]
    if broadcast.ask_ack:
        buttons.append(Button(label=ACKS_BUTTON.render(lang), payload=Acks(broadcast.id).pack()))
    return Reply(cards=[Card(title=title, lines=lines, progress=progress)], buttons=buttons)


def start_sending(*, session: Session, broadcast_id: int, now: datetime, settings: Settings,
                  frm: tuple[BroadcastStatus, ...] = (BroadcastStatus.draft, BroadcastStatus.scheduled)) -> int | None:
    """Fan the broadcast out once (whoever moves it to `sending` first); returns the recipients queued."""
    if not set_status(session=session, broadcast_id=broadcast_id, frm=frm, to=BroadcastStatus.sending,
                      started_at=now):
        return None
    broadcast = get_broadcast(session=session, broadcast_id=broadcast_id)
    assert broadcast is not None
    due = send_time(broadcast, settings, now)
    audience = fan_out(session=session, broadcast=broadcast, replies=[announcement(broadcast)], now=now,
                       not_before=due if due > now else None)
    settle(session, tag_of(broadcast_id), now)  # nobody to send to: finished at once
    return len(audience.targets)


def settle(session: Session, tag: str, now: datetime) -> None:
    """After the dispatcher sent rows of a broadcast: tell the author if LINE's quota stopped it, and when
    nothing is left to send, mark it done and send the author the summary (each once, by outbox key)."""
    broadcast_id = int(tag.split(":", 1)[1])
    broadcast = get_broadcast(session=session, broadcast_id=broadcast_id)
    if broadcast is None or broadcast.status != BroadcastStatus.sending:
        return
    author = session.get(Person, broadcast.author_id)
    lang = author.lang if author is not None else "th"
    if not broadcast.line_stopped and line_quota_hit(session=session, broadcast_id=broadcast_id):
        broadcast.line_stopped = True
        enqueue_to_person(session=session, person_id=broadcast.author_id, key=f"bc:{broadcast_id}:quota",
                          replies=[Reply(text=LINE_STOPPED.render(lang, id=broadcast_id))], now=now)
    if unfinished_rows(session=session, broadcast_id=broadcast_id):
        return
    if set_status(session=session, broadcast_id=broadcast_id, frm=[BroadcastStatus.sending],
                  to=BroadcastStatus.done, finished_at=now):
        broadcast = get_broadcast(session=session, broadcast_id=broadcast_id)
        assert broadcast is not None
        counts = delivery(session=session, broadcast_id=broadcast_id)
        enqueue_to_person(session=session, person_id=broadcast.author_id, key=f"bc:{broadcast_id}:summary",
                          replies=[Reply(text=DONE_SUMMARY.render(lang, id=broadcast_id)),
                                   report(broadcast, counts, lang)], now=now)


SETTLED["broadcast:"] = settle
AT_LEAST_ONCE.add("broadcast:")


def _broadcast(ctx: Context, broadcast_id: int) -> Broadcast:
    broadcast = get_broadcast(session=ctx.session, broadcast_id=broadcast_id)
    if broadcast is None:
        raise BroadcastNotFound(id=broadcast_id)
    return broadcast


@router.command("broadcast", "ประกาศ", roles=ADMINS, summary=SUMMARY, verbatim=True,
                example=Text("ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ประชุมพรุ่งนี้ 09:00 น.",
                             "/broadcast role=coordinator ack | Meeting tomorrow 09:00"),
                aliases=("ประกาส", "broadcat"), shortcuts={"สถานะ": "status", "ผู้รับทราบ": "acks"}, private=True,
                line_quota=True)
def broadcast_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """Alone: the recent announcements; with options and a text: a new draft and its preview."""
    args = msg.args
    if not args:
        return recent(ctx)
    try:
        draft = parse_draft(args, ctx.settings, ctx.now)
        check_segment(ctx.session, draft.segment)
    except UsageError as err:
        raise UsageError(usage="\n" + ctx.t(USAGE)) from err
    assert ctx.person.id is not None
    broadcast = create_broadcast(session=ctx.session, author_id=ctx.person.id, text=draft.text,
                                 segment=draft.segment, now=ctx.now, image_url=draft.image_url,
                                 link_url=draft.link_url, link_label=LINK.render(ctx.lang) if draft.link_url else "",
                                 ask_ack=draft.ask_ack, quiet_hours=draft.quiet_hours, send_at=draft.send_at)
    return preview(broadcast, ctx)


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
    return status_view(ctx, _target(msg, ctx))


@router.command("broadcast", args=first_word(*CANCEL_WORDS), roles=ADMINS, private=True)
def cancel_command(msg: Incoming, ctx: Context) -> list[Reply]:
    return cancel_broadcast(ctx, _target(msg, ctx))


@router.command("broadcast", args=first_word(*ACKS_WORDS), roles=ADMINS, private=True)
def acks_command(msg: Incoming, ctx: Context) -> list[Reply]:
    return acks_view(ctx, _target(msg, ctx))


def recent(ctx: Context) -> list[Reply]:
    rows = recent_broadcasts(session=ctx.session)
    if not rows:
        return [Reply(text=ctx.t(NONE_YET) + "\n\n" + ctx.t(USAGE))]
    lines = [f"#{b.id} {ctx.t(STATUS_NAMES[b.status])} · {ctx.when(b.send_at or b.created_at)} · {b.text[:40]}"
             for b in rows]
    return [Reply(text="\n".join([ctx.t(RECENT), *lines]))]


def status_view(ctx: Context, broadcast_id: int) -> list[Reply]:
    broadcast = _broadcast(ctx, broadcast_id)
    return [report(broadcast, delivery(session=ctx.session, broadcast_id=broadcast_id), ctx.lang)]


def acks_view(ctx: Context, broadcast_id: int) -> list[Reply]:
    _broadcast(ctx, broadcast_id)
    acked, waiting = acknowledgements(session=ctx.session, broadcast_id=broadcast_id)
    total = len(acked) + len(waiting)

    def names(people: list[Person]) -> str:
        shown = ", ".join(person_label(p, ctx.lang) for p in people[:MAX_NAMES])
        return (shown + (f" (+{len(people) - MAX_NAMES})" if len(people) > MAX_NAMES else "")) or ctx.t(NOBODY)

    return [Reply(text=ctx.t(ACKED, n=len(acked), total=total, names=names(acked)) + "\n"
                  + ctx.t(NOT_ACKED, n=len(waiting), names=names(waiting)))]


def cancel_broadcast(ctx: Context, broadcast_id: int) -> list[Reply]:
    cancel(session=ctx.session, broadcast_id=broadcast_id, by=ctx.person.id, planner=ctx.planner)
    return [Reply(text=ctx.t(CANCELLED, id=broadcast_id))]


def cancel(*, session: Session, broadcast_id: int, by: int | None, planner: Planner) -> None:
    """Cancel a draft or a scheduled broadcast (chat and the console); one already sending is refused."""
    broadcast = get_broadcast(session=session, broadcast_id=broadcast_id)
    if broadcast is None:
        raise BroadcastNotFound(id=broadcast_id)
    if not set_status(session=session, broadcast_id=broadcast_id,
                      frm=[BroadcastStatus.draft, BroadcastStatus.scheduled], to=BroadcastStatus.cancelled):
        raise NotADraft(id=broadcast_id, status=STATUS_NAMES[broadcast.status])
    planner.broadcast_cancelled(broadcast_id)
    audit(session=session, person_id=by, action="broadcast.cancel", broadcast=broadcast_id)


@router.button(Confirm, roles=ADMINS, private=True, line_quota=True)
def confirm(msg: Incoming, ctx: Context, data: Confirm) -> list[Reply]:
    broadcast = _broadcast(ctx, data.broadcast)
    if broadcast.status != BroadcastStatus.draft:
        raise NotADraft(id=data.broadcast, status=ctx.t(STATUS_NAMES[broadcast.status]))
    broadcast.line_mode = data.mode
    if broadcast.line_mode == LineMode.partial:
        broadcast.line_limit = ctx.line_quota.left or 0
    audit(session=ctx.session, person_id=ctx.person.id, action="broadcast.confirm", broadcast=data.broadcast,
          line_mode=data.mode.value)
    status = [Button(label=ctx.t(STATUS_BUTTON), payload=Status(data.broadcast).pack())]
    if broadcast.send_at is not None and broadcast.send_at > ctx.now:
        broadcast.status = BroadcastStatus.scheduled
        at = broadcast.send_at
        ctx.planner.broadcast_at(data.broadcast, at)
        cancel = Button(label=ctx.t(CANCEL), payload=Cancel(data.broadcast).pack())
        return [Reply(text=ctx.t(SCHEDULED, id=data.broadcast, when=ctx.when(at)), buttons=[*status, cancel])]
    ctx.session.flush()
    queued = start_sending(session=ctx.session, broadcast_id=data.broadcast, now=ctx.now, settings=ctx.settings)
    return [Reply(text=ctx.t(SENDING, id=data.broadcast, n=queued or 0), buttons=status)]


@router.button(Cancel, roles=ADMINS, private=True)
def cancel_button(msg: Incoming, ctx: Context, data: Cancel) -> list[Reply]:
    return cancel_broadcast(ctx, data.broadcast)


@router.button(Status, roles=ADMINS, private=True)
def status_button(msg: Incoming, ctx: Context, data: Status) -> list[Reply]:
    return status_view(ctx, data.broadcast)


@router.button(Acks, roles=ADMINS, private=True)
def acks_button(msg: Incoming, ctx: Context, data: Acks) -> list[Reply]:
    return acks_view(ctx, data.broadcast)


@router.button(Ack, private=True)
def ack_button(msg: Incoming, ctx: Context, data: Ack) -> list[Reply]:
    assert ctx.person.id is not None
    first = acknowledge(session=ctx.session, broadcast_id=data.broadcast, person_id=ctx.person.id, now=ctx.now)
    if first is None:
        raise NotARecipient()
    return [Reply(text=ctx.t(THANKS if first else ALREADY_ACKED))]


@router.command("ack", "รับทราบ", "ทราบแล้ว", summary=ACK_CMD, example=Text("รับทราบ", "/ack"),
                aliases=("รับทราบแล้ว", "ทราบ", "รับทาบ", "รับทราบคับ", "acknowledge", "acknowledged", "👍", "👌"))
def typed_ack(msg: Incoming, ctx: Context) -> list[Reply]:
    """รับทราบ typed instead of pressed: the latest announcement still waiting for this person's.

    Only in a one-to-one chat: in a group, รับทราบ and stickers answer the group, not our announcement."""
    if not msg.private:
        return []
    assert ctx.person.id is not None
    broadcast = waiting_for_ack(session=ctx.session, person_id=ctx.person.id)
    if broadcast is None:
        return [Reply(text=ctx.t(NOTHING_TO_ACK))]
    assert broadcast.id is not None
    shown = broadcast.text if len(broadcast.text) <= 60 else broadcast.text[:59] + "…"
    if msg.args:  # "รับทราบแล้วแต่…" is a sentence, not a plain acknowledgement: ask
        return [Reply(text=ctx.t(ACK_WHICH, id=broadcast.id, text=shown),
                      buttons=[Button(label=ACK_LABEL, payload=Ack(broadcast.id).pack())])]
    acknowledge(session=ctx.session, broadcast_id=broadcast.id, person_id=ctx.person.id, now=ctx.now)
    return [Reply(text=ctx.t(TYPED_ACK, id=broadcast.id, text=shown))]


@router.event(Kind.sticker)
def sticker(msg: Incoming, ctx: Context) -> list[Reply]:
    """A sticker (a thumbs-up, a bow) answers an announcement that waits for รับทราบ, like the typed word."""
    return typed_ack(msg, ctx)
