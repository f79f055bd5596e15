"""Group chats never carry private things: personal and admin commands are answered only one-to-one, a person's
own chat is never a group, link codes never move a registered account, /unlink, and the CLI-only admin invite."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.config import Settings
from bot.emulator import events as ev
from bot.payloads import Cmd
from bot.service import Service
from handlers.registration import Unlink
from handlers.rsvp.payloads import Export, ExportFormat
from storage.models import Account, AuditLog, Invite, Role
from tests.factories import LINE_GROUP, Group, invite_code, make_workshop, person_of, shown
from tests.helpers import Phone, Phones, register

LINE_ROOM = "R" + "b2" * 16
TG_GROUP = "-1001234567890"
HINT_TH = "เรื่องนี้ตอบเฉพาะในแชตส่วนตัวกับ coordbot"
HINT_EN = "I answer this only in a one-to-one chat"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The bot's LINE basic id and Telegram username are known, so the hint can link to the private chat."""
    return settings.model_copy(update={"line_basic_id": "@coordbot", "telegram_bot_username": "coordbot_th_bot"})




def group_of(phones: Phones, where: str) -> tuple[Group, Phone]:
    """A group or room and one member's phone, on the platform of `where`."""
    chat = {"line-group": LINE_GROUP, "line-room": LINE_ROOM, "telegram-group": TG_GROUP}[where]
    platform = where.split("-")[0]
    return Group(phones, platform, chat), phones.line(1) if platform == "line" else phones.telegram(1)


@pytest.mark.parametrize("where", ["line-group", "line-room", "telegram-group"])
async def test_personal_and_admin_commands_in_a_group_point_to_the_private_chat(
    phones: Phones, service: Service, where: str
) -> None:
    group, admin = group_of(phones, where)
    register(admin, Role.admin, name="ผู้ดูแล")
    workshop = make_workshop(service)
    await admin.settle()
    for text in ("/link", "/me", "/checkin", "/invite coordinator เชียงใหม่", "/attendees 1", "/broadcast | ทดสอบ"):
        [answer] = await group.say(admin, text)
        assert answer.startswith(HINT_TH), (text, answer)
    for data in (Export(workshop, ExportFormat.csv, contacts=True).pack(), Cmd("me").pack()):
        [answer] = await group.press(admin, data)
        assert answer.startswith(HINT_TH), (data, answer)
    url = "https://line.me/R/oaMessage/%40coordbot/" if group.platform == "line" else "https://t.me/coordbot_th_bot"
    assert group.buttons() == [("เปิดแชตส่วนตัว", url)]
    assert admin.screen[admin.seen:] == []  # nothing went to the admin's own chat either
    with Session(service.engine) as session:
        assert session.exec(select(Invite)).all() == []  # no link code, no invite was made
        assert session.exec(select(AuditLog).where(AuditLog.action == "export")).all() == []


async def test_the_same_commands_work_in_the_private_chat_and_help_still_works_in_groups(
    phones: Phones, service: Service
) -> None:
    group, coordinator = group_of(phones, "line-group")
    register(coordinator, Role.coordinator, "TH-50", name="กนกพร")
    [menu] = await group.say(coordinator, "/help")
    assert "/link" in menu and not menu.startswith(HINT_TH)
    [profile] = await coordinator.say("/me")
    assert "กนกพร" in profile


async def test_the_hint_is_in_the_asker_language_and_says_how_to_find_the_chat_without_a_link(
    phones: Phones, service: Service
) -> None:
    service.settings.line_basic_id = ""
    group, guest = group_of(phones, "line-room")
    register(guest, Role.guest, lang="en")
    [answer] = await group.say(guest, "/link")
    assert answer.startswith(HINT_EN) and "official account's name" in answer
    assert group.buttons() == []


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_person_first_seen_in_a_group_gets_invitations_in_their_own_chat(
    phones: Phones, service: Service, platform: str
) -> None:
    group, member = group_of(phones, f"{platform}-group")
    await group.say(member, "/help")  # the service meets this person in the group
    register(member, Role.coordinator, "TH-50", name="สมชาย")
    group.seen = len(group.screen)
    make_workshop(service)
    [invitation, *_] = await member.settle()
    assert "สัมมนารองผู้ว่าฯ" in shown([invitation])
    assert group.screen[group.seen:] == []
    with Session(service.engine) as session:
        account = session.exec(select(Account).where(Account.user_id == member.user_id)).one()
    assert account.chat_id == member.user_id


async def test_a_link_code_never_moves_an_account_that_belongs_to_a_registered_person(
    phones: Phones, service: Service
) -> None:
    """The reproduction: a deputy governor's Telegram account typed another person's link code."""
    other, governor = phones.line(1), phones.telegram(2)
    await other.say(invite_code(service, name="คนอื่น"))
    register(governor, Role.deputy_governor, "TH-90", name="รองผู้ว่าสงขลา")
    [with_code] = await other.say("/link")
    code = with_code.split(": ")[1].split()[0]
    [answer] = await governor.say(code)
    assert "ลงทะเบียนเป็นรองผู้ว่าราชการจังหวัดอยู่แล้ว" in answer and "เชื่อมกับบุคคลอื่นไม่ได้" in answer
    assert person_of(service, "telegram", governor.user_id).name == "รองผู้ว่าสงขลา"
    assert person_of(service, "telegram", governor.user_id).role == Role.deputy_governor
    assert await other.settle() == []  # nobody was linked, so nobody is told
    with Session(service.engine) as session:
        [refused] = session.exec(select(AuditLog).where(AuditLog.action == "link_refused")).all()
        assert refused.detail["reason"] == "registered"
        assert session.exec(select(Invite).where(Invite.code == code)).one().used_at is None


async def test_linking_tells_the_existing_account_and_a_second_account_per_app_is_refused(
    phones: Phones, service: Service
) -> None:
    line, telegram, another = phones.line(1), phones.telegram(2), phones.telegram(3)
    await line.say(invite_code(service))
    [with_code] = await line.say("/link")
    await telegram.say(with_code.split(": ")[1].split()[0])
    [notice] = await line.settle()
    assert notice.text.startswith("🔗 บัญชี Telegram \"ผู้ใช้\" ถูกเชื่อมกับข้อมูลของคุณ") and "/unlink" in notice.text
    [with_code] = await line.say("/link")
    [answer] = await another.say(with_code.split(": ")[1].split()[0])
    assert "มีบัญชี Telegram อยู่แล้ว" in answer
    assert person_of(service, "telegram", another.user_id).role == Role.guest
    assert await line.settle() == []


async def test_unlink_asks_for_a_press_then_detaches_the_other_account(phones: Phones, service: Service) -> None:
    line, telegram = phones.line(1), phones.telegram(2)
    await line.say(invite_code(service, name="กนกพร คำดี"))
    [with_code] = await line.say("/link")
    await telegram.say(with_code.split(": ")[1].split()[0])
    await line.settle()
    [ask] = await telegram.say("เลิกเชื่อมบัญชี")
    assert "กดปุ่มเพื่อยืนยัน" in ask
    assert person_of(service, "line", line.user_id).id == person_of(service, "telegram", telegram.user_id).id
    [done] = await telegram.press("เลิกเชื่อม LINE")
    assert done.startswith("เลิกเชื่อมบัญชี LINE")
    [told] = await line.settle()
    assert "ไม่ได้เชื่อมกับข้อมูลของ กนกพร คำดี" in told.text
    assert person_of(service, "line", line.user_id).role == Role.guest
    assert person_of(service, "telegram", telegram.user_id).role == Role.coordinator
    assert await telegram.say("/unlink") == ["บัญชีนี้เป็นบัญชีเดียวของคุณ จึงไม่มีบัญชีให้เลิกเชื่อม"]


async def test_unlink_buttons_only_reach_ones_own_other_accounts(phones: Phones, service: Service) -> None:
    mine, stranger = phones.line(1), phones.telegram(2)
    await stranger.say("/help")
    with Session(service.engine) as session:
        theirs = session.exec(select(Account).where(Account.user_id == stranger.user_id)).one()
    assert theirs.id is not None
    [answer] = await mine.press_data(Unlink(theirs.id).pack())
    assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in answer
    assert person_of(service, "telegram", stranger.user_id).id == theirs.person_id


async def test_admin_invites_are_refused_in_chat(phones: Phones, service: Service) -> None:
    admin = phones.line(1)
    register(admin, Role.admin, name="ผู้ดูแล")
    [answer] = await admin.say("/invite ผู้ดูแล")
    assert "coordbot invite create --role admin" in answer
    with Session(service.engine) as session:
        assert session.exec(select(Invite)).all() == []
        [refused] = session.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
        assert refused.detail["command"] == "invite admin"


async def test_telegram_bot_removed_from_a_group_leaves_the_remover_reachable(
    phones: Phones, service: Service
) -> None:
    member = phones.telegram(1)
    await member.say("/help")
    update = ev.tg_my_chat_member_update(int(member.user_id), "left", update_id=phones.state.next_update_id())
    update["my_chat_member"]["chat"] = {"id": int(TG_GROUP), "type": "supergroup", "title": "กลุ่ม"}
    assert (await phones.post("telegram", update)).status_code == 200
    await service.drain()
    with Session(service.engine) as session:
        assert session.exec(select(Account).where(Account.user_id == member.user_id)).one().reachable
