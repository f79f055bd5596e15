"""Joining with an invite code, deep links, linking LINE and Telegram, follow and block."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.service import Service
from storage.models import Account, AuditLog, Role
from tests.factories import invite_code, person_of
from tests.helpers import Phones, register


async def test_line_follow_gets_a_welcome_that_explains_invite_codes(phones: Phones) -> None:
    [welcome] = await phones.line().follow()
    assert "ยินดีต้อนรับ" in welcome and "รหัสเชิญ" in welcome


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_joining_with_an_invite_code_gives_role_and_province(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phones.line() if platform == "line" else phones.telegram()
    code = invite_code(service)
    [answer] = await phone.say(code.lower().replace("-", ""))  # typed sloppily, still accepted
    assert "ลงทะเบียนสำเร็จ" in answer and "ผู้ประสานงานจังหวัด" in answer and "เชียงใหม่" in answer
    person = person_of(service, platform, phone.user_id)
    assert (person.role, person.province_iso, person.name) == (Role.coordinator, "TH-50", "กนกพร คำดี")


async def test_telegram_deep_link_start_with_code_registers(phones: Phones, service: Service) -> None:
    phone = phones.telegram()
    code = invite_code(service, role=Role.deputy_governor, province="TH-40", name="วิชัย พลเยี่ยม")
    [answer] = await phone.say(f"/start {code}")
    assert "รองผู้ว่าราชการจังหวัด" in answer and "ขอนแก่น" in answer


async def test_a_used_code_is_refused_and_changes_nothing(phones: Phones, service: Service) -> None:
    code = invite_code(service)
    first, second = phones.line(1), phones.line(2)
    await first.say(code)
    [answer] = await second.say(code)
    [unknown] = await second.say("ZZZZ-ZZZZ")
    assert answer == unknown and answer.startswith("ใช้รหัสนี้ไม่ได้")  # no hint that this code exists
    assert person_of(service, "line", second.user_id).role == Role.guest


async def test_an_expired_code_is_refused(phones: Phones, service: Service) -> None:
    code = invite_code(service, days=1)
    phones.clock.advance(days=2)
    phone = phones.line()
    [answer] = await phone.say(f"/join {code}")
    [unknown] = await phone.say("/join ZZZZ-ZZZZ")
    assert answer == unknown and answer.startswith("ใช้รหัสนี้ไม่ได้")


async def test_a_wrong_code_is_refused_in_english_too(phones: Phones) -> None:
    phone = phones.line()
    await phone.say("/lang en")
    [answer] = await phone.say("/join ZZZZ-ZZZZ")
    assert answer.startswith("That code cannot be used: it may be mistyped, already used or expired.")


async def test_linking_telegram_to_a_line_person(phones: Phones, service: Service) -> None:
    line, telegram = phones.line(), phones.telegram()
    await line.say(invite_code(service))
    [with_code] = await line.say("/link")
    code = with_code.split(": ")[1].split()[0]
    assert await telegram.say(code) == ["เชื่อมบัญชีเรียบร้อย ข้อความจะส่งถึงคุณทั้งสองช่องทาง"]
    assert person_of(service, "telegram", telegram.user_id).id == person_of(service, "line", line.user_id).id
    [profile] = await telegram.say("/me")
    assert "line" in profile and "telegram" in profile and "กนกพร" in profile


async def test_a_coordinator_cannot_create_invites_and_the_refusal_is_logged(
    phones: Phones, service: Service
) -> None:
    phone = phones.line()
    await phone.say(invite_code(service))
    [answer] = await phone.say("/invite coordinator เชียงใหม่")
    assert "ผู้ดูแลระบบ" in answer and "เท่านั้น" in answer
    with Session(service.engine) as session:
        [entry] = session.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
        assert entry.detail["command"] == "invite"
        assert session.exec(select(AuditLog).where(AuditLog.action == "invite_created")).all() == []


async def test_an_admin_creates_an_invite_in_chat_with_a_forgiving_province(
    phones: Phones, service: Service
) -> None:
    admin, newcomer = phones.line(1), phones.telegram(2)
    await admin.say(invite_code(service, role=Role.admin, province=None, name="ผู้ดูแล"))
    [asked] = await admin.say("/invite รองผู้ว่า จ.เชียงใหม ประเสริฐ ศรีสุข")
    # Issue 13: a place read through a typo is confirmed before the invite can be used.
    assert "เชียงใหม่" in asked and "ใช่ไหม" in asked
    [made] = await admin.press("ยืนยัน")
    code = made.split()[1]
    [joined] = await newcomer.say(f"/start {code}")
    assert "ประเสริฐ ศรีสุข" in joined and "รองผู้ว่าราชการจังหวัด" in joined


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_blocking_the_bot_marks_the_account_unreachable(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phones.line() if platform == "line" else phones.telegram()
    await phone.say("/help")
    await phone.block()
    with Session(service.engine) as session:
        account = session.exec(select(Account).where(Account.user_id == phone.user_id)).one()
    assert not account.reachable


async def test_registered_members_see_their_profile(phones: Phones, service: Service) -> None:
    phone = phones.telegram()
    register(phone, Role.deputy_governor, "TH-90", "สมศักดิ์ ใจงาม")
    [profile] = await phone.say("ฉัน")
    assert "สมศักดิ์ ใจงาม" in profile and "สงขลา" in profile and "telegram" in profile


async def test_a_guest_refused_a_command_is_told_how_to_get_an_invite_code(phones: Phones) -> None:
    guest, member = phones.line(41), phones.telegram(42)
    register(member, Role.coordinator, "TH-50")
    [answer] = await guest.say("/window")
    assert answer.startswith("ขออภัย คำสั่งนี้สำหรับ")
    assert "ขอรหัสเชิญจากผู้ดูแลระบบของกระทรวง" in answer
    [answer] = await member.say("/window")  # a member is not told to join
    assert "รหัสเชิญ" not in answer
