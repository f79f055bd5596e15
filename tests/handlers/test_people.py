"""The admins' people tools in chat: list people with their accounts, change role or province, retire someone
who was transferred (freeing their seats for the waitlist), revoke an unused invite, read the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.service import Service
from storage.db import transaction
from storage.models import Account, Invite, Person, Role
from storage.people import create_invite, invite_by_code
from storage.rsvp import RsvpStatus, answer, create_workshop, invite, invitees, rsvp_of
from tests.helpers import Phones, register

CHIANG_MAI, KHON_KAEN = "TH-50", "TH-40"


def seated_workshop(service: Service, capacity: int) -> int:
    """A workshop ten days ahead for coordinators of Chiang Mai and Khon Kaen, its seats given in invite order."""
    now = service.clock()
    with transaction(service.engine) as session:
        workshop = create_workshop(
            session=session, title_th="สัมมนาผู้ประสานงาน", title_en="Coordinators' workshop",
            starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=11),
            rsvp_deadline=now + timedelta(days=5), roles=[Role.coordinator], provinces=[CHIANG_MAI, KHON_KAEN],
            scope="test", capacity=capacity)
        for row in invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop)):
            answer(session=session, workshop=workshop, row=row, choice=RsvpStatus.yes, now=now)
        assert workshop.id is not None
        return workshop.id


def status(service: Service, workshop_id: int, person_id: int) -> RsvpStatus | None:
    with Session(service.engine) as session:
        row = rsvp_of(session=session, workshop_id=workshop_id, person_id=person_id)
        return row.status if row else None


async def test_an_admin_lists_a_provinces_people_with_their_accounts_and_reachability(phones: Phones) -> None:
    admin, line, telegram = phones.line(1), phones.line(2), phones.telegram(3)
    register(admin, Role.admin, name="สุนีย์")
    register(line, Role.coordinator, CHIANG_MAI, name="กนกพร คำดี")
    register(telegram, Role.deputy_governor, CHIANG_MAI, name="สมชาย ใจดี")
    await telegram.block()
    [text] = await admin.say("/people เชียงใหม่")
    assert "กนกพร คำดี · ผู้ประสานงานจังหวัด · เชียงใหม่ · LINE ✓" in text
    assert "สมชาย ใจดี · รองผู้ว่าราชการจังหวัด · เชียงใหม่ · Telegram ✗ ⚠️ ติดต่อไม่ได้" in text
    assert "2 คน" in text and "สุนีย์" not in text
    [text] = await admin.say("/people เชียงใหม่ ผู้ประสานงาน")
    assert "กนกพร" in text and "สมชาย" not in text


async def test_an_admin_changes_a_persons_role_and_province_and_it_is_audited(phones: Phones) -> None:
    admin, coordinator = phones.telegram(1), phones.line(2)
    register(admin, Role.admin, lang="en")
    person_id = register(coordinator, Role.coordinator, CHIANG_MAI, name="กนกพร")
    [text] = await admin.say(f"/people {person_id} province Khon Kaen")
    assert text == f"Saved: #{person_id} กนกพร is now provincial coordinator, Khon Kaen."
    [text] = await admin.say(f"/people {person_id} role dg")
    assert "deputy governor" in text
    [log] = await admin.say(f"/audit {person_id}")
    assert "person_changed" in log and "TH-40" in log and "deputy_governor" in log


async def test_retiring_a_transferred_person_frees_their_seat_and_stops_their_messages(
    phones: Phones, service: Service
) -> None:
    admin, leaving, waiting = phones.line(1), phones.line(2), phones.line(3)
    register(admin, Role.admin)
    leaving_id = register(leaving, Role.coordinator, CHIANG_MAI, name="ผู้ย้าย")
    waiting_id = register(waiting, Role.coordinator, KHON_KAEN, name="ผู้รอ")
    workshop = seated_workshop(service, capacity=1)
    assert status(service, workshop, waiting_id) == RsvpStatus.waitlist

    [asked] = await admin.say(f"/people {leaving_id} retire")
    assert "ที่นั่งในสัมมนาที่ยังไม่เริ่ม 1 ที่นั่ง" in asked and "สัมมนาผู้ประสานงาน" in asked
    assert status(service, workshop, leaving_id) == RsvpStatus.yes  # nothing before the confirmation
    [done] = await admin.press("ยืนยัน ย้ายออก")
    assert done == f"ย้ายออก #{leaving_id} ผู้ย้าย แล้ว คืนที่นั่ง 1 ที่นั่ง"
    assert status(service, workshop, leaving_id) == RsvpStatus.no
    assert status(service, workshop, waiting_id) == RsvpStatus.offered
    [offer] = await waiting.settle()
    assert "มีที่นั่งว่าง" in offer.text

    [text] = await admin.say("/people เชียงใหม่")
    assert text == "ไม่พบบุคลากรตามที่ระบุ"
    preview = "\n".join(await admin.say("/broadcast ประกาศทดสอบ"))
    assert "ผู้รับ: LINE 2" in preview  # the admin and the one waiting; the retired person is not addressed
    with Session(service.engine) as session:
        person = session.get(Person, leaving_id)
        assert person is not None and person.role == Role.guest and person.retired_at is not None


async def test_an_unused_invite_is_revoked_and_then_refused(phones: Phones, service: Service) -> None:
    admin, newcomer = phones.line(1), phones.line(2)
    register(admin, Role.admin)
    with transaction(service.engine) as session:
        code = create_invite(session=session, role=Role.coordinator, province_iso=CHIANG_MAI,
                             now=service.clock(), valid_for=timedelta(days=14)).code
    [text] = await admin.say(f"/revoke {code.lower()}")
    assert text == f"ยกเลิกรหัสเชิญ {code} แล้ว"
    [text] = await newcomer.say(code)
    assert "สำเร็จ" not in text
    with Session(service.engine) as session:
        row = invite_by_code(session=session, code=code)
        assert isinstance(row, Invite) and row.used_at is None
    [text] = await admin.say("/revoke ZZZZ-ZZZZ")
    assert text == "ไม่พบรหัสเชิญ \"ZZZZ-ZZZZ\" ที่ยังไม่ได้ใช้"


async def test_people_tools_are_for_admins_only_and_bad_input_changes_nothing(phones: Phones) -> None:
    coordinator, admin = phones.line(1), phones.line(2)
    person_id = register(coordinator, Role.coordinator, CHIANG_MAI)
    register(admin, Role.admin)
    [text] = await coordinator.say(f"/people {person_id} role admin")
    assert "สำหรับ ผู้ดูแลระบบ เท่านั้น" in text
    [text] = await admin.say(f"/people {person_id} province แอตแลนติส")
    assert text.startswith("ไม่พบจังหวัด")
    [text] = await admin.say("/people 999 retire")
    assert text == "ไม่พบบุคลากร #999"
    [text] = await admin.say(f"/people {person_id}")
    assert text.startswith("วิธีใช้: /people")


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_nul_character_in_a_message_or_a_name_is_dropped_and_the_message_answered(
    phones: Phones, service: Service, platform: str
) -> None:
    """Nobody types one and PostgreSQL cannot store one: a garbled or forged NUL must not fail the lookup."""
    admin = phones.line(1) if platform == "line" else phones.telegram(1)
    register(admin, Role.admin)
    assert await admin.say("/revoke ZZZZ\x00-ZZZZ") == ["ไม่พบรหัสเชิญ \"ZZZZ-ZZZZ\" ที่ยังไม่ได้ใช้"]
    newcomer = phones.telegram(2)
    event = newcomer.event_for_text("/help")
    event["message"]["from"]["first_name"] = "สม\x00ชาย"
    assert (await newcomer.post(event)).status_code == 200
    await service.drain()
    assert newcomer.screen
    with Session(service.engine) as session:
        assert session.exec(select(Account.display_name).where(Account.user_id == newcomer.user_id)).one() == "สมชาย"
