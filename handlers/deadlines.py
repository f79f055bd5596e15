"""Plan-submission deadlines: open windows with a countdown, marking a province submitted, snoozing a nudge.

Commands: /deadlines (กำหนดส่ง) for everyone; /submitted [ID] (ส่งแล้ว) for coordinators and deputy governors;
/window (รอบส่ง) for admins: list, `status ID`, `add YYYY-MM-DD HH:MM TITLE`, `move ID YYYY-MM-DD HH:MM`,
`delete ID` (with a confirmation), `submit ID PROVINCE | REASON` (a submission that came by e-mail or letter).
`add` takes `| จังหวัด=… | กลุ่ม=… | ปี=…` after the title to target provinces or clusters and set the fiscal year.
Buttons: submitted (with a confirmation), remind me tomorrow, window status, delete (with a confirmation).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import ClassVar

from sqlmodel import Session

from bot.config import Settings
from bot.context import Context
from bot.errors import DomainError, UnknownProvince, UsageError
from bot.i18n import Text, format_datetime, parse_datetime, read_datetime
from bot.messages import Button, Card, Incoming, Reply
from bot.payloads import Cmd, Payload
from bot.router import Router, first_word
from bot.understand import read_place
from handlers.timing import snooze_until
from storage import reference
from storage.deadlines import (
    SubmissionWindow,
    UnknownPlace,
    admins,
    all_windows,
    create_window,
    default_fiscal_year,
    delete_window,
    get_window,
    missing_provinces,
    move_window,
    nudge_times,
    open_windows,
    resolve_scope,
    submission,
    submissions,
    submit,
)
from storage.models import Person, Role
from storage.outbox import enqueue_to_person
from storage.people import audit
from storage.reference import province_name

router = Router("deadlines")

SUBMITTERS = {Role.coordinator, Role.deputy_governor}
ADMINS = {Role.admin}


@dataclasses.dataclass(frozen=True)
class SubmitWindow(Payload):
    """"Our province has submitted" for a window; `confirmed` is the second press."""

    prefix: ClassVar[str] = "dls"
    window: int
    confirmed: bool = False


@dataclasses.dataclass(frozen=True)
class Snooze(Payload):
    prefix: ClassVar[str] = "dlz"
    window: int


@dataclasses.dataclass(frozen=True)
class WindowStatus(Payload):
    prefix: ClassVar[str] = "dlw"
    window: int


@dataclasses.dataclass(frozen=True)
class DeleteWindow(Payload):
    """Ask to delete a window, showing what stops."""

    prefix: ClassVar[str] = "dld"
    window: int


@dataclasses.dataclass(frozen=True)
class ConfirmDelete(Payload):
    prefix: ClassVar[str] = "dlx"
    window: int


DEADLINES = Text("กำหนดส่งแผนที่เปิดอยู่", "open plan-submission deadlines")
SUBMITTED_CMD = Text("แจ้งว่าจังหวัดส่งแผนแล้ว", "tell us your province has submitted")
WINDOW_CMD = Text("จัดการรอบส่งแผน (ผู้ดูแล)", "manage submission windows (admins)")
PRESS_HINT = Text("กดปุ่มด้านล่างเมื่อจังหวัดส่งแผนแล้ว หรือเพื่อดูสถานะ",
                  "Press a button below when your province has submitted, or to see a status.")
NONE_OPEN = Text("ขณะนี้ไม่มีรอบส่งแผนที่เปิดอยู่", "No submission window is open now.")
CLOSES = Text("ปิดรับ {when} ({left})", "Closes {when} ({left})")
LEFT_DAYS = Text("อีก {d} วัน {h} ชั่วโมง", "{d:day|days} {h:hour|hours} left")
LEFT_HOURS = Text("อีก {h} ชั่วโมง {m} นาที", "{h:hour|hours} {m:minute|minutes} left")
STATUS_DONE = Text("จังหวัด{province}: ส่งแล้ว {when} ✅", "{province}: submitted {when} ✅")
STATUS_MISSING = Text("จังหวัด{province}: ยังไม่ส่ง ⏳", "{province}: not yet submitted ⏳")
COUNT = Text("ส่งแล้ว {done}/{total} จังหวัด", "{done}/{total:province|provinces} submitted")
SUBMIT_BUTTON = Text("ส่งแล้ว: {title}", "Submitted: {title}")
STATUS_BUTTON = Text("สถานะ #{id}", "Status #{id}")
CONFIRM = Text("ยืนยันว่าจังหวัด{province}ส่ง \"{title}\" แล้ว? การแจ้งเตือนของรอบนี้จะหยุด",
               "Confirm that {province} has submitted \"{title}\"? Reminders for it will stop.")
CONFIRM_YES = Text("ยืนยัน ส่งแล้ว", "Yes, submitted")
CONFIRM_NO = Text("ยกเลิก", "Cancel")
RECORDED = Text("บันทึกแล้ว: จังหวัด{province}ส่ง \"{title}\" เมื่อ {when} ขอบคุณค่ะ",
                "Recorded: {province} submitted \"{title}\" at {when}. Thank you.")
ADMIN_TOLD = Text("📥 จังหวัด{province}ส่ง \"{title}\" แล้ว ({done}/{total})",
                  "📥 {province} submitted \"{title}\" ({done}/{total}).")
CHOOSE = Text("เลือกรอบที่จังหวัดของคุณส่งแล้ว:", "Choose the window your province has submitted to:")
NOTHING_TO_SUBMIT = Text("ไม่มีรอบส่งแผนที่เปิดอยู่ซึ่งจังหวัดของคุณยังไม่ได้ส่ง",
                         "There is no open window your province still has to submit to.")
NUDGE = Text("⏰ เตือนกำหนดส่ง: {title}\nปิดรับ {when} ({left})\nจังหวัด{province}ยังไม่ได้แจ้งส่ง{link}",
             "⏰ Deadline reminder: {title}\nCloses {when} ({left})\n{province} has not submitted yet.{link}")
SNOOZE_BUTTON = Text("เตือนอีกครั้งพรุ่งนี้", "Remind me tomorrow")
SNOOZED = Text("จะเตือนอีกครั้ง {when}", "I will remind you again at {when}.")
TOO_LATE_TO_SNOOZE = Text("รอบนี้ใกล้ปิดแล้ว จึงเลื่อนการเตือนไม่ได้", "This window closes too soon to snooze.")
CLOSED_REPORT = Text("🔒 ปิดรับ \"{title}\" แล้ว ส่ง {done}/{total} จังหวัด\nยังไม่ส่ง: {missing}",
                     "🔒 \"{title}\" has closed: {done}/{total:province|provinces} submitted.\nMissed: {missing}")
ALL_DONE = Text("ครบทุกจังหวัด", "none")
WINDOW_LINE = Text("#{id} {title} ปิด {when} — ส่งแล้ว {done}/{total}", "#{id} {title}, closes {when}: {done}/{total}")
NO_WINDOWS = Text("ยังไม่มีรอบส่งแผน", "There are no submission windows yet.")
WINDOW_USAGE = Text("/window | /window status ID | /window add 2569-12-15 16:30 ชื่อรอบ | "
                    "/window move ID 2569-12-20 16:30 | /window delete ID\n"
                    "เลือกจังหวัดหรือกลุ่มจังหวัด: /window add 2569-12-15 16:30 ชื่อรอบ | จังหวัด=เชียงใหม่,ขอนแก่น | "
                    "กลุ่ม=1 | ปี=2571",
                    "/window | /window status ID | /window add 2026-12-15 16:30 TITLE | "
                    "/window move ID 2026-12-20 16:30 | /window delete ID\n"
                    "To target provinces or clusters: /window add 2026-12-15 16:30 TITLE | "
                    "provinces=Chiang Mai,Khon Kaen | cluster=1 | year=2571")
CREATED = Text("สร้างรอบ #{id} \"{title}\" ปีงบประมาณ {year} ปิด {when} สำหรับ {scope} ({count} จังหวัด) "
               "แจ้งเตือน {nudges} ก่อนปิด",
               "Window #{id} \"{title}\" created for fiscal year {year}, closing {when}, for {scope} "
               "({count:province|provinces}); reminders {nudges} before.")
EVERY_PROVINCE = Text("ทุกจังหวัด", "every province")
ASK_DELETE = Text("ลบรอบ #{id} \"{title}\"? การเตือนที่ยังไม่ได้ส่ง {nudges} ครั้งจะหยุด และการส่งที่บันทึกไว้ "
                  "{done} จังหวัดจะถูกลบ",
                  "Delete window #{id} \"{title}\"? Reminders still to come will stop ({nudges}), and the "
                  "submissions recorded will be deleted ({done}).")
DELETE_YES = Text("ยืนยัน ลบรอบ", "Yes, delete it")
SUBMIT_FOR_USAGE = Text("/window submit ID จังหวัด | เหตุผล (เช่น ได้รับทางอีเมล 3 ธ.ค.)",
                        "/window submit ID PROVINCE | REASON (e.g. received by e-mail on 3 Dec)")
RECORDED_FOR = Text("บันทึกแล้ว: จังหวัด{province}ส่ง \"{title}\" ({reason}) การเตือนจังหวัดนี้หยุดแล้ว",
                    "Recorded: {province} submitted \"{title}\" ({reason}); its reminders stop.")
MOVED = Text("เลื่อนปิดรอบ #{id} เป็น {when} และวางแผนการเตือนใหม่แล้ว",
             "Window #{id} now closes {when}; reminders re-planned.")
DELETED = Text("ลบรอบ #{id} และการเตือนทั้งหมดแล้ว", "Window #{id} and its reminders are deleted.")
STATUS_VIEW = Text("#{id} {title}\nปิด {when}\nส่งแล้ว ({done}): {submitted}\nยังไม่ส่ง ({left}): {missing}",
                   "#{id} {title}\nCloses {when}\nSubmitted ({done}): {submitted}\nMissing ({left}): {missing}")


class WindowNotFound(DomainError):
    text = Text("ไม่พบรอบส่งแผน #{id}", "There is no submission window #{id}.")


class WindowClosed(DomainError):
    text = Text("รอบ \"{title}\" ปิดรับแล้ว จึงแจ้งส่งไม่ได้", "\"{title}\" has closed; it can no longer be marked.")


class NotConcerned(DomainError):
    text = Text("รอบนี้ไม่เกี่ยวกับจังหวัดของคุณ", "This window does not concern your province.")


class NoProvince(DomainError):
    text = Text("บัญชีของคุณยังไม่ผูกกับจังหวัด กรุณาติดต่อผู้ดูแล",
                "Your account is not tied to a province. Please contact an admin.")


class AlreadySubmitted(DomainError):
    text = Text("จังหวัด{province}แจ้งส่ง \"{title}\" ไว้แล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง",
                "{province} already submitted \"{title}\" at {when}; nothing changed.")


class BadDate(DomainError):
    text = Text("อ่านวันเวลา \"{text}\" ไม่ได้ ใช้รูปแบบ 2569-12-15 16:30", "Cannot read \"{text}\"; use 2026-12-15 16:30.")


class DateInPast(DomainError):
    text = Text("วันเวลา {when} ผ่านไปแล้ว กรุณาระบุเวลาในอนาคต", "{when} is in the past; please give a future time.")


class CloseBeforeOpen(DomainError):
    text = Text("รอบ #{id} เปิดรับเมื่อ {opens} จึงปิดก่อนหน้านั้นไม่ได้",
                "Window #{id} opened at {opens}; it cannot close before that.")


class BadYear(DomainError):
    text = Text("ปีงบประมาณ \"{text}\" ไม่ถูกต้อง ใช้ปี พ.ศ. เช่น 2571", "\"{text}\" is not a fiscal year; use e.g. 2571.")


def title(window: SubmissionWindow, lang: str) -> str:
    return window.title_en if lang == "en" and window.title_en else window.title_th


def time_left(until: datetime, now: datetime, lang: str) -> str:
    left = max(until - now, timedelta(0))
    days, rest = divmod(int(left.total_seconds()), 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return LEFT_DAYS.render(lang, d=days, h=hours)
    return LEFT_HOURS.render(lang, h=hours, m=minutes)


def nudge_reply(window: SubmissionWindow, person: Person, now: datetime, settings: Settings) -> Reply:
    """The reminder a job sends: countdown, the province's status, and the two buttons."""
    assert window.id is not None
    lang = person.lang
    link = f"\n{window.link}" if window.link else ""
    text = NUDGE.render(lang, title=title(window, lang), when=format_datetime(window.closes_at, lang, settings.tz),
                        left=time_left(window.closes_at, now, lang),
                        province=province_name(person.province_iso, lang) if person.province_iso else "",
                        link=link)
    short = title(window, lang)[:30]
    return Reply(text=text, keep_buttons=True, buttons=[
        Button(label=SUBMIT_BUTTON.render(lang, title=short), payload=SubmitWindow(window.id).pack()),
        Button(label=SNOOZE_BUTTON.render(lang), payload=Snooze(window.id).pack()),
    ])


def closed_reply(window: SubmissionWindow, missing: list[str], admin: Person) -> Reply:
    lang = admin.lang
    names = ", ".join(province_name(iso, lang) for iso in missing) or ALL_DONE.render(lang)
    return Reply(text=CLOSED_REPORT.render(lang, title=title(window, lang), done=len(window.provinces) - len(missing),
                                           total=len(window.provinces), missing=names))


@router.command("deadlines", "กำหนดส่ง", "deadline", summary=DEADLINES, label=Text("กำหนดส่ง", "Deadlines"),
                example=Text("กำหนดส่ง", "/deadlines"), aliases=("เดดไลน์", "กำหนดการส่ง", "กำหนดส่งแผน", "กำนดส่ง"))
def show_deadlines(msg: Incoming, ctx: Context) -> list[Reply]:
    windows = open_windows(session=ctx.session, now=ctx.now)
    if not windows:
        return [Reply(text=ctx.t(NONE_OPEN))]
    cards, buttons = [], []
    for window in windows[:10]:
        assert window.id is not None
        done = submissions(session=ctx.session, window_id=window.id)
        lines = [ctx.t(CLOSES, when=ctx.when(window.closes_at), left=time_left(window.closes_at, ctx.now, ctx.lang))]
        iso = ctx.person.province_iso
        if iso in window.provinces:
            mine = done.get(iso)
            lines.append(ctx.t(STATUS_DONE, province=province_name(iso, ctx.lang), when=ctx.when(mine.submitted_at))
                         if mine else ctx.t(STATUS_MISSING, province=province_name(iso, ctx.lang)))
            if mine is None and ctx.may_press(SubmitWindow):
                buttons.append(Button(label=ctx.t(SUBMIT_BUTTON, title=title(window, ctx.lang)[:30]),
                                      payload=SubmitWindow(window.id).pack()))
        lines.append(ctx.t(COUNT, done=len(done), total=len(window.provinces)))
        if ctx.may_press(WindowStatus):
            buttons.append(Button(label=ctx.t(STATUS_BUTTON, id=window.id), payload=WindowStatus(window.id).pack()))
        cards.append(Card(title=title(window, ctx.lang), lines=lines,
                          progress=round(100 * len(done) / len(window.provinces))))
    return [Reply(text=ctx.t(PRESS_HINT) if buttons else "", cards=cards, buttons=buttons)]


@router.command("submitted", "ส่งแล้ว", roles=SUBMITTERS, summary=SUBMITTED_CMD, example=Text("ส่งแล้ว", "/submitted"),
                aliases=("ส่งแผนแล้ว", "ส่งเรียบร้อย", "ส่งเรียบร้อยแล้ว", "submit"), private=True)
def mark_submitted(msg: Incoming, ctx: Context) -> list[Reply]:
    """With a window id, ask to confirm it; without, offer the open windows the province still owes."""
    if msg.args:
        if not msg.args.strip().lstrip("#").isdecimal():
            raise UsageError(usage="/submitted ID")
        return ask_to_confirm(msg, ctx, SubmitWindow(int(msg.args.strip().lstrip("#"))))
    iso = _own_province(ctx)
    owed = [w for w in open_windows(session=ctx.session, now=ctx.now)
            if iso in w.provinces and w.id is not None
            and submission(session=ctx.session, window_id=w.id, province_iso=iso) is None]
    if not owed:
        return [Reply(text=ctx.t(NOTHING_TO_SUBMIT))]
    if len(owed) == 1:
        assert owed[0].id is not None
        return ask_to_confirm(msg, ctx, SubmitWindow(owed[0].id))
    return [Reply(text=ctx.t(CHOOSE), buttons=[
        Button(label=ctx.t(SUBMIT_BUTTON, title=title(w, ctx.lang)[:30]), payload=SubmitWindow(w.id).pack())
        for w in owed if w.id is not None])]


@router.button(SubmitWindow, roles=SUBMITTERS, private=True)
def ask_to_confirm(msg: Incoming, ctx: Context, data: SubmitWindow) -> list[Reply]:
    window = _submittable(ctx, data.window)
    iso = _own_province(ctx)
    if not data.confirmed:
        return [Reply(text=ctx.t(CONFIRM, province=province_name(iso, ctx.lang), title=title(window, ctx.lang)),
                      buttons=[Button(label=ctx.t(CONFIRM_YES), payload=SubmitWindow(data.window, True).pack()),
                               Button(label=ctx.t(CONFIRM_NO), payload=Cmd("deadlines").pack())])]
    row = submit(session=ctx.session, window=window, province_iso=iso, person_id=ctx.person.id, now=ctx.now)
    audit(session=ctx.session, person_id=ctx.person.id, action="window_submitted", window=data.window, province=iso)
    _tell_admins(ctx, window, iso)
    assert ctx.person.id is not None
    ctx.planner.snooze_done(data.window, ctx.person.id)
    return [Reply(text=ctx.t(RECORDED, province=province_name(iso, ctx.lang), title=title(window, ctx.lang),
                             when=ctx.when(row.submitted_at)))]


@router.button(Snooze, roles=SUBMITTERS, private=True)
def snooze(msg: Incoming, ctx: Context, data: Snooze) -> list[Reply]:
    window = _submittable(ctx, data.window)
    remind_at = snooze_until(window, ctx.now, ctx.settings)
    if remind_at is None:
        return [Reply(text=ctx.t(TOO_LATE_TO_SNOOZE))]
    assert ctx.person.id is not None
    ctx.planner.snooze(data.window, ctx.person.id, remind_at)
    return [Reply(text=ctx.t(SNOOZED, when=ctx.when(remind_at)))]


def _own_province(ctx: Context) -> str:
    if not ctx.person.province_iso:
        raise NoProvince()
    return ctx.person.province_iso


def _submittable(ctx: Context, window_id: int) -> SubmissionWindow:
    """The window, if it is open, concerns the person's province, and that province has not submitted yet."""
    window = _window(ctx, window_id)
    iso = _own_province(ctx)
    if iso not in window.provinces:
        raise NotConcerned()
    if ctx.now >= window.closes_at:
        raise WindowClosed(title=title(window, ctx.lang))
    done = submission(session=ctx.session, window_id=window_id, province_iso=iso)
    if done is not None:
        raise AlreadySubmitted(province=province_name(iso, ctx.lang), title=title(window, ctx.lang),
                               when=ctx.when(done.submitted_at))
    return window


def _window(ctx: Context, window_id: int) -> SubmissionWindow:
    window = get_window(session=ctx.session, window_id=window_id)
    if window is None:
        raise WindowNotFound(id=window_id)
    return window


def _tell_admins(ctx: Context, window: SubmissionWindow, iso: str) -> None:
    tell_admins(session=ctx.session, window=window, iso=iso, by=ctx.person.id, now=ctx.now)


def tell_admins(*, session: Session, window: SubmissionWindow, iso: str, by: int | None, now: datetime) -> None:
    """Tell every admin but `by` that a province submitted (chat and the console both do)."""
    assert window.id is not None
    done = len(submissions(session=session, window_id=window.id))
    for admin in admins(session=session):
        assert admin.id is not None
        if admin.id == by:
            continue
        text = ADMIN_TOLD.render(admin.lang, province=province_name(iso, admin.lang), title=title(window, admin.lang),
                                 done=done, total=len(window.provinces))
        enqueue_to_person(session=session, person_id=admin.id, key=f"submitted:{window.id}:{iso}:{admin.id}",
                          replies=[Reply(text=text)], now=now, tag=f"window:{window.id}")


@router.command("window", "รอบส่ง", roles=ADMINS, summary=WINDOW_CMD,
                example=Text("รอบส่ง add 15 ธ.ค. 2569 16:30 ชื่อรอบ", "/window add 2569-12-15 16:30 title"),
                aliases=("รอบการส่ง", "windows"), private=True)
def manage_windows(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/window` (or `/window list`): the windows; the actions are the variants below."""
    if msg.args.lower() in ("", "list"):
        return [_list_windows(ctx)]
    raise UsageError(usage=ctx.t(WINDOW_USAGE))


def _window_id(text: str, ctx: Context) -> int:
    if not text.isdecimal():
        raise UsageError(usage=ctx.t(WINDOW_USAGE))
    return int(text)


@router.command("window", args=first_word("status"), roles=ADMINS, private=True)
def window_status(msg: Incoming, ctx: Context) -> list[Reply]:
    _, *rest = msg.args.split()
    return status(msg, ctx, WindowStatus(_window_id(rest[0] if len(rest) == 1 else "", ctx)))


@router.command("window", args=first_word("add"), roles=ADMINS, private=True)
def add_window(msg: Incoming, ctx: Context) -> list[Reply]:
    """`add CLOSE-TIME TITLE | options`: the close time is read from the start of what follows `add`."""
    head, *options = msg.args.split("|")
    head_words = head.split(maxsplit=1)
    if len(head_words) == 2 and any(ch.isdigit() for ch in head_words[1]):
        closes_at, name = read_local(head_words[1], ctx)
        if name:
            return _add_window(ctx, closes_at, name, _options(ctx, options))
    raise UsageError(usage=ctx.t(WINDOW_USAGE))


@router.command("window", args=first_word("move"), roles=ADMINS, private=True)
def move_window_command(msg: Incoming, ctx: Context) -> list[Reply]:
    words = msg.args.split()
    if len(words) < 4:
        raise UsageError(usage=ctx.t(WINDOW_USAGE))
    window = _window(ctx, _window_id(words[1], ctx))
    return [_move_window(ctx, window, parse_local(" ".join(words[2:]), ctx))]


@router.command("window", args=first_word("delete"), roles=ADMINS, private=True)
def delete_window_command(msg: Incoming, ctx: Context) -> list[Reply]:
    _, *rest = msg.args.split()
    return ask_delete(msg, ctx, DeleteWindow(_window_id(rest[0] if len(rest) == 1 else "", ctx)))


@router.command("window", args=first_word("submit"), roles=ADMINS, private=True)
def submit_for_command(msg: Incoming, ctx: Context) -> list[Reply]:
    words = msg.args.split(maxsplit=1)
    return [_submit_for(ctx, words[1] if len(words) > 1 else "")]


@router.button(DeleteWindow, roles=ADMINS, private=True)
def ask_delete(msg: Incoming, ctx: Context, data: DeleteWindow) -> list[Reply]:
    """Say what a delete stops (reminders to come, submissions recorded) before doing it."""
    window = _window(ctx, data.window)
    to_come = sum(1 for _, due in nudge_times(window) if due > ctx.now)
    done = len(submissions(session=ctx.session, window_id=data.window))
    return [Reply(text=ctx.t(ASK_DELETE, id=window.id, title=title(window, ctx.lang), nudges=to_come, done=done),
                  buttons=[Button(label=ctx.t(DELETE_YES), payload=ConfirmDelete(data.window).pack()),
                           Button(label=ctx.t(CONFIRM_NO), payload=Cmd("window").pack())])]


@router.button(ConfirmDelete, roles=ADMINS, private=True)
def confirm_delete(msg: Incoming, ctx: Context, data: ConfirmDelete) -> list[Reply]:
    return [_delete_window(ctx, _window(ctx, data.window))]


@router.button(WindowStatus, roles=ADMINS, private=True)
def status(msg: Incoming, ctx: Context, data: WindowStatus) -> list[Reply]:
    window = _window(ctx, data.window)
    done = submissions(session=ctx.session, window_id=data.window)
    missing = missing_provinces(session=ctx.session, window=window)
    submitted = ", ".join(province_name(iso, ctx.lang) for iso in window.provinces if iso in done) or "-"
    return [Reply(text=ctx.t(STATUS_VIEW, id=window.id, title=title(window, ctx.lang), when=ctx.when(window.closes_at),
                             done=len(done), left=len(missing), submitted=submitted,
                             missing=", ".join(province_name(iso, ctx.lang) for iso in missing) or "-"))]


def read_local(text: str, ctx: Context) -> tuple[datetime, str]:
    """The close time typed at the start of `text` (any form `parse_datetime` reads) and the rest."""
    try:
        return read_datetime(text, ctx.settings.tz)
    except ValueError as exc:
        raise BadDate(text=text[:40]) from exc


def parse_local(text: str, ctx: Context) -> datetime:
    try:
        return parse_datetime(text, ctx.settings.tz)
    except ValueError as exc:
        raise BadDate(text=text) from exc


OPTION_KEYS = {"จังหวัด": "provinces", "province": "provinces", "provinces": "provinces",
               "กลุ่ม": "clusters", "กลุ่มจังหวัด": "clusters", "cluster": "clusters", "clusters": "clusters",
               "ปี": "year", "ปีงบประมาณ": "year", "year": "year", "fy": "year"}


def _options(ctx: Context, parts: list[str]) -> dict[str, str]:
    """`จังหวัด=เชียงใหม่,ขอนแก่น`, `กลุ่ม=1`, `ปี=2571` after the title; an unknown key shows the usage."""
    options: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in parts)):
        key, sep, value = part.partition("=")
        name = OPTION_KEYS.get(key.strip().lower())
        if not sep or name is None:
            raise UsageError(usage=ctx.t(WINDOW_USAGE))
        options[name] = value.strip()
    return options


def _list_windows(ctx: Context) -> Reply:
    windows = all_windows(session=ctx.session)
    if not windows:
        return Reply(text=ctx.t(NO_WINDOWS) + "\n" + ctx.t(WINDOW_USAGE))
    lines = []
    for w in windows[-20:]:
        assert w.id is not None
        done = len(submissions(session=ctx.session, window_id=w.id))
        lines.append(ctx.t(WINDOW_LINE, id=w.id, title=title(w, ctx.lang), when=ctx.when(w.closes_at), done=done,
                           total=len(w.provinces)))
    buttons = [Button(label=ctx.t(STATUS_BUTTON, id=w.id), payload=WindowStatus(w.id).pack())
               for w in windows[-5:] if w.id is not None]
    return Reply(text="\n".join(lines), buttons=buttons)


def _add_window(ctx: Context, closes_at: datetime, name: str, options: dict[str, str]) -> list[Reply]:
    if closes_at <= ctx.now:
        raise DateInPast(when=ctx.when(closes_at))
    for typed in filter(None, (n.strip() for n in options.get("provinces", "").split(","))):
        place = read_place(typed.split())
        if place is not None and place.corrected:  # a window reminds real people: ask, do not guess
            raise UnknownProvince(query=typed, hint=f" ({place.province.name(ctx.lang)}?)")
    try:
        isos, scope = resolve_scope(provinces=options.get("provinces", "").split(","),
                                    clusters=options.get("clusters", "").split(","))
    except UnknownPlace as exc:
        hint = ", ".join(p.name(ctx.lang) for p in reference.suggest_provinces(exc.name))
        raise UnknownProvince(query=exc.name, hint=f" ({hint}?)" if hint else "") from exc
    year = _fiscal_year(options.get("year"), name, closes_at)
    window = create_window(session=ctx.session, title_th=name, title_en=name, fiscal_year=year,
                           opens_at=ctx.now, closes_at=closes_at, provinces=isos, scope=scope,
                           created_by=ctx.person.id)
    audit(session=ctx.session, person_id=ctx.person.id, action="window_created", window=window.id)
    _replan(ctx, window)
    return [Reply(text=ctx.t(CREATED, id=window.id, title=name, year=year, when=ctx.when(window.closes_at),
                             scope=ctx.t(EVERY_PROVINCE) if scope == "all" else scope, count=len(isos),
                             nudges=", ".join(window.nudges)))]


def _fiscal_year(text: str | None, name: str, closes_at: datetime) -> int:
    """The year the admin gave (Buddhist Era), else the one the title names, else that of the close."""
    if not text:
        return default_fiscal_year(name, closes_at)
    if not text.isdecimal() or not 2500 <= int(text) <= 2700:
        raise BadYear(text=text)
    return int(text)


def _move_window(ctx: Context, window: SubmissionWindow, closes_at: datetime) -> Reply:
    if closes_at <= ctx.now:
        raise DateInPast(when=ctx.when(closes_at))
    try:
        move_window(session=ctx.session, window=window, closes_at=closes_at)
    except ValueError as exc:
        raise CloseBeforeOpen(id=window.id, opens=ctx.when(window.opens_at)) from exc
    audit(session=ctx.session, person_id=ctx.person.id, action="window_moved", window=window.id,
          closes_at=closes_at.isoformat())
    _replan(ctx, window)
    return Reply(text=ctx.t(MOVED, id=window.id, when=ctx.when(window.closes_at)))


def _submit_for(ctx: Context, text: str) -> Reply:
    """Record on a province's behalf a submission that arrived by e-mail or letter; the reason is required."""
    head, _, reason = text.partition("|")
    words = head.split(maxsplit=1)
    if len(words) != 2 or not words[0].lstrip("#").isdecimal() or not reason.strip():
        raise UsageError(usage=ctx.t(SUBMIT_FOR_USAGE))
    window = _window(ctx, int(words[0].lstrip("#")))
    province = reference.find_province(words[1])
    if province is None:
        hint = ", ".join(p.name(ctx.lang) for p in reference.suggest_provinces(words[1]))
        raise UnknownProvince(query=words[1].strip(), hint=f" ({hint}?)" if hint else "")
    if province.iso not in window.provinces:
        raise NotConcerned()
    done = submission(session=ctx.session, window_id=window.id or 0, province_iso=province.iso)
    if done is not None:
        raise AlreadySubmitted(province=province.name(ctx.lang), title=title(window, ctx.lang),
                               when=ctx.when(done.submitted_at))
    submit(session=ctx.session, window=window, province_iso=province.iso, person_id=ctx.person.id, now=ctx.now,
           reference=reason.strip())
    audit(session=ctx.session, person_id=ctx.person.id, action="window_submitted_for", window=window.id,
          province=province.iso, reason=reason.strip())
    _tell_admins(ctx, window, province.iso)
    return Reply(text=ctx.t(RECORDED_FOR, province=province.name(ctx.lang), title=title(window, ctx.lang),
                            reason=reason.strip()))


def _delete_window(ctx: Context, window: SubmissionWindow) -> Reply:
    window_id = window.id
    assert window_id is not None
    delete_window(session=ctx.session, window=window)
    audit(session=ctx.session, person_id=ctx.person.id, action="window_deleted", window=window_id)
    ctx.planner.window_deleted(window_id)
    return Reply(text=ctx.t(DELETED, id=window_id))


def _replan(ctx: Context, window: SubmissionWindow) -> None:
    ctx.planner.window_changed(window, ctx.now)
