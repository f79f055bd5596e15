"""The admin console in Chromium, against a real `coordbot serve --demo`: signing in by the chat link and by
password, the lockout, a form posted without its CSRF token, a non-admin refused every page, and the windows
and people flows."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.demo import DemoService
from tests.helpers import serving

PAGES = ["/console", "/console/windows", "/console/people", "/console/people/invites", "/console/audit"]
PASSWORD = "ช้างเผือกสามเชือกเดินทาง"


def has_link(message: dict[str, Any]) -> bool:
    return any("/console/signin/" in (b.get("data") or "") for b in message.get("buttons", []))


def chat_link(demo: DemoService, person: str) -> str:
    """The sign-in link the bot sends to `person`'s chat for `/console`."""
    before = len(demo.screen(person))
    demo.say(person, "/console")
    message = demo.wait_for(person, has_link, after=before)
    return next(b["data"] for b in message["buttons"] if "/console/signin/" in (b.get("data") or ""))


def sign_in_by_link(demo: DemoService, page: Page, person: str = "admin") -> None:
    page.goto(chat_link(demo, person))
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ภาพรวม")


def person_id(demo: DemoService, name: str) -> str:
    listed = demo.coordbot("people", "list").stdout
    found = re.search(r"^#(\d+)\s+" + re.escape(name), listed, re.MULTILINE)
    assert found, listed
    return found[1]


def sign_in_by_password(page: Page, url: str, login: str, password: str) -> None:
    page.goto(f"{url}/console/signin")
    page.get_by_label("หมายเลขบุคลากร").fill(login)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_an_admin_signs_in_with_the_link_the_bot_sends_to_their_chat(demo: DemoService, page: Page) -> None:
    sign_in_by_link(demo, page)

    expect(page.locator(".grid").first).to_be_visible()
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()


def test_the_link_works_once(demo: DemoService, page: Page) -> None:
    link = chat_link(demo, "admin")
    page.goto(link)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(link)

    expect(page.locator(".message")).to_contain_text("ลิงก์นี้ใช้ไม่ได้")


def test_an_admin_signs_in_with_a_password_set_from_the_shell(demo: DemoService, page: Page) -> None:
    admin = person_id(demo, "สุนีย์ อินทรวงศ์")
    demo.coordbot("console", "set-password", admin, "--password-stdin", stdin=PASSWORD + "\n")

    sign_in_by_password(page, demo.url, admin, "ผิด")
    expect(page.locator(".error")).to_have_text("หมายเลขหรือรหัสผ่านไม่ถูกต้อง")
    sign_in_by_password(page, demo.url, admin, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("ภาพรวม")


def test_a_form_posted_without_its_csrf_token_is_refused(demo: DemoService, page: Page) -> None:
    sign_in_by_link(demo, page)
    page.eval_on_selector_all("input[name=csrf]", "inputs => inputs.forEach(i => i.remove())")

    page.get_by_role("button", name="ออกจากระบบ").click()

    expect(page.locator(".message")).to_contain_text("แบบฟอร์มหมดอายุ")
    page.goto(f"{demo.url}/console")
    expect(page.get_by_role("heading", level=1)).to_have_text("ภาพรวม")  # still signed in: nothing happened


def test_someone_who_is_not_an_admin_is_refused_every_page(demo: DemoService, page: Page) -> None:
    for path in PAGES:
        page.goto(f"{demo.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")
    newcomer = demo.newcomer()
    code = demo.coordbot("invite", "create", "--role", "admin", "--name", "ผู้ดูแลชั่วคราว").stdout.split()[0]
    demo.say(newcomer, code)
    demo.wait_for(newcomer, "ลงทะเบียนสำเร็จ")
    sign_in_by_link(demo, page, newcomer)
    demo.coordbot("people", "set", person_id(demo, "ผู้ดูแลชั่วคราว"), "--role", "coordinator")

    for path in PAGES:
        response = page.goto(f"{demo.url}{path}")
        assert response is not None and response.status in (403, 200), path
        expect(page.locator("main")).not_to_contain_text("รอบส่งแผนที่เปิดอยู่")
        assert "/console/signin" in page.url or response.status == 403, path


def test_an_admin_creates_a_window_and_records_a_province_on_its_behalf(demo: DemoService, page: Page) -> None:
    sign_in_by_link(demo, page)
    page.get_by_role("link", name="รอบส่งแผน").click()
    page.get_by_label("ชื่อ (ไทย)").fill("แผนทดสอบจากคอนโซล")
    page.get_by_label("ปิดรับ (เวลาไทย)").fill("2030-01-15T16:30")
    page.get_by_label("จังหวัด (คั่นด้วยจุลภาค").fill("เชียงใหม่, ขอนแก่น")
    page.get_by_role("button", name="สร้าง").click()
    expect(page.locator(".note")).to_have_text("บันทึกแล้ว")
    expect(page.locator('.cell[data-iso="TH-40"]').first).to_have_class(re.compile("due"))

    page.locator("select[name=province]").select_option("TH-40")
    page.get_by_label("เหตุผล").fill("ได้รับทางอีเมล")
    page.get_by_role("button", name="บันทึก", exact=True).click()

    expect(page.locator('.cell[data-iso="TH-40"]').first).to_have_class(re.compile("done"))
    expect(page.locator("table").first).to_contain_text("ได้รับทางอีเมล")


def test_the_dashboard_and_people_on_a_phone_in_english(demo: DemoService, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_by_link(demo, page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.get_by_role("link", name="People").click()
    expect(page.locator("table")).to_contain_text("Khon Kaen")


@pytest.fixture(scope="module")
def strict_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoService]:
    """A demo service of its own for the lockout (three failures), so the lockout of the browser's address does
    not lock the other tests out."""
    workdir = tmp_path_factory.mktemp("strict-demo")
    env = {"PATH": os.environ["PATH"], "HOME": str(workdir), "COORDBOT_USER_BURST": "1000",
           "COORDBOT_DATABASE_URL": f"sqlite:///{workdir}/coordbot.db", "COORDBOT_CODE_MAX_FAILURES": "3"}
    with serving(workdir, env, "--demo", "--log-level", "warning") as (port, emulator_port):
        yield DemoService(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{emulator_port}", env, workdir)


def test_repeated_wrong_passwords_lock_out_even_the_right_one(strict_demo: DemoService, page: Page) -> None:
    admin = person_id(strict_demo, "สุนีย์ อินทรวงศ์")
    strict_demo.coordbot("console", "set-password", admin, "--password-stdin", stdin=PASSWORD + "\n")
    for _ in range(2):
        sign_in_by_password(page, strict_demo.url, admin, "เดา")
        expect(page.locator(".error")).to_have_text("หมายเลขหรือรหัสผ่านไม่ถูกต้อง")
    sign_in_by_password(page, strict_demo.url, admin, "เดา")
    expect(page.locator(".error")).to_contain_text("ลองผิดหลายครั้งเกินไป")

    sign_in_by_password(page, strict_demo.url, admin, PASSWORD)

    expect(page.locator(".error")).to_contain_text("ลองผิดหลายครั้งเกินไป")


def test_an_import_with_a_bad_row_shows_the_report_and_writes_nothing(demo: DemoService, page: Page,
                                                                      tmp_path: Path) -> None:
    sign_in_by_link(demo, page)
    with page.expect_download() as download:
        page.goto(f"{demo.url}/console/projects")
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    progress = next(i for i, name in enumerate(rows[0]) if "ความก้าวหน้า" in name)
    first_code, before = rows[1][0], rows[1][progress]
    rows[1][progress] = "99" if before != "99" else "98"
    rows[2][progress] = "มาก"
    upload = tmp_path / "projects.csv"
    with upload.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows[:3])

    page.goto(f"{demo.url}/console/projects/import")
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name="นำเข้า", exact=True).click()

    expect(page.locator(".error")).to_contain_text("ไม่ได้นำเข้า: 1 จาก 2 แถวไม่ถูกต้อง")
    expect(page.locator("tr.bad-row")).to_have_count(1)
    page.goto(f"{demo.url}/console/projects/{first_code}")
    expect(page.locator("input[name=progress]")).to_have_value(before)


def test_a_workshop_made_in_the_console_and_answered_in_chat_changes_the_board(demo: DemoService,
                                                                               page: Page) -> None:
    sign_in_by_link(demo, page)
    page.get_by_role("link", name="สัมมนา", exact=True).click()
    page.locator("textarea[name=form]").fill(
        "ชื่อ=สัมมนาทดสอบจากคอนโซล | เริ่ม=2573-05-20 09:00 | สิ้นสุด=2573-05-20 16:30 | "
        "ตอบรับภายใน=2573-05-10 16:30 | สถานที่=ศาลากลางจังหวัดสงขลา | จังหวัด=สงขลา | ที่นั่ง=10")
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    expect(page.locator(".chat")).to_contain_text("สัมมนาทดสอบจากคอนโซล")
    page.get_by_role("button", name="ยืนยัน สร้างและส่งคำเชิญ").click()
    attending = page.locator("[data-live] .answers")
    expect(attending).to_contain_text("เข้าร่วม 0 · ไม่เข้าร่วม 0 · ไม่แน่ใจ 0 · ยังไม่ตอบ 1")  # Songkhla's coordinator
    workshop = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[1]

    demo.say("coord-ska", f"ตอบรับ {workshop} ไป")

    expect(attending).to_contain_text("เข้าร่วม 1", timeout=15_000)  # swapped in by the page's polling, no reload


def counts_in_chat(demo: DemoService, options: str) -> list[str]:
    """The recipient and LINE quota lines of chat's preview of `/ประกาศ options | …` (a draft, never sent)."""
    before = len(demo.screen("admin"))
    demo.say("admin", f"/ประกาศ {options} | นับผู้รับก่อนเขียนในคอนโซล")
    preview = demo.wait_for("admin", "ผู้รับ:", after=before)
    return [line for line in preview["text"].splitlines() if line.startswith(("ผู้รับ:", "ใช้โควตา"))]


def test_an_announcement_composed_on_the_form_is_sent_and_acknowledged(demo: DemoService, page: Page,
                                                                       screenshot: Callable[..., Path]) -> None:
    chat = counts_in_chat(demo, "บทบาท=ผู้ประสานงาน จังหวัด=ขอนแก่น")
    assert len(chat) == 2 and "LINE 0 · Telegram 0" not in chat[0], chat
    sign_in_by_link(demo, page)
    page.get_by_role("link", name="ประกาศ", exact=True).click()

    page.locator("select[name=role]").select_option("coordinator")
    page.get_by_label("จังหวัด (คั่นด้วยจุลภาค)").fill("ขอนแก่น")
    for line in chat:  # the form's live counts are chat's, before anything is drafted
        expect(page.locator("output.reach")).to_contain_text(line)
    page.get_by_label("ข้อความ").fill("รับทราบ | ประชุมผู้ประสานงานขอนแก่นจากคอนโซล")
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    expect(page.locator(".as-line")).to_contain_text("📢 ประชุมผู้ประสานงานขอนแก่นจากคอนโซล")
    expect(page.locator(".as-telegram .tg-button")).to_have_text("รับทราบ")
    screenshot("console_announcement_preview", "section.card")
    page.get_by_role("button", name="ยืนยันส่ง").click()

    expect(page.locator(".note")).to_have_text("บันทึกแล้ว")
    ledger = page.locator("table.ledger")
    expect(ledger.locator("tr.recipient.sent")).to_have_count(1, timeout=20_000)
    expect(ledger).to_contain_text("อรทัย บุญมา")
    press_acknowledge(demo, "coord-kkn", "ประชุมผู้ประสานงานขอนแก่นจากคอนโซล")
    row = ledger.locator("tr.recipient.sent")
    expect(row).to_contain_text("รับทราบ", timeout=20_000)  # the ledger refreshes itself: no reload
    expect(page.locator("main")).to_contain_text("รับทราบ 100% (1/1)")


def press_acknowledge(demo: DemoService, person: str, text: str) -> None:
    """`person` presses รับทราบ under the announcement, on whichever app it reached them."""
    for platform in ("line", "telegram"):
        for message in demo.screen(person, platform):
            ack = [b for b in message.get("buttons", []) if b.get("label") == "รับทราบ"]
            if text in message.get("text", "") and ack:
                demo.press(person, ack[0]["data"], platform)
                return
    raise AssertionError(f"{person} has no announcement {text!r} with a รับทราบ button")
