"""Files the service hands out are safe to open and to keep: exports carry no live formulas, no file is cached,
an export link works only while its admin is one, calendar text has no control characters, and every admin
hears of an export with contacts."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from urllib.parse import urlsplit

import httpx
import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from bot.cli import main
from bot.files import ics_url, qr_url
from bot.service import Service
from storage.db import transaction, utcnow
from storage.models import Person, Role
from storage.people import audit_entries
from storage.rsvp import Workshop, get_workshop
from tests.factories import export, last_document, make_workshop, row_of
from tests.helpers import Phones, register

HYPERLINK = '=HYPERLINK("http://evil.example/","ดูรายละเอียด")'


def workshop_of(service: Service, workshop_id: int) -> Workshop:
    with Session(service.engine) as session:
        workshop = get_workshop(session=session, workshop_id=workshop_id)
    assert workshop is not None
    return workshop




async def workshop_with_delegate(phones: Phones, service: Service, delegate: str, contact: str) -> tuple[int, int]:
    """A workshop and the deputy governor who named a delegate for it."""
    dg = phones.line(1)
    dg_id = register(dg, Role.deputy_governor, "TH-50", name="ประเสริฐ ศรีสุข")
    workshop = make_workshop(service)
    await dg.settle()
    await dg.say(f"/delegate {workshop} {delegate} | ปลัดจังหวัด | {contact}")
    return workshop, dg_id


async def test_a_delegate_named_as_a_formula_arrives_in_the_xlsx_as_text(
    phones: Phones, service: Service, client: httpx.AsyncClient
) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์")
    workshop, _ = await workshop_with_delegate(phones, service, HYPERLINK, "081-234-5678")
    await export(admin, workshop, "ส่งออก XLSX")
    response = await client.get(last_document(service))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = sheet["G2"]  # ผู้แทน
    assert (sheet["G1"].value, cell.data_type, cell.value) == ("ผู้แทน", "s", "'" + HYPERLINK)
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)


async def test_a_formula_in_a_csv_export_starts_with_a_quote(
    phones: Phones, service: Service, client: httpx.AsyncClient
) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์")
    workshop, _ = await workshop_with_delegate(phones, service, "@SUM(1+1)*cmd", "+66 81 234 5678")
    await export(admin, workshop, "CSV พร้อมข้อมูลติดต่อ")
    response = await client.get(last_document(service))
    [header, row] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["ผู้แทน"] == "'@SUM(1+1)*cmd"
    assert cells["ติดต่อผู้แทน"] == "'+66 81 234 5678"


async def test_no_file_may_be_cached(phones: Phones, service: Service, client: httpx.AsyncClient) -> None:
    admin = phones.telegram(9)
    register(admin, Role.admin, name="สุนีย์")
    workshop, dg_id = await workshop_with_delegate(phones, service, "มาลี ใจดี", "081-234-5678")
    shown = workshop_of(service, workshop)
    row = row_of(service, workshop, dg_id)
    links = [urlsplit(ics_url(service.settings, shown)).path, urlsplit(qr_url(service.settings, shown, row)).path]
    await export(admin, workshop, "ส่งออก CSV")
    links.append(last_document(service))
    for link in links:
        response = await client.get(link)
        assert (response.status_code, response.headers["cache-control"]) == (200, "no-store"), link


async def test_a_file_link_with_a_token_nobody_signed_is_not_found_whatever_its_characters(
    service: Service, client: httpx.AsyncClient
) -> None:
    """What schemathesis found (tests/bot/test_openapi.py): a token with non-ASCII characters, or an id larger than
    the database's integers, was a 500."""
    workshop = make_workshop(service)
    for token in ("0" * 24, "ก" * 24, "%F2%BA%82%9E%C2%A8"):
        response = await client.get(f"/files/ws/{workshop}/{token}.ics")
        assert response.status_code == 404, token
    for link in (f"/files/ws/{workshop}/qr/320045809397213298688/{'0' * 24}.png", f"/files/ws/{2**40}/{'0' * 24}.ics",
                 f"/files/ws/{workshop}/export/{2**31}/0/0/{'0' * 24}.csv"):
        assert (await client.get(link)).status_code == 422, link


async def test_an_export_link_stops_working_when_its_admin_is_no_longer_one(
    phones: Phones, service: Service, client: httpx.AsyncClient
) -> None:
    admin = phones.telegram(9)
    admin_id = register(admin, Role.admin, name="สุนีย์")
    workshop = make_workshop(service)
    await export(admin, workshop, "CSV พร้อมข้อมูลติดต่อ")
    link = last_document(service)
    assert (await client.get(link)).status_code == 200
    with transaction(service.engine) as session:
        person = session.get(Person, admin_id)
        assert person is not None
        person.role = Role.coordinator
    refused = await client.get(link)
    assert refused.status_code == 403
    assert "ติดต่อผู้แทน" not in refused.text
    with Session(service.engine) as session:
        [entry] = audit_entries(session=session, action="workshop_export_refused")
    assert (entry.person_id, entry.detail["workshop"], entry.detail["contacts"]) == (admin_id, workshop, True)


async def test_calendar_text_carries_no_control_characters(
    phones: Phones, service: Service, client: httpx.AsyncClient
) -> None:
    workshop = make_workshop(service, title_th="สัมมนา\rBEGIN:VALARM", venue="ห้อง\x0b1\x01\x7f, ชั้น 2",
                             agenda="เช้า\r\nบ่าย\nเย็น\tพัก")
    response = await client.get(urlsplit(ics_url(service.settings, workshop_of(service, workshop))).path)
    body = response.text
    assert response.status_code == 200
    assert body.count("\r") == body.count("\r\n") == body.count("\n")  # only the line ends of RFC 5545
    assert not any((ord(ch) < 0x20 and ch not in "\r\n\t") or ord(ch) == 0x7F for ch in body)
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:สัมมนา\\nBEGIN:VALARM / Deputy governors' workshop\r\n" in unfolded
    assert "LOCATION:ห้อง1\\, ชั้น 2\\, ถนนวิภาวดีรังสิต กรุงเทพฯ\r\n" in unfolded
    assert "DESCRIPTION:เช้า\\nบ่าย\\nเย็น\tพัก\r\n" in unfolded
    assert [line for line in unfolded.split("\r\n") if line.startswith("BEGIN:")] == [
        "BEGIN:VCALENDAR", "BEGIN:VEVENT"]  # no alarm was smuggled in


async def test_every_admin_is_told_of_an_export_with_contacts_and_of_none_without(
    phones: Phones, service: Service
) -> None:
    exporter, other, english = phones.telegram(9), phones.line(8), phones.telegram(7)
    exporter_id = register(exporter, Role.admin, name="สุนีย์")
    register(other, Role.admin, name="วิชัย")
    register(english, Role.admin, name="Ann", lang="en")
    coordinator = phones.line(2)
    register(coordinator, Role.coordinator, "TH-40", name="อรทัย")
    workshop = make_workshop(service)
    await coordinator.settle()
    await export(exporter, workshop, "ส่งออก CSV")
    assert await other.settle() == [] and await english.settle() == []

    await export(exporter, workshop, "CSV พร้อมข้อมูลติดต่อ")
    told = f"🔐 สุนีย์ (#{exporter_id}) ส่งออกรายชื่อผู้เข้าร่วม \"สัมมนารองผู้ว่าฯ\" พร้อมข้อมูลติดต่อ (CSV) ทางแชท"
    assert [r.text for r in await other.settle()] == [told]
    assert [r.text for r in await english.settle()] == [
        f"🔐 สุนีย์ (#{exporter_id}) exported the attendee list of \"Deputy governors' workshop\" with contacts "
        "(CSV) in chat."]
    assert exporter.texts.count(told) == 1  # the exporter too: the same record every admin has
    assert await coordinator.settle() == []


@pytest.mark.parametrize("contacts", [True, False])
async def test_an_export_with_contacts_from_the_cli_is_told_to_every_admin(
    phones: Phones, service: Service, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object,
    capsys: pytest.CaptureFixture[str], contacts: bool
) -> None:
    admin = phones.line(8)
    register(admin, Role.admin, name="วิชัย")
    workshop = make_workshop(service)
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    monkeypatch.chdir(str(tmp_path))
    assert main(["workshop", "export", str(workshop), *(["--contacts"] if contacts else [])]) == 0
    phones.clock.now = utcnow()  # the CLI queues at the real time
    screen = [r.text for r in await admin.settle()]
    if contacts:
        assert "with contacts; 1 admin(s) told" in capsys.readouterr().out
        assert screen == ["🔐 ผู้ดูแลเซิร์ฟเวอร์ ส่งออกรายชื่อผู้เข้าร่วม \"สัมมนารองผู้ว่าฯ\" พร้อมข้อมูลติดต่อ (CSV) "
                          "ด้วยคำสั่ง coordbot บนเซิร์ฟเวอร์"]
    else:
        assert screen == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_check_in_times_are_exported_in_bangkok_time_as_excel_reads_them(
    phones: Phones, service: Service, client: httpx.AsyncClient, fmt: str
) -> None:
    admin, attendee = phones.telegram(9), phones.line(1)
    register(admin, Role.admin, name="สุนีย์")
    person = register(attendee, Role.coordinator, "TH-50", name="กนกพร")
    workshop = make_workshop(service)
    await attendee.settle()
    await attendee.press("เข้าร่วม")
    phones.clock.advance(days=10)  # 2026-03-12 03:00 UTC: 10:00 in Bangkok, the workshop's first morning
    await admin.say(f"/checkin {row_of(service, workshop, person).code}")
    await export(admin, workshop, f"ส่งออก {fmt.upper()}")
    content = (await client.get(last_document(service))).content
    if fmt == "csv":
        header, row = list(csv.reader(content.decode("utf-8-sig").splitlines()))[:2]
        assert row[header.index("ลงทะเบียนหน้างาน")] == "2026-03-12 10:00"
        return
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    arrived = sheet.cell(row=2, column=header.index("ลงทะเบียนหน้างาน") + 1)
    assert arrived.is_date and arrived.value == datetime(2026, 3, 12, 10, 0)  # noqa: DTZ001 (Excel has no zones)
