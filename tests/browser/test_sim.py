"""The chat simulator at /sim in a real browser: joining with an invite code, the LINE rich menu, Flex cards and
quick replies, Telegram's formatting and inline keyboards, and messages arriving without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.demo import DemoService


def sim(demo: DemoService, person: str, platform: str = "line", lang: str = "th") -> str:
    return f"{demo.url}/sim?person={person}&platform={platform}&lang={lang}"


def type_message(page: Page, text: str) -> None:
    page.get_by_placeholder("พิมพ์ข้อความ").fill(text)
    page.get_by_role("button", name="ส่ง", exact=True).click()


def test_a_newcomer_joins_with_an_invite_code_then_uses_the_coordinators_rich_menu(
    demo: DemoService, page: Page, screenshot: Callable[..., Path]
) -> None:
    page.goto(sim(demo, "admin"))
    made = page.locator("#messages .from-bot", has_text="รหัสเชิญ")
    earlier = made.count()
    type_message(page, "/invite ผู้ประสานงาน เชียงใหม่ มานี มีนา")  # the admin makes an invite code in chat
    expect(made).to_have_count(earlier + 1)
    found = re.search(r"รหัสเชิญ (\S+)", made.last.inner_text())
    assert found is not None
    code = found[1]

    page.get_by_role("link", name="+ ผู้มาใหม่อีกคน").click()
    page.wait_for_url(re.compile(r"person=new-[0-9a-f]+"))
    messages, menu = page.locator("#messages"), page.locator("#menu")
    expect(menu.get_by_role("button", name="ลงทะเบียน", exact=True)).to_be_visible()  # the guests' rich menu

    type_message(page, code)

    expect(messages.locator(".from-user .bubble")).to_contain_text(code)
    expect(messages).to_contain_text("ลงทะเบียนสำเร็จ: คุณมานี มีนา")
    deadlines = menu.get_by_role("button", name="กำหนดส่ง", exact=True)  # now the coordinators' menu
    expect(deadlines).to_be_visible()
    menu.locator("summary").click()  # the chat bar closes the menu and opens it again, as on the phone
    expect(deadlines).to_be_hidden()
    menu.locator("summary").click()
    deadlines.click()
    expect(messages.locator(".from-user .bubble").last).to_have_text("กำหนดส่ง")  # LINE shows the area's displayText
    expect(messages.locator(".flex-bubble").first).to_contain_text("ปิดรับ")  # the deadline as a Flex card
    screenshot("sim-line", "body")  # docs/sim.png, the README's first picture
    page.locator("#quick").get_by_role("button", name=re.compile("^ส่งแล้ว")).first.click()
    expect(messages).to_contain_text("ยืนยันว่าจังหวัดเชียงใหม่ส่ง")
    expect(page.locator("#quick").get_by_role("button", name="ยกเลิก")).to_be_visible()


def test_telegram_shows_formatted_text_and_an_inline_keyboard_whose_button_answers(
    demo: DemoService, page: Page, screenshot: Callable[..., Path]
) -> None:
    page.goto(sim(demo, "dg-kkn", "telegram"))
    messages = page.locator("#messages")

    page.locator("#menu summary").click()  # Telegram's menu button lists the person's commands
    page.locator("#menu button", has_text="/workshops").click()

    expect(messages.locator(".from-user .bubble").last).to_have_text("/workshops")
    expect(page.locator("#menu button", has_text="/workshops")).to_be_hidden()  # the list closes, as in the app
    title = messages.locator(".bubble b").first  # <b> from the message's bold entity
    expect(title).to_contain_text("ประชุมเชิงปฏิบัติการ")
    messages.locator(".inline-button").first.click()
    expect(messages.locator(".inline-button", has_text="เข้าร่วม").first).to_be_visible()
    expect(messages.locator(".inline-button.link").first).to_have_attribute("href", re.compile(r"^http://"))
    screenshot("sim-telegram", "body")  # docs/sim-telegram.png, in the README's Chat simulator section


def test_what_arrives_on_the_phone_appears_without_a_reload(demo: DemoService, page: Page) -> None:
    guest = demo.newcomer()
    page.goto(sim(demo, guest))
    expect(page.locator("#messages")).to_contain_text("ยังไม่มีข้อความ")

    demo.say(guest, "ช่วยเหลือ")  # from outside the page, through the emulator

    expect(page.locator("#messages")).to_contain_text("เมนูคำสั่งของ coordbot")
    expect(page.locator("#messages .from-user .bubble")).to_have_text("ช่วยเหลือ")


def test_the_simulator_speaks_english_too_and_refuses_an_unknown_person(demo: DemoService, page: Page) -> None:
    page.goto(sim(demo, "admin", lang="en"))
    expect(page.get_by_role("heading", level=1)).to_have_text("coordbot chat simulator")
    expect(page.get_by_placeholder("Type a message")).to_be_visible()

    response = page.goto(sim(demo, "nobody"))

    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_have_text("ไม่มีผู้ใช้เดโมชื่อนี้")


def test_a_rich_menu_tab_switches_to_the_menus_other_part(demo: DemoService, page: Page) -> None:
    page.goto(sim(demo, "dg-cmi"))
    menu = page.locator("#menu")
    expect(menu.get_by_role("button", name="ส่งผู้แทน")).to_be_visible()  # the deputy governors' main tab

    menu.get_by_role("button", name="⇄ เพิ่มเติม").click()

    expect(menu.get_by_role("button", name="สรุปจังหวัด")).to_be_visible()
    expect(menu.get_by_role("button", name="ส่งผู้แทน")).to_have_count(0)
