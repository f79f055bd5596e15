"""Thai as people type it, through the phones: no spaces, polite particles, misspellings, Thai dates, typed
acknowledgements, a short answer when not understood (issue 13's table)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from sqlmodel import Session, col, select

from bot.emulator import events as ev
from bot.service import Service
from storage.broadcast import BroadcastRecipient
from storage.deadlines import SubmissionWindow
from storage.models import Invite, Role
from storage.rsvp import RsvpStatus
from tests.factories import (
    LINE_GROUP,
    Group,
    admin_phone,
    make_workshop,
    members,
    phone_on,
    project,
    readable,
    seed,
    status_of,
)
from tests.helpers import Phone, Phones, register


def sticker_event(phone: Phone) -> dict[str, Any]:
    """A sticker, as LINE and Telegram deliver one."""
    if phone.platform == "line":
        event = ev.line_text_event(phone.user_id, "", reply_token=phone.phones.state.issue_reply_token(phone.user_id))
        event["message"] = {"type": "sticker", "id": str(secrets.randbelow(10**18)), "quoteToken": "q",
                            "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC"}
        return event
    update = ev.tg_message_update(int(phone.user_id), "", update_id=secrets.randbelow(10**9))
    del update["message"]["text"]
    update["message"]["sticker"] = {"file_id": "CAAC", "file_unique_id": "AgAD", "type": "regular", "width": 512,
                                    "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
    return update


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_an_answer_typed_without_spaces_and_with_a_particle_is_recorded(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phone_on(phones, platform, 5)
    person = register(phone, Role.coordinator, "TH-90")
    workshop = make_workshop(service)
    await phone.settle()
    [done] = await phone.say(f"ตอบรับ{workshop}ไป")
    assert "จะเข้าร่วม" in done
    [changed] = await phone.say(f"ตอบรับ {workshop} ไม่ไปค่ะ")
    assert "จะไม่เข้าร่วม" in changed
    assert status_of(service, workshop, person) == RsvpStatus.no
    await phone.say(f"rsvp {str(workshop).translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))} attend")
    assert status_of(service, workshop, person) == RsvpStatus.yes


async def test_a_misspelt_command_word_still_shows_my_workshops(phones: Phones, service: Service) -> None:
    phone = phones.line(6)
    register(phone, Role.coordinator, "TH-90")
    make_workshop(service)
    await phone.settle()
    assert "สัมมนารองผู้ว่าฯ" in readable(await phone.send(phone.event_for_text("สัมนาค่ะ")))


async def test_project_lookups_typed_without_spaces(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", title="โครงการพลังงานทดแทนชุมชน"),
                   project("KKN-2569-0003", title="โครงการเกษตรแม่นยำ", province="TH-40")])
    phone = phones.telegram(7)
    register(phone, Role.coordinator, "TH-50")
    assert "CMI-2569-0012" in readable(await phone.send(phone.event_for_text("ดูโครงการ เชียงใหม่ครับ")))
    assert "KKN-2569-0003" in readable(await phone.send(phone.event_for_text("โครงการขอนแก่น")))
    assert "CMI-2569-0012" in readable(await phone.send(phone.event_for_text("โครงการ พลังงาน ทดแทน")))
    [summary] = await phone.say("สรุปขอนแก่น")
    assert "ขอนแก่น" in summary
    [watching] = await phone.say("ติดตามCMI-2569-0012")
    assert "CMI-2569-0012" in watching


async def test_a_window_added_with_a_thai_date_closes_then(phones: Phones, service: Service) -> None:
    admin = phones.telegram(8)
    register(admin, Role.admin)
    [text] = await admin.say("รอบส่ง add 15 ธ.ค. 2569 16.30 น. รอบทดสอบ")
    assert "15 ธ.ค. 2569 16:30 น." in text
    with Session(service.engine) as session:
        [window] = session.exec(select(SubmissionWindow)).all()
        assert window.title_th == "รอบทดสอบ"


@pytest.mark.parametrize("typed", ["รับทราบ", "รับทราบค่ะ", "ทราบแล้วครับ", "👍"])
async def test_typing_rubsap_acknowledges_the_latest_announcement_waiting(
    phones: Phones, service: Service, typed: str
) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ส่งแผนภายในวันศุกร์")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    await people["cmi-tg"].settle()
    [answer] = await people["cmi-tg"].say(typed)
    assert "#1" in answer and "ส่งแผนภายในวันศุกร์" in answer
    report = "\n".join(await admin.say("ผู้รับทราบ 1"))
    assert "รับทราบแล้ว 1/3: สมหญิง" in report
    [again] = await people["cmi-tg"].say(typed)
    assert "ไม่มีประกาศที่รอ" in again


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_sticker_acknowledges_and_without_an_announcement_gets_a_short_answer(
    phones: Phones, service: Service, platform: str
) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    phone = people["cmi-line"] if platform == "line" else people["cmi-tg"]
    [idle] = [r.text for r in await phone.send(sticker_event(phone))]
    assert "ไม่มีประกาศที่รอ" in idle and "เมนูคำสั่ง" not in idle
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ส่งแผนภายในวันศุกร์")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    await phone.settle()
    [acked] = [r.text for r in await phone.send(sticker_event(phone))]
    assert "#1" in acked
    with Session(service.engine) as session:
        row = session.exec(select(BroadcastRecipient).where(BroadcastRecipient.user_id == phone.user_id)).one()
        assert row.acked_at is not None


async def test_broadcast_status_by_its_thai_alias(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones)
    members(phones)
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน | ประชุมพรุ่งนี้")
    await admin.press("ยืนยันส่ง")
    [status] = await admin.say("สถานะ 1")
    assert status.startswith("ประกาศ #1")


@pytest.mark.parametrize("typed", ["🙏", "😊😊", "ขอบคุณค่ะ"])
async def test_an_emoji_or_thanks_alone_gets_a_short_friendly_answer(phones: Phones, typed: str) -> None:
    phone = phones.line(9)
    [answer] = await phone.say(typed)
    assert "ขอบคุณ" in answer and "เมนูคำสั่ง" not in answer and "ไม่เข้าใจ" not in answer


async def test_not_understood_offers_at_most_three_nearest_commands(phones: Phones) -> None:
    phone = phones.line(10)
    register(phone, Role.coordinator, "TH-50")
    [answer] = await phone.say("สรปุ")
    assert "หมายถึง" in answer and "เมนูคำสั่ง" not in answer
    labels = [label for label, _ in phone.last_buttons]
    assert 1 <= len(labels) <= 3 and labels[0] == "สรุป"
    [summary] = await phone.press("สรุป")
    assert "เชียงใหม่" in summary


async def test_help_lists_every_command_grouped_with_an_example(phones: Phones) -> None:
    phone = phones.telegram(11)
    register(phone, Role.deputy_governor, "TH-50")
    [menu] = await phone.say("ช่วยเหลือ")
    for word in ("/rsvp", "/delegate", "/checkin", "/unwatch", "/projecthistory"):
        assert word in menu
    assert "สัมมนา\n" in menu and "เช่น ตอบรับ 2 ไป" in menu
    assert "/broadcast" not in menu  # admins only
    await phone.say("/lang en")
    [english] = await phone.say("/help")
    assert "Workshops\n" in english and "e.g. /rsvp 2 yes" in english


async def test_an_invite_reads_a_place_with_spaces_and_confirms_a_corrected_one(
    phones: Phones, service: Service
) -> None:
    admin = phones.line(12)
    register(admin, Role.admin)
    [made] = await admin.say("/invite coordinator Khon Kaen John Smith")
    assert "ขอนแก่น" in made
    [asked] = await admin.say("/invite coordinator Nakhon Ratchasim Somchai Jaidee")
    assert "นครราชสีมา" in asked and "Somchai Jaidee" in asked
    with Session(service.engine) as session:
        invites = session.exec(select(Invite).order_by(col(Invite.id))).all()
        assert [(i.province_iso, i.name) for i in invites] == [("TH-40", "John Smith"),
                                                              ("TH-30", "Somchai Jaidee")]
        assert invites[1].expires_at <= invites[1].created_at, "not usable before the admin confirms"
    newcomer = phones.telegram(13)
    code = invites[1].code
    [refused] = await newcomer.say(code)
    assert "หมดอายุ" in refused or "expired" in refused
    [confirmed] = await admin.press("ยืนยัน")
    assert code in confirmed
    [joined] = await phones.telegram(14).say(code)
    assert "Somchai Jaidee" in joined


async def test_an_announcement_scheduled_with_a_thai_date(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones)
    members(phones)
    preview = "\n".join(await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน เวลา=5/3/2570 9.00 | ประชุมออนไลน์"))
    assert "ส่ง: 5 มี.ค. 2570 09:00 น." in preview


async def test_rubsap_in_a_group_answers_the_group_not_our_announcement(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ส่งแผนภายในวันศุกร์")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    group = Group(phones, "line", LINE_GROUP)
    assert await group.say(people["cmi-line"], "รับทราบค่ะ") == []
    with Session(service.engine) as session:
        assert all(r.acked_at is None for r in session.exec(select(BroadcastRecipient)).all())


async def test_a_window_for_a_misspelt_province_asks_instead_of_guessing(phones: Phones, service: Service) -> None:
    admin = phones.telegram(15)
    register(admin, Role.admin)
    [asked] = await admin.say("/window add 15/12/2569 16:30 รอบทดสอบ | จังหวัด=ขอนแกน")
    assert "ขอนแกน" in asked and "ขอนแก่น?" in asked
    [made] = await admin.say("/window add 15/12/2569 16:30 รอบทดสอบ | จังหวัด=Khon Kaen")
    assert "รอบทดสอบ" in made
    with Session(service.engine) as session:
        [window] = session.exec(select(SubmissionWindow)).all()
        assert window.provinces == ["TH-40"]
