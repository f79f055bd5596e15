"""Admins create a workshop in chat: the form, the preview with the number of invitees, the confirmation that
stores it and sends the invitations (the same path as `coordbot workshop create`), and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.planner import NoPlanner
from bot.service import Service
from handlers.rsvp import board, compose
from handlers.rsvp.create import Preview, checked_workshop, create, invited_count, invited_places
from handlers.rsvp.errors import BadForm
from storage.db import transaction
from storage.models import Role
from storage.people import audit_entries
from storage.rsvp import Workshop, WorkshopDraft, all_workshops, rsvps
from tests.factories import phone_on, shown
from tests.helpers import Phone, Phones, register

THAI_FORM = {
    "ชื่อ": "ประชุมกลุ่มจังหวัดภาคเหนือตอนบน 1", "ชื่ออังกฤษ": "Upper North 1 cluster workshop",
    "เริ่ม": "2569-04-20 09:00", "สิ้นสุด": "2569-04-21 16:30", "ตอบรับภายใน": "2569-04-10 16:30",
    "สถานที่": "ศาลากลางจังหวัดเชียงใหม่", "ที่อยู่": "ถนนโชตนา อำเภอเมือง เชียงใหม่ 50300", "แผนที่": "18.8390, 98.9660",
    "กำหนดการ": "ทบทวนแผนพัฒนากลุ่มจังหวัด", "กลุ่ม": "1", "ที่นั่ง": "30", "ต่อจังหวัด": "2",
}


def form(changes: dict[str, str] | None = None, *, command: str = "สร้างสัมมนา",
         fields: dict[str, str] | None = None) -> str:
    """The message an admin sends: the command, then one `key=value` line per field ("-" leaves one out)."""
    values = {**(fields if fields is not None else THAI_FORM), **(changes or {})}
    return "\n".join([command, *(f"{k}={v}" for k, v in values.items() if v != "-")])


def workshops(service: Service) -> list[Workshop]:
    with Session(service.engine) as session:
        return all_workshops(session=session)


def drafts(service: Service) -> list[WorkshopDraft]:
    with Session(service.engine) as session:
        return list(session.exec(select(WorkshopDraft)))


async def invitees_and_outsider(phones: Phones, platform: str) -> tuple[Phone, Phone, Phone]:
    """A Chiang Mai deputy governor and coordinator (cluster 1) and a Khon Kaen coordinator (not in it)."""
    dg, coord, outsider = (phone_on(phones, platform, n) for n in (1, 2, 3))
    register(dg, Role.deputy_governor, "TH-50", name="ประเสริฐ ศรีสุข")
    register(coord, Role.coordinator, "TH-50", name="กนกพร คำดี")
    register(outsider, Role.coordinator, "TH-40", name="อรทัย บุญมา")
    return dg, coord, outsider


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_admin_previews_then_confirms_and_the_invitations_go_out(
    phones: Phones, service: Service, platform: str
) -> None:
    admin = phone_on(phones, platform, 9)
    register(admin, Role.admin, name="สุนีย์")
    dg, coord, outsider = await invitees_and_outsider(phones, platform)

    [example] = await admin.say("สร้างสัมมนา")
    assert "ชื่อ=" in example and "ตอบรับภายใน=" in example and "2569-04-01 09:00" in example  # 30 days ahead, BE

    preview = await admin.send(admin.event_for_text(form()))
    text = shown(preview)
    assert "ยังไม่ได้บันทึกและยังไม่ได้ส่ง" in text
    assert "ขอเชิญเข้าร่วม" in text and "ประชุมกลุ่มจังหวัดภาคเหนือตอนบน 1" in text
    assert "20 เม.ย. 2569 09:00 น." in text and "10 เม.ย. 2569 16:30 น." in text
    assert "ผู้ได้รับเชิญ 2 คน" in text and "ที่นั่ง 30 · ต่อจังหวัด 2" in text
    assert any(r.kind in ("location", "venue") for r in preview)
    assert [label for label, _ in admin.last_buttons] == ["ยืนยัน ส่งคำเชิญ", "ยกเลิก"]
    assert workshops(service) == []  # nothing stored, nothing sent before the confirmation
    assert await dg.settle() == [] and await coord.settle() == []

    [created] = await admin.press("ยืนยัน")
    assert "สร้างสัมมนา #1" in created and "เชิญ 2 คน" in created
    for phone in (dg, coord):
        assert "ขอเชิญเข้าร่วม" in shown(await phone.settle())
        assert [label for label, _ in phone.last_buttons][:3] == ["เข้าร่วม", "ไม่เข้าร่วม", "ไม่แน่ใจ"]
    assert await outsider.settle() == []
    [recorded] = await dg.press("เข้าร่วม")
    assert "จะเข้าร่วม" in recorded

    [workshop] = workshops(service)
    assert (workshop.title_en, workshop.capacity, workshop.per_province) == ("Upper North 1 cluster workshop", 30, 2)
    assert (workshop.latitude, workshop.longitude) == (18.839, 98.966) and "TH-50" in workshop.provinces
    assert workshop.starts_at == datetime(2026, 4, 20, 2, 0, tzinfo=UTC)
    assert service.scheduler is not None
    assert {job for job, _ in service.scheduler.planned("ws:1:")} == {"ws:1:remind:3d", "ws:1:remind:1d",
                                                                     "ws:1:nudge:2d"}
    [again] = await admin.press_data("wsc:1")  # pressed twice
    assert "ไปแล้ว" in again and len(workshops(service)) == 1
    with Session(service.engine) as session:
        assert len(rsvps(session=session, workshop_id=1)) == 2
        [entry] = audit_entries(session=session, action="workshop_created")
    assert entry.detail == {"workshop": 1, "via": "chat", "invited": 2}


async def test_english_form_with_gregorian_dates_provinces_and_cancel(phones: Phones, service: Service) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="Sunee", lang="en")
    register(phones.line(1), Role.deputy_governor, "TH-50")
    register(phones.line(2), Role.coordinator, "TH-40")
    register(phones.line(3), Role.coordinator, "TH-90")
    english = {"title": "สัมมนาสองจังหวัด", "title_en": "Two-province workshop", "start": "2026-04-20 09:00",
               "end": "2026-04-20 16:30", "deadline": "2026-04-10 16:30", "venue": "Khon Kaen City Hall",
               "provinces": "Chiang Mai, ขอนแก่น", "roles": "coordinator,dg", "agenda": "09:00 opening"}
    message = form(command="/newworkshop", fields=english) + "\n13:00 groups"  # the agenda goes on
    preview = shown(await admin.send(admin.event_for_text(message)))
    assert "nothing stored or sent yet" in preview and "Two-province workshop" in preview
    assert "20 Apr 2026 09:00" in preview and "Invitees: 2" in preview and "Khon Kaen, Chiang Mai" in preview
    assert "Agenda: 09:00 opening\n13:00 groups" in preview
    one_line = " | ".join(form(command="/newworkshop", fields=english).splitlines())  # as typed in a terminal
    assert "Invitees: 2" in shown(await admin.send(admin.event_for_text(one_line)))
    [cancelled] = await admin.press("Cancel")
    assert "Cancelled; nothing was stored or sent." in cancelled
    [still] = await admin.press_data("wsc:2")
    assert "Cancelled" in still
    assert workshops(service) == []
    [example] = await admin.say("/newworkshop")
    assert "title=" in example and "2026-04-01 09:00" in example


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_bad_forms_are_refused_clearly_and_nothing_is_stored(
    phones: Phones, service: Service, platform: str
) -> None:
    admin = phone_on(phones, platform, 9)
    register(admin, Role.admin)
    refusals = {
        "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม": form({"สิ้นสุด": "2569-04-19 16:30"}),
        "วันปิดรับคำตอบต้องไม่อยู่หลังเวลาเริ่ม": form({"ตอบรับภายใน": "2569-04-25 16:30"}),
        "วันปิดรับคำตอบผ่านไปแล้ว": form({"ตอบรับภายใน": "2569-03-01 16:30"}),
        "ไม่พบจังหวัด \"ฝรั่งเศส\"": form({"กลุ่ม": "-", "จังหวัด": "เชียงใหม่,ฝรั่งเศส"}),
        "ตั้งแต่ 1 ขึ้นไป": form({"ที่นั่ง": "0"}),
        "ไม่รู้จักบทบาท": form({"บทบาท": "นายก"}),
        "อ่านวันเวลา เริ่ม=\"20/4/2569\" ไม่ได้": form({"เริ่ม": "20/4/2569"}),
        "ยังขาด: ชื่อ, ตอบรับภายใน": form({"ชื่อ": "-", "ตอบรับภายใน": "-"}),
        "ไม่รู้จักหัวข้อ \"ห้อง\"": form({"ห้อง": "201"}),
        "ละติจูด,ลองจิจูด": form({"แผนที่": "Rama Gardens"}),
        "ไม่เข้าใจบรรทัด": "สร้างสัมมนา\nอะไรก็ได้\nชื่อ=x",
    }
    for expected, message in refusals.items():
        [refused] = await admin.say(message)
        assert expected in refused, (expected, refused)
    [negative] = await admin.say(form({"ต่อจังหวัด": "-3"}))
    assert "ตั้งแต่ 1 ขึ้นไป" in negative and "ไม่มีการบันทึกใด ๆ" in negative
    assert workshops(service) == [] and drafts(service) == []


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_non_admins_are_refused_and_the_refusal_is_logged(
    phones: Phones, service: Service, platform: str
) -> None:
    admin, coordinator = phone_on(phones, platform, 9), phone_on(phones, platform, 1)
    register(admin, Role.admin)
    register(coordinator, Role.coordinator, "TH-50")
    [refused] = await coordinator.say(form())
    assert "สำหรับ ผู้ดูแลระบบ เท่านั้น" in refused
    await admin.say(form())
    [draft] = drafts(service)
    assert "สำหรับ ผู้ดูแลระบบ เท่านั้น" in (await coordinator.press_data(f"wsc:{draft.id}"))[0]
    other_admin = phone_on(phones, platform, 8)
    register(other_admin, Role.admin)
    assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in (await other_admin.press_data(f"wsc:{draft.id}"))[0]
    assert workshops(service) == []
    with Session(service.engine) as session:
        refusals = audit_entries(session=session, action="refused")
    assert [e.detail["command"] for e in refusals] == ["newworkshop", "wsc"]


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_location_shared_after_the_form_becomes_its_map_point(
    phones: Phones, service: Service, platform: str
) -> None:
    admin = phone_on(phones, platform, 9)
    register(admin, Role.admin, name="สุนีย์")
    await invitees_and_outsider(phones, platform)
    first = await admin.send(admin.event_for_text(form({"แผนที่": "-", "สถานที่": "-"})))
    assert not any(r.kind in ("location", "venue") for r in first)
    old_confirm = next(data for label, data in admin.last_buttons if "ยืนยัน" in label)

    again = await admin.send(admin.event_for_location(18.839, 98.966, title="ศาลากลางจังหวัดเชียงใหม่"))
    assert "ยังไม่ได้บันทึกและยังไม่ได้ส่ง" in shown(again)
    assert any(r.kind in ("location", "venue") for r in again)
    [created] = await admin.press("ยืนยัน")
    assert "สร้างสัมมนา #1" in created
    [workshop] = workshops(service)
    assert (workshop.latitude, workshop.longitude) == (18.839, 98.966)
    assert workshop.venue == ("ศาลากลางจังหวัดเชียงใหม่" if platform == "line" else "")
    [stale] = await admin.press_data(old_confirm)  # the form without the map point was replaced
    assert "ยกเลิกแล้ว" in stale and len(workshops(service)) == 1


async def test_a_location_shared_without_a_form_is_echoed_and_changes_nothing(phones: Phones, service: Service) -> None:
    coordinator = phones.line()
    register(coordinator, Role.coordinator, "TH-50")
    [echo] = await coordinator.send(coordinator.event_for_location(13.7563, 100.5018))
    assert "13.756300,100.501800" in echo.text
    assert workshops(service) == [] and drafts(service) == []


async def test_a_workshop_created_without_a_chat_message_gets_the_same_checks_invitations_and_board(
    phones: Phones, service: Service
) -> None:
    """The use cases a web console calls, with no message and no chat context: the checks and the preview of the
    chat form, creation with its invitations, then the board and the waitlist."""
    dg, coord, outsider = await invitees_and_outsider(phones, "line")
    now = service.clock()
    start = now + timedelta(days=20)
    with transaction(service.engine) as session:
        places = invited_places(roles=[], provinces=["เชียงใหม่"], clusters=[], regions=[])
        with pytest.raises(BadForm) as refused:
            checked_workshop(title_th="x", starts_at=start, ends_at=start - timedelta(hours=1),
                             rsvp_deadline=now + timedelta(days=5), places=places, now=now, by=None)
        assert refused.value.text.render("en", **refused.value.params) == (
            "Cannot create the workshop: the end must be after the start. Nothing was stored.")
        workshop = checked_workshop(title_th="สัมมนาจากหน้าเว็บ", title_en="Workshop from the console",
                                    starts_at=start, ends_at=start + timedelta(hours=7),
                                    rsvp_deadline=now + timedelta(days=5), places=places, capacity=1, now=now, by=None)
        preview = compose.preview(Preview(workshop, invited_count(session=session, workshop=workshop)), "en",
                                  service.settings)
        assert "Invitees: 2 (" in preview[-1].cards[0].lines[0] and preview[-1].buttons == []
        created = create(session=session, workshop=workshop, settings=service.settings, now=now, by=None,
                         via="console", planner=NoPlanner())
    assert (created.invited, created.queued) == (2, 2)
    for phone in (dg, coord):
        assert "สัมมนาจากหน้าเว็บ" in shown(await phone.settle())
    assert await outsider.settle() == []
    assert "จะเข้าร่วม" in (await dg.press("เข้าร่วม"))[0]
    assert "รายชื่อสำรองลำดับที่ 1" in (await coord.press("เข้าร่วม"))[0]  # one seat
    assert created.workshop.id is not None
    with transaction(service.engine) as session:
        seen = board.workshop_board(session=session, workshop_id=created.workshop.id)
        line = board.waitlist(session=session, workshop_id=created.workshop.id)
        assert (seen.counts.overall["yes"], seen.counts.overall["waitlist"]) == (1, 1)
        assert [person.name for _, person in line.waiting] == ["กนกพร คำดี"] and line.offered == []
