"""Workshop RSVP conversations on both platforms: invitation, answers and changes, refusals, my workshops and
details with the map and calendar file, the waitlist and offers of freed seats, delegates."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session

from bot.service import Service
from scheduler import rsvp as jobs
from storage.db import transaction
from storage.models import Role
from storage.people import audit_entries
from storage.rsvp import RsvpStatus, Workshop, create_workshop
from tests.factories import PROVINCES, make_workshop, phone_on, row_of, shown, status_of
from tests.helpers import Phones, register


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_invitation_arrives_with_answer_buttons_and_the_map(phones: Phones, service: Service,
                                                                   platform: str) -> None:
    phone = phone_on(phones, platform)
    register(phone, Role.deputy_governor, "TH-50", name="ประเสริฐ")
    make_workshop(service)
    received = await phone.settle()
    text = shown(received)
    assert "ขอเชิญเข้าร่วม" in text and "สัมมนารองผู้ว่าฯ" in text
    assert "12 มี.ค. 2569 10:00 น." in text  # start, Buddhist Era, Bangkok time
    assert "7 มี.ค. 2569" in text  # the RSVP deadline
    labels = [label for label, _ in phone.last_buttons]
    assert labels[:3] == ["เข้าร่วม", "ไม่เข้าร่วม", "ไม่แน่ใจ"]
    assert any(r.kind in ("location", "venue") for r in received)


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_map_point_without_venue_or_address_still_arrives_as_a_location(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phone_on(phones, platform)
    register(phone, Role.deputy_governor, "TH-50", name="ประเสริฐ")
    make_workshop(service, venue="", address="")
    received = await phone.settle()
    assert [r.kind for r in received if r.kind in ("location", "venue")] == ["location" if platform == "line"
                                                                             else "venue"]


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_answer_change_and_the_same_answer_twice(phones: Phones, service: Service, platform: str) -> None:
    phone = phone_on(phones, platform)
    person = register(phone, Role.coordinator, "TH-40", name="อรทัย")
    workshop = make_workshop(service)
    await phone.settle()
    [recorded] = await phone.press("เข้าร่วม")
    assert "บันทึกแล้ว" in recorded and "จะเข้าร่วม" in recorded
    assert status_of(service, workshop, person) == RsvpStatus.yes
    await phone.press_data(f"rv:{workshop}:maybe")
    assert status_of(service, workshop, person) == RsvpStatus.maybe
    await phone.press_data(f"rv:{workshop}:no")
    [again] = await phone.press_data(f"rv:{workshop}:no")
    assert "อยู่แล้ว" in again and "ไม่มีการเปลี่ยนแปลง" in again
    assert status_of(service, workshop, person) == RsvpStatus.no


async def test_english_reader_sees_gregorian_dates(phones: Phones, service: Service) -> None:
    phone = phones.telegram(3)
    register(phone, Role.coordinator, "TH-90", name="Hasan", lang="en")
    make_workshop(service)
    text = shown(await phone.settle())
    assert "Deputy governors' workshop" in text and "12 Mar 2026 10:00" in text
    [answer] = await phone.press("Attend")
    assert "you will attend" in answer


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_after_the_deadline_and_after_the_start_answers_are_refused(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phone_on(phones, platform)
    person = register(phone, Role.coordinator, "TH-50")
    workshop = make_workshop(service)
    await phone.settle()
    phones.clock.advance(days=6)
    [refused] = await phone.press("เข้าร่วม")
    assert "ปิดรับคำตอบ" in refused and "ไม่มีการเปลี่ยนแปลง" in refused
    phones.clock.advance(days=5)
    [started] = await phone.press_data(f"rv:{workshop}:no")
    assert "เริ่มไปแล้ว" in started
    assert status_of(service, workshop, person) == RsvpStatus.invited


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_unknown_workshop_and_forged_buttons_get_a_clear_reply(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phone_on(phones, platform)
    person = register(phone, Role.coordinator, "TH-50")
    workshop = make_workshop(service)
    await phone.settle()
    assert "ไม่พบสัมมนา #999" in (await phone.press_data("rv:999:yes"))[0]
    assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in (await phone.press_data(f"rv:{workshop}:always"))[0]
    assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in (await phone.press_data("rv:abc:yes"))[0]
    assert "หมดอายุหรือไม่มีแล้ว" in (await phone.press_data(f"rvo:{workshop}:True"))[0]
    assert status_of(service, workshop, person) == RsvpStatus.invited
    outsider = phone_on(phones, platform, 2)
    register(outsider, Role.coordinator, "TH-10")  # Bangkok is not invited
    assert "ไม่ได้อยู่ในรายชื่อผู้ได้รับเชิญ" in (await outsider.press_data(f"rv:{workshop}:yes"))[0]


@pytest.mark.parametrize("forged", ["rv:{w}:waitlist", "rv:{w}:offered", "rvo:{w}:yes", "rvo:{w}:1",
                                    "wse:{w}:pdf:False", "wse:{w}:csv:yes", "wsl:{w}:ten:0", "wsn:{w}:x"])
async def test_a_forged_value_in_any_workshop_button_is_a_bad_button_and_changes_nothing(
    phones: Phones, service: Service, forged: str
) -> None:
    """Each field is checked against its type when the button comes back: an answer that is not one of the three,
    a format that is not CSV or XLSX, a flag that is neither True nor False."""
    invitee, admin = phones.line(1), phones.telegram(2)
    person = register(invitee, Role.coordinator, "TH-50")
    register(admin, Role.admin)
    workshop = make_workshop(service)
    await invitee.settle()
    for phone in (invitee, admin):
        [answer] = await phone.press_data(forged.format(w=workshop))
        assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in answer
    assert status_of(service, workshop, person) == RsvpStatus.invited
    with Session(service.engine) as session:
        assert audit_entries(session=session, action="workshop_export") == []


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_my_workshops_and_details_with_location_and_calendar_file(
    phones: Phones, service: Service, client: httpx.AsyncClient, platform: str
) -> None:
    phone = phone_on(phones, platform)
    register(phone, Role.deputy_governor, "TH-50")
    make_workshop(service)
    await phone.settle()
    await phone.press("เข้าร่วม")
    listing = shown(await phone.send(phone.event_for_text("สัมมนา")))
    assert "สัมมนารองผู้ว่าฯ" in listing and "เข้าร่วม ✅" in listing
    assert phone.last_buttons[0][0].startswith("12 มี.ค. สัมมนา"), phone.last_buttons
    await phone.press("12 มี.ค.")
    screen = phone.screen[-3:]
    assert any(r.kind in ("location", "venue") for r in screen)
    [ics] = [data for label, data in phone.last_buttons if "ลงปฏิทิน" in label]
    path = ics.split("127.0.0.1:8000", 1)[1]
    response = await client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    body = response.text
    assert "BEGIN:VEVENT" in body and "DTSTART:20260312T030000Z" in body and "GEO:13.866300;100.571800" in body
    forged = await client.get(path.replace(path.rsplit("/", 1)[1], "0" * 24 + ".ics"))
    assert forged.status_code == 404


async def test_rsvp_command_answers_by_words(phones: Phones, service: Service) -> None:
    phone = phones.line(5)
    person = register(phone, Role.coordinator, "TH-90")
    workshop = make_workshop(service)
    await phone.settle()
    [done] = await phone.say(f"ตอบรับ {workshop} ไป")
    assert "จะเข้าร่วม" in done
    assert status_of(service, workshop, person) == RsvpStatus.yes
    [usage] = await phone.say("/rsvp")
    assert "/rsvp ID" in usage


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_when_full_a_yes_joins_the_waitlist_and_a_freed_seat_is_offered(
    phones: Phones, service: Service, platform: str
) -> None:
    first, second, third = (phone_on(phones, platform, n) for n in (1, 2, 3))
    ids = [register(p, Role.coordinator, iso) for p, iso in zip((first, second, third), PROVINCES, strict=True)]
    workshop = make_workshop(service, capacity=1, offer_hours=12)
    for p in (first, second, third):
        await p.settle()
    await first.press("เข้าร่วม")
    [waiting] = await second.press("เข้าร่วม")
    assert "เต็มแล้ว" in waiting and "ลำดับที่ 1" in waiting
    [waiting3] = await third.press("เข้าร่วม")
    assert "ลำดับที่ 2" in waiting3
    [same] = await third.press_data(f"rv:{workshop}:yes")
    assert "ลำดับที่ 2 อยู่แล้ว" in same
    await first.press_data(f"rv:{workshop}:no")
    [offer] = await second.settle()
    assert "มีที่นั่งว่าง" in offer.text and "12 ชั่วโมง" not in offer.text
    assert status_of(service, workshop, ids[1]) == RsvpStatus.offered
    assert service.scheduler is not None and service.scheduler.planned(f"ws:{workshop}:offers:")
    [taken] = await second.press("รับที่นั่ง")
    assert "จะเข้าร่วม" in taken
    assert status_of(service, workshop, ids[1]) == RsvpStatus.yes
    assert status_of(service, workshop, ids[2]) == RsvpStatus.waitlist


async def test_an_offer_that_expires_goes_to_the_next_person(phones: Phones, service: Service) -> None:
    first, second, third = (phones.line(n) for n in (1, 2, 3))
    ids = [register(p, Role.coordinator, iso) for p, iso in zip((first, second, third), PROVINCES, strict=True)]
    workshop = make_workshop(service, capacity=1, offer_hours=12)
    for p in (first, second, third):
        await p.settle()
        await p.press("เข้าร่วม")
    await first.press_data(f"rv:{workshop}:no")
    await second.settle()
    phones.clock.advance(hours=12, minutes=1)
    assert jobs.expire(workshop) == 1
    [lapsed] = await second.settle()
    assert "หมดเวลายืนยัน" in lapsed.text
    [offer] = await third.settle()
    assert "มีที่นั่งว่าง" in offer.text
    assert [status_of(service, workshop, i) for i in ids] == [RsvpStatus.no, RsvpStatus.lapsed, RsvpStatus.offered]
    assert "หมดอายุ" in (await second.press("รับที่นั่ง"))[0]
    [passed] = await third.press("สละที่นั่ง")
    assert "จะไม่เข้าร่วม" in passed


async def test_the_per_province_limit_waitlists_the_second_from_a_province(phones: Phones, service: Service) -> None:
    dg, coord, other = phones.line(1), phones.line(2), phones.line(3)
    register(dg, Role.deputy_governor, "TH-50")
    coord_id = register(coord, Role.coordinator, "TH-50")
    other_id = register(other, Role.coordinator, "TH-40")
    workshop = make_workshop(service, capacity=10, per_province=1)
    for p in (dg, coord, other):
        await p.settle()
        await p.press("เข้าร่วม")
    assert status_of(service, workshop, coord_id) == RsvpStatus.waitlist
    assert status_of(service, workshop, other_id) == RsvpStatus.yes
    await dg.press_data(f"rv:{workshop}:no")  # the province's seat frees up: its own waitlisted person is offered
    assert status_of(service, workshop, coord_id) == RsvpStatus.offered


async def test_raising_the_capacity_promotes_the_waitlist(phones: Phones, service: Service) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์")
    people = [phones.line(n) for n in (1, 2, 3)]
    ids = [register(p, Role.coordinator, iso) for p, iso in zip(people, PROVINCES, strict=True)]
    workshop = make_workshop(service, capacity=1)
    for p in people:
        await p.settle()
        await p.press("เข้าร่วม")
    [done] = await admin.say(f"/attendees {workshop} seats 3")
    assert "2" in done and "ที่นั่ง 3" in done
    assert [status_of(service, workshop, i) for i in ids] == [RsvpStatus.yes, RsvpStatus.offered, RsvpStatus.offered]
    [offer] = await people[2].settle()
    assert "มีที่นั่งว่าง" in offer.text
    refused = await people[0].say(f"/attendees {workshop} seats 9")
    assert "สำหรับ ผู้ดูแลระบบ เท่านั้น" in refused[0]


async def test_lowering_seats_below_those_taken_asks_first_and_nobody_loses_a_seat(
    phones: Phones, service: Service
) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์", lang="en")
    people = [phones.line(n) for n in (1, 2, 3)]
    ids = [register(p, Role.coordinator, iso) for p, iso in zip(people, PROVINCES, strict=True)]
    workshop = make_workshop(service, capacity=10)
    for p in people:
        await p.settle()
        await p.press("เข้าร่วม")
    [asked] = await admin.say(f"/attendees {workshop} seats 2")
    assert asked.startswith("⚠️ 3 seats are taken, but the new total is 2.")
    assert "Everyone who said yes keeps their seat" in asked
    with Session(service.engine) as session:
        assert session.get(Workshop, workshop).capacity == 10  # type: ignore[union-attr]
    [done] = await admin.press("Yes, set the seats")
    assert done.startswith("Seats set to 2")
    with Session(service.engine) as session:
        assert session.get(Workshop, workshop).capacity == 2  # type: ignore[union-attr]
    assert [status_of(service, workshop, i) for i in ids] == [RsvpStatus.yes] * 3
    for p in people:
        assert await p.settle() == []  # nobody is told of a change to their seat: there is none


async def test_lowering_seats_per_province_below_a_provinces_seats_names_it(phones: Phones, service: Service) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin)
    dg, coord = phones.line(1), phones.line(2)
    register(dg, Role.deputy_governor, PROVINCES[0])
    register(coord, Role.coordinator, PROVINCES[0])
    workshop = make_workshop(service, capacity=10)
    for p in (dg, coord):
        await p.settle()
        await p.press("เข้าร่วม")
    [asked] = await admin.say(f"/attendees {workshop} seats 10 1")
    assert "ตอบรับแล้ว 2 ที่นั่ง แต่ที่นั่งต่อจังหวัดใหม่คือ 1" in asked
    await admin.press("ยกเลิก")
    with Session(service.engine) as session:
        assert session.get(Workshop, workshop).per_province is None  # type: ignore[union-attr]


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_delegate_takes_the_seat_and_the_principal_is_told(
    phones: Phones, service: Service, platform: str
) -> None:
    principal, delegate = phone_on(phones, platform, 1), phone_on(phones, platform, 2)
    principal_id = register(principal, Role.deputy_governor, "TH-40", name="วิชัย พลเยี่ยม")
    workshop = make_workshop(service, capacity=5)
    await principal.settle()
    [named] = await principal.say(f"ผู้แทน {workshop} นางสาวมาลี ใจดี | ปลัดจังหวัด | 081-234-5678")
    assert "มาลี" in named and "ขอนแก่น" in named
    row = row_of(service, workshop, principal_id)
    assert row.status == RsvpStatus.yes and row.delegate_name == "นางสาวมาลี ใจดี"
    assert row.code in named
    [confirmed, *_] = await delegate.say(f"/delegate {row.code.lower()}")
    assert "คุณเป็นผู้แทนของ วิชัย พลเยี่ยม" in confirmed
    [told] = await principal.settle()
    assert "ผู้แทนของคุณ นางสาวมาลี ใจดี ยืนยัน" in told.text
    [again] = await delegate.say(f"/delegate {row.code}")
    assert again.startswith("ใช้รหัสนี้ไม่ได้")  # a used code is answered like any wrong one
    assert "สัมมนารองผู้ว่าฯ" in shown(await delegate.send(delegate.event_for_text("/workshops")))
    coordinator = phone_on(phones, platform, 3)
    register(coordinator, Role.coordinator, "TH-40")
    assert "เท่านั้น" in (await coordinator.say(f"/delegate {workshop} ใคร | อะไร"))[0]
    with Session(service.engine) as session:  # the router refused the deputy governors' variant, and logged it
        [refusal] = audit_entries(session=session, action="refused")
    assert refusal.detail["command"] == f"delegate {workshop}" and refusal.detail["role"] == "coordinator"


async def test_a_new_delegate_code_replaces_the_old_one(phones: Phones, service: Service) -> None:
    principal = phones.line(1)
    principal_id = register(principal, Role.deputy_governor, "TH-50")
    workshop = make_workshop(service)
    await principal.settle()
    await principal.say(f"/delegate {workshop} คนแรก | ปลัด")
    old = row_of(service, workshop, principal_id).code
    await principal.say(f"/delegate {workshop} คนที่สอง | รองปลัด")
    assert (await phones.line(2).say(f"/delegate {old}"))[0].startswith("ใช้รหัสนี้ไม่ได้")


def test_workshop_table_rejects_bad_dates(service: Service) -> None:
    with transaction(service.engine) as session, pytest.raises(ValueError):
        now = service.clock()
        create_workshop(session=session, title_th="x", starts_at=now, ends_at=now - timedelta(hours=1),
                        rsvp_deadline=now, roles=[Role.coordinator], provinces=["TH-50"], scope="")
    with Session(service.engine) as session:
        assert session.get(Workshop, 1) is None


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_in_english_my_workshops_change_of_answer_and_the_delegate_told(
    phones: Phones, service: Service, platform: str
) -> None:
    principal, delegate = phone_on(phones, platform, 1), phone_on(phones, platform, 2)
    principal_id = register(principal, Role.deputy_governor, "TH-90", name="Hasan Doloh", lang="en")
    register(delegate, Role.guest, name="Malee Jaidee", lang="en")
    workshop = make_workshop(service)
    await principal.settle()
    [yes] = await principal.press("Attend")
    assert "Recorded: you will attend \"Deputy governors' workshop\"" in yes and "12 Mar 2026 10:00" in yes
    listing = shown(await principal.send(principal.event_for_text("/workshops")))
    assert "my workshops" in listing and "Your answer: attending ✅" in listing and "Answer by 7 Mar 2026" in listing
    [no] = await principal.say(f"/rsvp {workshop} no")
    assert "you will not attend" in no and "7 Mar 2026" in no
    [same] = await principal.press_data(f"rv:{workshop}:no")
    assert "Your answer is already \"not attending\"; nothing changed." in same
    [named] = await principal.say(f"/delegate {workshop} Malee Jaidee | Deputy permanent secretary")
    assert "Delegate recorded: Malee Jaidee" in named and "Songkhla" in named
    code = row_of(service, workshop, principal_id).code
    [confirmed, *_] = await delegate.say(f"/delegate {code}")
    assert "Confirmed: you represent Hasan Doloh at \"Deputy governors' workshop\"" in confirmed
    [told] = await principal.settle()
    app = {"line": "LINE", "telegram": "Telegram"}[platform]
    assert told.text == (f"✅ Your delegate Malee Jaidee has confirmed for \"Deputy governors' workshop\" "
                         f"(from the {app} \"Malee Jaidee\" account).")
    phones.clock.advance(days=6)
    [closed] = await principal.press_data(f"rv:{workshop}:maybe")
    assert "Answers for \"Deputy governors' workshop\" closed at 7 Mar 2026" in closed and "nothing changed" in closed
