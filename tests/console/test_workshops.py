"""Workshops in the console: create from chat's form with its preview (nothing stored or sent before the
confirmation), edit (those coming told; a wrong edit changes nothing), the board per cluster and province with
the waitlist, seats, exports audited as in chat, and the check-in desk."""

from __future__ import annotations

import html
from datetime import timedelta

import httpx
from sqlmodel import Session, select

from bot.service import Service
from storage.models import AuditLog, Role
from storage.rsvp import RsvpStatus, Workshop, answer, get_workshop, rsvp_of
from tests.console.conftest import csrf_of, post_form
from tests.factories import make_workshop, members
from tests.helpers import Phones, register

FORM = ("ชื่อ=ประชุมกลุ่มจังหวัดภาคใต้ชายแดน | เริ่ม=2569-04-20 09:00 | สิ้นสุด=2569-04-20 16:30 | "
        "ตอบรับภายใน=2569-04-10 16:30 | สถานที่=ศาลากลางจังหวัดสงขลา | จังหวัด=เชียงใหม่,ขอนแก่น | ที่นั่ง=10")


def workshops(service: Service) -> list[Workshop]:
    with Session(service.engine) as session:
        return list(session.exec(select(Workshop)))


async def test_a_workshop_is_previewed_as_chat_shows_it_then_created_and_invitations_sent(
    signed_in: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    people = members(phones)
    preview = await post_form(signed_in, "/console/workshops", "/console/workshops/preview", {"form": FORM})
    assert preview.status_code == 200 and "ตัวอย่างคำเชิญ" in preview.text
    assert "ประชุมกลุ่มจังหวัดภาคใต้ชายแดน" in preview.text and "ผู้ได้รับเชิญ 3 คน" in preview.text
    assert workshops(service) == [] and not any("ขอเชิญ" in t for t in people["kkn-tg"].texts)
    draft = preview.text.split('name="draft" value="')[1].split('"')[0]
    created = await post_form(signed_in, "/console/workshops", "/console/workshops/confirm", {"draft": draft})
    assert created.status_code == 200 and "บันทึกแล้ว" in created.text
    [workshop] = workshops(service)
    assert workshop.capacity == 10
    await people["kkn-tg"].settle()
    assert any("ประชุมกลุ่มจังหวัดภาคใต้ชายแดน" in t for t in people["kkn-tg"].texts)
    again = await post_form(signed_in, "/console/workshops", "/console/workshops/confirm", {"draft": draft})
    assert again.status_code == 200 and len(workshops(service)) == 1  # a second press creates nothing


async def test_a_wrong_form_gets_chats_answer_and_nothing_is_stored(signed_in: httpx.AsyncClient,
                                                                    service: Service) -> None:
    wrong = FORM.replace("สิ้นสุด=2569-04-20 16:30", "สิ้นสุด=2569-04-19 16:30")
    page = await post_form(signed_in, "/console/workshops", "/console/workshops/preview", {"form": wrong})
    assert page.status_code == 400 and 'class="error"' in page.text
    assert workshops(service) == []


async def test_the_board_shows_answers_by_province_and_the_waitlist(signed_in: httpx.AsyncClient,
                                                                    service: Service, phones: Phones) -> None:
    people = members(phones)
    ids = {k: register(people[k], Role.coordinator, iso, name=name)
           for k, iso, name in (("cmi-line", "TH-50", "สมชาย"), ("kkn-tg", "TH-40", "ขวัญใจ"))}
    workshop_id = make_workshop(service, capacity=1)
    with Session(service.engine) as session, session.begin():
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        assert workshop is not None
        for key in ("cmi-line", "kkn-tg"):
            row = rsvp_of(session=session, workshop_id=workshop_id, person_id=ids[key])
            assert row is not None
            answer(session=session, workshop=workshop, row=row, choice=RsvpStatus.yes, now=service.clock())
    page = await signed_in.get(f"/console/workshops/{workshop_id}")
    assert "เข้าร่วม 1 · ไม่เข้าร่วม 0" in page.text and "สำรอง 1" in page.text
    assert '<tr class="province" data-iso="TH-40">' in page.text and "ขวัญใจ · ขอนแก่น" in page.text
    fragment = await signed_in.get(f"/console/workshops/{workshop_id}/board")
    assert "<html" not in fragment.text and "ขวัญใจ" in fragment.text
    seats = await post_form(signed_in, f"/console/workshops/{workshop_id}", f"/console/workshops/{workshop_id}/seats",
                            {"capacity": "2"})
    assert "เสนอที่นั่งแล้ว" in seats.text  # the freed seat is offered to the one waiting


async def test_an_export_is_a_signed_link_audited_as_chats(signed_in: httpx.AsyncClient, service: Service) -> None:
    workshop_id = make_workshop(service)
    page = await signed_in.get(f"/console/workshops/{workshop_id}")
    response = await signed_in.post(f"/console/workshops/{workshop_id}/export",
                                    data={"csrf": csrf_of(page), "fmt": "csv"})
    assert response.status_code == 303 and f"/files/ws/{workshop_id}/export/" in response.headers["location"]
    with Session(service.engine) as session:
        [entry] = session.exec(select(AuditLog).where(AuditLog.action == "workshop_export")).all()
    assert entry.detail["via"] == "console" and entry.detail["contacts"] is False


async def test_the_desk_checks_in_by_code_on_the_workshops_day(signed_in: httpx.AsyncClient, service: Service,
                                                               phones: Phones) -> None:
    people = members(phones)
    person_id = register(people["kkn-tg"], Role.coordinator, "TH-40", name="ขวัญใจ")
    now = service.clock()
    workshop_id = make_workshop(service, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=6),
                                rsvp_deadline=now - timedelta(hours=2))
    with Session(service.engine) as session, session.begin():
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        row = rsvp_of(session=session, workshop_id=workshop_id, person_id=person_id)
        assert workshop is not None and row is not None
        answer(session=session, workshop=workshop, row=row, choice=RsvpStatus.yes, now=now)
        code = row.code
    desk = f"/console/workshops/{workshop_id}/desk"
    unknown = await post_form(signed_in, desk, desk, {"code": "ZZZZ-ZZZZ"})
    assert unknown.status_code == 400
    arrived = await post_form(signed_in, desk, desk, {"code": code})
    assert arrived.status_code == 200 and "ขวัญใจ" in arrived.text
    await people["kkn-tg"].settle()
    with Session(service.engine) as session:
        [entry] = session.exec(select(AuditLog).where(AuditLog.action == "workshop_checkin")).all()
    assert entry.detail["via"] == "console"


def answered(service: Service, workshop_id: int, answers: dict[int, RsvpStatus]) -> None:
    with Session(service.engine) as session, session.begin():
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        assert workshop is not None
        for person_id, choice in answers.items():
            row = rsvp_of(session=session, workshop_id=workshop_id, person_id=person_id)
            assert row is not None
            answer(session=session, workshop=workshop, row=row, choice=choice, now=service.clock())


def stored(service: Service, workshop_id: int) -> Workshop:
    with Session(service.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id)
        assert workshop is not None
        return workshop


async def test_an_edit_is_saved_and_those_coming_are_told_in_their_language(
    signed_in: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    people = members(phones)
    ids = {"kkn-tg": register(people["kkn-tg"], Role.coordinator, "TH-40", name="ขวัญใจ", lang="en"),
           "cmi-tg": register(people["cmi-tg"], Role.coordinator, "TH-50", name="สมหญิง")}
    workshop_id = make_workshop(service)
    answered(service, workshop_id, {ids["kkn-tg"]: RsvpStatus.yes, ids["cmi-tg"]: RsvpStatus.maybe})
    page = await signed_in.get(f"/console/workshops/{workshop_id}")
    assert 'name="venue" value="โรงแรมรามาการ์เด้นส์"' in page.text
    start = (service.clock() + timedelta(days=12)).astimezone(service.settings.tz).replace(hour=9, minute=0)
    saved = await post_form(signed_in, f"/console/workshops/{workshop_id}", f"/console/workshops/{workshop_id}/edit",
                            {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{start:%Y-%m-%d} 16:00",
                             "venue": "ศูนย์ประชุมขอนแก่น", "capacity": "20"})
    assert saved.status_code == 200 and "บันทึกแล้ว แจ้งผู้ที่จะมา 2 คน" in saved.text
    workshop = stored(service, workshop_id)
    assert (workshop.venue, workshop.starts_at, workshop.capacity) == ("ศูนย์ประชุมขอนแก่น", start, 20)
    assert service.scheduler is not None  # the reminders are planned for the new start
    assert dict(service.scheduler.planned(f"ws:{workshop_id}:"))[f"ws:{workshop_id}:remind:1d"] == \
        start - timedelta(days=1)
    for key, words in (("kkn-tg", "has changed\nWhen: "), ("cmi-tg", "มีการเปลี่ยนแปลง\nวันเวลา: ")):
        await people[key].settle()
        assert any(words in t and "ศูนย์ประชุมขอนแก่น" in t for t in people[key].texts), people[key].texts
    await people["ska-dg"].settle()
    assert not any("ศูนย์ประชุมขอนแก่น" in t for t in people["ska-dg"].texts)  # invited, not answered: not told
    with Session(service.engine) as session:
        [entry] = session.exec(select(AuditLog).where(AuditLog.action == "workshop_edited")).all()
    assert entry.detail["via"] == "console" and entry.detail["changed"] == ["starts_at", "ends_at", "venue",
                                                                            "capacity"]


async def test_a_wrong_edit_is_refused_in_the_admins_language_and_nothing_changes(
    signed_in: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    people = members(phones)
    workshop_id = make_workshop(service)
    answered(service, workshop_id, {register(people["kkn-tg"], Role.coordinator, "TH-40"): RsvpStatus.yes})
    before = stored(service, workshop_id).model_dump()
    after_start = (before["starts_at"] + timedelta(days=1)).astimezone(service.settings.tz)
    refused = await post_form(signed_in, f"/console/workshops/{workshop_id}",
                              f"/console/workshops/{workshop_id}/edit",
                              {"deadline": f"{after_start:%Y-%m-%d %H:%M}", "venue": "ที่อื่น"})
    assert refused.status_code == 400
    assert ("แก้ไขสัมมนาไม่ได้: วันปิดรับคำตอบต้องไม่อยู่หลังเวลาเริ่ม ไม่มีการเปลี่ยนแปลง" in refused.text
            and 'name="venue" value="ที่อื่น"' in refused.text)  # what was typed stays on the form
    assert 'name="address" value="ถนนวิภาวดีรังสิต กรุงเทพฯ"' in refused.text  # and the rest as it is
    unreadable = await post_form(signed_in, f"/console/workshops/{workshop_id}",
                                 f"/console/workshops/{workshop_id}/edit", {"start": "พรุ่งนี้เช้า"})
    assert unreadable.status_code == 400 and 'อ่านวันเวลา เริ่ม="พรุ่งนี้เช้า" ไม่ได้' in html.unescape(unreadable.text)
    no_token = await signed_in.post(f"/console/workshops/{workshop_id}/edit", data={"venue": "ที่อื่น"})
    assert no_token.status_code == 403
    assert stored(service, workshop_id).model_dump() == before
    await people["kkn-tg"].settle()
    assert not any("ที่อื่น" in t for t in people["kkn-tg"].texts)
