"""Windows in the console: create (with the same checks as chat), the submission grid, recording a province as
submitted on its behalf with a reason, moving the close, deleting, and who was nudged when by which stage."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlmodel import Session, select

from bot.service import Service
from scheduler.deadlines import nudge
from storage.deadlines import SubmissionWindow, get_window, submissions
from storage.models import AuditLog, Role
from tests.console.conftest import post_form
from tests.factories import CHIANG_MAI, KHON_KAEN, bangkok, window_closing
from tests.helpers import Clock, Phone, Phones, register


def windows(service: Service) -> list[SubmissionWindow]:
    with Session(service.engine) as session:
        return list(session.exec(select(SubmissionWindow)))


def audited(service: Service, action: str) -> list[AuditLog]:
    with Session(service.engine) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


async def test_an_admin_creates_a_window_for_two_provinces(signed_in: httpx.AsyncClient, service: Service,
                                                           admin: Phone) -> None:
    page = await post_form(signed_in, "/console/windows", "/console/windows", {
        "title_th": "แผนพัฒนาจังหวัด ปี 2571", "closes": "2026-03-20T16:30", "provinces": "เชียงใหม่, Khon Kaen"})
    assert page.status_code == 200 and "บันทึกแล้ว" in page.text and "ส่งแล้ว 0/2 จังหวัด" in page.text
    [window] = windows(service)
    assert window.provinces == [KHON_KAEN, CHIANG_MAI] and window.fiscal_year == 2571
    assert window.closes_at == bangkok(20, 16, 30)
    [created] = audited(service, "window_created")
    assert created.person_id is not None and created.detail == {"window": window.id}


async def test_a_bad_form_says_why_and_creates_nothing(signed_in: httpx.AsyncClient, service: Service) -> None:
    for fields, why in (({"closes": "2026-03-20T16:30", "provinces": "เชียงใหมม่มม"}, "ไม่พบจังหวัด"),
                        ({"closes": "2026-03-01T16:30"}, "ผ่านไปแล้ว"),
                        ({"closes": "พรุ่งนี้นะ"}, "อ่านวันเวลา")):
        page = await post_form(signed_in, "/console/windows", "/console/windows", {"title_th": "รอบทดสอบ", **fields})
        assert page.status_code == 400 and why in page.text, why
        assert 'value="รอบทดสอบ"' in page.text  # what was typed stays in the form
    assert windows(service) == []


async def test_recording_a_province_on_its_behalf_needs_a_reason_and_tells_the_other_admins(
    signed_in: httpx.AsyncClient, service: Service, clock: Clock, phones: Phones
) -> None:
    other_admin = phones.telegram(77)
    register(other_admin, Role.admin, name="แอดมินอีกคน")
    window_id = window_closing(service, bangkok(20, 10))
    page_path = f"/console/windows/{window_id}"
    refused = await post_form(signed_in, page_path, f"{page_path}/submit", {"province": KHON_KAEN, "reason": " "})
    assert refused.status_code == 400 and "กรุณากรอก" in refused.text
    page = await post_form(signed_in, page_path, f"{page_path}/submit",
                           {"province": KHON_KAEN, "reason": "ได้รับทางอีเมล 3 มี.ค."})
    assert page.status_code == 200 and "ได้รับทางอีเมล 3 มี.ค." in page.text
    assert 'class="cell done" data-iso="TH-40"' in page.text
    with Session(service.engine) as session:
        assert set(submissions(session=session, window_id=window_id)) == {KHON_KAEN}
    [entry] = audited(service, "window_submitted_for")
    assert entry.detail["reason"] == "ได้รับทางอีเมล 3 มี.ค." and entry.detail["province"] == KHON_KAEN
    again = await post_form(signed_in, page_path, f"{page_path}/submit", {"province": KHON_KAEN, "reason": "ซ้ำ"})
    assert again.status_code == 400 and "ไว้แล้วเมื่อ" in again.text
    told = await other_admin.settle()
    assert any("ขอนแก่น" in r.text and "(1/2)" in r.text for r in told)


async def test_moving_and_deleting_a_window(signed_in: httpx.AsyncClient, service: Service) -> None:
    window_id = window_closing(service, bangkok(20, 10))
    page_path = f"/console/windows/{window_id}"
    moved = await post_form(signed_in, page_path, f"{page_path}/move", {"closes": "2026-03-27T10:00"})
    assert moved.status_code == 200 and "27 มี.ค. 2569 10:00 น." in moved.text
    with Session(service.engine) as session:
        window = get_window(session=session, window_id=window_id)
        assert window is not None and window.closes_at == bangkok(27, 10)
    unticked = await post_form(signed_in, page_path, f"{page_path}/delete", {})
    assert unticked.status_code == 400 and len(windows(service)) == 1
    deleted = await post_form(signed_in, page_path, f"{page_path}/delete", {"confirm": "yes"})
    assert str(deleted.url).endswith("/console/windows?note=saved") and windows(service) == []
    assert [a.action for a in audited(service, "window_moved") + audited(service, "window_deleted")] == [
        "window_moved", "window_deleted"]
    assert (await signed_in.get(page_path)).status_code == 404


async def test_the_nudge_history_says_who_was_nudged_when_and_by_which_stage(
    signed_in: httpx.AsyncClient, service: Service, clock: Clock, phones: Phones
) -> None:
    coordinator = phones.telegram(5)
    register(coordinator, Role.coordinator, KHON_KAEN, name="ขวัญใจ ผู้ประสานงาน")
    window_id = window_closing(service, clock.now + timedelta(days=7))
    assert nudge(window_id, "7d") == 1
    await coordinator.settle()
    page = await signed_in.get(f"/console/windows/{window_id}")
    assert "ขวัญใจ ผู้ประสานงาน · ขอนแก่น" in page.text
    assert "<td>7d</td>" in page.text and "telegram · sent" in page.text
