"""The browser tests' own ground: the demo service answers signed webhooks and demo people, and Chromium reaches it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.demo import DemoService


def test_a_signed_webhook_of_the_tests_own_is_answered_on_the_persons_phone(demo: DemoService) -> None:
    response = demo.post_webhook("line", demo.line_text("coord-kkn", "/help"))

    assert response.status_code == 200
    assert "กำหนดส่ง" in demo.wait_for("coord-kkn", "/deadlines")["text"]


def test_a_newcomer_is_a_guest_on_both_platforms(demo: DemoService) -> None:
    guest = demo.newcomer()

    demo.say(guest, "/help", platform="telegram")

    assert "ลงทะเบียน" in demo.wait_for(guest, "/join", platform="telegram")["text"]
    assert demo.screen(guest, "line") == []


def test_chromium_reaches_the_demo_service(demo: DemoService, page: Page) -> None:
    page.goto(f"{demo.url}/healthz")

    expect(page.locator("body")).to_contain_text('"status":"ok"')


def test_an_invite_made_with_the_cli_on_the_demo_database_lets_a_newcomer_join(demo: DemoService) -> None:
    made = demo.coordbot("invite", "create", "--role", "coordinator", "--province", "สงขลา", "--name", "สมชาย ใจดี")
    guest = demo.newcomer()

    demo.say(guest, made.stdout.split()[0])

    assert "สงขลา" in demo.wait_for(guest, "ลงทะเบียนสำเร็จ: คุณสมชาย ใจดี")["text"]
