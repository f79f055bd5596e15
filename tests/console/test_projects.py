"""Projects in the console: search with filters, a project's page with its history, the update form (versioned,
audited, watchers told), import with the per-row report and nothing written on an error, and the export."""

from __future__ import annotations

import csv
import io

import httpx
from sqlmodel import Session, select

from bot.service import Service
from storage.models import AuditLog, Role
from storage.projects import Project, ProjectHistory, ProjectStatus, by_code
from tests.console.conftest import csrf_of, post_form
from tests.factories import project, seed
from tests.helpers import Phones, register


def stored(service: Service, code: str) -> Project:
    with Session(service.engine) as session:
        found = by_code(session=session, code=code)
        assert found is not None
        return found


def audited(service: Service, action: str) -> list[AuditLog]:
    with Session(service.engine) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


def some_projects(service: Service) -> None:
    seed(service, [project("CMI-2569-0001", "ระบบน้ำอัจฉริยะ"), project("CMI-2569-0002", "ตลาดดิจิทัล",
                                                                      status=ProjectStatus.completed, progress=100),
                   project("KKN-2569-0001", "ระบบน้ำชุมชน", province="TH-40"),
                   project("KKN-2568-0009", "ระบบน้ำเดิม", province="TH-40", year=2568)])


async def test_search_with_keyword_province_status_and_year(signed_in: httpx.AsyncClient, service: Service) -> None:
    some_projects(service)
    water = await signed_in.get("/console/projects?q=ระบบน้ำ")
    assert water.text.count('<tr class="project">') == 3 and "ตลาดดิจิทัล" not in water.text
    khon_kaen = await signed_in.get("/console/projects?q=ระบบน้ำ&province=TH-40&year=2569")
    assert khon_kaen.text.count('<tr class="project">') == 1 and "KKN-2569-0001" in khon_kaen.text
    done = await signed_in.get("/console/projects?status=completed")
    assert "CMI-2569-0002" in done.text and done.text.count('<tr class="project">') == 1
    by_code_typed = await signed_in.get("/console/projects?q=kkn-2569-0001")
    assert by_code_typed.status_code == 303 and by_code_typed.headers["location"] == "/console/projects/KKN-2569-0001"


async def test_an_update_is_kept_as_history_audited_and_told_to_watchers(
    signed_in: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    some_projects(service)
    watcher = phones.telegram(8)
    register(watcher, Role.coordinator, "TH-50", name="ผู้ติดตาม")
    await watcher.say("/watch CMI-2569-0001")
    path = "/console/projects/CMI-2569-0001"
    page = await post_form(signed_in, path, path, {"version": "1", "status": "in_progress", "progress": "55",
                                                   "note": "ติดตั้งเซนเซอร์แล้ว"})
    assert page.status_code == 200 and "บันทึกแล้ว" in page.text
    changed = stored(service, "CMI-2569-0001")
    assert changed.progress == 55 and changed.last_note == "ติดตั้งเซนเซอร์แล้ว" and changed.version == 2
    assert "progress: 40 → 55" in page.text and "console" in page.text
    [entry] = audited(service, "project_updated")
    assert entry.detail["new"] == {"progress": 55, "last_note": "ติดตั้งเซนเซอร์แล้ว"}
    told = await watcher.settle()
    assert any("ติดตั้งเซนเซอร์แล้ว" in r.text or "55" in r.text for r in told)


async def test_an_update_made_on_stale_data_or_with_a_bad_value_changes_nothing(
    signed_in: httpx.AsyncClient, service: Service
) -> None:
    some_projects(service)
    path = "/console/projects/CMI-2569-0001"
    stale = await post_form(signed_in, path, path, {"version": "0", "status": "in_progress", "progress": "60"})
    assert stale.status_code == 409 and "มีผู้แก้ไขโครงการนี้" in stale.text
    bad = await post_form(signed_in, path, path, {"version": "1", "status": "in_progress", "progress": "120"})
    assert bad.status_code == 400 and "0 ถึง 100" in bad.text
    assert stored(service, "CMI-2569-0001").version == 1
    with Session(service.engine) as session:
        assert session.exec(select(ProjectHistory)).all() == []


async def exported(browser: httpx.AsyncClient) -> list[list[str]]:
    response = await browser.get("/console/projects/export.csv")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def upload(browser: httpx.AsyncClient, rows: list[list[str]]) -> httpx.Response:
    page = await browser.get("/console/projects/import")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return await browser.post("/console/projects/import", data={"csrf": csrf_of(page)},
                              files={"file": ("projects.csv", out.getvalue().encode("utf-8-sig"), "text/csv")})


async def test_an_import_with_a_bad_row_reports_it_and_writes_nothing(signed_in: httpx.AsyncClient,
                                                                      service: Service) -> None:
    some_projects(service)
    rows = await exported(signed_in)
    assert len(rows) == 5 and rows[1][0] == "CMI-2569-0001"
    progress = next(i for i, name in enumerate(rows[0]) if "ความก้าวหน้า" in name)
    rows[1][progress], rows[3][progress] = "70", "มาก"
    report = await upload(signed_in, rows)
    assert report.status_code == 400 and "ไม่ได้นำเข้า: 1 จาก 4 แถวไม่ถูกต้อง" in report.text
    assert report.text.count('<tr class="bad-row">') == 1
    assert stored(service, "CMI-2569-0001").progress == 40  # the good row was not written either
    rows[3][progress] = "10"
    done = await upload(signed_in, rows)
    assert done.status_code == 200 and "ปรับปรุง 2" in done.text
    assert stored(service, "CMI-2569-0001").progress == 70
    assert [a.detail["updated"] for a in audited(service, "projects_imported")] == [2]
    assert [a.detail["format"] for a in audited(service, "projects_exported")] == ["csv"]


async def test_an_unreadable_file_is_refused(signed_in: httpx.AsyncClient) -> None:
    page = await signed_in.get("/console/projects/import")
    response = await signed_in.post("/console/projects/import", data={"csrf": csrf_of(page)},
                                    files={"file": ("notes.txt", b"hello", "text/plain")})
    assert response.status_code == 400 and "อ่านไฟล์ไม่ได้" in response.text
    without_token = await signed_in.post("/console/projects/import",
                                         files={"file": ("p.csv", b"a,b", "text/csv")})
    assert without_token.status_code == 403
