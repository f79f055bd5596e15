"""Project lookups, summaries, updates with confirmation, permissions, history and watchers, through the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.service import Service
from handlers.projects.compose import notify_import
from handlers.projects.parsing import parse_changes
from handlers.projects.payloads import BY_STATUS_CODE, STATUS_CODES
from storage.db import transaction
from storage.models import AuditLog, Role
from storage.project_import import export_rows, import_rows, read_table, write_table
from storage.projects import Project, ProjectHistory, ProjectStatus
from storage.projects_demo import demo_rows
from tests.factories import project, readable, seed
from tests.helpers import Phone, Phones, register


def stored(service: Service, code: str) -> Project:
    with Session(service.engine) as session:
        found = session.exec(select(Project).where(Project.code == code)).one()
        session.expunge(found)
        return found




async def ask(phone: Phone, text: str) -> str:
    before = len(phone.screen)
    await phone.say(text)
    return readable(phone.screen[before:])


async def tap(phone: Phone, label: str) -> str:
    before = len(phone.screen)
    await phone.press(label)
    return readable(phone.screen[before:])


def phone_on(phones: Phones, platform: str, n: int = 1) -> Phone:
    return phones.line(n) if platform == "line" else phones.telegram(n)


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_lookup_by_exact_code_shows_a_card_with_status_and_progress(
    phones: Phones, service: Service, platform: str
) -> None:
    seed(service, [project("CMI-2569-0012", progress=45)])
    phone = phone_on(phones, platform)
    register(phone, Role.coordinator, "TH-50", name="กนกพร")
    shown = await ask(phone, "/project cmi-2569-0012")
    assert "CMI-2569-0012" in shown and "โครงการพัฒนาเกษตรอัจฉริยะ" in shown
    assert "กำลังดำเนินการ" in shown and "45%" in shown and "1,250,000" in shown


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_thai_keyword_finds_it_inside_a_title_without_spaces(
    phones: Phones, service: Service, platform: str
) -> None:
    seed(service, [project("CMI-2569-0001"), project("CMI-2569-0002", title="โครงการระบบบริหารจัดการน้ำ")])
    phone = phone_on(phones, platform)
    register(phone, Role.deputy_governor, "TH-40")
    text = await ask(phone, "โครงการ เกษตร")
    assert "CMI-2569-0001" in text and "CMI-2569-0002" not in text


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_english_lookup_by_province_in_english(phones: Phones, service: Service, platform: str) -> None:
    seed(service, [project("KKN-2569-0001", province="TH-40", title_en="Smart farming"),
                   project("CMI-2569-0001")])
    phone = phone_on(phones, platform)
    register(phone, Role.coordinator, "TH-90", lang="en")
    text = await ask(phone, "/project Khon Kaen")
    assert "KKN-2569-0001 Smart farming" in text and "CMI-2569-0001" not in text
    assert "in progress" in text and "Khon Kaen" in text


@pytest.mark.parametrize("typed", ["จ.เชียงใหม่", "จังหวัดเชียงใหม่", "เชียงใม่", "Chaing Mai"])
async def test_province_lookup_is_forgiving(phones: Phones, service: Service, typed: str) -> None:
    seed(service, [project("CMI-2569-0001"), project("KKN-2569-0001", province="TH-40")])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-90")
    text = await ask(phone, f"โครงการ {typed}")
    assert "CMI-2569-0001" in text and "KKN-2569-0001" not in text


async def test_cluster_lookup_lists_cluster_projects(phones: Phones, service: Service) -> None:
    seed(service, [project("G01-2569-0001", province=None, cluster=1, title="โครงการยกระดับกาแฟพิเศษ"),
                   project("G05-2569-0001", province=None, cluster=5)])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    text = await ask(phone, "โครงการ กลุ่มจังหวัดภาคเหนือตอนบน 1")
    assert "G01-2569-0001" in text and "G05-2569-0001" not in text and "แผนพัฒนากลุ่มจังหวัด" in text


async def test_status_and_year_filters(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0001", status=ProjectStatus.completed, progress=100),
                   project("CMI-2569-0002"), project("CMI-2568-0001", year=2568, status=ProjectStatus.completed)])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    text = await ask(phone, "โครงการ เชียงใหม่ แล้วเสร็จ 2569")
    assert "CMI-2569-0001" in text and "CMI-2569-0002" not in text and "CMI-2568-0001" not in text


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_long_results_are_paged_with_a_more_button(phones: Phones, service: Service, platform: str) -> None:
    seed(service, [project(f"CMI-2569-{n:04d}") for n in range(1, 13)])
    phone = phone_on(phones, platform)
    register(phone, Role.coordinator, "TH-50")
    first = await ask(phone, "โครงการ เกษตร")
    assert "CMI-2569-0012" in first and "CMI-2569-0008" in first and "CMI-2569-0007" not in first
    second = await tap(phone, "ดูเพิ่มเติม")
    assert "CMI-2569-0007" in second and "CMI-2569-0003" in second and "CMI-2569-0012" not in second
    last = await tap(phone, "ดูเพิ่มเติม")
    assert "CMI-2569-0001" in last and not phone.screen[-1].buttons


@pytest.mark.parametrize("forged", ["pjm:TH-99::::X", "pjm:::9:0:X", "pjm:G77:::0:X", "pjm::~a:::notanid"])
async def test_a_forged_more_button_is_refused_politely(phones: Phones, service: Service, forged: str) -> None:
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    await phone.press_data(forged)
    assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in phone.screen[-1].text


async def test_unknown_code_says_not_found_and_offers_nearest_codes(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012"), project("CMI-2569-0013"), project("KKN-2569-0001", province="TH-40")])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    answer = await ask(phone, "/project CMI-2569-0021")
    assert "ไม่พบโครงการรหัส CMI-2569-0021" in answer and "CMI-2569-0012" in answer
    assert "โครงการพัฒนาเกษตรอัจฉริยะ" in await tap(phone, "CMI-2569-0012")


@pytest.mark.parametrize("typed, expected", [
    ("/project 😀🎉", "กรุณาพิมพ์รหัสโครงการ"),
    ("/project " + "ก" * 150, "ยาวเกินไป"),
    ("/project ก", "สั้นเกินไป"),
    ("/project นา", "ระบุจังหวัดด้วย เช่น /project เชียงใหม่ นา"),  # no index finds 2 letters: a place is needed
    ("/project เชียงใหม่ นา", "CMI-2569-0001"),
    ("/project ไม่มีโครงการนี้แน่นอน", "ไม่พบโครงการ"),
    ("/project เกษตรsmart", "ไม่พบโครงการ"),
    ("/project 🌾เกษตร", "CMI-2569-0001"),
])
async def test_odd_queries_get_a_clear_answer(phones: Phones, service: Service, typed: str, expected: str) -> None:
    seed(service, [project("CMI-2569-0001")])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    assert expected in await ask(phone, typed)


async def test_guests_may_not_look_up_projects(phones: Phones, service: Service) -> None:
    phone = phones.line()
    answer = await ask(phone, "/project เกษตร")
    assert "เท่านั้น" in answer


async def test_summary_counts_budget_and_progress_for_own_province(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0001", progress=20), project("CMI-2569-0002", progress=60),
                   project("CMI-2569-0003", status=ProjectStatus.completed, progress=100),
                   project("KKN-2569-0001", province="TH-40")])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    answer = await ask(phone, "สรุป")
    assert "จังหวัดเชียงใหม่" in answer and "ทั้งหมด 3 โครงการ" in answer and "3,750,000" in answer
    assert "ความก้าวหน้าเฉลี่ย 60%" in answer and "กำลังดำเนินการ: 2" in answer and "แล้วเสร็จ: 1" in answer


async def test_cluster_summary_includes_member_provinces(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0001"), project("G01-2569-0001", province=None, cluster=1),
                   project("KKN-2569-0001", province="TH-40")])
    phone = phones.telegram()
    register(phone, Role.coordinator, "TH-50", lang="en")
    answer = await ask(phone, "/summary cluster 1")
    assert "Upper Northern" in answer and "2 projects" in answer


async def test_national_summary_is_for_admins_only(phones: Phones, service: Service) -> None:
    seed(service)
    admin, coordinator = phones.line(1), phones.line(2)
    register(admin, Role.admin)
    register(coordinator, Role.coordinator, "TH-50")
    answer = await ask(admin, "สรุป ทั้งประเทศ")
    assert "ทั้งประเทศ" in answer and f"ทั้งหมด {len(demo_rows())} โครงการ" in answer
    assert "ตามภาค:" in answer and "• ภาคเหนือ:" in answer and "• กรุงเทพมหานคร: 4" in answer
    refused = await ask(coordinator, "สรุป ทั้งประเทศ")
    assert "ผู้ดูแลระบบเท่านั้น" in refused


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_update_asks_for_confirmation_then_saves_with_history_and_audit(
    phones: Phones, service: Service, platform: str
) -> None:
    seed(service, [project("CMI-2569-0012", status=ProjectStatus.funded, progress=5)])
    phone = phone_on(phones, platform)
    register(phone, Role.coordinator, "TH-50", name="กนกพร")
    question = await ask(phone, "อัปเดต CMI-2569-0012 สถานะ กำลังดำเนินการ ความก้าวหน้า 45 หมายเหตุ ติดตั้งเซนเซอร์แล้ว")
    assert "ยืนยัน" in question and "5% → 45%" in question and "ได้รับงบประมาณ → กำลังดำเนินการ" in question
    assert stored(service, "CMI-2569-0012").progress == 5  # nothing saved before the confirmation
    done = await tap(phone, "ยืนยัน")
    assert "บันทึกแล้ว" in done
    saved = stored(service, "CMI-2569-0012")
    assert (saved.status, saved.progress, saved.last_note) == (ProjectStatus.in_progress, 45, "ติดตั้งเซนเซอร์แล้ว")
    with Session(service.engine) as session:
        [row] = session.exec(select(ProjectHistory)).all()
        assert row.old == {"status": "funded", "progress": 5, "last_note": ""}
        assert row.new["progress"] == 45
        [entry] = session.exec(select(AuditLog).where(AuditLog.action == "project_updated")).all()
        assert entry.detail["old"]["status"] == "funded" and entry.detail["new"]["status"] == "in_progress"
    [again] = await phone.press_data(phone.last_buttons[0][1])
    assert "ใช้ไม่ได้แล้ว" in again


async def test_history_lists_changes(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", progress=5)])
    phone = phones.line()
    register(phone, Role.deputy_governor, "TH-50", name="ประเสริฐ")
    await phone.say("/update CMI-2569-0012 60%")
    await phone.press("ยืนยัน")
    answer = await ask(phone, "ประวัติโครงการ CMI-2569-0012")
    assert "ประเสริฐ" in answer and "5% → 60%" in answer


async def test_cancelled_update_changes_nothing(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", progress=5)])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    await phone.say("/update CMI-2569-0012 progress 70")
    answer = await tap(phone, "ยกเลิก")
    assert "ไม่มีการเปลี่ยนแปลง" in answer and stored(service, "CMI-2569-0012").progress == 5


async def test_confirmation_made_on_stale_data_is_refused(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", progress=5)])
    first, second = phones.line(1), phones.line(2)
    register(first, Role.coordinator, "TH-50")
    register(second, Role.deputy_governor, "TH-50")
    await first.say("/update CMI-2569-0012 progress 30")
    await second.say("/update CMI-2569-0012 progress 50")
    await second.press("ยืนยัน")
    late = await tap(first, "ยืนยัน")
    assert "ใช้ไม่ได้แล้ว" in late and stored(service, "CMI-2569-0012").progress == 50


@pytest.mark.parametrize("args, expected", [
    ("progress 150", "0-100"), ("progress -3", "0-100"), ("progress abc", "0-100"), ("120%", "0-100"),
    ("status finished", "ไม่รู้จักสถานะ"), ("สถานะ เสร็จเรียบร้อย", "ไม่รู้จักสถานะ"),
    ("หมายเหตุ " + "ก" * 501, "ยาวเกิน 500"),
])
async def test_bad_update_values_are_refused_and_nothing_is_saved(
    phones: Phones, service: Service, args: str, expected: str
) -> None:
    seed(service, [project("CMI-2569-0012", progress=5)])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    answer = await ask(phone, f"/update CMI-2569-0012 {args}")
    assert expected in answer and not phone.screen[-1].buttons
    assert stored(service, "CMI-2569-0012").version == 1


@pytest.mark.parametrize("args, status, progress", [
    ("status in progress 30", ProjectStatus.in_progress, 30), ("on hold", ProjectStatus.on_hold, 5),
    ("กำลัง ดำเนินการ 70%", ProjectStatus.in_progress, 70), ("ระงับ", ProjectStatus.on_hold, 5),
])
def test_update_words_in_either_language(args: str, status: ProjectStatus, progress: int) -> None:
    changes = parse_changes(args)
    assert changes["status"] == status and changes.get("progress", 5) == progress


async def test_update_button_offers_the_next_statuses(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", status=ProjectStatus.funded, progress=0)])
    phone = phones.line()
    register(phone, Role.coordinator, "TH-50")
    await ask(phone, "/project CMI-2569-0012")
    offered = await tap(phone, "อัปเดต")
    assert "/update" in offered
    assert [label for label, _ in phone.last_buttons] == ["กำลังดำเนินการ", "แล้วเสร็จ", "ระงับชั่วคราว"]
    await tap(phone, "กำลังดำเนินการ")
    await tap(phone, "ยืนยัน")
    assert stored(service, "CMI-2569-0012").status == ProjectStatus.in_progress


async def test_completed_sets_progress_to_100(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", progress=80)])
    phone = phones.telegram()
    register(phone, Role.coordinator, "TH-50", lang="en")
    await phone.say("/update CMI-2569-0012 status completed")
    await phone.press("Confirm")
    saved = stored(service, "CMI-2569-0012")
    assert (saved.status, saved.progress) == (ProjectStatus.completed, 100)


PROVINCE_PROJECT = "CMI-2569-0001"
CLUSTER_PROJECT = "G01-2569-0001"  # cluster 1: Chiang Mai, Lamphun, Lampang, Mae Hong Son


@pytest.mark.parametrize("role", [Role.admin, Role.deputy_governor, Role.coordinator, Role.guest])
@pytest.mark.parametrize("where", ["own", "other", "none"])
@pytest.mark.parametrize("code", [PROVINCE_PROJECT, CLUSTER_PROJECT])
async def test_update_permission_matrix(
    phones: Phones, service: Service, role: Role, where: str, code: str
) -> None:
    """Admins anywhere; coordinators and deputy governors in their (cluster's) province; refusals audited."""
    seed(service, [project(PROVINCE_PROJECT, progress=5),
                   project(CLUSTER_PROJECT, province=None, cluster=1, progress=5)])
    phone = phones.line()
    province = {"own": "TH-51" if code == CLUSTER_PROJECT else "TH-50", "other": "TH-40", "none": None}[where]
    register(phone, role, province)
    await phone.say(f"/update {code} progress 55")
    allowed = role == Role.admin or (role in (Role.coordinator, Role.deputy_governor) and where == "own")
    if allowed:
        await phone.press("ยืนยัน")
    assert stored(service, code).progress == (55 if allowed else 5)
    with Session(service.engine) as session:
        refused = session.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
    assert bool(refused) is not allowed


async def test_watchers_of_project_and_province_are_told_of_a_change(phones: Phones, service: Service) -> None:
    seed(service, [project("CMI-2569-0012", progress=5)])
    editor, project_watcher, province_watcher, bystander = (phones.line(1), phones.telegram(2), phones.line(3),
                                                             phones.line(4))
    register(editor, Role.coordinator, "TH-50", name="กนกพร")
    register(project_watcher, Role.deputy_governor, "TH-40", lang="en")
    register(province_watcher, Role.admin)
    register(bystander, Role.coordinator, "TH-50")
    ok = await ask(project_watcher, "/watch CMI-2569-0012")
    assert "Watching project CMI-2569-0012" in ok
    ok = await ask(province_watcher, "ติดตาม เชียงใหม่")
    assert "ติดตามโครงการทั้งหมดของจังหวัดเชียงใหม่แล้ว" in ok
    await editor.say("/watch CMI-2569-0012")
    await editor.say("/update CMI-2569-0012 progress 30")
    await editor.press("ยืนยัน")
    told = readable(await project_watcher.settle())
    assert "changed (by กนกพร)" in told and "5% → 30%" in told and "CMI-2569-0012" in told
    told_th = readable(await province_watcher.settle())
    assert "มีการเปลี่ยนแปลง" in told_th and "ความก้าวหน้า: 5% → 30%" in told_th
    assert await bystander.settle() == []
    assert await editor.settle() == []  # not told of its own change
    assert "You watch: CMI-2569-0012" in await ask(project_watcher, "/watch")
    bye = await ask(project_watcher, "/unwatch CMI-2569-0012")
    assert "Stopped watching" in bye
    assert "You watch nothing yet" in await ask(project_watcher, "/watch")


async def test_an_import_tells_each_watcher_once_about_the_projects_it_changed(
    phones: Phones, service: Service, tmp_path: Path
) -> None:
    seed(service, [project(f"CMI-2569-{n:04d}", progress=5) for n in range(1, 13)])
    watcher = phones.telegram()
    register(watcher, Role.deputy_governor, "TH-50", lang="en")
    await watcher.say("/watch เชียงใหม่")
    with Session(service.engine) as session:
        rows = list(export_rows(session=session))
    for cells in rows[1:]:
        cells[10] = "20"  # every project's progress moves
    path = tmp_path / "changed.csv"
    write_table(path, rows)
    columns, data = read_table(path)
    with transaction(service.engine) as session:
        result = import_rows(session=session, columns=columns, rows=data, person_id=None, now=service.clock())
        assert notify_import(session=session, project_ids=result.changed_ids, now=service.clock()) == 1
    [told] = await watcher.settle()
    assert "An import changed 12 project(s) you watch" in told.text and "(+2)" in told.text
    assert stored(service, "CMI-2569-0003").progress == 20


async def test_an_empty_lookup_lists_the_own_province_or_for_admins_everything(
    phones: Phones, service: Service
) -> None:
    seed(service, [project("CMI-2569-0001"), project("KKN-2569-0001", province="TH-40")])
    coordinator, admin = phones.line(1), phones.telegram(2)
    register(coordinator, Role.coordinator, "TH-40")
    register(admin, Role.admin, lang="en")
    own = await ask(coordinator, "โครงการ")
    assert "KKN-2569-0001" in own and "CMI-2569-0001" not in own
    everything = await ask(admin, "/projects")
    assert "KKN-2569-0001" in everything and "CMI-2569-0001" in everything
    national = await ask(admin, "/summary")
    assert "nationwide" in national and "2 projects" in national and "By region:" in national


def test_more_buttons_name_statuses_by_letter_not_by_the_enums_order() -> None:
    assert set(STATUS_CODES) == set(ProjectStatus)  # every status has its letter
    assert len(set(STATUS_CODES.values())) == len(STATUS_CODES)
    assert BY_STATUS_CODE["g"] == ProjectStatus.in_progress
