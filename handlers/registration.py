"""Joining the network and linking accounts.

Commands: /start [CODE] (Telegram deep link), /join CODE (สมัคร, รหัส), a bare invite code, /link (เชื่อมบัญชี),
/me (ฉัน); events: follow (welcome), unfollow/block (unreachable), join (group greeting).
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.context import Context
from bot.errors import DomainError, UnknownProvince, UsageError
from bot.i18n import Text
from bot.messages import Incoming, Kind, Reply
from bot.router import ROLE_NAMES, Router
from handlers.help import menu
from storage import reference
from storage.models import Account, Invite, Person, Role
from storage.people import accounts_of, audit, create_invite, invite_by_code, menu_due, set_reachable

router = Router("registration")

CODE_SHAPE = re.compile(r"^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$")
LINK_CODE_VALID = timedelta(minutes=30)

WELCOME_GUEST = Text(
    "สวัสดีค่ะ ยินดีต้อนรับสู่ coordbot ผู้ช่วยเครือข่ายวิทยาศาสตร์ เทคโนโลยีและนวัตกรรมจังหวัด\n"
    "หากได้รับรหัสเชิญจากกระทรวง พิมพ์รหัสนั้นได้เลย (เช่น K7Q4-M2XD)",
    "Hello and welcome to coordbot, the assistant of the provincial science, technology and innovation "
    "network.\nIf the ministry gave you an invite code, just type it (e.g. K7Q4-M2XD).",
)
WELCOME_BACK = Text("ยินดีต้อนรับกลับ คุณ{name}", "Welcome back, {name}.")
JOINED = Text("ลงทะเบียนสำเร็จ: คุณ{name} {role}{province}", "You are registered: {name}, {role}{province}.")
LINKED = Text("เชื่อมบัญชีเรียบร้อย ข้อความจะส่งถึงคุณทั้งสองช่องทาง", "Accounts linked.")
LINK_CODE = Text(
    "รหัสเชื่อมบัญชีของคุณ: {code}\nพิมพ์รหัสนี้ในอีกแอป (LINE หรือ Telegram) ภายใน 30 นาที",
    "Your link code: {code}\nType it in the other app (LINE or Telegram) within 30 minutes.",
)
PROFILE = Text("คุณ{name}\nบทบาท: {role}{province}\nบัญชี: {accounts}",
               "{name}\nRole: {role}{province}\nAccounts: {accounts}")
GROUP_HELLO = Text("สวัสดีค่ะ coordbot พร้อมช่วยกลุ่มนี้ พิมพ์ /help เพื่อดูคำสั่ง",
                   "Hello, coordbot is here. Type /help for commands.")
JOIN = Text("ลงทะเบียนด้วยรหัสเชิญ", "join with an invite code")
LINK = Text("เชื่อมบัญชี LINE กับ Telegram", "link your LINE and Telegram accounts")
ME = Text("ข้อมูลของฉัน", "my profile")
PROFILE_HINT = Text("คุณลงทะเบียนเป็น{role}แล้ว พิมพ์ /me เพื่อดูข้อมูล", "You are registered as {role}. Type /me to see it.")
INVITE = Text("สร้างรหัสเชิญ (ผู้ดูแล)", "create an invite code (admins)")
INVITE_USAGE = Text("/invite ผู้ประสานงาน|รองผู้ว่า|ผู้ดูแล [จังหวัด] [ชื่อ]",
                    "/invite coordinator|deputy_governor|admin [province] [name]")
INVITE_MADE = Text("รหัสเชิญ {code} สำหรับ{role}{province} ใช้ได้ถึง {until}\nผู้รับพิมพ์รหัสนี้ในแชต หรือใน Telegram: /start {code}",
                   "Invite code {code} for {role}{province}, valid until {until}.\nThe invitee types it in the chat, "
                   "or in Telegram: /start {code}")
INVITE_VALID = timedelta(days=14)
ROLE_WORDS = {
    "coordinator": Role.coordinator, "ผู้ประสานงาน": Role.coordinator,
    "deputy_governor": Role.deputy_governor, "dg": Role.deputy_governor, "รองผู้ว่า": Role.deputy_governor,
    "รองผู้ว่าราชการจังหวัด": Role.deputy_governor, "admin": Role.admin, "ผู้ดูแล": Role.admin,
}


class InvalidCode(DomainError):
    text = Text("ไม่พบรหัส \"{code}\" กรุณาตรวจสอบอีกครั้ง", "The code \"{code}\" does not exist. Please check it.")


class CodeUsed(DomainError):
    text = Text("รหัส \"{code}\" ถูกใช้ไปแล้ว กรุณาขอรหัสใหม่จากผู้ดูแล",
                "The code \"{code}\" has already been used. Ask an admin for a new one.")


class CodeExpired(DomainError):
    text = Text("รหัส \"{code}\" หมดอายุแล้ว กรุณาขอรหัสใหม่จากผู้ดูแล",
                "The code \"{code}\" has expired. Ask an admin for a new one.")


class AlreadyRegistered(DomainError):
    text = Text("คุณลงทะเบียนเป็น{role}อยู่แล้ว หากต้องการเปลี่ยน กรุณาติดต่อผู้ดูแล",
                "You are already registered as {role}. Ask an admin to change it.")


def _province_suffix(ctx: Context, iso: str | None) -> str:
    if not iso:
        return ""
    province = reference.province(iso)
    return f" จังหวัด{province.name_th}" if ctx.lang == "th" else f", {province.name_en}"


def describe(ctx: Context, person: Person) -> dict[str, str]:
    return {"name": person.name or "-", "role": ctx.t(ROLE_NAMES[person.role]),
            "province": _province_suffix(ctx, person.province_iso)}


@router.event(Kind.follow)
def follow(msg: Incoming, ctx: Context) -> list[Reply]:
    set_reachable(session=ctx.session, platform=msg.platform, user_id=msg.user_id, reachable=True)
    if ctx.person.role == Role.guest:
        return [Reply(text=ctx.t(WELCOME_GUEST))]
    return [menu(ctx, intro=ctx.t(WELCOME_BACK, name=ctx.person.name))]


@router.event(Kind.unfollow)
def unfollow(msg: Incoming, ctx: Context) -> list[Reply]:
    """The user blocked or unfollowed: no more sends to this account until they come back."""
    set_reachable(session=ctx.session, platform=msg.platform, user_id=msg.user_id, reachable=False,
                  reason="unfollowed" if msg.platform == "line" else "blocked")
    return []


@router.event(Kind.joined)
def joined_group(msg: Incoming, ctx: Context) -> list[Reply]:
    return [Reply(text=ctx.t(GROUP_HELLO))]


@router.command("start")
def start(msg: Incoming, ctx: Context) -> list[Reply]:
    """Telegram's first message, with the invite code when the user came by deep link."""
    if msg.args:
        return redeem(msg.args, ctx)
    return follow(msg, ctx)


@router.command("join", "สมัคร", "รหัส", "register", summary=JOIN, label=Text("ลงทะเบียน", "Join"))
def join(msg: Incoming, ctx: Context) -> list[Reply]:
    if not msg.args:
        if ctx.person.role != Role.guest:
            return [Reply(text=ctx.t(PROFILE_HINT, role=ctx.t(ROLE_NAMES[ctx.person.role])))]
        return [Reply(text=ctx.t(WELCOME_GUEST))]
    return redeem(msg.args, ctx)


@router.text(lambda text: bool(CODE_SHAPE.match(text.strip())))
def bare_code(msg: Incoming, ctx: Context) -> list[Reply]:
    return redeem(msg.text, ctx)


def redeem(code: str, ctx: Context) -> list[Reply]:
    """Use an invite or link code once; a wrong, used or expired code changes nothing."""
    invite = _valid_invite(code.strip(), ctx)
    invite.used_at = ctx.now
    invite.used_by = ctx.person.id
    if invite.link_person_id is not None:
        return _link(invite, ctx)
    if ctx.person.role != Role.guest:
        raise AlreadyRegistered(role=ctx.t(ROLE_NAMES[ctx.person.role]))
    ctx.person.role = invite.role
    ctx.person.province_iso = invite.province_iso
    ctx.person.name = invite.name or ctx.person.name
    audit(session=ctx.session, person_id=ctx.person.id, action="registered", invite=invite.code,
          role=str(invite.role), province=invite.province_iso)
    menu_due(session=ctx.session, person_id=ctx.person.id)
    return [menu(ctx, intro=ctx.t(JOINED, **describe(ctx, ctx.person)))]


def _valid_invite(code: str, ctx: Context) -> Invite:
    invite = invite_by_code(session=ctx.session, code=code)
    if invite is None:
        raise InvalidCode(code=code[:20])
    if invite.used_at is not None:
        raise CodeUsed(code=invite.code)
    if invite.expires_at <= ctx.now:
        raise CodeExpired(code=invite.code)
    return invite


def _link(invite: Invite, ctx: Context) -> list[Reply]:
    """Move this chat account to the person who asked for the link code."""
    target = ctx.session.get(Person, invite.link_person_id)
    assert target is not None and target.id is not None
    if target.id != ctx.person.id:
        ctx.account.person_id = target.id
        audit(session=ctx.session, person_id=target.id, action="linked", platform=ctx.account.platform)
        ctx.account.menu = None  # the linked account gets its person's menu
    ctx.person = target
    return [Reply(text=ctx.t(LINKED))]


@router.command("link", "เชื่อมบัญชี", summary=LINK, label=Text("เชื่อมบัญชี", "Link accounts"))
def link(msg: Incoming, ctx: Context) -> list[Reply]:
    invite = create_invite(session=ctx.session, role=ctx.person.role, province_iso=ctx.person.province_iso,
                           now=ctx.now, valid_for=LINK_CODE_VALID, link_person_id=ctx.person.id,
                           created_by=ctx.person.id)
    return [Reply(text=ctx.t(LINK_CODE, code=invite.code))]


@router.command("me", "ฉัน", "profile", summary=ME, label=Text("ข้อมูลของฉัน", "My profile"))
def me(msg: Incoming, ctx: Context) -> list[Reply]:
    assert ctx.person.id is not None
    accounts: list[Account] = accounts_of(session=ctx.session, person_id=ctx.person.id)
    listed = ", ".join(f"{a.platform}{'' if a.reachable else ' (✗)'}" for a in accounts)
    return [Reply(text=ctx.t(PROFILE, accounts=listed, **describe(ctx, ctx.person)))]


@router.command("invite", "เชิญ", roles={Role.admin}, summary=INVITE)
def invite(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/invite ผู้ประสานงาน เชียงใหม่ กนกพร คำดี`: the province is matched forgivingly, the rest is the name."""
    words = msg.args.split()
    role = ROLE_WORDS.get(words[0].lower()) if words else None
    if role is None:
        raise UsageError(usage=ctx.t(INVITE_USAGE))
    province, name = None, ""
    if len(words) > 1:
        province = reference.find_province(words[1])
        if province is None:
            hints = [p.name(ctx.lang) for p in reference.suggest_provinces(words[1])]
            raise UnknownProvince(query=words[1], hint=_hint(ctx, hints))
        name = " ".join(words[2:])
    made = create_invite(session=ctx.session, role=role, province_iso=province.iso if province else None,
                         now=ctx.now, valid_for=INVITE_VALID, name=name, created_by=ctx.person.id)
    audit(session=ctx.session, person_id=ctx.person.id, action="invite_created", code=made.code,
          role=str(role), province=made.province_iso)
    return [Reply(text=ctx.t(INVITE_MADE, code=made.code, role=ctx.t(ROLE_NAMES[role]),
                             province=_province_suffix(ctx, made.province_iso), until=ctx.when(made.expires_at)))]


def _hint(ctx: Context, names: list[str]) -> str:
    if not names:
        return ""
    return (" หมายถึง " if ctx.lang == "th" else " Did you mean ") + ", ".join(names) + "?"
