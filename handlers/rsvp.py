"""Workshop RSVP: invitations, answers, the waitlist and offers of freed seats, delegates, check-in, admin views.

Commands: /workshops (สัมมนา) my workshops; /rsvp ID [yes|no|maybe] (ตอบรับ) details or an answer;
/delegate ID NAME | POSITION | CONTACT (ผู้แทน) a deputy governor names a delegate, /delegate CODE the delegate
confirms; /checkin (เช็คอิน) my QR code, /checkin CODE staff (admins) mark an arrival; /attendees ID
(ผู้เข้าร่วม) admins: counts per province and cluster, silent provinces, nudge, exports, `seats N [PER_PROVINCE]`;
/newworkshop (สร้างสัมมนา) admins: a `key=value` form, a preview with the number of invitees, then confirm.
Buttons: attend / decline / maybe, details, accept or pass on an offered seat, my QR, nudge the silent, export,
create or cancel a previewed workshop.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlmodel import Session

from bot.config import Settings
from bot.context import Context
from bot.errors import BadButton, DomainError, NotAllowed, UsageError
from bot.files import export_url, ics_url, qr_url
from bot.i18n import Text, format_datetime, parse_datetime
from bot.messages import Button, Card, Incoming, Kind, Location, Reply
from bot.payloads import Payload
from bot.router import Router
from bot.vocab import ROLES
from handlers.registration import account_label, code_lockout, wrong_code
from handlers.segments import describe, parse_segment
from storage import reference
from storage.models import Person, Role
from storage.outbox import enqueue_to_person
from storage.people import audit, people_in
from storage.reference import province_name
from storage.rsvp import (
    SEATED,
    BadWorkshop,
    Change,
    DeskClosed,
    Rsvp,
    RsvpStatus,
    Workshop,
    WorkshopDraft,
    answer,
    check_in,
    confirm_delegate,
    counts,
    get_workshop,
    invite,
    invitees,
    latest_open_draft,
    most_seated_province,
    name_delegate,
    new_workshop,
    rsvp_by_code,
    rsvp_of,
    rsvps_of_person,
    seats_taken,
    set_capacity,
    silent_people,
    upcoming_workshops,
    waitlist_position,
)

router = Router("rsvp")

DEFAULT_ROLES = (Role.deputy_governor, Role.coordinator)

CHOICES = {"yes": RsvpStatus.yes, "no": RsvpStatus.no, "maybe": RsvpStatus.maybe,
           "ไป": RsvpStatus.yes, "เข้าร่วม": RsvpStatus.yes, "ไม่ไป": RsvpStatus.no, "ไม่เข้าร่วม": RsvpStatus.no,
           "ไม่แน่ใจ": RsvpStatus.maybe,
           # Synonyms and misspellings people type (tests/corpus/messages.tsv).
           "attend": RsvpStatus.yes, "going": RsvpStatus.yes, "accept": RsvpStatus.yes, "y": RsvpStatus.yes,
           "ไปค่ะ": RsvpStatus.yes, "ไปได้": RsvpStatus.yes, "เข้า": RsvpStatus.yes, "เข้าร่วมได้": RsvpStatus.yes,
           "decline": RsvpStatus.no, "n": RsvpStatus.no, "ไม่ว่าง": RsvpStatus.no, "ไม่สะดวก": RsvpStatus.no,
           "ไม่เข้า": RsvpStatus.no, "ไม่ได้": RsvpStatus.no, "ไปไม่ได้": RsvpStatus.no, "ไม่ร่วม": RsvpStatus.no,
           "อาจจะ": RsvpStatus.maybe, "ยังไม่แน่ใจ": RsvpStatus.maybe, "ไม่แน่ใจค่ะ": RsvpStatus.maybe,
           "ไม่แน่นอน": RsvpStatus.maybe, "perhaps": RsvpStatus.maybe, "ไม่เเน่ใจ": RsvpStatus.maybe}


@dataclasses.dataclass(frozen=True)
class Answer(Payload):
    prefix: ClassVar[str] = "rv"
    workshop: int
    choice: str


@dataclasses.dataclass(frozen=True)
class Details(Payload):
    prefix: ClassVar[str] = "wsd"
    workshop: int


@dataclasses.dataclass(frozen=True)
class Offer(Payload):
    """The answer to "a seat has freed up for you": take it, or pass it on."""

    prefix: ClassVar[str] = "rvo"
    workshop: int
    accept: bool


@dataclasses.dataclass(frozen=True)
class MyQr(Payload):
    prefix: ClassVar[str] = "rvq"
    workshop: int


@dataclasses.dataclass(frozen=True)
class AdminView(Payload):
    prefix: ClassVar[str] = "wsa"
    workshop: int


@dataclasses.dataclass(frozen=True)
class LowerSeats(Payload):
    """An admin's confirmation of seats below those already taken; `per_province` 0 means no limit."""

    prefix: ClassVar[str] = "wsl"
    workshop: int
    capacity: int
    per_province: int = 0


@dataclasses.dataclass(frozen=True)
class NudgeSilent(Payload):
    prefix: ClassVar[str] = "wsn"
    workshop: int


@dataclasses.dataclass(frozen=True)
class Export(Payload):
    prefix: ClassVar[str] = "wse"
    workshop: int
    fmt: str
    contacts: bool = False


MY_WORKSHOPS = Text("สัมมนาของฉัน", "my workshops")
ATTENDEES_CMD = Text("ผู้เข้าร่วมสัมมนา (ผู้ดูแล)", "workshop attendees (admins)")
NONE_INVITED = Text("ยังไม่มีสัมมนาที่คุณได้รับเชิญ", "You have not been invited to any workshop.")
INVITATION = Text("📩 ขอเชิญเข้าร่วม \"{title}\"\nกรุณาตอบรับภายใน {deadline}",
                  "📩 You are invited to \"{title}\".\nPlease answer by {deadline}.")
WHEN_LINE = Text("🗓 {start} – {end}", "🗓 {start} – {end}")
VENUE_LINE = Text("📍 {venue}", "📍 {venue}")
DEADLINE_LINE = Text("ตอบรับภายใน {when}", "Answer by {when}")
AGENDA_LINE = Text("กำหนดการ: {agenda}", "Agenda: {agenda}")
SEATS_LINE = Text("ที่นั่ง {taken}/{capacity}", "Seats {taken}/{capacity}")
MY_STATUS = Text("สถานะของคุณ: {status}", "Your answer: {status}")
DELEGATE_LINE = Text("ผู้แทน: {name} {position}{confirmed}", "Delegate: {name} {position}{confirmed}")
CONFIRMED_MARK = Text(" (ยืนยันแล้ว)", " (confirmed)")
STATUS_NAMES = {
    RsvpStatus.invited: Text("ยังไม่ตอบ", "not answered"),
    RsvpStatus.yes: Text("เข้าร่วม ✅", "attending ✅"),
    RsvpStatus.no: Text("ไม่เข้าร่วม", "not attending"),
    RsvpStatus.maybe: Text("ยังไม่แน่ใจ", "maybe"),
    RsvpStatus.waitlist: Text("รายชื่อสำรอง", "waitlist"),
    RsvpStatus.offered: Text("มีที่นั่งรอคุณยืนยัน", "a seat is waiting for your confirmation"),
    RsvpStatus.lapsed: Text("หมดเวลายืนยันที่นั่ง", "seat offer lapsed"),
}
ATTEND = Text("เข้าร่วม", "Attend")
DECLINE = Text("ไม่เข้าร่วม", "Decline")
MAYBE = Text("ไม่แน่ใจ", "Maybe")
DETAILS_BUTTON = Text("{day} {title}", "{day} {title}")
"""A workshop's details button: its day first, since LINE cuts a label at 20 characters and titles start alike."""
CALENDAR_BUTTON = Text("📅 ลงปฏิทิน", "📅 Add to calendar")
QR_BUTTON = Text("QR เช็คอิน", "Check-in QR")
RECORDED = {
    RsvpStatus.yes: Text("บันทึกแล้ว: คุณจะเข้าร่วม \"{title}\" ✅ แล้วพบกัน {when}",
                         "Recorded: you will attend \"{title}\" ✅ See you on {when}."),
    RsvpStatus.no: Text("บันทึกแล้ว: คุณจะไม่เข้าร่วม \"{title}\" เปลี่ยนคำตอบได้ถึง {deadline}",
                        "Recorded: you will not attend \"{title}\". You can change this until {deadline}."),
    RsvpStatus.maybe: Text("บันทึกแล้ว: ยังไม่แน่ใจ กรุณายืนยันก่อน {deadline}",
                           "Recorded: maybe. Please decide before {deadline}."),
}
WAITLISTED = Text("ที่นั่ง \"{title}\" เต็มแล้ว คุณอยู่ในรายชื่อสำรองลำดับที่ {position} "
                  "หากมีที่ว่างจะแจ้งให้ยืนยันทันที",
                  "\"{title}\" is full. You are number {position} on the waitlist; "
                  "if a seat frees up you will be asked to confirm.")
NO_CHANGE = Text("คำตอบของคุณคือ \"{status}\" อยู่แล้ว ไม่มีการเปลี่ยนแปลง",
                 "Your answer is already \"{status}\"; nothing changed.")
STILL_WAITING = Text("คุณอยู่ในรายชื่อสำรองลำดับที่ {position} อยู่แล้ว ไม่มีการเปลี่ยนแปลง",
                     "You are already number {position} on the waitlist; nothing changed.")
OFFERED = Text("🎉 มีที่นั่งว่างใน \"{title}\" สำหรับคุณ กรุณายืนยันภายใน {until} "
               "มิฉะนั้นที่นั่งจะส่งต่อให้ท่านถัดไป",
               "🎉 A seat in \"{title}\" has freed up for you. Please confirm by {until}, "
               "or it goes to the next person.")
TAKE_SEAT = Text("รับที่นั่ง", "Take the seat")
PASS_SEAT = Text("สละที่นั่ง", "Pass it on")
OFFER_GONE = Text("ข้อเสนอที่นั่งนี้หมดอายุหรือไม่มีแล้ว", "This seat offer has expired or no longer exists.")
LAPSED = Text("⌛ หมดเวลายืนยันที่นั่ง \"{title}\" แล้ว ที่นั่งส่งต่อให้ท่านถัดไป ตอบ \"เข้าร่วม\" อีกครั้งเพื่อต่อคิวใหม่",
              "⌛ The seat offer for \"{title}\" has lapsed and went to the next person. Answer \"Attend\" again "
              "to rejoin the waitlist.")
REMINDER = Text("⏰ อีก {left} จะถึง \"{title}\"\n{start}\n📍 {venue}",
                "⏰ \"{title}\" is in {left}.\n{start}\n📍 {venue}")
DAYS = Text("{n} วัน", "{n:day|days}")
HOURS = Text("{n} ชั่วโมง", "{n:hour|hours}")
NUDGE = Text("🔔 ยังไม่ได้ตอบรับ \"{title}\" ปิดรับคำตอบ {deadline} กรุณาเลือกด้านล่าง",
             "🔔 You have not answered for \"{title}\". Answers close {deadline}; please choose below.")
DELEGATE_USAGE = Text("/delegate รหัสสัมมนา ชื่อ | ตำแหน่ง | เบอร์ติดต่อ (ไม่บังคับ) หรือ /delegate รหัสยืนยัน",
                      "/delegate WORKSHOP_ID NAME | POSITION | CONTACT (optional), or /delegate CODE")
DELEGATE_NAMED = Text("บันทึกผู้แทนแล้ว: {name} ({position}) ที่นั่งยังเป็นของจังหวัด{province} "
                      "และคุณยังเป็นผู้รับผิดชอบ\nส่งรหัส {code} ให้ผู้แทน แล้วให้พิมพ์ \"ผู้แทน {code}\" ถึงบอตนี้เพื่อยืนยัน",
                      "Delegate recorded: {name} ({position}). The seat stays with {province} and you remain "
                      "accountable.\nGive your delegate the code {code}; they confirm by sending \"/delegate {code}\" "
                      "to this bot.")
DELEGATE_WAITLIST = Text("(ขณะนี้ที่นั่งเต็ม ผู้แทนอยู่ในรายชื่อสำรองลำดับที่ {position})",
                         "(The workshop is full; your delegate is number {position} on the waitlist.)")
DELEGATE_CONFIRMED = Text("ยืนยันแล้ว: คุณเป็นผู้แทนของ {principal} ใน \"{title}\" {when}",
                          "Confirmed: you represent {principal} at \"{title}\", {when}.")
PRINCIPAL_TOLD = Text("✅ ผู้แทนของคุณ {name} ยืนยันการเข้าร่วม \"{title}\" แล้ว (จากบัญชี {account})",
                      "✅ Your delegate {name} has confirmed for \"{title}\" (from the {account} account).")
CHECKIN_QR = Text("แสดง QR นี้ต่อเจ้าหน้าที่ที่จุดลงทะเบียน \"{title}\" (รหัส {code})",
                  "Show this QR code at the \"{title}\" registration desk (code {code}).")
NO_SEAT = Text("คุณยังไม่มีที่นั่งในสัมมนาที่กำลังจะมาถึง", "You have no seat at an upcoming workshop.")
SEAT_WITH_DELEGATE = Text("ที่นั่งของคุณใน \"{title}\" อยู่กับผู้แทน {delegate} ผู้แทนแสดงรหัส {code} ที่จุดลงทะเบียน",
                          "Your seat at \"{title}\" is with your delegate {delegate}, who shows the code {code} at the "
                          "registration desk.")
DELEGATE_ARRIVED = Text("ผู้แทนของคุณ {delegate} ลงทะเบียนที่ \"{title}\" แล้ว {when}",
                        "Your delegate {delegate} checked in at \"{title}\" ({when}).")
CHECKED_IN = Text("✅ ลงทะเบียนแล้ว: {name} ({province}) — {title}", "✅ Checked in: {name} ({province}), {title}")
ALREADY_IN = Text("{name} ลงทะเบียนไว้แล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง",
                  "{name} already checked in at {when}; nothing changed.")
WELCOME = Text("ยินดีต้อนรับสู่ \"{title}\" ✅ ลงทะเบียนเรียบร้อยแล้ว {when}",
               "Welcome to \"{title}\" ✅ You are checked in ({when}).")
ADMIN_VIEW = Text("#{id} {title}\n{start}\nเข้าร่วม {yes} | รอยืนยัน {offered} | สำรอง {waitlist} | ไม่แน่ใจ {maybe} | "
                  "ไม่เข้าร่วม {no} | ยังไม่ตอบ {invited}\nผู้แทน {delegates} | เช็คอินแล้ว {checked_in} | "
                  "ที่นั่ง {seats}",
                  "#{id} {title}\n{start}\nYes {yes} | offered {offered} | waitlist {waitlist} | maybe {maybe} | "
                  "no {no} | not answered {invited}\nDelegates {delegates} | checked in {checked_in} | seats {seats}")
CLUSTERS_HEAD = Text("ตามกลุ่มจังหวัด (เข้าร่วม/เชิญ):", "By cluster (attending/invited):")
PROVINCES_HEAD = Text("ตามจังหวัด (เข้าร่วม/สำรอง/ไม่เข้าร่วม/ยังไม่ตอบ):", "By province (yes/waitlist/no/silent):")
SILENT_HEAD = Text("จังหวัดที่ยังไม่ตอบ ({n}): {names}", "Provinces that have not answered ({n}): {names}")
NUDGE_BUTTON = Text("เตือนผู้ที่ยังไม่ตอบ", "Nudge the silent")
NUDGED = Text("ส่งการเตือนถึง {n} คนแล้ว", "Nudged {n:person|people}.")
EXPORT_CSV = Text("ส่งออก CSV", "Export CSV")
EXPORT_XLSX = Text("ส่งออก XLSX", "Export XLSX")
EXPORT_CONTACTS = Text("CSV พร้อมข้อมูลติดต่อ", "CSV with contacts")
EXPORT_READY = Text("รายชื่อผู้เข้าร่วม \"{title}\" ({fmt}) ลิงก์ใช้ได้ 24 ชั่วโมง",
                    "Attendees of \"{title}\" ({fmt}); the link works for 24 hours.")
CONTACTS_EXPORTED = Text("🔐 {who} ส่งออกรายชื่อผู้เข้าร่วม \"{title}\" พร้อมข้อมูลติดต่อ ({fmt}) {via}",
                         "🔐 {who} exported the attendee list of \"{title}\" with contacts ({fmt}) {via}.")
EXPORTED_VIA = {"chat": Text("ทางแชท", "in chat"),
                "cli": Text("ด้วยคำสั่ง coordbot บนเซิร์ฟเวอร์", "with the coordbot command on the server")}
EXPORTER_CLI = Text("ผู้ดูแลเซิร์ฟเวอร์", "A server administrator")
ATTENDEES_USAGE = Text("/attendees | /attendees ID | /attendees ID seats จำนวน [ต่อจังหวัด]",
                       "/attendees | /attendees ID | /attendees ID seats N [PER_PROVINCE]")
WORKSHOP_LINE = Text("#{id} {title} — {start} — เข้าร่วม {yes}", "#{id} {title}, {start}: {yes} attending")
NO_WORKSHOPS = Text("ยังไม่มีสัมมนา สร้างด้วย coordbot workshop create", "No workshops yet; create one with "
                    "coordbot workshop create.")
SEATS_SET = Text("ตั้งที่นั่ง {capacity} (ต่อจังหวัด {per_province}) แล้ว เสนอที่นั่งให้รายชื่อสำรอง {n} คน",
                 "Seats set to {capacity} ({per_province} per province); "
                 "{n:waitlisted person|waitlisted people} offered a seat.")
UNLIMITED = Text("ไม่จำกัด", "no limit")
SEATS_BELOW = Text("⚠️ ตอบรับแล้ว {taken} ที่นั่ง แต่ที่นั่งใหม่คือ {capacity}", "⚠️ {taken:seat is|seats are} taken, but the new "
                   "total is {capacity}.")
SEATS_BELOW_PROVINCE = Text("⚠️ จังหวัด{province}ตอบรับแล้ว {taken} ที่นั่ง แต่ที่นั่งต่อจังหวัดใหม่คือ {per_province}",
                            "⚠️ {province} has {taken:seat|seats}, but the new limit per province is {per_province}.")
SEATS_KEPT = Text("ผู้ที่ตอบรับแล้วยังคงมีที่นั่ง จะไม่มีการเสนอที่นั่งเพิ่มจนกว่าจำนวนจะลดลงต่ำกว่าที่กำหนด ยืนยัน?",
                  "Everyone who said yes keeps their seat; no new seat is offered until fewer are taken. Confirm?")
SEATS_YES = Text("ยืนยัน ตั้งที่นั่ง", "Yes, set the seats")
SEATS_NO = Text("ยกเลิก", "Cancel")


class WorkshopNotFound(DomainError):
    text = Text("ไม่พบสัมมนา #{id}", "There is no workshop #{id}.")


class NotInvited(DomainError):
    text = Text("คุณไม่ได้อยู่ในรายชื่อผู้ได้รับเชิญของ \"{title}\"", "You are not on the invitation list of \"{title}\".")


class DeadlinePassed(DomainError):
    text = Text("ปิดรับคำตอบ \"{title}\" แล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง กรุณาติดต่อผู้จัด",
                "Answers for \"{title}\" closed at {when}; nothing changed. Please contact the organisers.")


class Started(DomainError):
    text = Text("\"{title}\" เริ่มไปแล้ว จึงเปลี่ยนคำตอบไม่ได้", "\"{title}\" has already started; answers can no "
                "longer change.")


class UnknownCode(DomainError):
    text = Text("ไม่พบรหัส \"{code}\" กรุณาตรวจสอบอีกครั้ง", "No seat has the code \"{code}\"; please check it.")


class DeskNotOpen(DomainError):
    text = Text("ยังเช็คอิน \"{title}\" ไม่ได้ จุดลงทะเบียนเปิด {opens} ถึง {closes}",
                "Check-in for \"{title}\" is not open now: the desk is open from {opens} to {closes}.")


class NotSeated(DomainError):
    text = Text("{name} ไม่มีที่นั่งยืนยันใน \"{title}\" (สถานะ: {status})",
                "{name} has no confirmed seat at \"{title}\" (status: {status}).")


def when_range(workshop: Workshop, lang: str, settings: Settings) -> str:
    start = format_datetime(workshop.starts_at, lang, settings.tz)
    same_day = workshop.starts_at.astimezone(settings.tz).date() == workshop.ends_at.astimezone(settings.tz).date()
    end = workshop.ends_at.astimezone(settings.tz).strftime("%H:%M") if same_day else \
        format_datetime(workshop.ends_at, lang, settings.tz)
    return WHEN_LINE.render(lang, start=start, end=end)


def card(workshop: Workshop, row: Rsvp | None, lang: str, settings: Settings, taken: int | None = None) -> Card:
    lines = [when_range(workshop, lang, settings)]
    if workshop.venue:
        lines.append(VENUE_LINE.render(lang, venue=", ".join(x for x in (workshop.venue, workshop.address) if x)))
    lines.append(DEADLINE_LINE.render(lang, when=format_datetime(workshop.rsvp_deadline, lang, settings.tz)))
    if workshop.agenda:
        lines.append(AGENDA_LINE.render(lang, agenda=workshop.agenda))
    if workshop.capacity is not None and taken is not None:
        lines.append(SEATS_LINE.render(lang, taken=taken, capacity=workshop.capacity))
    if row is not None:
        lines.append(MY_STATUS.render(lang, status=STATUS_NAMES[row.status].render(lang)))
        if row.delegate_name:
            confirmed = CONFIRMED_MARK.render(lang) if row.delegate_confirmed_at else ""
            lines.append(DELEGATE_LINE.render(lang, name=row.delegate_name, position=row.delegate_position,
                                              confirmed=confirmed))
    return Card(title=workshop.title(lang), lines=lines)


def answer_buttons(workshop: Workshop, lang: str) -> list[Button]:
    assert workshop.id is not None
    return [Button(label=ATTEND.render(lang), payload=Answer(workshop.id, "yes").pack()),
            Button(label=DECLINE.render(lang), payload=Answer(workshop.id, "no").pack()),
            Button(label=MAYBE.render(lang), payload=Answer(workshop.id, "maybe").pack())]


def location(workshop: Workshop) -> Location | None:
    if workshop.latitude is None or workshop.longitude is None:
        return None
    # Both platforms refuse a location without a title and an address; the coordinates stand in for a missing one.
    address = workshop.address or workshop.venue or f"{workshop.latitude:.5f}, {workshop.longitude:.5f}"
    return Location(title=workshop.venue or workshop.title_th, address=address,
                    latitude=workshop.latitude, longitude=workshop.longitude)


def details_replies(workshop: Workshop, row: Rsvp | None, lang: str, settings: Settings, now: datetime,
                    taken: int | None = None, intro: str = "") -> list[Reply]:
    """The workshop card with the person's answer, the answer buttons while answers are open, and the map."""
    buttons = answer_buttons(workshop, lang) if row is not None and now < workshop.rsvp_deadline else []
    if row is not None and row.status == RsvpStatus.yes and workshop.id is not None:
        buttons.append(Button(label=QR_BUTTON.render(lang), payload=MyQr(workshop.id).pack()))
    buttons.append(Button(label=CALENDAR_BUTTON.render(lang), url=ics_url(settings, workshop)))
    replies = [Reply(text=intro, cards=[card(workshop, row, lang, settings, taken)], buttons=buttons,
                     keep_buttons=True)]
    where = location(workshop)
    if where is not None:
        replies.append(Reply(location=where))
    return replies


def invitation_replies(workshop: Workshop, person: Person, settings: Settings, now: datetime,
                       text: Text = INVITATION, preview: bool = False) -> list[Reply]:
    """What an invitee receives (and a nudge, with another opening line): the card, the answers, the map.

    The admin's `preview`, shown before the workshop exists, has no buttons: there is nothing to answer yet."""
    lang = person.lang
    intro = text.render(lang, title=workshop.title(lang),
                        deadline=format_datetime(workshop.rsvp_deadline, lang, settings.tz))
    buttons = [] if preview else [*answer_buttons(workshop, lang),
                                  Button(label=CALENDAR_BUTTON.render(lang), url=ics_url(settings, workshop))]
    replies = [Reply(text=intro, cards=[card(workshop, None, lang, settings)], buttons=buttons, keep_buttons=True)]
    if (where := location(workshop)) is not None:
        replies.append(Reply(location=where))
    return replies


def send_invitations(*, session: Session, workshop: Workshop, rows: list[Rsvp], settings: Settings,
                     now: datetime) -> int:
    """Queue the invitation to each new invitee; the key makes a repeat harmless."""
    sent = 0
    for row in rows:
        person = session.get(Person, row.person_id)
        assert person is not None
        sent += enqueue_to_person(session=session, person_id=row.person_id, key=f"rv:inv:{workshop.id}:{row.person_id}",
                                  replies=invitation_replies(workshop, person, settings, now), now=now,
                                  tag=f"workshop:{workshop.id}")
    return sent


def invited_places(*, roles: list[str], provinces: list[str], clusters: list[str], regions: list[str]
                   ) -> tuple[list[Role], list[str], str]:
    """Who a workshop invites, from names typed in chat or on the command line (Thai or English):
    (roles, province ISO codes, scope for display). No role means deputy governors and coordinators; no place,
    every province. Unknown names are refused with the same errors as a broadcast's segment."""
    everywhere = ("all", "ทั้งหมด", "ทุกจังหวัด")
    places = {"province": provinces, "cluster": clusters, "region": regions}
    options = {k: [v.strip() for v in values if v.strip() and v.strip().lower() not in everywhere]
               for k, values in places.items()}
    segment = parse_segment({"role": [r for r in roles if r.strip()], **options})
    chosen = [Role(r) for r in segment.roles] or list(DEFAULT_ROLES)
    isos = segment.province_isos()
    if isos is None:
        return chosen, [p.iso for p in reference.provinces()], "all"
    return chosen, sorted(isos), describe(dataclasses.replace(segment, roles=()), "th")


def open_workshop(*, session: Session, workshop: Workshop, settings: Settings, now: datetime, by: int | None,
                  via: str, invite_now: bool = True) -> tuple[int, int]:
    """Store a checked workshop, invite everyone it selects and queue their invitations: the one path behind
    `coordbot workshop create` and the admins' chat flow. Returns (invited, invitations queued); the caller
    plans the reminders once this is committed (the job store writes on its own connection)."""
    session.add(workshop)
    session.flush()
    invited = queued = 0
    if invite_now:
        rows = invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop))
        invited = len(rows)
        queued = send_invitations(session=session, workshop=workshop, rows=rows, settings=settings, now=now)
    audit(session=session, person_id=by, action="workshop_created", workshop=workshop.id, via=via, invited=invited)
    return invited, queued


def send_offers(*, session: Session, workshop: Workshop, offered: list[Rsvp], settings: Settings,
                now: datetime) -> None:
    """Tell each person offered a freed seat, with the buttons to take it or pass it on."""
    assert workshop.id is not None
    for row in offered:
        person = session.get(Person, row.person_id)
        assert person is not None and row.offer_expires_at is not None
        lang = person.lang
        text = OFFERED.render(lang, title=workshop.title(lang),
                              until=format_datetime(row.offer_expires_at, lang, settings.tz))
        enqueue_to_person(
            session=session, person_id=row.person_id,
            key=f"rv:offer:{workshop.id}:{row.id}:{int(row.offer_expires_at.timestamp())}",
            replies=[Reply(text=text, keep_buttons=True, buttons=[
                Button(label=TAKE_SEAT.render(lang), payload=Offer(workshop.id, True).pack()),
                Button(label=PASS_SEAT.render(lang), payload=Offer(workshop.id, False).pack())])],
            now=now, tag=f"workshop:{workshop.id}")


def send_lapsed(*, session: Session, workshop: Workshop, lapsed: list[Rsvp], now: datetime) -> None:
    for row in lapsed:
        person = session.get(Person, row.person_id)
        assert person is not None
        enqueue_to_person(session=session, person_id=row.person_id, key=f"rv:lapsed:{workshop.id}:{row.id}:"
                          f"{int(now.timestamp())}", replies=[Reply(text=LAPSED.render(person.lang,
                                                                                       title=workshop.title(person.lang)))],
                          now=now, tag=f"workshop:{workshop.id}")


def welcome(*, session: Session, workshop: Workshop, row: Rsvp, settings: Settings, now: datetime) -> None:
    """Confirm the check-in to whoever came (the delegate, when one holds the seat and has confirmed in chat), and
    tell a principal that their delegate arrived."""
    principal = session.get(Person, row.person_id)
    assert principal is not None
    attendee = session.get(Person, row.delegate_person_id) if row.delegate_person_id is not None else None
    if attendee is None and not row.delegate_name:
        attendee = principal
    if attendee is not None and attendee.id is not None:
        text = WELCOME.render(attendee.lang, title=workshop.title(attendee.lang),
                              when=format_datetime(now, attendee.lang, settings.tz))
        enqueue_to_person(session=session, person_id=attendee.id, key=f"rv:checkin:{row.id}",
                          replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")
    if row.delegate_name and principal.id is not None:
        text = DELEGATE_ARRIVED.render(principal.lang, delegate=row.delegate_name, title=workshop.title(principal.lang),
                                       when=format_datetime(now, principal.lang, settings.tz))
        enqueue_to_person(session=session, person_id=principal.id, key=f"rv:checkin:{row.id}:principal",
                          replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")


def reminder_replies(workshop: Workshop, person: Person, settings: Settings, now: datetime) -> list[Reply]:
    lang = person.lang
    left = workshop.starts_at - now
    amount = DAYS.render(lang, n=round(left.total_seconds() / 86400)) if left.days >= 1 else \
        HOURS.render(lang, n=max(1, round(left.total_seconds() / 3600)))
    text = REMINDER.render(lang, left=amount, title=workshop.title(lang), start=when_range(workshop, lang, settings),
                           venue=", ".join(x for x in (workshop.venue, workshop.address) if x) or "-")
    replies = [Reply(text=text, buttons=[Button(label=CALENDAR_BUTTON.render(lang), url=ics_url(settings, workshop))])]
    if (where := location(workshop)) is not None:
        replies.append(Reply(location=where))
    return replies


def nudge_replies(workshop: Workshop, person: Person, settings: Settings, now: datetime) -> list[Reply]:
    return invitation_replies(workshop, person, settings, now, text=NUDGE)


def queue_nudges(*, session: Session, workshop: Workshop, stage: str, settings: Settings, now: datetime) -> int:
    """Nudge everyone still silent; the key (workshop, stage, person) makes a second run of one stage send nothing."""
    queued = 0
    for row, person in silent_people(session=session, workshop=workshop):
        queued += enqueue_to_person(session=session, person_id=row.person_id,
                                    key=f"rv:nudge:{workshop.id}:{stage}:{row.person_id}",
                                    replies=nudge_replies(workshop, person, settings, now), now=now,
                                    tag=f"workshop:{workshop.id}")
    return queued


def release_seat(ctx: Context, workshop_id: int, row: Rsvp) -> None:
    """Give up a seat on someone's behalf (an admin retiring them); the waitlist is offered it as usual."""
    workshop = _workshop(ctx, workshop_id, lock=True)
    change = answer(session=ctx.session, workshop=workshop, row=row, choice=RsvpStatus.no, now=ctx.now)
    _offer_seats(ctx, workshop, change.offered)


def record_export(*, session: Session, workshop: Workshop, by: Person | None, fmt: str, contacts: bool, via: str,
                  now: datetime, **detail: Any) -> int:
    """Audit an attendee export (chat or CLI); one with contacts is told to every admin, so that an export of
    people's phone numbers never goes unseen. Returns the number of admins told."""
    audit(session=session, person_id=by.id if by else None, action="workshop_export", workshop=workshop.id,
          format=fmt, contacts=contacts, via=via, at=now, **detail)
    if not contacts:
        return 0
    told = 0
    export_key = f"rv:exported:{workshop.id}:{by.id if by else 'cli'}:{now.isoformat()}"
    for admin in people_in(session=session, roles=[Role.admin]):
        assert admin.id is not None
        who = f"{by.name or '?'} (#{by.id})" if by else EXPORTER_CLI.render(admin.lang)
        text = CONTACTS_EXPORTED.render(admin.lang, who=who, title=workshop.title(admin.lang), fmt=fmt.upper(),
                                        via=EXPORTED_VIA[via].render(admin.lang))
        told += enqueue_to_person(session=session, person_id=admin.id, key=f"{export_key}:{admin.id}",
                                  replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")
    return told


def _offer_seats(ctx: Context, workshop: Workshop, offered: list[Rsvp]) -> None:
    """Tell those offered a freed seat, and plan the offers' expiry."""
    send_offers(session=ctx.session, workshop=workshop, offered=offered, settings=ctx.settings, now=ctx.now)
    assert workshop.id is not None
    for at in sorted({r.offer_expires_at for r in offered if r.offer_expires_at is not None}):
        ctx.planner.offers_expire(workshop.id, at)


def _workshop(ctx: Context, workshop_id: int, lock: bool = False) -> Workshop:
    workshop = get_workshop(session=ctx.session, workshop_id=workshop_id, lock=lock)
    if workshop is None:
        raise WorkshopNotFound(id=workshop_id)
    return workshop


def _my_row(ctx: Context, workshop: Workshop) -> Rsvp:
    assert workshop.id is not None and ctx.person.id is not None
    row = rsvp_of(session=ctx.session, workshop_id=workshop.id, person_id=ctx.person.id)
    if row is None:
        raise NotInvited(title=workshop.title(ctx.lang))
    return row


def _open_for_answers(ctx: Context, workshop: Workshop) -> None:
    if ctx.now >= workshop.starts_at:
        raise Started(title=workshop.title(ctx.lang))
    if ctx.now >= workshop.rsvp_deadline:
        raise DeadlinePassed(title=workshop.title(ctx.lang), when=ctx.when(workshop.rsvp_deadline))


def _taken(ctx: Context, workshop: Workshop) -> int:
    assert workshop.id is not None
    return seats_taken(session=ctx.session, workshop_id=workshop.id)


@router.command("workshops", "สัมมนา", "myworkshops", summary=MY_WORKSHOPS, label=Text("สัมมนา", "Workshops"),
                example=Text("สัมมนา", "/workshops"),
                aliases=("สัมนา", "สัมมณา", "สำมะนา", "สัมมนาของฉัน", "งานสัมมนา", "workshop", "การประชุม"),
                private=True)
def my_workshops(msg: Incoming, ctx: Context) -> list[Reply]:
    assert ctx.person.id is not None
    mine = [(w, r) for w, r in rsvps_of_person(session=ctx.session, person_id=ctx.person.id) if w.ends_at > ctx.now]
    if not mine:
        return [Reply(text=ctx.t(NONE_INVITED))]
    cards = [card(w, r, ctx.lang, ctx.settings) for w, r in mine[:10]]
    buttons = [Button(label=ctx.t(DETAILS_BUTTON, title=w.title(ctx.lang)[:24], day=_day(w, ctx)),
                      payload=Details(w.id).pack()) for w, _ in mine[:10] if w.id is not None]
    return [Reply(text=ctx.t(MY_WORKSHOPS), cards=cards, buttons=buttons)]


def _day(workshop: Workshop, ctx: Context) -> str:
    """`16 ธ.ค.` / `16 Dec`: the start date without the year."""
    return format_datetime(workshop.starts_at, ctx.lang, ctx.settings.tz, with_time=False).rsplit(" ", 1)[0]


@router.button(Details, private=True)
def details(msg: Incoming, ctx: Context, data: Details) -> list[Reply]:
    workshop = _workshop(ctx, data.workshop)
    assert ctx.person.id is not None and workshop.id is not None
    row = rsvp_of(session=ctx.session, workshop_id=workshop.id, person_id=ctx.person.id)
    if row is None and ctx.person.role != Role.admin and not _delegate_of(ctx, workshop):
        raise NotInvited(title=workshop.title(ctx.lang))
    return details_replies(workshop, row, ctx.lang, ctx.settings, ctx.now, _taken(ctx, workshop))


def _delegate_of(ctx: Context, workshop: Workshop) -> bool:
    assert ctx.person.id is not None
    return any(w.id == workshop.id for w, r in rsvps_of_person(session=ctx.session, person_id=ctx.person.id)
               if r.delegate_person_id == ctx.person.id)


@router.command("rsvp", "ตอบรับ", summary=Text("ตอบรับหรือปฏิเสธคำเชิญสัมมนา", "answer a workshop invitation"),
                example=Text("ตอบรับ 2 ไป", "/rsvp 2 yes"), aliases=("rvsp", "ตอบรัป", "ตอบกลับ", "ตอบรับเชิญ"),
                private=True)
def rsvp_command(msg: Incoming, ctx: Context) -> list[Reply]:
    words = msg.args.split()
    if not words or not words[0].lstrip("#").isdecimal() or len(words) > 2:
        raise UsageError(usage="/rsvp ID [yes|no|maybe]")
    workshop_id = int(words[0].lstrip("#"))
    if len(words) == 1:
        return details(msg, ctx, Details(workshop_id))
    choice = CHOICES.get(words[1].lower())
    if choice is None:
        raise UsageError(usage="/rsvp ID [yes|no|maybe]")
    return answer_button(msg, ctx, Answer(workshop_id, str(choice)))


@router.button(Answer, private=True)
def answer_button(msg: Incoming, ctx: Context, data: Answer) -> list[Reply]:
    if data.choice not in ("yes", "no", "maybe"):
        raise BadButton()
    workshop = _workshop(ctx, data.workshop, lock=True)
    row = _my_row(ctx, workshop)
    _open_for_answers(ctx, workshop)
    change = answer(session=ctx.session, workshop=workshop, row=row, choice=RsvpStatus(data.choice), now=ctx.now)
    return _after_change(ctx, workshop, change)


def _after_change(ctx: Context, workshop: Workshop, change: Change) -> list[Reply]:
    row, title = change.row, workshop.title(ctx.lang)
    if not change.changed:
        if row.status == RsvpStatus.waitlist:
            return [Reply(text=ctx.t(STILL_WAITING, position=waitlist_position(session=ctx.session, row=row)))]
        return [Reply(text=ctx.t(NO_CHANGE, status=ctx.t(STATUS_NAMES[row.status])))]
    _offer_seats(ctx, workshop, change.offered)
    if row.status == RsvpStatus.waitlist:
        return [Reply(text=ctx.t(WAITLISTED, title=title, position=waitlist_position(session=ctx.session, row=row)))]
    text = ctx.t(RECORDED[row.status], title=title, when=ctx.when(workshop.starts_at),
                 deadline=ctx.when(workshop.rsvp_deadline))
    buttons = [Button(label=ctx.t(CALENDAR_BUTTON), url=ics_url(ctx.settings, workshop))] \
        if row.status == RsvpStatus.yes else []
    return [Reply(text=text, buttons=buttons)]


@router.button(Offer, private=True)
def offer_answer(msg: Incoming, ctx: Context, data: Offer) -> list[Reply]:
    workshop = _workshop(ctx, data.workshop, lock=True)
    row = _my_row(ctx, workshop)
    if ctx.now >= workshop.starts_at:
        raise Started(title=workshop.title(ctx.lang))
    if row.status != RsvpStatus.offered or row.offer_expires_at is None or ctx.now >= row.offer_expires_at:
        if data.accept and row.status == RsvpStatus.yes:
            return [Reply(text=ctx.t(NO_CHANGE, status=ctx.t(STATUS_NAMES[row.status])))]
        return [Reply(text=ctx.t(OFFER_GONE))]
    choice = RsvpStatus.yes if data.accept else RsvpStatus.no
    return _after_change(ctx, workshop, answer(session=ctx.session, workshop=workshop, row=row, choice=choice,
                                               now=ctx.now))


@router.command("delegate", "ผู้แทน", summary=Text("ส่งผู้แทนเข้าร่วมสัมมนา", "send a delegate to a workshop"),
                example=Text("ผู้แทน 2 มาลี ใจดี | ปลัดจังหวัด", "/delegate 2 Malee Jaidee | deputy"),
                aliases=("ส่งผู้แทน", "ตัวแทน", "ผู้แทนเข้าร่วม"), verbatim=True, private=True)
def delegate(msg: Incoming, ctx: Context) -> list[Reply]:
    """A workshop id names a delegate (deputy governors); a code is the delegate confirming."""
    args = msg.args
    first = args.split(maxsplit=1)[0] if args else ""
    if first.lstrip("#").isdecimal():
        if ctx.person.role not in (Role.deputy_governor, Role.admin):
            raise NotAllowed("delegate", roles=ctx.t(ROLES[Role.deputy_governor]))
        return _name_delegate(ctx, int(first.lstrip("#")), args.split(maxsplit=1)[1] if " " in args else "")
    if first:
        return _confirm_delegate(ctx, first)
    raise UsageError(usage=ctx.t(DELEGATE_USAGE))


def _name_delegate(ctx: Context, workshop_id: int, rest: str) -> list[Reply]:
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1] or len(parts) > 3:
        raise UsageError(usage=ctx.t(DELEGATE_USAGE))
    workshop = _workshop(ctx, workshop_id, lock=True)
    row = _my_row(ctx, workshop)
    if row.status not in SEATED:  # a held seat may change hands until the start; anything else is an answer
        _open_for_answers(ctx, workshop)
    elif ctx.now >= workshop.starts_at:
        raise Started(title=workshop.title(ctx.lang))
    change = name_delegate(session=ctx.session, workshop=workshop, row=row, name=parts[0], position=parts[1],
                           contact=parts[2] if len(parts) == 3 else "", now=ctx.now)
    audit(session=ctx.session, person_id=ctx.person.id, action="workshop_delegate", workshop=workshop_id,
          delegate=parts[0])
    _offer_seats(ctx, workshop, change.offered)
    text = ctx.t(DELEGATE_NAMED, name=parts[0], position=parts[1], province=province_name(row.province_iso, ctx.lang),
                 code=row.code)
    if row.status == RsvpStatus.waitlist:
        text += "\n" + ctx.t(DELEGATE_WAITLIST, position=waitlist_position(session=ctx.session, row=row))
    return [Reply(text=text)]


def _confirm_delegate(ctx: Context, code: str) -> list[Reply]:
    """A code guessed, used or out of date gets the invite codes' answer and counts towards their lockout."""
    if (locked := code_lockout(ctx)) is not None:
        return locked
    row = rsvp_by_code(session=ctx.session, code=code)
    workshop = _workshop(ctx, row.workshop_id) if row is not None else None
    if (row is None or workshop is None or not row.delegate_name or row.delegate_confirmed_at is not None
            or row.person_id == ctx.person.id or ctx.now >= workshop.starts_at):
        return wrong_code(ctx, "delegate", code)
    confirm_delegate(session=ctx.session, row=row, person=ctx.person, now=ctx.now)
    principal = ctx.session.get(Person, row.person_id)
    assert principal is not None
    told = PRINCIPAL_TOLD.render(principal.lang, name=row.delegate_name, title=workshop.title(principal.lang),
                                 account=account_label(principal.lang, ctx.account))
    enqueue_to_person(session=ctx.session, person_id=row.person_id, key=f"rv:delegate:{row.id}:{ctx.person.id}",
                      replies=[Reply(text=told)], now=ctx.now, tag=f"workshop:{workshop.id}")
    audit(session=ctx.session, person_id=ctx.person.id, action="workshop_delegate_confirmed", workshop=workshop.id,
          principal=row.person_id, account=ctx.account.id)
    text = ctx.t(DELEGATE_CONFIRMED, principal=principal.name, title=workshop.title(ctx.lang),
                 when=ctx.when(workshop.starts_at))
    return [Reply(text=text), *details_replies(workshop, None, ctx.lang, ctx.settings, ctx.now)]


@router.command("checkin", "เช็คอิน", "check-in", summary=Text("QR สำหรับเช็คอินที่งานสัมมนา", "my check-in QR code"),
                example=Text("เช็คอิน", "/checkin"), aliases=("เช็กอิน", "เชคอิน", "เช็คอิ้น", "ลงทะเบียนหน้างาน"),
                private=True)
def checkin(msg: Incoming, ctx: Context) -> list[Reply]:
    """Without a code: my QR code. With one: staff (admins) mark that seat's arrival."""
    if msg.args:
        if ctx.person.role != Role.admin:
            raise NotAllowed("checkin", roles=ctx.t(ROLES[Role.admin]))
        return _staff_checkin(ctx, msg.args.split()[0])
    assert ctx.person.id is not None
    seated = [(w, r) for w, r in rsvps_of_person(session=ctx.session, person_id=ctx.person.id)
              if w.ends_at > ctx.now and r.status == RsvpStatus.yes]
    if not seated:
        return [Reply(text=ctx.t(NO_SEAT))]
    workshop = seated[0][0]  # the next one; a principal whose delegate holds the seat is told so there
    assert workshop.id is not None
    return my_qr(msg, ctx, MyQr(workshop.id))


@router.button(MyQr, private=True)
def my_qr(msg: Incoming, ctx: Context, data: MyQr) -> list[Reply]:
    workshop = _workshop(ctx, data.workshop)
    assert ctx.person.id is not None
    rows = [r for w, r in rsvps_of_person(session=ctx.session, person_id=ctx.person.id)
            if w.id == workshop.id and r.status == RsvpStatus.yes]
    # A principal who sent a delegate does not get the QR: the person at the door is the delegate.
    mine = [r for r in rows if r.delegate_person_id == ctx.person.id or
            (r.person_id == ctx.person.id and not r.delegate_name)]
    if not mine:
        sent = [r for r in rows if r.person_id == ctx.person.id and r.delegate_name]
        if sent:
            return [Reply(text=ctx.t(SEAT_WITH_DELEGATE, title=workshop.title(ctx.lang),
                                     delegate=sent[0].delegate_name, code=sent[0].code))]
        return [Reply(text=ctx.t(NO_SEAT))]
    row = mine[0]
    text = ctx.t(CHECKIN_QR, title=workshop.title(ctx.lang), code=row.code)
    return [Reply(text=text, image_url=qr_url(ctx.settings, workshop, row))]


def _staff_checkin(ctx: Context, code: str) -> list[Reply]:
    row = rsvp_by_code(session=ctx.session, code=code)
    if row is None:
        raise UnknownCode(code=code)
    workshop = _workshop(ctx, row.workshop_id)
    principal = ctx.session.get(Person, row.person_id)
    assert principal is not None
    name = row.delegate_name or principal.name
    if row.status != RsvpStatus.yes:
        raise NotSeated(name=name, title=workshop.title(ctx.lang), status=ctx.t(STATUS_NAMES[row.status]))
    try:
        arrived = check_in(session=ctx.session, workshop=workshop, row=row, by=ctx.person.id, now=ctx.now,
                           tz=ctx.settings.tz, early=timedelta(hours=ctx.settings.checkin_early_hours))
    except DeskClosed as closed:
        raise DeskNotOpen(title=workshop.title(ctx.lang), opens=ctx.when(closed.opens),
                          closes=ctx.when(closed.closes)) from closed
    if not arrived:
        assert row.checked_in_at is not None
        return [Reply(text=ctx.t(ALREADY_IN, name=name, when=ctx.when(row.checked_in_at)))]
    audit(session=ctx.session, person_id=ctx.person.id, action="workshop_checkin", workshop=workshop.id, rsvp=row.id)
    welcome(session=ctx.session, workshop=workshop, row=row, settings=ctx.settings, now=ctx.now)
    return [Reply(text=ctx.t(CHECKED_IN, name=name, province=province_name(row.province_iso, ctx.lang),
                             title=workshop.title(ctx.lang)))]


@router.command("attendees", "ผู้เข้าร่วม", roles={Role.admin}, summary=ATTENDEES_CMD,
                example=Text("ผู้เข้าร่วม 2", "/attendees 2"), aliases=("รายชื่อผู้เข้าร่วม", "ผู้เข้าร่วมสัมมนา"),
                private=True, slow=True)
def attendees_command(msg: Incoming, ctx: Context) -> list[Reply]:
    words = msg.args.split()
    if not words:
        return [_list_workshops(ctx)]
    if not words[0].lstrip("#").isdecimal():
        raise UsageError(usage=ctx.t(ATTENDEES_USAGE))
    workshop_id = int(words[0].lstrip("#"))
    if len(words) == 1:
        return admin_view(msg, ctx, AdminView(workshop_id))
    if words[1].lower() in ("seats", "ที่นั่ง") and 3 <= len(words) <= 4 and all(w.isdecimal() for w in words[2:]):
        return [_set_seats(ctx, workshop_id, int(words[2]), int(words[3]) if len(words) == 4 else None,
                           confirmed=False)]
    raise UsageError(usage=ctx.t(ATTENDEES_USAGE))


@router.button(LowerSeats, roles={Role.admin}, private=True)
def lower_seats(msg: Incoming, ctx: Context, data: LowerSeats) -> list[Reply]:
    return [_set_seats(ctx, data.workshop, data.capacity, data.per_province or None, confirmed=True)]


def _list_workshops(ctx: Context) -> Reply:
    workshops = upcoming_workshops(session=ctx.session, now=ctx.now)
    if not workshops:
        return Reply(text=ctx.t(NO_WORKSHOPS))
    lines = []
    for w in workshops[:20]:
        assert w.id is not None
        lines.append(ctx.t(WORKSHOP_LINE, id=w.id, title=w.title(ctx.lang), start=ctx.when(w.starts_at),
                           yes=_taken(ctx, w)))
    return Reply(text="\n".join(lines), buttons=[Button(label=f"#{w.id} {w.title(ctx.lang)[:14]}",
                                                        payload=AdminView(w.id).pack())
                                                 for w in workshops[:10] if w.id is not None])


def _set_seats(ctx: Context, workshop_id: int, capacity: int, per_province: int | None, confirmed: bool) -> Reply:
    """Set the seats; below the seats already taken it first asks, since nobody loses a seat by it."""
    if capacity < 1 or (per_province is not None and per_province < 1):
        raise UsageError(usage=ctx.t(ATTENDEES_USAGE))
    workshop = _workshop(ctx, workshop_id, lock=True)
    if not confirmed:
        warnings = _seats_below(ctx, workshop_id, capacity, per_province)
        if warnings:
            return Reply(text="\n".join([*warnings, ctx.t(SEATS_KEPT)]), buttons=[
                Button(label=ctx.t(SEATS_YES), payload=LowerSeats(workshop_id, capacity, per_province or 0).pack()),
                Button(label=ctx.t(SEATS_NO), payload=AdminView(workshop_id).pack())])
    offered = set_capacity(session=ctx.session, workshop=workshop, capacity=capacity, per_province=per_province,
                           now=ctx.now)
    audit(session=ctx.session, person_id=ctx.person.id, action="workshop_seats", workshop=workshop_id,
          capacity=capacity, per_province=per_province)
    _offer_seats(ctx, workshop, offered)
    return Reply(text=ctx.t(SEATS_SET, capacity=capacity,
                            per_province=per_province if per_province is not None else ctx.t(UNLIMITED),
                            n=len(offered)))


def _seats_below(ctx: Context, workshop_id: int, capacity: int, per_province: int | None) -> list[str]:
    warnings = []
    taken = seats_taken(session=ctx.session, workshop_id=workshop_id)
    if taken > capacity:
        warnings.append(ctx.t(SEATS_BELOW, taken=taken, capacity=capacity))
    iso, most = most_seated_province(session=ctx.session, workshop_id=workshop_id)
    if per_province is not None and most > per_province:
        warnings.append(ctx.t(SEATS_BELOW_PROVINCE, province=province_name(iso, ctx.lang), taken=most,
                              per_province=per_province))
    return warnings


@router.button(AdminView, roles={Role.admin}, private=True)
def admin_view(msg: Incoming, ctx: Context, data: AdminView) -> list[Reply]:
    workshop = _workshop(ctx, data.workshop)
    tally = counts(session=ctx.session, workshop=workshop)
    o = tally.overall
    seats = f"{o[RsvpStatus.yes] + o[RsvpStatus.offered]}/{workshop.capacity}" if workshop.capacity else \
        ctx.t(UNLIMITED)
    lines = [ctx.t(ADMIN_VIEW, id=workshop.id, title=workshop.title(ctx.lang), start=ctx.when(workshop.starts_at),
                   yes=o[RsvpStatus.yes], offered=o[RsvpStatus.offered], waitlist=o[RsvpStatus.waitlist],
                   maybe=o[RsvpStatus.maybe], no=o[RsvpStatus.no] + o[RsvpStatus.lapsed], invited=o[RsvpStatus.invited],
                   delegates=tally.delegates, checked_in=tally.checked_in, seats=seats)]
    by_cluster: dict[int, Counter[str]] = {}
    for iso, tally_p in tally.by_province.items():
        if iso == "-":
            continue
        no = reference.province(iso).cluster or 0
        by_cluster.setdefault(no, Counter()).update(tally_p)
    lines.append(ctx.t(CLUSTERS_HEAD))
    for no in sorted(by_cluster):
        # Bangkok belongs to no cluster
        name = reference.cluster(no).name(ctx.lang) if no else province_name("TH-10", ctx.lang)
        c = by_cluster[no]
        lines.append(f"• {name}: {c[RsvpStatus.yes] + c[RsvpStatus.offered]}/{sum(c.values())}")
    lines.append(ctx.t(PROVINCES_HEAD))
    for iso in sorted(k for k in tally.by_province if k != "-"):
        c = tally.by_province[iso]
        lines.append(f"• {province_name(iso, ctx.lang)}: {c[RsvpStatus.yes] + c[RsvpStatus.offered]}/"
                     f"{c[RsvpStatus.waitlist]}/{c[RsvpStatus.no] + c[RsvpStatus.lapsed]}/{c[RsvpStatus.invited]}")
    silent = [province_name(iso, ctx.lang) for iso in tally.silent]
    lines.append(ctx.t(SILENT_HEAD, n=len(silent), names=", ".join(silent) or "-"))
    assert workshop.id is not None
    buttons = [Button(label=ctx.t(NUDGE_BUTTON), payload=NudgeSilent(workshop.id).pack()),
               Button(label=ctx.t(EXPORT_CSV), payload=Export(workshop.id, "csv").pack()),
               Button(label=ctx.t(EXPORT_XLSX), payload=Export(workshop.id, "xlsx").pack()),
               Button(label=ctx.t(EXPORT_CONTACTS), payload=Export(workshop.id, "csv", True).pack())]
    return [Reply(text="\n".join(lines), buttons=buttons)]


@router.button(NudgeSilent, roles={Role.admin}, private=True)
def nudge_silent(msg: Incoming, ctx: Context, data: NudgeSilent) -> list[Reply]:
    workshop = _workshop(ctx, data.workshop)
    _open_for_answers(ctx, workshop)
    stamp = int(ctx.now.timestamp()) // 3600  # pressed twice within the hour: nobody is nudged twice
    sent = queue_nudges(session=ctx.session, workshop=workshop, stage=f"manual{stamp}", settings=ctx.settings,
                        now=ctx.now)
    audit(session=ctx.session, person_id=ctx.person.id, action="workshop_nudge", workshop=workshop.id, sent=sent)
    return [Reply(text=ctx.t(NUDGED, n=sent))]


@router.button(Export, roles={Role.admin}, private=True, slow=True)
def export(msg: Incoming, ctx: Context, data: Export) -> list[Reply]:
    if data.fmt not in ("csv", "xlsx"):
        raise BadButton()
    workshop = _workshop(ctx, data.workshop)
    assert ctx.person.id is not None
    url = export_url(ctx.settings, workshop, fmt=data.fmt, contacts=data.contacts, person_id=ctx.person.id,
                     now=ctx.now)
    record_export(session=ctx.session, workshop=workshop, by=ctx.person, fmt=data.fmt, contacts=data.contacts,
                  via="chat", now=ctx.now)
    return [Reply(text=ctx.t(EXPORT_READY, title=workshop.title(ctx.lang), fmt=data.fmt.upper()),
                  document_url=url, document_name=f"workshop-{workshop.id}-attendees.{data.fmt}")]


# Admins create a workshop in chat: one message, one `key=value` line per field; a preview with the number of
# invitees; a confirmation button. Only the typed form is kept (a draft) until the button is pressed.

@dataclasses.dataclass(frozen=True)
class CreateConfirm(Payload):
    prefix: ClassVar[str] = "wsc"
    draft: int


@dataclasses.dataclass(frozen=True)
class CreateCancel(Payload):
    prefix: ClassVar[str] = "wsx"
    draft: int


NEW_WORKSHOP_CMD = Text("สร้างสัมมนาและส่งคำเชิญ (ผู้ดูแล)", "create a workshop and invite (admins)")
FORM_KEYS = {
    "ชื่อ": "title_th", "ชื่อสัมมนา": "title_th", "title": "title_th", "title_th": "title_th",
    "ชื่ออังกฤษ": "title_en", "ชื่อภาษาอังกฤษ": "title_en", "title_en": "title_en",
    "เริ่ม": "start", "start": "start", "สิ้นสุด": "end", "จบ": "end", "end": "end",
    "ตอบรับภายใน": "deadline", "ปิดรับ": "deadline", "deadline": "deadline", "rsvp": "deadline",
    "สถานที่": "venue", "venue": "venue", "ที่อยู่": "address", "address": "address",
    "แผนที่": "map", "พิกัด": "map", "map": "map", "location": "map",
    "กำหนดการ": "agenda", "agenda": "agenda",
    "บทบาท": "role", "role": "role", "roles": "role",
    "จังหวัด": "province", "province": "province", "provinces": "province",
    "กลุ่ม": "cluster", "กลุ่มจังหวัด": "cluster", "cluster": "cluster", "clusters": "cluster",
    "ภาค": "region", "region": "region",
    "ที่นั่ง": "capacity", "capacity": "capacity", "seats": "capacity",
    "ต่อจังหวัด": "per_province", "ที่นั่งต่อจังหวัด": "per_province", "per_province": "per_province",
    "เตือน": "reminders", "reminders": "reminders",
}
REQUIRED = ("title_th", "start", "end", "deadline")
FORM_USAGE = Text(
    "สร้างสัมมนา: ส่งข้อความเดียว บรรทัดละหนึ่งหัวข้อ เช่น\n"
    "สร้างสัมมนา\n"
    "ชื่อ=ประชุมเชิงปฏิบัติการกลุ่มจังหวัดภาคเหนือตอนบน 1\n"
    "ชื่ออังกฤษ=Upper North 1 cluster workshop\n"
    "เริ่ม={start}\nสิ้นสุด={end}\nตอบรับภายใน={deadline}\n"
    "สถานที่=ศาลากลางจังหวัดเชียงใหม่\nที่อยู่=ถนนโชตนา อำเภอเมือง เชียงใหม่ 50300\nแผนที่=18.8390,98.9660\n"
    "กำหนดการ=ทบทวนแผนพัฒนากลุ่มจังหวัด\nบทบาท=รองผู้ว่า,ผู้ประสานงาน\nกลุ่ม=1\nที่นั่ง=30\nต่อจังหวัด=2\n\n"
    "ต้องมี: ชื่อ เริ่ม สิ้นสุด ตอบรับภายใน (เวลากรุงเทพฯ ปี พ.ศ. หรือ ค.ศ.) ที่เหลือไม่บังคับ: "
    "จังหวัด= กลุ่ม= ภาค= (ไม่ใส่ = ทุกจังหวัด), บทบาท= (ไม่ใส่ = รองผู้ว่าฯ และผู้ประสานงาน), "
    "ที่นั่ง= ต่อจังหวัด= (ไม่ใส่ = ไม่จำกัด), เตือน=3d,1d (ก่อนเริ่ม) กำหนดการยาวต่อบรรทัดถัดไปได้ "
    "จะพิมพ์ในบรรทัดเดียวโดยคั่นหัวข้อด้วย | ก็ได้",
    "/newworkshop: send one message, one field a line, e.g.\n"
    "/newworkshop\n"
    "title=ประชุมเชิงปฏิบัติการกลุ่มจังหวัดภาคเหนือตอนบน 1\n"
    "title_en=Upper North 1 cluster workshop\n"
    "start={start}\nend={end}\ndeadline={deadline}\n"
    "venue=Chiang Mai City Hall\naddress=Chotana Road, Mueang, Chiang Mai 50300\nmap=18.8390,98.9660\n"
    "agenda=Review of the cluster development plan\nroles=deputy_governor,coordinator\ncluster=1\n"
    "capacity=30\nper_province=2\n\n"
    "Required: title, start, end, deadline (Bangkok time, Buddhist Era or Gregorian years). Optional: "
    "province= cluster= region= (none = every province), roles= (none = deputy governors and coordinators), "
    "capacity= per_province= (none = no limit), reminders=3d,1d (before the start). A long agenda may go on "
    "to the next lines. Fields may also be separated by | on one line.",
)
FORM_PREVIEW = Text("ตัวอย่างคำเชิญที่ผู้ได้รับเชิญจะเห็น (ยังไม่ได้บันทึกและยังไม่ได้ส่ง):",
                    "Preview of the invitation as invitees will see it (nothing stored or sent yet):")
FORM_SUMMARY = Text("สร้างสัมมนาใหม่?", "Create this workshop?")
FORM_INVITEES = Text("ผู้ได้รับเชิญ {n} คน: {roles} · {scope}", "Invitees: {n} ({roles} · {scope})")
ALL_PROVINCES = Text("ทุกจังหวัด", "every province")
FORM_SEATS = Text("ที่นั่ง {capacity} · ต่อจังหวัด {per_province}", "Seats {capacity} · per province {per_province}")
FORM_REMINDERS = Text("เตือนผู้เข้าร่วมก่อนเริ่ม {reminders} · ปุ่มคำเชิญ: เข้าร่วม / ไม่เข้าร่วม / ไม่แน่ใจ / ลงปฏิทิน",
                      "Reminders before the start: {reminders} · invitation buttons: Attend / Decline / Maybe / "
                      "Add to calendar")
CREATE_BUTTON = Text("ยืนยัน ส่งคำเชิญ", "Confirm and invite")
CANCEL_BUTTON = Text("ยกเลิก", "Cancel")
CREATED = Text("✅ สร้างสัมมนา #{id} \"{title}\" แล้ว เชิญ {n} คน (ส่งคำเชิญ {queued} ข้อความ) "
               "ดูคำตอบได้ด้วย /attendees {id}",
               "✅ Workshop #{id} \"{title}\" created: {n:person|people} invited "
               "({queued:invitation|invitations} queued). Follow the answers with /attendees {id}.")
ALREADY_CREATED = Text("สร้างสัมมนา #{id} จากแบบฟอร์มนี้ไปแล้ว ไม่มีการสร้างซ้ำ",
                       "This form already created workshop #{id}; nothing was created again.")
POINT_RECEIVED = Text("ได้รับตำแหน่ง {point} แล้ว (ใช้ในแบบฟอร์มสร้างสัมมนาได้ด้วย แผนที่={point})",
                      "Location received: {point} (for a workshop form: map={point})")
DRAFT_FRESH = timedelta(hours=1)
"""How long after typing a workshop form a shared location is taken as its map point."""
FORM_CANCELLED = Text("ยกเลิกแล้ว ไม่มีการบันทึกหรือส่งคำเชิญ", "Cancelled; nothing was stored or sent.")
ANSWERS_BUTTON = Text("ดูคำตอบ", "See the answers")
PROBLEMS = {
    "ends_before_start": Text("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม", "the end must be after the start"),
    "deadline_after_start": Text("วันปิดรับคำตอบต้องไม่อยู่หลังเวลาเริ่ม", "the RSVP deadline must not be after the start"),
    "nobody": Text("ต้องเชิญอย่างน้อยหนึ่งบทบาทในอย่างน้อยหนึ่งจังหวัด", "invite at least one role in one province"),
    "seats": Text("ที่นั่งและที่นั่งต่อจังหวัดต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป",
                  "seats and seats per province must be whole numbers of at least 1"),
    "offset": Text("เวลาเตือนต้องเป็นแบบ 3d, 1d หรือ 2h", "reminders must look like 3d, 1d or 2h"),
    "deadline_past": Text("วันปิดรับคำตอบผ่านไปแล้ว", "the RSVP deadline has already passed"),
}


class BadForm(DomainError):
    text = Text("สร้างสัมมนาไม่ได้: {problem} ไม่มีการบันทึกใด ๆ", "Cannot create the workshop: {problem}. Nothing "
                "was stored.")


class UnknownField(DomainError):
    text = Text("ไม่รู้จักหัวข้อ \"{key}\" ใช้ได้: {keys}", "Unknown field \"{key}\"; use: {keys}")


class FormLine(DomainError):
    text = Text("ไม่เข้าใจบรรทัด \"{line}\" (บรรทัดละหนึ่งหัวข้อ แบบ หัวข้อ=ค่า)",
                "Cannot read the line \"{line}\" (one field a line, as key=value).")


class MissingFields(DomainError):
    text = Text("ยังขาด: {names} (พิมพ์ สร้างสัมมนา เพื่อดูตัวอย่าง)", "Missing: {names} (send /newworkshop for an "
                "example).")


class BadFormDate(DomainError):
    text = Text("อ่านวันเวลา {key}=\"{value}\" ไม่ได้ ใช้รูปแบบ 2569-03-19 09:00",
                "Cannot read {key}=\"{value}\"; use 2026-03-19 09:00.")


class BadMapPoint(DomainError):
    text = Text("แผนที่=\"{value}\" ต้องเป็น ละติจูด,ลองจิจูด เช่น 13.8663,100.5718",
                "map=\"{value}\" must be latitude,longitude, e.g. 13.8663,100.5718.")


def _key_name(field: str, lang: str) -> str:
    """The first key of a field in the reader's language: `ชื่อ` or `title`."""
    return next(k for k, f in FORM_KEYS.items() if f == field and k.isascii() == (lang == "en"))


def _form_fields(form: str, lang: str) -> dict[str, str]:
    """`key=value` lines (or parts between `|`, as in /delegate) into fields; parts without `=` continue the
    agenda."""
    values: dict[str, str] = {}
    last = ""
    for raw in form.replace("|", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep:
            if last != "agenda":
                raise FormLine(line=line[:60])
            values["agenda"] += "\n" + line
            continue
        field = FORM_KEYS.get(key.strip().lower())
        if field is None:
            keys = ", ".join(k for k in FORM_KEYS if k.isascii() == (lang == "en"))
            raise UnknownField(key=key.strip()[:40], keys=keys)
        values[field], last = value.strip(), field
    missing = [_key_name(f, lang) for f in REQUIRED if not values.get(f)]
    if missing:
        raise MissingFields(names=", ".join(missing))
    return values


def _form_date(values: dict[str, str], field: str, lang: str, settings: Settings) -> datetime:
    try:
        return parse_datetime(values[field], settings.tz)
    except ValueError as exc:
        raise BadFormDate(key=_key_name(field, lang), value=values[field][:40]) from exc


def _form_seats(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdecimal():  # Thai digits count too: int("๓๐") == 30; not "²", which int() refuses
        raise BadWorkshop("seats", value)
    return int(value)


def _form_point(value: str) -> tuple[float | None, float | None]:
    if not value:
        return None, None
    try:
        lat, lon = (float(part) for part in value.replace(" ", "").split(","))
    except ValueError as exc:
        raise BadMapPoint(value=value[:40]) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadMapPoint(value=value[:40])
    return lat, lon


def workshop_from_form(form: str, *, lang: str, settings: Settings, now: datetime, by: int | None) -> Workshop:
    """The admin's chat form as a checked workshop, not stored; every mistake is a clear refusal."""
    values = _form_fields(form, lang)

    def listed(field: str) -> list[str]:
        return values.get(field, "").split(",")

    roles, provinces, scope = invited_places(roles=listed("role"), provinces=listed("province"),
                                             clusters=listed("cluster"), regions=listed("region"))
    starts, ends, deadline = (_form_date(values, f, lang, settings) for f in ("start", "end", "deadline"))
    latitude, longitude = _form_point(values.get("map", ""))
    try:
        if deadline <= now:
            raise BadWorkshop("deadline_past", "the RSVP deadline has already passed")
        return new_workshop(
            title_th=values["title_th"], title_en=values.get("title_en", ""), starts_at=starts, ends_at=ends,
            rsvp_deadline=deadline, roles=roles, provinces=provinces, scope=scope, venue=values.get("venue", ""),
            address=values.get("address", ""), latitude=latitude, longitude=longitude,
            agenda=values.get("agenda", ""), capacity=_form_seats(values.get("capacity")),
            per_province=_form_seats(values.get("per_province")),
            reminders=[r.strip() for r in listed("reminders") if r.strip()] or None, created_by=by)
    except BadWorkshop as exc:
        raise BadForm(problem=PROBLEMS[exc.reason].render(lang)) from exc


def _example_dates(ctx: Context) -> dict[str, str]:
    """The example's dates, a month ahead and in the reader's era, so that a copied example works as it is."""
    start = (ctx.now + timedelta(days=30)).astimezone(ctx.settings.tz).replace(hour=9, minute=0)
    moments = {"start": start, "end": start + timedelta(days=1, hours=7, minutes=30),
               "deadline": start - timedelta(days=10) + timedelta(hours=7, minutes=30)}
    era = 543 if ctx.lang == "th" else 0
    return {name: f"{moment.year + era}{moment:-%m-%d %H:%M}" for name, moment in moments.items()}


@router.command("newworkshop", "สร้างสัมมนา", roles={Role.admin}, summary=NEW_WORKSHOP_CMD,
                example=Text("สร้างสัมมนา", "/newworkshop"), aliases=("สร้างสัมนา", "เพิ่มสัมมนา"), verbatim=True,
                private=True)
def new_workshop_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """Without a form: an example to copy. With one: the preview and the confirmation button."""
    if not msg.args:
        return [Reply(text=ctx.t(FORM_USAGE, **_example_dates(ctx)))]
    assert ctx.person.id is not None
    workshop = workshop_from_form(msg.args, lang=ctx.lang, settings=ctx.settings, now=ctx.now, by=ctx.person.id)
    draft = WorkshopDraft(person_id=ctx.person.id, form=msg.args, created_at=ctx.now)
    ctx.session.add(draft)
    ctx.session.flush()
    assert draft.id is not None
    invited = len(invitees(session=ctx.session, workshop=workshop))
    scope = ctx.t(ALL_PROVINCES) if workshop.scope == "all" else \
        ", ".join(province_name(iso, ctx.lang) for iso in workshop.provinces)
    lines = [ctx.t(FORM_INVITEES, n=invited, roles=", ".join(ctx.t(ROLES[Role(r)]) for r in workshop.roles),
                   scope=scope if len(scope) <= 300 else scope[:299] + "…"),
             ctx.t(FORM_SEATS, capacity=workshop.capacity or ctx.t(UNLIMITED),
                   per_province=workshop.per_province or ctx.t(UNLIMITED)),
             ctx.t(FORM_REMINDERS, reminders=", ".join(workshop.reminders) or "-")]
    buttons = [Button(label=ctx.t(CREATE_BUTTON), payload=CreateConfirm(draft.id).pack()),
               Button(label=ctx.t(CANCEL_BUTTON), payload=CreateCancel(draft.id).pack())]
    return [Reply(text=ctx.t(FORM_PREVIEW)),
            *invitation_replies(workshop, ctx.person, ctx.settings, ctx.now, preview=True),
            Reply(cards=[Card(title=ctx.t(FORM_SUMMARY), lines=lines)], buttons=buttons)]


def _draft(ctx: Context, draft_id: int) -> WorkshopDraft:
    draft = ctx.session.get(WorkshopDraft, draft_id, with_for_update=True)
    if draft is None or draft.person_id != ctx.person.id:
        raise BadButton()
    return draft


@router.event(Kind.location, private=True)
def shared_location(msg: Incoming, ctx: Context) -> list[Reply]:
    """A location shared in chat becomes the map point (and, if the form has none, the venue) of the person's
    workshop form waiting for confirmation, and the preview is shown again; otherwise its coordinates are echoed.
    Only admins have such forms (the command that makes them is theirs)."""
    assert msg.point is not None and ctx.person.id is not None
    point = ",".join(f"{x:.6f}" for x in msg.point)
    draft = latest_open_draft(session=ctx.session, person_id=ctx.person.id, since=ctx.now - DRAFT_FRESH)
    if draft is None:
        return [Reply(text=ctx.t(POINT_RECEIVED, point=point))]
    form = f"{draft.form}\nmap={point}"
    if msg.text and not _form_fields(draft.form, ctx.lang).get("venue"):
        form += f"\nvenue={msg.text}"
    draft.done_at = ctx.now  # replaced by the form with the map point; its buttons now say so
    return new_workshop_command(msg.model_copy(update={"kind": Kind.text, "text": f"/newworkshop {form}"}), ctx)


@router.button(CreateConfirm, roles={Role.admin}, private=True)
def confirm_workshop(msg: Incoming, ctx: Context, data: CreateConfirm) -> list[Reply]:
    draft = _draft(ctx, data.draft)
    if draft.workshop_id is not None:
        return [Reply(text=ctx.t(ALREADY_CREATED, id=draft.workshop_id))]
    if draft.done_at is not None:
        return [Reply(text=ctx.t(FORM_CANCELLED))]
    workshop = workshop_from_form(draft.form, lang=ctx.lang, settings=ctx.settings, now=ctx.now, by=ctx.person.id)
    invited, queued = open_workshop(session=ctx.session, workshop=workshop, settings=ctx.settings, now=ctx.now,
                                    by=ctx.person.id, via="chat")
    assert workshop.id is not None
    draft.done_at, draft.workshop_id = ctx.now, workshop.id
    ctx.planner.workshop_created(workshop, ctx.now)
    return [Reply(text=ctx.t(CREATED, id=workshop.id, title=workshop.title(ctx.lang), n=invited, queued=queued),
                  buttons=[Button(label=ctx.t(ANSWERS_BUTTON), payload=AdminView(workshop.id).pack())])]


@router.button(CreateCancel, roles={Role.admin}, private=True)
def cancel_workshop(msg: Incoming, ctx: Context, data: CreateCancel) -> list[Reply]:
    draft = _draft(ctx, data.draft)
    if draft.workshop_id is not None:
        return [Reply(text=ctx.t(ALREADY_CREATED, id=draft.workshop_id))]
    draft.done_at = draft.done_at or ctx.now
    return [Reply(text=ctx.t(FORM_CANCELLED))]
