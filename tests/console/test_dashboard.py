"""The dashboard: open windows as a 77-province grid coloured by status and time left, upcoming workshops with
their answers, recent announcements with delivery and acknowledgement percentages."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from bot.service import Service
from storage.db import transaction
from storage.deadlines import get_window, submit
from storage.models import Role
from storage.rsvp import RsvpStatus, answer, get_workshop, rsvp_of
from tests.factories import CHIANG_MAI, KHON_KAEN, make_workshop, members, window_closing
from tests.helpers import Clock, Phone, Phones, register

CELL = re.compile(r'<li class="cell (\w+)" data-iso="(TH-\d+)"')


def grid(html: str) -> dict[str, str]:
    return {iso: state for state, iso in CELL.findall(html)}


async def test_an_open_window_shows_every_province_by_status_and_time_left(
    signed_in: httpx.AsyncClient, service: Service, clock: Clock
) -> None:
    window_id = window_closing(service, clock.now + timedelta(hours=12))
    with transaction(service.engine) as session:
        window = get_window(session=session, window_id=window_id)
        assert window is not None
        submit(session=session, window=window, province_iso=CHIANG_MAI, person_id=None, now=clock.now)
    page = await signed_in.get("/console")
    cells = grid(page.text)
    assert len(cells) == 77
    assert cells[CHIANG_MAI] == "done" and cells[KHON_KAEN] == "urgent"
    assert {state for iso, state in cells.items() if iso not in (CHIANG_MAI, KHON_KAEN)} == {"na"}
    assert "ส่งแล้ว 1/2 จังหวัด" in page.text and "แผนพัฒนาจังหวัด 2570" in page.text
    clock.advance(days=-5)  # the same window seen five and a half days before its close: no hurry yet
    assert grid((await signed_in.get("/console")).text)[KHON_KAEN] == "due"


async def test_upcoming_workshops_show_their_answers(signed_in: httpx.AsyncClient, service: Service,
                                                     phones: Phones) -> None:
    people = members(phones)
    workshop_id = make_workshop(service)
    ids = {key: register(people[key], Role.coordinator, iso) for key, iso in (("cmi-line", CHIANG_MAI),
                                                                               ("kkn-tg", KHON_KAEN))}
    with transaction(service.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        assert workshop is not None
        for key, choice in (("cmi-line", RsvpStatus.yes), ("kkn-tg", RsvpStatus.no)):
            row = rsvp_of(session=session, workshop_id=workshop_id, person_id=ids[key])
            assert row is not None
            answer(session=session, workshop=workshop, row=row, choice=choice, now=service.clock())
    page = await signed_in.get("/console")
    assert "สัมมนารองผู้ว่าฯ" in page.text
    assert "เข้าร่วม 1 · ไม่เข้าร่วม 1 · ไม่แน่ใจ 0 · ยังไม่ตอบ 2" in page.text


async def test_recent_announcements_show_delivery_and_acknowledgements(
    signed_in: httpx.AsyncClient, admin: Phone, phones: Phones
) -> None:
    people = members(phones)
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ประชุมออนไลน์ พรุ่งนี้")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    await people["cmi-line"].settle()
    await people["cmi-line"].press("รับทราบ")
    page = await signed_in.get("/console")
    assert "ประชุมออนไลน์ พรุ่งนี้" in page.text
    assert "ส่งถึง 100% (3/3)" in page.text and "รับทราบ 33% (1/3)" in page.text


async def test_the_dashboard_switches_to_english(signed_in: httpx.AsyncClient) -> None:
    page = await signed_in.get("/console/lang/en?next=/console", follow_redirects=True)
    assert "Open submission windows" in page.text and "Sign out" in page.text
    assert 'lang="en"' in page.text
    away = await signed_in.get("/console/lang/th?next=https://evil.example/", follow_redirects=False)
    assert away.headers["location"] == "/console"
