"""Project status: look up, summarise, update (with a confirmation step) and watch plan projects.

Commands: /project [CODE | province | cluster | keyword] [status] [year] (projects, โครงการ, สถานะโครงการ),
/summary [province | cluster | ทั้งประเทศ] [year] (สรุป, สรุปโครงการ), /update CODE [status X] [progress N]
[note ...] (อัปเดต, อัพเดต, อัปเดตโครงการ), /watch [CODE | province] (ติดตาม, ติดตามโครงการ; no argument lists
what you watch), /unwatch CODE | province (เลิกติดตาม), /projecthistory CODE (ประวัติโครงการ);
buttons: more results (pjm), confirm/cancel an update (pjok/pjno). Watchers are told through the outbox.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.context import Context
from bot.errors import BadButton, DomainError, NotAllowed, UsageError
from bot.i18n import Text, format_datetime
from bot.messages import Button, Card, Incoming, Reply
from bot.payloads import Cmd, Payload
from bot.router import Reroute, Router
from bot.understand import search_text, whole_word
from storage import reference
from storage.models import Person, Role
from storage.outbox import enqueue_to_person
from storage.people import audit
from storage.projects import (
    FINAL,
    LEVEL_TH,
    STATUS_TH,
    TRIGRAM,
    Filters,
    PlanLevel,
    Project,
    ProjectDraft,
    ProjectStatus,
    apply_update,
    by_code,
    counts_by_region,
    create_draft,
    cursor,
    history,
    listing,
    nearest_codes,
    normalize_code,
    provinces_of,
    snapshot,
    summary,
    unwatch,
    watch,
    watched_changes,
    watchers,
    watches_of,
)

router = Router("projects")

MEMBERS = {Role.coordinator, Role.deputy_governor}
ADMINS = {Role.admin}
NATIONAL_WORD = "ทั้งประเทศ"
EDITORS = {Role.coordinator, Role.deputy_governor}
PAGE = 5
MAX_QUERY = 100
MAX_NOTE = 500
MIN_KEYWORD = 2
MIN_JOINED_NAME = 5

STATUS_NAMES = {s: Text(STATUS_TH[s], s.value.replace("_", " ")) for s in ProjectStatus}
STATUS_WORDS: dict[str, ProjectStatus] = {
    **{s.value: s for s in ProjectStatus},
    **{s.value.replace("_", ""): s for s in ProjectStatus},
    **{STATUS_NAMES[s].th: s for s in ProjectStatus},
    "เสนอ": ProjectStatus.proposed, "ในแผน": ProjectStatus.in_plan, "inplan": ProjectStatus.in_plan,
    "อนุมัติ": ProjectStatus.approved, "ได้รับงบ": ProjectStatus.funded, "ได้งบ": ProjectStatus.funded,
    "ดำเนินการ": ProjectStatus.in_progress, "ongoing": ProjectStatus.in_progress,
    "เสร็จ": ProjectStatus.completed, "เสร็จสิ้น": ProjectStatus.completed, "done": ProjectStatus.completed,
    "ระงับ": ProjectStatus.on_hold, "ชะลอ": ProjectStatus.on_hold, "hold": ProjectStatus.on_hold,
    "onhold": ProjectStatus.on_hold, "canceled": ProjectStatus.cancelled,
    # Synonyms and misspellings people type (tests/corpus/messages.tsv).
    "เสร็จแล้ว": ProjectStatus.completed,
    "กำลังทำ": ProjectStatus.in_progress, "กำลังดำเนินงาน": ProjectStatus.in_progress,
    "อนุมัติแล้ว": ProjectStatus.approved,
    "ได้รับงบแล้ว": ProjectStatus.funded, "ยกเลิก": ProjectStatus.cancelled, "ยกเลิกแล้ว": ProjectStatus.cancelled,
}
LEVEL_NAMES = {level: Text(LEVEL_TH[level], f"{level.value} plan") for level in PlanLevel}
NATIONAL_WORDS = {"ทั้งประเทศ", "ประเทศ", "national", "all", "ทั้งหมด", "country"}
STATUS_KEYS = {"status", "สถานะ"}
PROGRESS_KEYS = {"progress", "ความก้าวหน้า", "ความคืบหน้า", "คืบหน้า", "ก้าวหน้า"}
NOTE_KEYS = {"note", "หมายเหตุ", "บันทึก"}
YEAR_WORDS = {"ปี", "ปีงบ", "ปีงบประมาณ", "fy", "year"}

LOOKUP = Text("ค้นหาโครงการ (รหัส จังหวัด กลุ่มจังหวัด หรือคำในชื่อ)", "find projects (code, province, cluster, keyword)")
SUMMARY = Text("สรุปสถานะโครงการ", "project status summary")
UPDATE = Text("อัปเดตสถานะ/ความก้าวหน้าโครงการ", "update a project's status or progress")
WATCH = Text("ติดตามโครงการหรือจังหวัด", "watch a project or a province")
FOUND = Text("โครงการ{where}{filters}: แสดง {shown} รายการ{more}", "Projects{where}{filters}: showing {shown}{more}")
MORE_HINT = Text(" (มีเพิ่มเติม)", " (more available)")
NONE_FOUND = Text("ไม่พบโครงการ{where}{filters}", "No projects{where}{filters}.")
NOT_FOUND = Text("ไม่พบโครงการรหัส {code}{hint}", "No project has the code {code}.{hint}")
NEAREST = Text(" รหัสที่ใกล้เคียง: {codes}", " Nearest codes: {codes}")
MORE = Text("ดูเพิ่มเติม", "More")
UPDATE_USAGE = Text("/update รหัส [สถานะ ...] [ความก้าวหน้า 0-100] [หมายเหตุ ...] "
                    "เช่น /update CMI-2569-0012 สถานะ กำลังดำเนินการ ความก้าวหน้า 45 หมายเหตุ ติดตั้งแล้ว",
                    "/update CODE [status ...] [progress 0-100] [note ...], "
                    "e.g. /update CMI-2569-0012 status in_progress progress 45 note sensors installed")
WATCH_USAGE = Text("/watch รหัสโครงการ หรือ ชื่อจังหวัด", "/watch PROJECT-CODE or a province")
CONFIRM_UPDATE = Text("ยืนยันการแก้ไขโครงการ {code}?\n{changes}", "Confirm the change to {code}?\n{changes}")
CONFIRM = Text("ยืนยัน", "Confirm")
CANCEL = Text("ยกเลิก", "Cancel")
UPDATED = Text("บันทึกแล้ว: {code}\n{changes}", "Saved: {code}\n{changes}")
UPDATE_CANCELLED = Text("ยกเลิกการแก้ไขแล้ว ไม่มีการเปลี่ยนแปลง", "Cancelled; nothing changed.")
CHANGED_FOR_WATCHER = Text("โครงการที่คุณติดตามมีการเปลี่ยนแปลง (โดย {who})\n{changes}",
                           "A project you watch has changed (by {who})\n{changes}")
WATCHING = Text("ติดตาม{what}แล้ว จะแจ้งเมื่อมีการเปลี่ยนแปลง", "Watching {what}; you will hear of changes.")
ALREADY_WATCHING = Text("คุณติดตาม{what}อยู่แล้ว", "You already watch {what}.")
UNWATCHED = Text("เลิกติดตาม{what}แล้ว", "Stopped watching {what}.")
NOT_WATCHING = Text("คุณไม่ได้ติดตาม{what}", "You do not watch {what}.")
HISTORY_TITLE = Text("ประวัติการแก้ไข {code}", "History of {code}")
NO_HISTORY = Text("ยังไม่มีการแก้ไข", "No changes yet.")
SUMMARY_TITLE = Text("สรุปโครงการ{where}{year}", "Project summary{where}{year}")
SUMMARY_TOTALS = Text("ทั้งหมด {total} โครงการ · งบประมาณรวม {budget} บาท · ความก้าวหน้าเฉลี่ย {progress}%",
                      "{total:project|projects} · total budget {budget} THB · average progress {progress}%")
NATIONAL = Text(" ทั้งประเทศ", " nationwide")
LIST = Text("ดูรายการ", "List")
DETAILS = Text("รายละเอียด", "Details")
UPDATE_BUTTON = Text("อัปเดต", "Update")
WATCH_BUTTON = Text("ติดตาม", "Watch")
HISTORY_BUTTON = Text("ประวัติ", "History")


# ---- errors --------------------------------------------------------------------------------------------------

class QueryTooLong(DomainError):
    text = Text("คำค้นยาวเกินไป (ไม่เกิน {max} ตัวอักษร)", "That search is too long (at most {max} characters).")


class NothingToSearch(DomainError):
    text = Text("กรุณาพิมพ์รหัสโครงการ ชื่อจังหวัด หรือคำในชื่อโครงการ เช่น /project เกษตร",
                "Please type a project code, a province or words from a title, e.g. /project agriculture")


class KeywordTooShort(DomainError):
    text = Text("คำค้น \"{query}\" สั้นเกินไป (อย่างน้อย {min} ตัวอักษร)",
                "The keyword \"{query}\" is too short (at least {min} characters).")


class KeywordNeedsPlace(DomainError):
    text = Text("คำค้น \"{query}\" สั้นเกินไปสำหรับค้นทั้งประเทศ (อย่างน้อย {min} ตัวอักษร) "
                "หรือระบุจังหวัดด้วย เช่น /project เชียงใหม่ {query}",
                "The keyword \"{query}\" is too short to search the whole country (at least {min} characters); "
                "or name a province, e.g. /project Chiang Mai {query}")


class UnknownCluster(DomainError):
    text = Text("ไม่พบกลุ่มจังหวัด \"{query}\" (พิมพ์หมายเลข 1-18 หรือชื่อกลุ่ม)",
                "No cluster matches \"{query}\" (type its number 1-18 or its name).")


class UnknownStatus(DomainError):
    text = Text("ไม่รู้จักสถานะ \"{word}\" ใช้ได้: {known}", "Unknown status \"{word}\". Use one of: {known}")


class BadProgress(DomainError):
    text = Text("ความก้าวหน้าต้องเป็นตัวเลข 0-100 (ได้รับ \"{value}\") ไม่มีการบันทึก",
                "Progress must be a number from 0 to 100 (got \"{value}\"); nothing was saved.")


class NoteTooLong(DomainError):
    text = Text("หมายเหตุยาวเกิน {max} ตัวอักษร", "The note is longer than {max} characters.")


class ProjectNotFound(DomainError):
    text = NOT_FOUND


class ProjectClosed(DomainError):
    text = Text("โครงการ {code} {status}แล้ว ต้องให้ผู้ดูแลระบบเปลี่ยนสถานะ",
                "Project {code} is {status}; only an admin can change it now.")


class NotYourProject(NotAllowed):
    text = Text("ขออภัย คุณแก้ไขได้เฉพาะโครงการ{scope} (โครงการ {code} เป็นของ{owner})",
                "Sorry, you may update only projects {scope} ({code} belongs to {owner}).")


class StaleDraft(DomainError):
    text = Text("การยืนยันนี้ใช้ไม่ได้แล้ว (ยืนยันไปแล้ว ยกเลิก หรือโครงการถูกแก้ไขในระหว่างนี้) กรุณาสั่งอัปเดตใหม่",
                "This confirmation no longer applies (already used, cancelled, or the project changed "
                "meanwhile). Please send the update again.")


NATIONAL_ONLY = Text("ขออภัย ภาพรวมทั้งประเทศสำหรับ{roles}เท่านั้น", "Sorry, the national picture is only for {roles}.")


# ---- payloads ------------------------------------------------------------------------------------------------

# Thai letters packed one ASCII character each, so a Thai keyword fits in a 64-byte "more" button.
_THAI = [chr(c) for c in (*range(0x0E01, 0x0E3B), *range(0x0E3F, 0x0E5C))]
_ASCII = [chr(c) for c in range(0x21, 0x7F) if chr(c) not in ':~\\"']
_PACK = dict(zip(_THAI, _ASCII, strict=False))
_UNPACK = {v: k for k, v in _PACK.items()}


def pack_keyword(text: str) -> str | None:
    """Thai letters become one ASCII character, other ASCII is escaped with `~`; None if neither."""
    out = []
    for ch in text:
        if ch in _PACK:
            out.append(_PACK[ch])
        elif ch.isascii() and ch.isprintable() and ch != ":":
            out.append("~" + ch)
        else:
            return None
    return "".join(out)


def unpack_keyword(packed: str) -> str:
    out, chars = [], iter(packed)
    for ch in chars:
        out.append(next(chars, "") if ch == "~" else _UNPACK.get(ch, ""))
    return "".join(out)


STATUS_CODES = {ProjectStatus.proposed: "p", ProjectStatus.in_plan: "i", ProjectStatus.approved: "a",
                ProjectStatus.funded: "f", ProjectStatus.in_progress: "g", ProjectStatus.completed: "c",
                ProjectStatus.on_hold: "h", ProjectStatus.cancelled: "x"}
"""One letter a status in a "more" button (Telegram's 64 bytes are short), fixed here rather than the enum's
order, so reordering the statuses never remaps buttons already sent."""
BY_STATUS_CODE = {code: status for status, code in STATUS_CODES.items()}


@dataclasses.dataclass(frozen=True)
class ProjectMore(Payload):
    """The next page of a listing: place (`TH-50`, `G7` or empty), packed keyword, filters, last row's cursor."""

    prefix: ClassVar[str] = "pjm"
    place: str
    keyword: str
    status: str
    year: int
    before: str


@dataclasses.dataclass(frozen=True)
class ProjectConfirm(Payload):
    prefix: ClassVar[str] = "pjok"
    draft: int


@dataclasses.dataclass(frozen=True)
class ProjectCancel(Payload):
    prefix: ClassVar[str] = "pjno"
    draft: int


# ---- parsing -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    """A parsed lookup: at most one of code / national; a place (province or cluster) and/or a keyword."""

    code: str | None = None
    province_iso: str | None = None
    cluster_no: int | None = None
    keyword: str | None = None
    national: bool = False
    filters: Filters = dataclasses.field(default_factory=Filters)


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def clean(text: str) -> str:
    """Drop emoji and other symbols (people paste them), keep letters, digits (Thai ones as 0-9), Thai marks and
    punctuation."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMNPZ" and ch not in "\u200b\u200d\ufe0f")
    return " ".join(kept.translate(THAI_DIGITS).split())


def _year(word: str) -> int | None:
    """`2569`, `ปี2569`, `fy2026`: a fiscal year in BE (Christian years are converted)."""
    m = re.fullmatch(r"(?:ปีงบประมาณ|ปีงบ|ปี|fy)?(\d{4})", word.lower())
    if m is None:
        return None
    year = int(m.group(1))
    if 2400 <= year <= 2700:
        return year
    if 1900 <= year <= 2150:
        return year + 543
    return None


def parse_query(text: str) -> Query:
    """Split what was typed into filters (status, year) and what to look for (code, place, keyword)."""
    if len(text) > MAX_QUERY:
        raise QueryTooLong(max=MAX_QUERY)
    status: ProjectStatus | None = None
    year: int | None = None
    rest: list[str] = []
    two_words = re.sub(r"\b(in|on)\s+(progress|hold|plan)\b", r"\1_\2", clean(text), flags=re.IGNORECASE)
    for word in two_words.split():
        lowered = word.lower()
        if lowered in STATUS_KEYS or lowered in YEAR_WORDS:
            continue
        if (found_year := _year(word)) is not None:
            year = found_year
        elif lowered in STATUS_WORDS:
            status = STATUS_WORDS[lowered]
        else:
            rest.append(word)
    filters = Filters(status=status, fiscal_year=year)
    target = " ".join(rest)
    if not target:
        return Query(filters=filters)
    if (code := normalize_code(target)) is not None:
        return Query(code=code, filters=filters)
    if target.lower() in NATIONAL_WORDS:
        return Query(national=True, filters=filters)
    if target.startswith("กลุ่ม") or target.lower().startswith("cluster"):
        cluster = reference.find_cluster(target)
        if cluster is None:
            raise UnknownCluster(query=target[:40])
        return Query(cluster_no=cluster.no, filters=filters)
    if (province := reference.find_province(target)) is not None:
        return Query(province_iso=province.iso, filters=filters)
    if len(rest) > 1 and (province := reference.find_province(rest[0])) is not None:
        return Query(province_iso=province.iso, keyword=_keyword(" ".join(rest[1:])), filters=filters)
    if (joined := _province_then_words(target)) is not None:
        return Query(province_iso=joined[0], keyword=_keyword(joined[1]), filters=filters)
    keyword = _keyword(target)
    if len(keyword) < TRIGRAM:  # no index finds it: only a place's projects are searched
        raise KeywordNeedsPlace(query=keyword, min=TRIGRAM)
    return Query(keyword=keyword, filters=filters)


def _province_then_words(text: str) -> tuple[str, str] | None:
    """Thai without spaces: "เชียงใหม่กาแฟ" (or "จ.เชียงใหม่กาแฟ") is a province followed by a keyword.

    Short names are left out: "ตาก" (Tak) is also "to dry", and "น่าน" starts "น่านน้ำ" (waters).
    """
    bare = text.removeprefix("จังหวัด").removeprefix("จ.").strip()
    for province in sorted(reference.provinces(), key=lambda p: -len(p.name_th)):
        name = province.name_th
        if len(name) >= MIN_JOINED_NAME and bare.startswith(name) and len(bare) - len(name) >= MIN_KEYWORD:
            return province.iso, bare[len(name):].strip()
    return None


def _keyword(text: str) -> str:
    """Every title starts with "โครงการ", so a leading "โครงการ" would only stop words inside from matching."""
    text = search_text(text)
    if text.startswith("โครงการ") and len(text) - len("โครงการ") >= MIN_KEYWORD:
        text = text.removeprefix("โครงการ").strip()
    if len(text) < MIN_KEYWORD:
        raise KeywordTooShort(query=text, min=MIN_KEYWORD)
    return text


# ---- rendering -----------------------------------------------------------------------------------------------

def baht(satang: int) -> str:
    whole, part = divmod(satang, 100)
    return f"{whole:,}" + (f".{part:02d}" if part else "")


def place_name(lang: str, *, province_iso: str | None = None, cluster_no: int | None = None) -> str:
    if province_iso is not None:
        p = reference.province(province_iso)
        return p.name_en if lang == "en" else ("" if p.iso == "TH-10" else "จังหวัด") + p.name_th
    if cluster_no is not None:
        return reference.cluster(cluster_no).name(lang)
    return ""


def status_text(lang: str, status: ProjectStatus) -> str:
    return STATUS_NAMES[status].render(lang)


def card(project: Project, lang: str, tz: ZoneInfo, detail: bool = False, updated_by: str = "") -> Card:
    """A short record: code and title, status with progress, where and when, budget and owner."""
    title = project.title_en if lang == "en" and project.title_en else project.title_th
    where = place_name(lang, province_iso=project.province_iso, cluster_no=project.cluster_no)
    year = Text("ปีงบ {year}", "FY {year}").render(lang, year=project.fiscal_year)
    lines = [
        f"{status_text(lang, project.status)} · {project.progress}%",
        f"{where} · {LEVEL_NAMES[project.plan_level].render(lang)} · {year}",
        Text("งบ {budget} บาท · {owner}", "Budget {budget} THB · {owner}").render(
            lang, budget=baht(project.budget_satang), owner=project.owner_agency or "-"),
    ]
    if detail:
        if project.last_note:
            lines.append(Text("หมายเหตุล่าสุด: {note}", "Last note: {note}").render(lang, note=project.last_note))
        lines.append(Text("ปรับปรุง {when}{who}", "Updated {when}{who}").render(
            lang, when=format_datetime(project.updated_at, lang, tz), who=f" · {updated_by}" if updated_by else ""))
    return Card(title=f"{project.code} {title}", lines=lines, progress=project.progress)


def describe_changes(lang: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    names = {"status": Text("สถานะ", "status"), "progress": Text("ความก้าวหน้า", "progress"),
             "last_note": Text("หมายเหตุ", "note")}
    lines = []
    for field_name, after in new.items():
        before = old.get(field_name)
        if field_name == "status":
            before = status_text(lang, ProjectStatus(before)) if before else "-"
            after = status_text(lang, ProjectStatus(after))
        elif field_name == "progress":
            before, after = f"{before}%", f"{after}%"
        lines.append(f"• {names[field_name].render(lang)}: {before or '-'} → {after or '-'}")
    return "\n".join(lines)


def _filters_text(ctx: Context, filters: Filters) -> str:
    parts = []
    if filters.status is not None:
        parts.append(ctx.t(STATUS_NAMES[filters.status]))
    if filters.fiscal_year is not None:
        parts.append(ctx.t(Text("ปีงบ {y}", "FY {y}"), y=filters.fiscal_year))
    return f" ({', '.join(parts)})" if parts else ""


# ---- lookups -------------------------------------------------------------------------------------------------

@router.command("project", "projects", "โครงการ", "สถานะโครงการ", roles=MEMBERS, summary=LOOKUP,
                label=Text("โครงการ", "Projects"), example=Text("โครงการ เชียงใหม่", "/project Khon Kaen"),
                aliases=("โปรเจค", "โปรเจกต์", "โครงกร", "โคงการ", "ค้นหาโครงการ", "หาโครงการ", "รายการโครงการ"),
                slow=True)
def lookup(msg: Incoming, ctx: Context) -> list[Reply]:
    if msg.args.strip() and not clean(msg.args):
        raise NothingToSearch()
    query = parse_query(msg.args)
    if query.code is not None:
        return show_project(ctx, query.code)
    if not (query.national or query.province_iso or query.cluster_no or query.keyword) \
            and ctx.person.province_iso is not None:  # no place named: one's own (without one: all, as ทั้งประเทศ)
        query = dataclasses.replace(query, province_iso=ctx.person.province_iso)
    return list_page(ctx, query, before=None)


def _project(ctx: Context, code: str) -> Project:
    """The project with this code, or a refusal naming the nearest codes."""
    project = by_code(session=ctx.session, code=code)
    if project is None:
        near = nearest_codes(session=ctx.session, code=code)
        raise ProjectNotFound(code=code, hint=ctx.t(NEAREST, codes=", ".join(near)) if near else "")
    return project


def show_project(ctx: Context, code: str) -> list[Reply]:
    project = by_code(session=ctx.session, code=code)
    if project is None:
        near = nearest_codes(session=ctx.session, code=code)
        hint = ctx.t(NEAREST, codes=", ".join(near)) if near else ""
        buttons = [Button(label=c, payload=Cmd("project", c).pack()) for c in near]
        return [Reply(text=ctx.t(NOT_FOUND, code=code, hint=hint), buttons=buttons)]
    who = ""
    if project.updated_by is not None:
        person = ctx.session.get(Person, project.updated_by)
        who = person.name if person else ""
    buttons = [Button(label=ctx.t(WATCH_BUTTON), payload=Cmd("watch", project.code).pack()),
               Button(label=ctx.t(HISTORY_BUTTON), payload=Cmd("projecthistory", project.code).pack())]
    if may_update(ctx.person, project):
        buttons.insert(0, Button(label=ctx.t(UPDATE_BUTTON), payload=Cmd("update", project.code).pack()))
    return [Reply(cards=[card(project, ctx.lang, ctx.settings.tz, detail=True, updated_by=who)], buttons=buttons)]


def list_page(ctx: Context, query: Query, before: str | None) -> list[Reply]:
    """One page of cards; a "more" button carries the query and the last code shown."""
    provinces = [query.province_iso] if query.province_iso else None
    rows = listing(session=ctx.session, province_isos=provinces, cluster_no=query.cluster_no,
                   keyword=query.keyword, filters=query.filters, before=before, limit=PAGE)
    has_more = len(rows) > PAGE
    rows = rows[:PAGE]
    where = place_name(ctx.lang, province_iso=query.province_iso, cluster_no=query.cluster_no)
    if query.keyword:
        where = (f" {where}" if where else "") + ctx.t(Text(" ที่มีคำว่า \"{k}\"", " matching \"{k}\""), k=query.keyword)
    elif where:
        where = (" " if ctx.lang == "en" else "") + (f"in {where}" if ctx.lang == "en" else where)
    filters = _filters_text(ctx, query.filters)
    if not rows:
        return [Reply(text=ctx.t(NONE_FOUND, where=where, filters=filters))]
    buttons = []
    if has_more:
        payload = more_payload(query, cursor(rows[-1], query.keyword))
        if payload is not None:
            buttons.append(Button(label=ctx.t(MORE), payload=payload.pack()))
    text = ctx.t(FOUND, where=where, filters=filters, shown=len(rows), more=ctx.t(MORE_HINT) if has_more else "")
    if query.keyword:  # whole-word matches first, within the page
        keyword = query.keyword
        rows = sorted(rows, key=lambda p: not (whole_word(keyword, p.title_th) or whole_word(keyword, p.title_en)))
    return [Reply(text=text, cards=[card(p, ctx.lang, ctx.settings.tz) for p in rows], buttons=buttons)]


def more_payload(query: Query, last: str) -> ProjectMore | None:
    """None when the keyword cannot be packed into a button; the user can narrow the search instead."""
    place = query.province_iso or (f"G{query.cluster_no}" if query.cluster_no else "")
    keyword = pack_keyword(query.keyword or "")
    if keyword is None:
        return None
    status = STATUS_CODES[query.filters.status] if query.filters.status else ""
    payload = ProjectMore(place=place, keyword=keyword, status=status, year=query.filters.fiscal_year or 0,
                          before=last)
    try:
        payload.pack()
    except ValueError:
        return None
    return payload


@router.button(ProjectMore, roles=MEMBERS, slow=True)
def more(msg: Incoming, ctx: Context, data: ProjectMore) -> list[Reply]:
    try:
        status = BY_STATUS_CODE[data.status] if data.status else None
        place: dict[str, Any] = {}
        if data.place.startswith("G"):
            place["cluster_no"] = reference.cluster(int(data.place[1:])).no
        elif data.place:
            place["province_iso"] = reference.province(data.place).iso
        keyword = unpack_keyword(data.keyword) or None
        if keyword:
            int(data.before)  # keyword pages continue from an id
    except (ValueError, IndexError, KeyError) as exc:
        raise BadButton() from exc
    query = Query(keyword=keyword, filters=Filters(status=status, fiscal_year=data.year or None), **place)
    return list_page(ctx, query, before=data.before)


# ---- summaries -----------------------------------------------------------------------------------------------

def _asks_national(argument: str) -> bool:
    """`/summary ทั้งประเทศ [year]`: the national variant (an argument that does not parse is not it)."""
    try:
        return parse_query(argument).national
    except DomainError:
        return False


@router.command("summary", "สรุป", "สรุปโครงการ", roles=MEMBERS, summary=SUMMARY,
                label=Text("สรุปโครงการ", "Summary"), example=Text("สรุป ขอนแก่น 2569", "/summary cluster 1"),
                aliases=("สรุบ", "สรุปผล", "ภาพรวม", "summay"), slow=True)
def show_summary(msg: Incoming, ctx: Context) -> list[Reply]:
    """A province's or a cluster's summary (one's own province when none is named); someone without a province
    who names none is asking for the national one, which the router gives only to admins."""
    query = _summary_query(msg, ctx)
    if query.province_iso is None and query.cluster_no is None and ctx.person.province_iso is None:
        raise Reroute(f"{msg.args} {NATIONAL_WORD}".strip())
    return _summary(ctx, query, national=False)


@router.command("summary", args=_asks_national, roles=ADMINS, refusal=NATIONAL_ONLY, slow=True)
def show_national_summary(msg: Incoming, ctx: Context) -> list[Reply]:
    return _summary(ctx, _summary_query(msg, ctx), national=True)


def _summary_query(msg: Incoming, ctx: Context) -> Query:
    query = parse_query(msg.args)
    if query.code is not None or query.keyword is not None:
        raise UsageError(usage="/summary [จังหวัด|กลุ่มจังหวัด|ทั้งประเทศ] [ปี]" if ctx.lang == "th"
                         else "/summary [province|cluster|national] [year]")
    return query


def _summary(ctx: Context, query: Query, national: bool) -> list[Reply]:
    province_iso = None if national else (query.province_iso or (
        None if query.cluster_no else ctx.person.province_iso))
    cluster_no = query.cluster_no
    provinces: list[str] | None = None
    if province_iso is not None:
        provinces = [province_iso]
    elif cluster_no is not None:
        provinces = [p.iso for p in reference.provinces_in_cluster(cluster_no)]
    result = summary(session=ctx.session, province_isos=provinces, cluster_no=cluster_no,
                     fiscal_year=query.filters.fiscal_year)
    where = ctx.t(NATIONAL) if national else " " + place_name(ctx.lang, province_iso=province_iso,
                                                              cluster_no=cluster_no)
    year = ctx.t(Text(" ปีงบ {y}", " FY {y}"), y=query.filters.fiscal_year) if query.filters.fiscal_year else ""
    lines = [ctx.t(SUMMARY_TITLE, where=where, year=year),
             ctx.t(SUMMARY_TOTALS, total=result.total, budget=baht(result.budget_satang),
                   progress=round(result.average_progress))]
    lines += [f"• {ctx.t(STATUS_NAMES[s])}: {result.counts[s]}" for s in ProjectStatus if result.counts.get(s)]
    if national:
        lines.append(ctx.t(Text("ตามภาค:", "By region:")))
        regions = counts_by_region(session=ctx.session, fiscal_year=query.filters.fiscal_year)
        names = {r.name_th: r.name_en for r in reference.regions()} | {"กรุงเทพมหานคร": "Bangkok"}
        lines += [f"• {name if ctx.lang == 'th' else names.get(name, name)}: {count}"
                  for name, count in sorted(regions.items(), key=lambda item: -item[1])]
    buttons = []
    if not national:
        arg = province_iso or f"cluster {cluster_no}"
        buttons.append(Button(label=ctx.t(LIST), payload=Cmd("project", arg).pack()))
    return [Reply(text="\n".join(lines), buttons=buttons)]


# ---- updates -------------------------------------------------------------------------------------------------

def may_update(person: Person, project: Project) -> bool:
    """Admins anywhere; coordinators and deputy governors of the project's province (or of its cluster)."""
    if person.role == Role.admin:
        return True
    return person.role in EDITORS and person.province_iso in provinces_of(project)


def check_may_update(ctx: Context, project: Project) -> None:
    """Refuse (the router audits NotAllowed) anyone who may not change this project."""
    if may_update(ctx.person, project):
        return
    own = ctx.person.province_iso
    scope = ctx.t(Text("ของจังหวัดของคุณ", "of your own province")) if own and ctx.person.role in EDITORS \
        else ctx.t(Text("เมื่อเป็นผู้ประสานงานหรือรองผู้ว่าฯ ของจังหวัดนั้น",
                        "as a coordinator or deputy governor of that province"))
    owner = place_name(ctx.lang, province_iso=project.province_iso, cluster_no=project.cluster_no)
    raise NotYourProject(f"update {project.code}", scope=scope, code=project.code, owner=owner)


def parse_changes(text: str) -> dict[str, Any]:
    """`status in progress progress 45 note ...` (Thai or English words) -> the fields to change."""
    changes: dict[str, Any] = {}
    words = text.split()
    i = 0
    while i < len(words):
        lowered = words[i].lower().rstrip(":=")
        if lowered in NOTE_KEYS:
            note = " ".join(words[i + 1:]).lstrip(":=").strip()
            if len(note) > MAX_NOTE:
                raise NoteTooLong(max=MAX_NOTE)
            changes["last_note"] = note
            break
        if lowered in STATUS_KEYS:
            i += 1
            changes["status"], used = _status_at(words, i)
            i += used
        elif lowered in PROGRESS_KEYS:
            changes["progress"] = _progress(words[i + 1] if i + 1 < len(words) else "")
            i += 2
        elif re.fullmatch(r"-?\d+(\.\d+)?%?", words[i]):
            changes["progress"] = _progress(words[i])
            i += 1
        else:
            changes["status"], used = _status_at(words, i)
            i += used
    if changes.get("status") == ProjectStatus.completed and "progress" not in changes:
        changes["progress"] = 100
    return {k: (str(v) if isinstance(v, ProjectStatus) else v) for k, v in changes.items()}


def _status_at(words: list[str], i: int) -> tuple[ProjectStatus, int]:
    """The status named at `words[i]`, in one word or two ("in progress", "on hold"), and how many words."""
    if i + 1 < len(words) and (found := STATUS_WORDS.get((words[i] + words[i + 1]).lower())) is not None:
        return found, 2
    if i < len(words) and (found := STATUS_WORDS.get(words[i].lower())) is not None:
        return found, 1
    raise UnknownStatus(word=words[i][:30] if i < len(words) else "", known=_known_statuses())


def _known_statuses() -> str:
    return ", ".join(f"{STATUS_NAMES[s].th} ({s.value})" for s in ProjectStatus)


def _progress(word: str) -> int:
    raw = word.rstrip("%")
    if not re.fullmatch(r"-?\d{1,4}", raw) or not 0 <= int(raw) <= 100:
        raise BadProgress(value=word[:10])
    return int(raw)


@router.command("update", "อัปเดต", "อัพเดต", "อัปเดตโครงการ", roles=EDITORS, summary=UPDATE,
                example=Text("อัปเดต CMI-2569-0012 60%", "/update CMI-2569-0012 progress 60"),
                aliases=("อัพเดท", "อัปเดท", "อับเดต", "แก้ไขโครงการ", "updte"), private=True)
def propose_update(msg: Incoming, ctx: Context) -> list[Reply]:
    """Check everything now, keep the change as a draft and ask for a confirmation button."""
    code_text, _, rest = msg.args.partition(" ")
    code = normalize_code(code_text)
    if code is None:
        raise UsageError(usage=ctx.t(UPDATE_USAGE))
    project = _project(ctx, code)
    check_may_update(ctx, project)
    if not rest.strip():
        choices = [Button(label=ctx.t(STATUS_NAMES[s]), payload=Cmd("update", f"{project.code} {s.value}").pack())
                   for s in next_statuses(project.status)]
        return [Reply(text=ctx.t(UPDATE_USAGE), cards=[card(project, ctx.lang, ctx.settings.tz)], buttons=choices)]
    changes = parse_changes(rest.strip())
    if project.status in FINAL and ctx.person.role != Role.admin:
        raise ProjectClosed(code=project.code, status=status_text(ctx.lang, project.status))
    assert ctx.person.id is not None
    draft = create_draft(session=ctx.session, project=project, person_id=ctx.person.id, changes=changes,
                         now=ctx.now)
    assert draft.id is not None
    old = snapshot(project, changes)
    text = ctx.t(CONFIRM_UPDATE, code=project.code, changes=describe_changes(ctx.lang, old, changes))
    return [Reply(text=text, buttons=[Button(label=ctx.t(CONFIRM), payload=ProjectConfirm(draft.id).pack()),
                                      Button(label=ctx.t(CANCEL), payload=ProjectCancel(draft.id).pack())])]


def next_statuses(status: ProjectStatus) -> list[ProjectStatus]:
    """Quick choices: the next step along the life cycle, completion, and on hold (or back from it)."""
    order = list(ProjectStatus)[:6]
    if status in FINAL:
        return []
    if status == ProjectStatus.on_hold:
        return [ProjectStatus.in_progress, ProjectStatus.cancelled]
    step = order[order.index(status) + 1]
    return list(dict.fromkeys([step, ProjectStatus.completed, ProjectStatus.on_hold]))


def _open_draft(ctx: Context, draft_id: int) -> tuple[ProjectDraft, Project]:
    draft = ctx.session.get(ProjectDraft, draft_id)
    if draft is None or draft.person_id != ctx.person.id or draft.done_at is not None:
        raise StaleDraft()
    project = ctx.session.get(Project, draft.project_id, with_for_update=True)
    assert project is not None
    return draft, project


@router.button(ProjectConfirm, roles=EDITORS, private=True)
def confirm_update(msg: Incoming, ctx: Context, data: ProjectConfirm) -> list[Reply]:
    draft, project = _open_draft(ctx, data.draft)
    if project.version != draft.base_version:
        draft.done_at = ctx.now
        raise StaleDraft()
    check_may_update(ctx, project)
    draft.done_at = ctx.now
    row = apply_update(session=ctx.session, project=project, changes=draft.changes, person_id=ctx.person.id,
                       now=ctx.now)
    audit(session=ctx.session, person_id=ctx.person.id, action="project_updated", code=project.code,
          old=row.old, new=row.new)
    notify_watchers(ctx, project, row.old, row.new, history_id=row.id or 0)
    text = ctx.t(UPDATED, code=project.code, changes=describe_changes(ctx.lang, row.old, row.new))
    return [Reply(text=text, cards=[card(project, ctx.lang, ctx.settings.tz)])]


@router.button(ProjectCancel, roles=EDITORS, private=True)
def cancel_update(msg: Incoming, ctx: Context, data: ProjectCancel) -> list[Reply]:
    draft, _ = _open_draft(ctx, data.draft)
    draft.done_at = ctx.now
    return [Reply(text=ctx.t(UPDATE_CANCELLED))]


def notify_watchers(ctx: Context, project: Project, old: dict[str, Any], new: dict[str, Any],
                    history_id: int) -> int:
    return tell_watchers(session=ctx.session, project=project, old=old, new=new, history_id=history_id,
                         by=ctx.person, now=ctx.now, tz=ctx.settings.tz)


def tell_watchers(*, session: Session, project: Project, old: dict[str, Any], new: dict[str, Any], history_id: int,
                  by: Person, now: datetime, tz: ZoneInfo) -> int:
    """One outbox message per watcher (not the person who made the change), in the watcher's language; chat and
    the console both call it."""
    sent = 0
    for person_id in watchers(session=session, project=project):
        person = session.get(Person, person_id)
        if person is None or person_id == by.id:
            continue
        text = CHANGED_FOR_WATCHER.render(person.lang, who=by.name or "-",
                                          changes=describe_changes(person.lang, old, new))
        reply = Reply(text=text, cards=[card(project, person.lang, tz)],
                      buttons=[Button(label=DETAILS.render(person.lang), payload=Cmd("project", project.code).pack())])
        sent += enqueue_to_person(session=session, person_id=person_id, key=f"pjw:{history_id}:{person_id}",
                                  replies=[reply], now=now, tag=f"project:{project.id}")
    return sent


IMPORT_CHANGED = Text("ข้อมูลโครงการที่คุณติดตามถูกปรับปรุงจากการนำเข้าไฟล์ {count} โครงการ: {codes}{more}",
                      "An import changed {count} project(s) you watch: {codes}{more}")


def notify_import(*, session: Session, project_ids: list[int], now: datetime) -> int:
    """One message per watcher after an import (not one per project: a province watcher could get thousands)."""
    sent = 0
    stamp = now.strftime("%Y%m%d%H%M%S")
    for person_id, codes in watched_changes(session=session, project_ids=project_ids).items():
        person = session.get(Person, person_id)
        if person is None:
            continue
        more = f" (+{len(codes) - 10})" if len(codes) > 10 else ""
        text = IMPORT_CHANGED.render(person.lang, count=len(codes), codes=", ".join(codes[:10]), more=more)
        buttons = [Button(label=c, payload=Cmd("project", c).pack()) for c in codes[:3]]
        sent += enqueue_to_person(session=session, person_id=person_id, key=f"pjimp:{stamp}:{person_id}",
                                  replies=[Reply(text=text, buttons=buttons)], now=now, tag="projects:import")
    return sent


@router.command("projecthistory", "ประวัติโครงการ", roles=MEMBERS,
                summary=Text("ประวัติการแก้ไขโครงการ", "who changed a project, when"),
                example=Text("ประวัติโครงการ CMI-2569-0012", "/projecthistory CMI-2569-0012"),
                aliases=("ประวัติ", "history"))
def show_history(msg: Incoming, ctx: Context) -> list[Reply]:
    code = normalize_code(msg.args)
    project = by_code(session=ctx.session, code=code) if code else None
    if project is None or project.id is None:
        raise ProjectNotFound(code=(code or msg.args)[:20], hint="")
    rows = history(session=ctx.session, project_id=project.id)
    lines = [ctx.t(HISTORY_TITLE, code=project.code)]
    for row in rows:
        who = ctx.session.get(Person, row.person_id) if row.person_id else None
        source = who.name if who else row.source
        lines.append(f"{ctx.when(row.at)} · {source}\n{describe_changes(ctx.lang, row.old, row.new)}")
    if not rows:
        lines.append(ctx.t(NO_HISTORY))
    return [Reply(text="\n".join(lines))]


# ---- watching ------------------------------------------------------------------------------------------------

def _watch_target(ctx: Context, text: str) -> tuple[dict[str, Any], str]:
    code = normalize_code(text)
    if code is not None:
        project = _project(ctx, code)
        return {"project_id": project.id}, ctx.t(Text("โครงการ {c}", "project {c}"), c=project.code)
    name = clean(text)
    if not name:
        raise UsageError(usage=ctx.t(WATCH_USAGE))
    province = reference.find_province(name) if len(text) <= MAX_QUERY else None
    if province is None:
        raise UsageError(usage=ctx.t(WATCH_USAGE))
    what = ctx.t(Text("โครงการทั้งหมดของ{p}", "every project of {p}"),
                 p=place_name(ctx.lang, province_iso=province.iso))
    return {"province_iso": province.iso}, what


@router.command("watch", "ติดตาม", "ติดตามโครงการ", roles=MEMBERS, summary=WATCH,
                example=Text("ติดตาม เชียงใหม่", "/watch CMI-2569-0012"), aliases=("ติดตามจังหวัด", "ติดาม"),
                private=True)
def start_watching(msg: Incoming, ctx: Context) -> list[Reply]:
    """With no argument: what this person watches, and how to watch more."""
    if not msg.args.strip():
        return [Reply(text=_watch_list(ctx))]
    target, what = _watch_target(ctx, msg.args)
    assert ctx.person.id is not None
    added = watch(session=ctx.session, person_id=ctx.person.id, **target)
    return [Reply(text=ctx.t(WATCHING if added else ALREADY_WATCHING, what=what))]


def _watch_list(ctx: Context) -> str:
    assert ctx.person.id is not None
    names = []
    for w in watches_of(session=ctx.session, person_id=ctx.person.id):
        if w.project_id is not None:
            project = ctx.session.get(Project, w.project_id)
            names.append(project.code if project else "-")
        elif w.province_iso is not None:
            names.append(place_name(ctx.lang, province_iso=w.province_iso))
    if not names:
        return ctx.t(Text("คุณยังไม่ได้ติดตามโครงการใด\n{usage}", "You watch nothing yet.\n{usage}"),
                     usage=ctx.t(WATCH_USAGE))
    return ctx.t(Text("คุณติดตาม: {names}", "You watch: {names}"), names=", ".join(names))


@router.command("unwatch", "เลิกติดตาม", roles=MEMBERS, summary=Text("เลิกติดตาม", "stop watching"),
                example=Text("เลิกติดตาม เชียงใหม่", "/unwatch CMI-2569-0012"),
                aliases=("ยกเลิกติดตาม", "หยุดติดตาม", "เลิกติดตามโครงการ"), private=True)
def stop_watching(msg: Incoming, ctx: Context) -> list[Reply]:
    target, what = _watch_target(ctx, msg.args)
    assert ctx.person.id is not None
    removed = unwatch(session=ctx.session, person_id=ctx.person.id, **target)
    return [Reply(text=ctx.t(UNWATCHED if removed else NOT_WATCHING, what=what))]
