"""Workshop RSVP around the day itself: reminders and nudges from the scheduler, check-in by QR code and by
staff, the admins' counts, nudge button and exports, the CLI, and one whole conversation on both platforms."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from bot.cli import main
from bot.files import qr_url
from bot.service import Service
from scheduler import rsvp as jobs
from storage.db import make_engine, transaction
from storage.demo import seed_all
from storage.migrations import upgrade
from storage.models import Role
from storage.people import audit_entries
from storage.rsvp import RsvpStatus, all_workshops, get_workshop, rsvps
from tests.factories import last_document, local_path, make_workshop, row_of, shown, status_of
from tests.helpers import Phones, register


async def test_workshops_without_jobs_are_planned_at_start_up_and_only_once(phones: Phones, service: Service) -> None:
    assert service.scheduler is not None
    planned, unplanned = make_workshop(service), make_workshop(service)  # stored straight into the database
    with Session(service.engine) as session:
        workshop = get_workshop(session=session, workshop_id=planned)
    assert workshop is not None
    jobs.plan_workshop(service.scheduler, workshop, phones.clock())
    assert jobs.plan_missing(service.scheduler, service.engine, phones.clock()) == 1
    assert service.scheduler.planned(f"ws:{unplanned}:")
    assert jobs.plan_missing(service.scheduler, service.engine, phones.clock()) == 0


async def test_reminders_are_planned_and_fire_once_with_venue_and_map(phones: Phones, service: Service) -> None:
    going, silent = phones.line(1), phones.telegram(2)
    register(going, Role.coordinator, "TH-50")
    register(silent, Role.coordinator, "TH-40")
    workshop_id = make_workshop(service, reminders=["3d", "1d"], nudges=["2d"])
    await going.settle()
    await silent.settle()
    await going.press("เข้าร่วม")
    assert service.scheduler is not None
    with Session(service.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id)
    assert workshop is not None
    planned = dict(jobs.plan_workshop(service.scheduler, workshop, phones.clock()))
    start, deadline = workshop.starts_at, workshop.rsvp_deadline
    assert planned == {f"ws:{workshop_id}:remind:3d": start - timedelta(days=3),
                       f"ws:{workshop_id}:remind:1d": start - timedelta(days=1),
                       f"ws:{workshop_id}:nudge:2d": deadline - timedelta(days=2)}
    assert {job for job, _ in service.scheduler.planned(f"ws:{workshop_id}:")} == set(planned)

    phones.clock.now = deadline - timedelta(days=2)
    assert jobs.nudge(workshop_id, "2d") == 1
    assert jobs.nudge(workshop_id, "2d") == 0  # fired twice: nobody is nudged twice
    assert "ยังไม่ได้ตอบรับ" in shown(await silent.settle())
    assert await going.settle() == []

    phones.clock.now = start - timedelta(days=3)
    assert jobs.remind(workshop_id, "3d") == 1
    reminder = await going.settle()
    assert "อีก 3 วัน" in reminder[0].text and "โรงแรมรามาการ์เด้นส์" in reminder[0].text
    assert any(r.kind == "location" for r in reminder)
    assert jobs.remind(workshop_id, "3d") == 0
    assert await silent.settle() == []
    phones.clock.now = start + timedelta(minutes=1)
    assert jobs.remind(workshop_id, "1d") == 0  # caught up after the start: dropped


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_check_in_by_qr_code_and_by_staff(
    phones: Phones, service: Service, client: httpx.AsyncClient, platform: str
) -> None:
    attendee = phones.line(1) if platform == "line" else phones.telegram(1)
    staff = phones.telegram(9)
    person = register(attendee, Role.deputy_governor, "TH-90", name="อดุลย์")
    register(staff, Role.admin, name="สุนีย์")
    service.settings.public_url = "https://coordbot.example.go.th"  # LINE shows images from HTTPS only
    workshop = make_workshop(service)
    await attendee.settle()
    assert "ยังไม่มีที่นั่ง" in (await attendee.say("เช็คอิน"))[0]
    await attendee.press("เข้าร่วม")
    screen = await attendee.send(attendee.event_for_text("/checkin"))
    code = row_of(service, workshop, person).code
    assert code in screen[0].text
    assert [r.kind for r in screen] == ["text", "image"]
    row = row_of(service, workshop, person)
    with Session(service.engine) as session:
        shown_workshop = get_workshop(session=session, workshop_id=workshop)
        assert shown_workshop is not None
        url = qr_url(service.settings, shown_workshop, row)
    if platform == "line":
        assert screen[1].raw["originalContentUrl"] == url
    png = await client.get(local_path(url))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert (await client.get(local_path(url).replace(f"/qr/{row.id}/", "/qr/999/"))).status_code == 404

    assert "สำหรับ ผู้ดูแลระบบ" in (await attendee.say(f"/checkin {code}"))[0]
    phones.clock.advance(days=10)
    [marked] = await staff.say(f"/checkin {code.lower()}")
    assert "ลงทะเบียนแล้ว: อดุลย์ (สงขลา)" in marked
    [welcome] = await attendee.settle()
    assert "ยินดีต้อนรับ" in welcome.text
    assert "ลงทะเบียนไว้แล้ว" in (await staff.say(f"/checkin {code}"))[0]
    assert "ไม่พบรหัส" in (await staff.say("/checkin ZZZZ-ZZZZ"))[0]
    assert row_of(service, workshop, person).checked_in_at == phones.clock()


async def test_admin_counts_silent_provinces_nudge_and_exports(
    phones: Phones, service: Service, client: httpx.AsyncClient
) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์")
    cmi, kkn = phones.line(1), phones.line(2)
    register(cmi, Role.deputy_governor, "TH-50", name="ประเสริฐ ศรีสุข")
    register(kkn, Role.coordinator, "TH-40", name="อรทัย บุญมา")
    register(phones.line(3), Role.coordinator, "TH-90", name="ฮาซัน ดอเลาะ")
    workshop = make_workshop(service, capacity=10)
    await cmi.settle()
    await kkn.settle()
    await cmi.say(f"/delegate {workshop} มาลี ใจดี | ปลัดจังหวัด | 081-234-5678")
    await kkn.press("ไม่เข้าร่วม")

    [overview] = await admin.say("/attendees")
    assert f"#{workshop}" in overview
    [view] = await admin.press(f"#{workshop}")
    assert "เข้าร่วม 1" in view and "ไม่เข้าร่วม 1" in view and "ผู้แทน 1" in view and "ที่นั่ง 1/10" in view
    assert "จังหวัดที่ยังไม่ตอบ (1): สงขลา" in view
    assert "กลุ่มจังหวัดภาคเหนือตอนบน 1" in view
    [nudged] = await admin.press("เตือนผู้ที่ยังไม่ตอบ")
    assert "1 คน" in nudged

    await admin.press("ส่งออก CSV")
    assert admin.screen[-1].kind == "document"
    csv = await client.get(last_document(service))
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    text = csv.content.decode("utf-8-sig")
    assert "จังหวัด,กลุ่มจังหวัด,ชื่อ" in text and "ประเสริฐ ศรีสุข" in text and "มาลี ใจดี" in text
    assert "081-234-5678" not in text and "อรทัย" not in text

    await admin.send(admin.event_for_text(f"/attendees {workshop}"))
    await admin.press("CSV พร้อมข้อมูลติดต่อ")
    assert "081-234-5678" in (await client.get(last_document(service))).content.decode("utf-8-sig")

    await admin.send(admin.event_for_text(f"/attendees {workshop}"))
    await admin.press("ส่งออก XLSX")
    xlsx = await client.get(last_document(service))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["C2"].value == "ประเสริฐ ศรีสุข"

    with Session(service.engine) as session:
        exports = audit_entries(session=session, action="workshop_export")
    assert [(e.detail["via"], e.detail["format"], e.detail["contacts"]) for e in exports] == [
        ("chat", "csv", False), ("download", "csv", False), ("chat", "csv", True), ("download", "csv", True),
        ("chat", "xlsx", False), ("download", "xlsx", False)]
    phones.clock.advance(hours=25)
    assert (await client.get(last_document(service))).status_code == 410


async def test_admin_counts_include_bangkok_which_is_in_no_cluster(phones: Phones, service: Service) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์")
    bkk = phones.line(1)
    register(bkk, Role.coordinator, "TH-10", name="วรรณา สุขใจ")
    workshop = make_workshop(service, provinces=["TH-10", "TH-50"])
    await bkk.settle()
    await bkk.press("เข้าร่วม")
    [view] = await admin.say(f"/attendees {workshop}")
    assert "• กรุงเทพมหานคร: 1/1" in view


def test_cli_creates_lists_exports_checks_in_and_edits(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    monkeypatch.chdir(str(tmp_path))
    engine = make_engine(database_url)
    upgrade(engine)
    seed_all(engine)
    year = datetime.now(UTC).year + 543 + 1  # next year, Buddhist Era: the CLI refuses deadlines already past
    assert main(["workshop", "create", "--title-th", "สัมมนากลุ่มจังหวัด", "--title-en", "Cluster workshop",
                 "--start", f"{year}-01-20 09:00", "--end", f"{year}-01-20 16:30", "--deadline", f"{year}-01-10 16:30",
                 "--venue", "ศาลากลางจังหวัดเชียงใหม่", "--lat", "18.84", "--lon", "98.97",
                 "--clusters", "1", "--capacity", "30", "--per-province", "2", "--reminders", "3d,1d,2h"]) == 0
    out = capsys.readouterr().out
    assert "invited 2 (2 invitations queued)" in out and f"20 ม.ค. {year} 09:00 น." in out
    assert "4 reminder/nudge jobs planned" in out
    assert main(["workshop", "create", "--title-th", "x", "--start", f"{year}-01-20 09:00",
                 "--end", f"{year}-01-19 09:00", "--deadline", f"{year}-01-10 16:30"]) == 2
    assert main(["workshop", "create", "--title-th", "x", "--start", f"{year}-01-20 09:00",
                 "--end", f"{year}-01-21 09:00", "--deadline", f"{year}-01-10 16:30",
                 "--provinces", "เชียงใหม, ฝรั่งเศส"]) == 2
    assert main(["workshop", "create", "--title-th", "x", "--start", f"{year}-01-20 09:00", "--end",
                 f"{year}-01-21 09:00", "--deadline", f"{year - 2}-01-10 16:30"]) == 2
    assert "the RSVP deadline has already passed" in capsys.readouterr().err
    assert main(["workshop", "list"]) == 0
    assert "สัมมนากลุ่มจังหวัด" in capsys.readouterr().out
    with transaction(engine) as session:
        national = all_workshops(session=session)[0]
        code = rsvps(session=session, workshop_id=national.id or 0)[0].code
    assert main(["workshop", "export", str(national.id), "--format", "xlsx", "-o", "attendees.xlsx"]) == 0
    assert main(["workshop", "export", str(national.id)]) == 0
    assert main(["workshop", "checkin", code]) == 0
    assert "already checked in at 19 Mar 2026 08:30" in capsys.readouterr().out  # the demo has its check-ins
    assert main(["workshop", "checkin", "NOPE-NOPE"]) == 2
    with transaction(engine) as session:
        assert len(audit_entries(session=session, action="workshop_export")) == 2
        assert [r.status for r in rsvps(session=session, workshop_id=national.id or 0)] == [RsvpStatus.yes] * 5
        [created] = [w.id for w in all_workshops(session=session) if w.title_th == "สัมมนากลุ่มจังหวัด"]
    assert main(["workshop", "edit", str(created), "--venue", "โรงแรมดิเอมเพรส", "--start", f"{year}-01-20 10:00"]) == 0
    assert "workshop #" in (out := capsys.readouterr().out) and ": starts_at, venue; 0 people coming told" in out
    assert main(["workshop", "edit", str(created), "--capacity", "0", "--venue", "ที่อื่น"]) == 2
    assert "Cannot change the workshop: seats and seats per province" in capsys.readouterr().err
    with transaction(engine) as session:
        edited = get_workshop(session=session, workshop_id=created or 0)
        assert edited is not None and (edited.venue, edited.capacity) == ("โรงแรมดิเอมเพรส", 30)
        [entry] = audit_entries(session=session, action="workshop_edited")
        assert (entry.person_id, entry.detail["via"]) == (None, "cli")
    engine.dispose()


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_whole_conversation_invitation_to_export(
    phones: Phones, service: Service, client: httpx.AsyncClient, platform: str
) -> None:
    """Invitation, answer, change, delegate, waitlist promotion, reminder, check-in, export."""
    on = phones.line if platform == "line" else phones.telegram
    dg, coord, third, admin = on(1), on(2), on(3), on(9)
    dg_id = register(dg, Role.deputy_governor, "TH-50", name="ประเสริฐ ศรีสุข")
    coord_id = register(coord, Role.coordinator, "TH-40", name="อรทัย บุญมา")
    register(third, Role.coordinator, "TH-90", name="ฮาซัน ดอเลาะ")
    register(admin, Role.admin, name="สุนีย์")
    workshop = make_workshop(service, capacity=2, offer_hours=6)
    for phone in (dg, coord, third):
        assert "ขอเชิญเข้าร่วม" in shown(await phone.settle())
    await dg.press("ไม่แน่ใจ")
    await coord.press("เข้าร่วม")
    await third.press("เข้าร่วม")
    assert "เต็มแล้ว" in (await dg.press("เข้าร่วม"))[0]  # changed from maybe: the waitlist
    await coord.press_data(f"rv:{workshop}:no")  # a seat frees up: the deputy governor is offered it
    [offer] = await dg.settle()
    assert "มีที่นั่งว่าง" in offer.text
    await dg.press("รับที่นั่ง")
    await dg.say(f"/delegate {workshop} มาลี ใจดี | ปลัดจังหวัดเชียงใหม่")
    code = row_of(service, workshop, dg_id).code
    delegate = on(4)
    await delegate.say(f"ผู้แทน {code}")
    assert "ยืนยัน" in (await dg.settle())[0].text
    phones.clock.advance(days=9)
    assert jobs.remind(workshop, "1d") == 3  # the principal, the delegate, and the third attendee
    assert "อีก 1 วัน" in (await delegate.settle())[0].text
    phones.clock.advance(days=1)
    [marked] = await admin.say(f"เช็คอิน {code}")
    assert "มาลี ใจดี (เชียงใหม่)" in marked
    assert "ยินดีต้อนรับ" in (await delegate.settle())[0].text
    await admin.say(f"ผู้เข้าร่วม {workshop}")
    await admin.press("ส่งออก CSV")
    text = (await client.get(last_document(service))).content.decode("utf-8-sig")
    assert "ประเสริฐ ศรีสุข" in text and "มาลี ใจดี" in text and "ฮาซัน ดอเลาะ" in text and "อรทัย" not in text
    assert status_of(service, workshop, coord_id) == RsvpStatus.no


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_the_check_in_qr_is_a_picture_of_a_regular_qr_code_with_the_code_beside_it(
    phones: Phones, service: Service, client: httpx.AsyncClient, platform: str
) -> None:
    attendee = phones.line(1) if platform == "line" else phones.telegram(1)
    person = register(attendee, Role.coordinator, "TH-90")
    service.settings.public_url = "https://coordbot.example.go.th"
    workshop = make_workshop(service)
    await attendee.settle()
    await attendee.press("เข้าร่วม")
    text, picture = await attendee.send(attendee.event_for_text("/checkin"))
    assert row_of(service, workshop, person).code in text.text
    assert picture.kind == "image"
    row = row_of(service, workshop, person)
    with Session(service.engine) as session:
        shown_workshop = get_workshop(session=session, workshop_id=workshop)
        assert shown_workshop is not None
        url = qr_url(service.settings, shown_workshop, row)
    width, height = png_size((await client.get(local_path(url))).content)
    modules = width // 12 - 8  # 12 pixels a module, a 4-module quiet zone on each side
    assert width == height and modules >= 21 and width >= 300  # 21 × 21 is the smallest regular QR; Micro is 11–17


async def test_on_plain_http_telegram_still_gets_the_picture_and_line_gets_the_link(
    phones: Phones, service: Service
) -> None:
    line, telegram = phones.line(1), phones.telegram(2)
    register(line, Role.coordinator, "TH-90")
    register(telegram, Role.coordinator, "TH-90")
    make_workshop(service)
    for phone in (line, telegram):
        await phone.settle()
        await phone.press("เข้าร่วม")
    assert [r.kind for r in await telegram.send(telegram.event_for_text("/checkin"))] == ["text", "image"]
    shown_line = await line.send(line.event_for_text("/checkin"))  # LINE shows images from HTTPS only
    assert [r.kind for r in shown_line] == ["text", "text"] and shown_line[1].text.startswith("http://")


async def test_a_delegate_checked_in_by_staff_is_welcomed_and_the_principal_is_told(
    phones: Phones, service: Service
) -> None:
    principal, delegate, staff = phones.line(1), phones.line(2), phones.telegram(9)
    principal_id = register(principal, Role.deputy_governor, "TH-40", name="วิชัย")
    register(staff, Role.admin)
    workshop = make_workshop(service)
    await principal.settle()
    await principal.press("เข้าร่วม")
    await principal.say(f"ผู้แทน {workshop} นางสาวมาลี ใจดี | ปลัดจังหวัด")
    code = row_of(service, workshop, principal_id).code
    await delegate.say(f"/delegate {code}")
    await principal.settle()
    [own] = await principal.say("/checkin")
    assert "อยู่กับผู้แทน นางสาวมาลี ใจดี" in own and code in own
    phones.clock.advance(days=10)
    await staff.say(f"/checkin {code}")
    [welcome] = await delegate.settle()
    assert "ยินดีต้อนรับ" in welcome.text
    [told] = await principal.settle()
    assert "ผู้แทนของคุณ นางสาวมาลี ใจดี ลงทะเบียนที่" in told.text


async def test_check_in_is_taken_only_on_the_workshops_days_or_at_the_early_desk(
    phones: Phones, service: Service
) -> None:
    attendee, staff = phones.line(1), phones.telegram(9)
    person = register(attendee, Role.coordinator, "TH-90", name="อดุลย์")
    register(staff, Role.admin)
    workshop = make_workshop(service)  # starts ten days ahead, at 10:00 Bangkok time
    await attendee.settle()
    await attendee.press("เข้าร่วม")
    code = row_of(service, workshop, person).code
    [refused] = await staff.say(f"/checkin {code}")
    assert refused.startswith("ยังเช็คอิน \"สัมมนารองผู้ว่าฯ\" ไม่ได้ จุดลงทะเบียนเปิด")
    assert row_of(service, workshop, person).checked_in_at is None
    service.settings.checkin_early_hours = 6  # the desk opens at 18:00 the evening before
    phones.clock.advance(days=9, hours=9)  # 19:00 Bangkok time on the evening before
    [marked] = await staff.say(f"/checkin {code}")
    assert "ลงทะเบียนแล้ว: อดุลย์" in marked
