"""The admins' people tools in chat.

Commands (admins): /people (รายชื่อ) `[province] [role]` lists people with their accounts and whether they are
reachable; `/people ID role ROLE`, `/people ID province PROVINCE` change them; `/people ID retire` retires someone
who was transferred (with a confirmation that says which seats it frees); /revoke CODE (ยกเลิกรหัส) stops an unused
invite; /audit (บันทึก) `[ID | province | action]` shows the audit log.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from bot.context import Context
from bot.errors import DomainError, UnknownProvince, UsageError
from bot.i18n import Text
from bot.messages import Button, Incoming, Reply
from bot.payloads import Cmd, Payload
from bot.router import Router
from bot.vocab import MEMBER_ROLE_WORDS, ROLE
from handlers.rsvp.service import release_seat
from storage import directory, reference
from storage.db import whole_number
from storage.models import Person, Role
from storage.reference import province_name

router = Router("people")

MAX_LINES = 30


@dataclasses.dataclass(frozen=True)
class Retire(Payload):
    prefix: ClassVar[str] = "ppr"
    person: int


PEOPLE_CMD = Text("รายชื่อบุคลากรตามจังหวัดและบทบาท (ผู้ดูแล)", "people by province and role (admins)")
AUDIT_CMD = Text("บันทึกการใช้งาน (ผู้ดูแล)", "the audit log (admins)")
REVOKE_CMD = Text("ยกเลิกรหัสเชิญที่ยังไม่ใช้ (ผู้ดูแล)", "revoke an unused invite code (admins)")
PEOPLE_USAGE = Text("/people [จังหวัด] [บทบาท] | /people ID role บทบาท | /people ID province จังหวัด | /people ID retire",
                    "/people [province] [role] | /people ID role ROLE | /people ID province PROVINCE | "
                    "/people ID retire")
PERSON_LINE = Text("#{id} {name} · {role} · {province} · {accounts}", "#{id} {name} · {role} · {province} · {accounts}")
NO_ACCOUNT = Text("ไม่มีบัญชี", "no account")
UNREACHABLE = Text("⚠️ ติดต่อไม่ได้", "⚠️ unreachable")
NOBODY = Text("ไม่พบบุคลากรตามที่ระบุ", "Nobody matches.")
MORE = Text("และอีก {n} คน ระบุจังหวัดหรือบทบาทเพื่อดูเพิ่ม", "and {n} more; give a province or role to narrow it.")
COUNTED = Text("{n} คน", "people: {n}")
CHANGED = Text("บันทึกแล้ว: #{id} {name} เป็น{role} จังหวัด{province}",
               "Saved: #{id} {name} is now {role}, {province}.")
UNCHANGED = Text("ไม่มีการเปลี่ยนแปลง", "Nothing changed.")
ASK_RETIRE = Text("ย้ายออก #{id} {name} ({role} {province})? ประวัติจะถูกเก็บไว้ จะไม่มีข้อความใดส่งถึงอีก "
                  "และที่นั่งในสัมมนาที่ยังไม่เริ่ม {seats} ที่นั่งจะคืนให้รายชื่อสำรอง{titles}",
                  "Retire #{id} {name} ({role}, {province})? Their history is kept, nothing is sent to them any more, "
                  "and their seats in workshops not yet started ({seats}) go back to the waitlist{titles}.")
RETIRE_YES = Text("ยืนยัน ย้ายออก", "Yes, retire")
RETIRE_NO = Text("ยกเลิก", "Cancel")
RETIRED = Text("ย้ายออก #{id} {name} แล้ว คืนที่นั่ง {seats} ที่นั่ง", "#{id} {name} is retired; {seats:seat|seats} freed.")
REVOKED = Text("ยกเลิกรหัสเชิญ {code} แล้ว", "Invite code {code} is revoked.")
AUDIT_LINE = Text("{when} {who}: {action} {detail}", "{when} {who}: {action} {detail}")
NO_AUDIT = Text("ไม่มีรายการในบันทึก", "The audit log has no such entries.")
SYSTEM = Text("ระบบ", "system")


class PersonNotFound(DomainError):
    text = Text("ไม่พบบุคลากร #{id}", "There is no person #{id}.")


class NotRevocable(DomainError):
    text = Text("ไม่พบรหัสเชิญ \"{code}\" ที่ยังไม่ได้ใช้", "There is no unused invite code \"{code}\".")


class AlreadyRetired(DomainError):
    text = Text("#{id} ถูกย้ายออกไปแล้ว", "#{id} is already retired.")


def _role_name(ctx: Context, role: Role) -> str:
    return ctx.t(ROLE[role])


def _place(ctx: Context, text: str) -> str:
    province = reference.find_province(text)
    if province is None:
        hints = ", ".join(p.name(ctx.lang) for p in reference.suggest_provinces(text))
        raise UnknownProvince(query=text, hint=f" ({hints}?)" if hints else "")
    return province.iso


def _person(ctx: Context, person_id: int) -> Person:
    try:
        return directory.person(session=ctx.session, person_id=person_id)
    except directory.NoSuchPerson as exc:
        raise PersonNotFound(id=person_id) from exc


def _line(ctx: Context, entry: directory.Entry) -> str:
    accounts = ", ".join(f"{a.platform.upper() if a.platform == 'line' else 'Telegram'} {'✓' if a.reachable else '✗'}"
                         for a in entry.accounts) or ctx.t(NO_ACCOUNT)
    if entry.accounts and not entry.reachable:
        accounts += " " + ctx.t(UNREACHABLE)
    p = entry.person
    return ctx.t(PERSON_LINE, id=p.id, name=p.name or "-", role=_role_name(ctx, p.role),
                 province=province_name(p.province_iso, ctx.lang) if p.province_iso else "-", accounts=accounts)


@router.command("people", "รายชื่อ", "บุคลากร", roles={Role.admin}, summary=PEOPLE_CMD,
                example=Text("รายชื่อ เชียงใหม่", "/people Chiang Mai"), aliases=("สมาชิก",), private=True)
def people_command(msg: Incoming, ctx: Context) -> list[Reply]:
    words = msg.args.split()
    if words and words[0].lstrip("#").isdecimal():
        person_id = whole_number(words[0])
        if person_id is None:
            raise PersonNotFound(id=words[0].lstrip("#"))
        return _manage(ctx, person_id, words[1:])
    role = None
    if words and words[-1].lower() in MEMBER_ROLE_WORDS:
        role = MEMBER_ROLE_WORDS[words.pop().lower()]
    iso = _place(ctx, " ".join(words)) if words else None
    entries = directory.people(session=ctx.session, role=role, province_iso=iso)
    if not entries:
        return [Reply(text=ctx.t(NOBODY))]
    lines = [_line(ctx, e) for e in entries[:MAX_LINES]]
    more = len(entries) - MAX_LINES
    lines.append(ctx.t(MORE, n=more) if more > 0 else ctx.t(COUNTED, n=len(entries)))
    return [Reply(text="\n".join(lines))]


def _manage(ctx: Context, person_id: int, words: list[str]) -> list[Reply]:
    target = _person(ctx, person_id)
    action = words[0].lower() if words else ""
    if action in ("role", "บทบาท") and len(words) == 2 and words[1].lower() in MEMBER_ROLE_WORDS:
        return [_change(ctx, target, role=MEMBER_ROLE_WORDS[words[1].lower()])]
    if action in ("province", "จังหวัด") and len(words) >= 2:
        return [_change(ctx, target, province_iso=_place(ctx, " ".join(words[1:])))]
    if action in ("retire", "ย้ายออก") and len(words) == 1:
        return ask_retire(target, ctx)
    raise UsageError(usage=ctx.t(PEOPLE_USAGE))


def _change(ctx: Context, target: Person, role: Role | None = None, province_iso: str | None = None) -> Reply:
    if not directory.change(session=ctx.session, target=target, by=ctx.person.id, role=role,
                            province_iso=province_iso):
        return Reply(text=ctx.t(UNCHANGED))
    return Reply(text=ctx.t(CHANGED, id=target.id, name=target.name or "-", role=_role_name(ctx, target.role),
                            province=province_name(target.province_iso, ctx.lang) if target.province_iso else "-"))


def ask_retire(target: Person, ctx: Context) -> list[Reply]:
    """Say what retiring stops and which seats it frees, before doing it."""
    assert target.id is not None
    if target.retired_at is not None:
        raise AlreadyRetired(id=target.id)
    seats = directory.held_seats(session=ctx.session, person_id=target.id, now=ctx.now)
    titles = "".join(f"\n· {workshop.title(ctx.lang)}" for workshop, _ in seats)
    return [Reply(text=ctx.t(ASK_RETIRE, id=target.id, name=target.name or "-", role=_role_name(ctx, target.role),
                             province=province_name(target.province_iso, ctx.lang) if target.province_iso else "-",
                             seats=len(seats), titles=titles),
                  buttons=[Button(label=ctx.t(RETIRE_YES), payload=Retire(target.id).pack()),
                           Button(label=ctx.t(RETIRE_NO), payload=Cmd("people").pack())])]


@router.button(Retire, roles={Role.admin}, private=True)
def retire(msg: Incoming, ctx: Context, data: Retire) -> list[Reply]:
    target = _person(ctx, data.person)
    if target.retired_at is not None:
        raise AlreadyRetired(id=target.id)
    seats = directory.held_seats(session=ctx.session, person_id=data.person, now=ctx.now)
    for workshop, row in seats:
        assert workshop.id is not None
        release_seat(session=ctx.session, workshop_id=workshop.id, row=row, settings=ctx.settings, now=ctx.now,
                     planner=ctx.planner)
    directory.retire(session=ctx.session, target=target, by=ctx.person.id, now=ctx.now)
    return [Reply(text=ctx.t(RETIRED, id=target.id, name=target.name or "-", seats=len(seats)))]


@router.command("revoke", "ยกเลิกรหัส", roles={Role.admin}, summary=REVOKE_CMD,
                example=Text("ยกเลิกรหัส ABCD-1234", "/revoke ABCD-1234"), aliases=("ยกเลิกรหัสเชิญ",), private=True)
def revoke(msg: Incoming, ctx: Context) -> list[Reply]:
    if not msg.args:
        raise UsageError(usage="/revoke CODE")
    try:
        invite = directory.revoke_invite(session=ctx.session, code=msg.args, by=ctx.person.id, now=ctx.now)
    except directory.InviteNotRevocable as exc:
        raise NotRevocable(code=msg.args.strip()) from exc
    return [Reply(text=ctx.t(REVOKED, code=invite.code))]


@router.command("audit", "บันทึก", roles={Role.admin}, summary=AUDIT_CMD,
                example=Text("บันทึก เชียงใหม่", "/audit 12"), aliases=("บันทึกการใช้งาน",), private=True)
def audit_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/audit`, `/audit 12` (a person), `/audit เชียงใหม่` (a province) or `/audit window_deleted` (an action)."""
    query = msg.args.strip().lstrip("#")
    person_id = whole_number(query) if query.isdecimal() else None
    if query.isdecimal() and person_id is None:
        raise PersonNotFound(id=query)
    action = query if query and person_id is None and query.isascii() and "_" in query else None
    iso = _place(ctx, query) if query and person_id is None and action is None else None
    rows = directory.audit_log(session=ctx.session, person_id=person_id, province_iso=iso, action=action, limit=20)
    if not rows:
        return [Reply(text=ctx.t(NO_AUDIT))]
    return [Reply(text="\n".join(
        ctx.t(AUDIT_LINE, when=ctx.when(entry.at), who=(who.name or f"#{who.id}") if who else ctx.t(SYSTEM),
              action=entry.action, detail=" ".join(f"{k}={v}" for k, v in entry.detail.items()))
        for entry, who in rows))]
