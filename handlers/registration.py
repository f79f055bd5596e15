"""Joining the network and linking accounts.

Commands (one-to-one chats only): /start [CODE] (Telegram deep link), /join CODE (สมัคร, รหัส), a bare invite
code, /link (เชื่อมบัญชี), /unlink (เลิกเชื่อมบัญชี) with a confirming button, /me (ฉัน), /invite (เชิญ, admins;
admin invites only from the CLI); events: follow (welcome), unfollow/block (unreachable), join (group greeting).
Wrong codes are audited and lock the person and chat out for a while; every wrong code gets the same answer.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.context import Context
from bot.errors import BadButton, DomainError, NotAllowed, UnknownProvince, UsageError
from bot.i18n import Text, format_datetime
from bot.messages import Button, Incoming, Kind, Reply
from bot.payloads import Payload
from bot.router import Router
from bot.understand import read_place
from bot.vocab import MEMBER_ROLE_WORDS, ROLE
from handlers.help import menu
from storage import reference
from storage.models import Account, Invite, Person, Role
from storage.outbox import enqueue, enqueue_to_person
from storage.people import (
    accounts_of,
    audit,
    create_invite,
    invite_by_code,
    menu_due,
    people_in,
    recent_audit,
    set_reachable,
)

router = Router("registration")


@dataclasses.dataclass(frozen=True)
class InviteConfirm(Payload):
    """An admin confirms the place of an invite that was read through a typo."""

    prefix: ClassVar[str] = "ivc"
    code: str

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
INVITE_PLACE_CHECK = Text("\"{typed}\" หมายถึงจังหวัด{province} ใช่ไหม? (ชื่อผู้รับ: {name}) กดยืนยันเพื่อสร้างรหัสเชิญ",
                          "Did \"{typed}\" mean {province}? (invitee: {name}) Confirm to create the invite code.")
INVITE_PLACE_OK = Text("ยืนยัน", "Confirm")
INVITE_USAGE = Text("/invite ผู้ประสานงาน|รองผู้ว่า [จังหวัด] [ชื่อ]",
                    "/invite coordinator|deputy_governor [province] [name]")
INVITE_MADE = Text("รหัสเชิญ {code} สำหรับ{role}{province} ใช้ได้ถึง {until}\nผู้รับพิมพ์รหัสนี้ในแชต หรือใน Telegram: /start {code}",
                   "Invite code {code} for {role}{province}, valid until {until}.\nThe invitee types it in the chat, "
                   "or in Telegram: /start {code}")
INVITE_VALID = timedelta(days=14)


UNLINK = Text("เลิกเชื่อมบัญชีอีกช่องทาง", "unlink your account on the other app")
WRONG_CODE = Text("ใช้รหัสนี้ไม่ได้ อาจพิมพ์ผิด ถูกใช้ไปแล้ว หรือหมดอายุ กรุณาตรวจสอบ หรือขอรหัสใหม่จากผู้ที่ให้รหัสมา",
                  "That code cannot be used: it may be mistyped, already used or expired. Please check it, or ask "
                  "whoever gave it to you for a new one.")
"""One answer for unknown, used and expired codes alike, so an answer never tells a guesser which codes exist."""
LOCKED_OUT = Text("พิมพ์รหัสผิดหลายครั้งเกินไป จึงงดรับรหัสจากคุณชั่วคราว กรุณาลองใหม่หลัง {until}",
                  "Too many wrong codes, so codes from you are paused for a while. Please try again after {until}.")
ALREADY_LINKED = Text("บัญชีนี้เป็นของคุณอยู่แล้ว", "This account is already yours.")
LINKED_NOTICE = Text(
    "🔗 บัญชี {account} ถูกเชื่อมกับข้อมูลของคุณใน coordbot เมื่อ {when}\n"
    "หากไม่ใช่คุณ พิมพ์ /unlink ในแชตนี้ แล้วแจ้งผู้ดูแลระบบ",
    "🔗 The {account} account was linked to your coordbot profile at {when}.\n"
    "If this was not you, type /unlink in this chat and tell an admin.",
)
UNLINK_ASK = Text("กดปุ่มเพื่อยืนยันการเลิกเชื่อม บัญชีนั้นจะไม่ได้รับข้อความของคุณอีก (ถ้าไม่กด จะไม่มีอะไรเปลี่ยน)",
                  "Press to confirm: that account will no longer get your messages. (If you do not press, nothing "
                  "changes.)")
UNLINK_BUTTON = Text("เลิกเชื่อม {platform}", "Unlink {platform}")
ONLY_ACCOUNT = Text("บัญชีนี้เป็นบัญชีเดียวของคุณ จึงไม่มีบัญชีให้เลิกเชื่อม",
                    "This is your only account, so there is nothing to unlink.")
UNLINKED = Text("เลิกเชื่อมบัญชี {account} แล้ว", "The {account} account is unlinked.")
UNLINKED_NOTICE = Text("บัญชีนี้ไม่ได้เชื่อมกับข้อมูลของ {name} ใน coordbot แล้ว",
                       "This account is no longer linked to the coordbot profile of {name}.")
ADMIN_INVITE_NOTICE = Text(
    "🛡️ มีการสร้างรหัสเชิญผู้ดูแลระบบใหม่ ({code}…){name} โดย{by} ใช้ได้ถึง {until}\n"
    "หากไม่ได้คาดไว้ กรุณาตรวจสอบด้วย coordbot invite list",
    "🛡️ A new admin invite ({code}…){name} was created by {by}, valid until {until}.\n"
    "If you did not expect it, check it with coordbot invite list.",
)
BY_CLI = Text("บรรทัดคำสั่ง (CLI)", "the command line")
PLATFORM_NAMES = {"line": "LINE", "telegram": "Telegram"}
NAME_NOT_SHARED = Text("ไม่ทราบชื่อที่แสดง", "display name not shared")
ACCOUNT_TAKEN = Text("บัญชีนี้ลงทะเบียนเป็น{role}อยู่แล้ว จึงเชื่อมกับบุคคลอื่นไม่ได้ หากต้องการเชื่อมบัญชีของคุณเอง "
                     "ให้พิมพ์ /link ในบัญชีนี้ แล้วพิมพ์รหัสในอีกแอป",
                     "This account is already registered as {role}, so it cannot be linked to someone else. To link "
                     "your own accounts, type /link here and type the code in the other app.")
PLATFORM_TAKEN = Text("ข้อมูลนี้มีบัญชี {platform} อยู่แล้ว (หนึ่งคนมีได้หนึ่งบัญชีต่อแอป) พิมพ์ /unlink ในบัญชีเดิมก่อน",
                      "That profile already has a {platform} account (one per app). Type /unlink there first.")


@dataclasses.dataclass(frozen=True)
class Unlink(Payload):
    """The confirming button of /unlink: detach this account of mine."""

    prefix: ClassVar[str] = "unl"
    account: int


class AdminInviteFromCli(NotAllowed):
    text = Text("รหัสเชิญผู้ดูแลระบบสร้างได้จากบรรทัดคำสั่งเท่านั้น: coordbot invite create --role admin",
                "Admin invites are made only from the command line: coordbot invite create --role admin")


class AlreadyRegistered(DomainError):
    text = Text("คุณลงทะเบียนเป็น{role}อยู่แล้ว หากต้องการเปลี่ยน กรุณาติดต่อผู้ดูแล",
                "You are already registered as {role}. Ask an admin to change it.")


def _province_suffix(ctx: Context, iso: str | None) -> str:
    if not iso:
        return ""
    province = reference.province(iso)
    return f" จังหวัด{province.name_th}" if ctx.lang == "th" else f", {province.name_en}"


def describe(ctx: Context, person: Person) -> dict[str, str]:
    return {"name": person.name or "-", "role": ctx.t(ROLE[person.role]),
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


@router.command("start", private=True)
def start(msg: Incoming, ctx: Context) -> list[Reply]:
    """Telegram's first message, with the invite code when the user came by deep link."""
    if msg.args:
        return redeem(msg.args, ctx)
    return follow(msg, ctx)


@router.command("join", "สมัคร", "รหัส", "register", summary=JOIN, label=Text("ลงทะเบียน", "Join"),
                example=Text("สมัคร ABCD-1234", "/join ABCD-1234"),
                aliases=("ลงทะเบียน", "สมัครสมาชิก", "รหัสเชิญ", "signup", "sign up"), private=True)
def join(msg: Incoming, ctx: Context) -> list[Reply]:
    if not msg.args:
        if ctx.person.role != Role.guest:
            return [Reply(text=ctx.t(PROFILE_HINT, role=ctx.t(ROLE[ctx.person.role])))]
        return [Reply(text=ctx.t(WELCOME_GUEST))]
    return redeem(msg.args, ctx)


@router.text(lambda text: bool(CODE_SHAPE.match(text.strip())), private=True)
def bare_code(msg: Incoming, ctx: Context) -> list[Reply]:
    return redeem(msg.text, ctx)


def redeem(code: str, ctx: Context) -> list[Reply]:
    """Use an invite or link code once; a wrong, used or expired code changes nothing."""
    if (locked := code_lockout(ctx)) is not None:
        return locked
    invite = invite_by_code(session=ctx.session, code=code.strip())
    if invite is None or invite.used_at is not None or invite.expires_at <= ctx.now:
        return wrong_code(ctx, "invite", code)
    if invite.link_person_id is not None:
        return _link(invite, ctx)
    if ctx.person.role != Role.guest:
        raise AlreadyRegistered(role=ctx.t(ROLE[ctx.person.role]))
    _use(invite, ctx)
    ctx.person.role = invite.role
    ctx.person.province_iso = invite.province_iso
    ctx.person.name = invite.name or ctx.person.name
    audit(session=ctx.session, person_id=ctx.person.id, action="registered", invite=invite.code,
          role=str(invite.role), province=invite.province_iso)
    menu_due(session=ctx.session, person_id=ctx.person.id)
    return [menu(ctx, intro=ctx.t(JOINED, **describe(ctx, ctx.person)))]


def _use(invite: Invite, ctx: Context) -> None:
    invite.used_at = ctx.now
    invite.used_by = ctx.person.id


def _chat(ctx: Context) -> str:
    """Codes are taken only in one-to-one chats, so the chat is the account's own."""
    return f"{ctx.account.platform}:{ctx.account.chat_id}"


def code_lockout(ctx: Context) -> list[Reply] | None:
    """The refusal while this person or chat is locked out after too many wrong codes; None if not locked.

    Every code is refused then, right or wrong, so guessing on during a lockout learns nothing."""
    since = ctx.now - timedelta(seconds=ctx.settings.code_lockout_s)
    locks = recent_audit(session=ctx.session, action="code_lockout", since=since, person_id=ctx.person.id,
                         chat=_chat(ctx))
    if not locks:
        return None
    audit(session=ctx.session, person_id=ctx.person.id, action="code_refused_locked", at=ctx.now, chat=_chat(ctx))
    return _locked(ctx, locks[0].at)


def wrong_code(ctx: Context, kind: str, code: str) -> list[Reply]:
    """Audit a failed code; the last allowed failure starts a lockout. The same answer whatever was wrong."""
    audit(session=ctx.session, person_id=ctx.person.id, action="code_failed", at=ctx.now, chat=_chat(ctx),
          kind=kind, code=code.strip()[:20])
    window_start = ctx.now - timedelta(seconds=ctx.settings.code_failure_window_s)
    locks = recent_audit(session=ctx.session, action="code_lockout", since=window_start, person_id=ctx.person.id,
                         chat=_chat(ctx))
    # Failures before the last lockout were paid for by it; only the ones since count towards the next.
    failures = recent_audit(session=ctx.session, action="code_failed", since=locks[0].at if locks else window_start,
                            person_id=ctx.person.id, chat=_chat(ctx))
    if len(failures) < ctx.settings.code_max_failures:
        return [Reply(text=ctx.t(WRONG_CODE))]
    audit(session=ctx.session, person_id=ctx.person.id, action="code_lockout", at=ctx.now, chat=_chat(ctx),
          failures=len(failures))
    return _locked(ctx, ctx.now)


def _locked(ctx: Context, since: datetime) -> list[Reply]:
    return [Reply(text=ctx.t(LOCKED_OUT, until=ctx.when(since + timedelta(seconds=ctx.settings.code_lockout_s))))]


def account_label(lang: str, account: Account) -> str:
    """`Telegram "Somchai"`: which account, as its owner would recognise it."""
    name = account.display_name or NAME_NOT_SHARED.render(lang)
    return f"{PLATFORM_NAMES.get(account.platform, account.platform)} \"{name}\""


def _link(invite: Invite, ctx: Context) -> list[Reply]:
    """Move this chat account to the person who asked for the link code, if it belongs to nobody registered."""
    target = ctx.session.get(Person, invite.link_person_id)
    assert target is not None and target.id is not None
    if target.id == ctx.person.id:
        return [Reply(text=ctx.t(ALREADY_LINKED))]
    if ctx.person.role != Role.guest:
        audit(session=ctx.session, person_id=ctx.person.id, action="link_refused", at=ctx.now, reason="registered",
              target=target.id, platform=ctx.account.platform)
        return [Reply(text=ctx.t(ACCOUNT_TAKEN, role=ctx.t(ROLE[ctx.person.role])))]
    existing = accounts_of(session=ctx.session, person_id=target.id)
    if any(a.platform == ctx.account.platform for a in existing):
        audit(session=ctx.session, person_id=ctx.person.id, action="link_refused", at=ctx.now, reason="platform",
              target=target.id, platform=ctx.account.platform)
        return [Reply(text=ctx.t(PLATFORM_TAKEN, platform=PLATFORM_NAMES[ctx.account.platform]))]
    _use(invite, ctx)
    ctx.account.person_id = target.id
    ctx.account.menu = None  # the linked account gets its person's menu
    audit(session=ctx.session, person_id=target.id, action="linked", platform=ctx.account.platform,
          account=ctx.account.id)
    for account in existing:
        notice = LINKED_NOTICE.render(target.lang, account=account_label(target.lang, ctx.account),
                                      when=format_datetime(ctx.now, target.lang, ctx.settings.tz))
        enqueue(session=ctx.session, key=f"linked:{invite.id}:{account.id}", platform=account.platform,
                user_id=account.user_id, chat_id=account.chat_id, replies=[Reply(text=notice)], now=ctx.now)
    ctx.person = target
    return [Reply(text=ctx.t(LINKED))]


@router.command("link", "เชื่อมบัญชี", summary=LINK, label=Text("เชื่อมบัญชี", "Link accounts"),
                example=Text("เชื่อมบัญชี", "/link"), aliases=("เชื่อมต่อบัญชี", "ผูกบัญชี", "เชือมบัญชี"),
                private=True)
def link(msg: Incoming, ctx: Context) -> list[Reply]:
    invite = create_invite(session=ctx.session, role=ctx.person.role, province_iso=ctx.person.province_iso,
                           now=ctx.now, valid_for=LINK_CODE_VALID, link_person_id=ctx.person.id,
                           created_by=ctx.person.id)
    return [Reply(text=ctx.t(LINK_CODE, code=invite.code))]


@router.command("unlink", "เลิกเชื่อมบัญชี", summary=UNLINK, private=True)
def unlink(msg: Incoming, ctx: Context) -> list[Reply]:
    """Offer to detach my accounts on the other apps (never the one I am using, so one always stays)."""
    assert ctx.person.id is not None
    others = [a for a in accounts_of(session=ctx.session, person_id=ctx.person.id) if a.id != ctx.account.id]
    if not others:
        return [Reply(text=ctx.t(ONLY_ACCOUNT))]
    buttons = [Button(label=ctx.t(UNLINK_BUTTON, platform=PLATFORM_NAMES.get(a.platform, a.platform)),
                      payload=Unlink(a.id).pack()) for a in others if a.id is not None]
    listed = ", ".join(account_label(ctx.lang, a) for a in others)
    return [Reply(text=f"{listed}\n{ctx.t(UNLINK_ASK)}", buttons=buttons)]


@router.button(Unlink, private=True)
def unlink_account(msg: Incoming, ctx: Context, data: Unlink) -> list[Reply]:
    """The account becomes a guest of its own, as if it had never been linked."""
    account = ctx.session.get(Account, data.account)
    if account is None or account.person_id != ctx.person.id or account.id == ctx.account.id:
        raise BadButton()
    guest = Person(name=account.display_name, lang=ctx.person.lang)
    ctx.session.add(guest)
    ctx.session.flush()
    assert guest.id is not None
    account.person_id = guest.id
    account.menu = None  # back to a guest's menu
    audit(session=ctx.session, person_id=ctx.person.id, action="unlinked", platform=account.platform,
          account=account.id)
    enqueue(session=ctx.session, key=f"unlinked:{account.id}:{msg.event_id}", platform=account.platform,
            user_id=account.user_id, chat_id=account.chat_id, now=ctx.now,
            replies=[Reply(text=UNLINKED_NOTICE.render(ctx.lang, name=ctx.person.name or "-"))])
    return [Reply(text=ctx.t(UNLINKED, account=account_label(ctx.lang, account)))]


@router.command("me", "ฉัน", "profile", summary=ME, label=Text("ข้อมูลของฉัน", "My profile"),
                example=Text("ฉัน", "/me"), aliases=("ข้อมูลของฉัน", "ข้อมูลฉัน", "โปรไฟล์", "โปรไฟล์ของฉัน"),
                private=True)
def me(msg: Incoming, ctx: Context) -> list[Reply]:
    assert ctx.person.id is not None
    accounts: list[Account] = accounts_of(session=ctx.session, person_id=ctx.person.id)
    listed = ", ".join(f"{a.platform}{'' if a.reachable else ' (✗)'}" for a in accounts)
    return [Reply(text=ctx.t(PROFILE, accounts=listed, **describe(ctx, ctx.person)))]


@router.command("invite", "เชิญ", roles={Role.admin}, summary=INVITE,
                example=Text("เชิญ ผู้ประสานงาน ขอนแก่น มาลี ใจดี", "/invite coordinator Khon Kaen John Smith"),
                aliases=("สร้างรหัสเชิญ", "invit", "เชิน"), private=True)
def invite(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/invite ผู้ประสานงาน เชียงใหม่ กนกพร คำดี`: the province is matched forgivingly, the rest is the name.

    Admin invites are refused here: one stolen chat account must not be enough to make more admins."""
    words = msg.args.split()
    role = MEMBER_ROLE_WORDS.get(words[0].lower()) if words else None
    if role is None:
        raise UsageError(usage=ctx.t(INVITE_USAGE))
    if role == Role.admin:
        raise AdminInviteFromCli("invite admin")
    place, name = None, ""
    if len(words) > 1:
        place = read_place(words[1:])
        if place is None:
            hints = [p.name(ctx.lang) for p in reference.suggest_provinces(words[1])]
            raise UnknownProvince(query=words[1], hint=_hint(ctx, hints))
        name = " ".join(words[1 + place.words:])
    if place is not None and place.corrected:
        # Not usable until the admin confirms the corrected place: it is created already expired.
        held = create_invite(session=ctx.session, role=role, province_iso=place.province.iso, now=ctx.now,
                             valid_for=timedelta(0), name=name, created_by=ctx.person.id)
        typed = " ".join(words[1:1 + place.words])
        return [Reply(text=ctx.t(INVITE_PLACE_CHECK, typed=typed, province=place.province.name(ctx.lang),
                                 name=name or "-"),
                      buttons=[Button(label=ctx.t(INVITE_PLACE_OK), payload=InviteConfirm(held.code).pack())])]
    made = create_invite(session=ctx.session, role=role, province_iso=place.province.iso if place else None,
                         now=ctx.now, valid_for=INVITE_VALID, name=name, created_by=ctx.person.id)
    return [_invite_made(ctx, made)]


def _invite_made(ctx: Context, made: Invite) -> Reply:
    audit(session=ctx.session, person_id=ctx.person.id, action="invite_created", code=made.code,
          role=str(made.role), province=made.province_iso)
    return Reply(text=ctx.t(INVITE_MADE, code=made.code, role=ctx.t(ROLE[made.role]),
                            province=_province_suffix(ctx, made.province_iso), until=ctx.when(made.expires_at)))


@router.button(InviteConfirm, roles={Role.admin}, private=True)
def confirm_invite(msg: Incoming, ctx: Context, data: InviteConfirm) -> list[Reply]:
    """The admin agreed to the corrected place: the held invite becomes usable."""
    held = invite_by_code(session=ctx.session, code=data.code)
    if held is None or held.used_at is not None or held.created_at != held.expires_at:
        raise BadButton()
    held.expires_at = ctx.now + INVITE_VALID
    return [_invite_made(ctx, held)]


def _hint(ctx: Context, names: list[str]) -> str:
    if not names:
        return ""
    return (" หมายถึง " if ctx.lang == "th" else " Did you mean ") + ", ".join(names) + "?"


def tell_admins_of_admin_invite(*, session: Session, invite: Invite, now: datetime, tz: ZoneInfo) -> int:
    """Tell every admin that an admin invite was made (by the CLI, the only way); returns how many were told."""
    told = 0
    for admin in people_in(session=session, roles=[Role.admin]):
        assert admin.id is not None
        name = f" {invite.name}" if invite.name else ""
        text = ADMIN_INVITE_NOTICE.render(admin.lang, code=invite.code[:4], name=name,
                                          by=BY_CLI.render(admin.lang),
                                          until=format_datetime(invite.expires_at, admin.lang, tz))
        told += enqueue_to_person(session=session, person_id=admin.id, key=f"admin-invite:{invite.id}:{admin.id}",
                                  replies=[Reply(text=text)], now=now)
    return told
