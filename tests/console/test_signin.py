"""Signing in to the console: by the one-time link `/console` sends to an admin's own chat, or by password; the
cookie's flags, the CSRF token on every form, the lockout after repeated failures, signing out, and refusing
everyone who is not an admin."""

from __future__ import annotations

import io

import httpx
import pytest
from sqlmodel import Session, select

from bot.cli import main
from bot.console.passwords import DUMMY, HASHER, verify
from bot.service import Service
from storage.console import ConsoleLink, digest
from storage.db import transaction
from storage.models import AuditLog, Person, Role
from tests.console.conftest import csrf_of, link_from_chat, sign_in_by_chat
from tests.helpers import Clock, Phone, Phones, register

PAGES = ["/console", "/console/windows", "/console/windows/1", "/console/people", "/console/people/1",
         "/console/people/invites", "/console/audit", "/console/projects", "/console/projects/import",
         "/console/projects/export.csv", "/console/workshops", "/console/workshops/1/desk",
         "/console/announcements", "/console/announcements/1"]


def actions(service: Service, action: str) -> list[AuditLog]:
    with Session(service.engine) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


async def test_an_admin_signs_in_with_the_link_from_their_chat(browser: httpx.AsyncClient, admin: Phone,
                                                               service: Service) -> None:
    landed = await sign_in_by_chat(browser, admin)
    assert landed.status_code == 200 and "รอบส่งแผนที่เปิดอยู่" in landed.text and "ออกจากระบบ" in landed.text
    assert "ใช้ได้ครั้งเดียวภายใน 10 นาที" in admin.texts[-1]
    [signed] = actions(service, "console_signed_in")
    assert signed.detail["method"] == "link"


async def test_the_link_is_stored_hashed_and_works_once(browser: httpx.AsyncClient, admin: Phone,
                                                        app: object, service: Service) -> None:
    path = await link_from_chat(admin)
    token = path.rsplit("/", 1)[1]
    with Session(service.engine) as session:
        [link] = session.exec(select(ConsoleLink)).all()
        assert link.token_hash == digest(token) and token not in link.token_hash
    page = await browser.get(path)
    await browser.post(path, data={"csrf": csrf_of(page)})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://coordbot") as other:  # type: ignore[arg-type]
        again = await other.get(path)
        assert again.status_code == 404 and "ลิงก์นี้ใช้ไม่ได้" in again.text


async def test_opening_the_link_does_not_spend_it_as_a_chat_preview_would(browser: httpx.AsyncClient,
                                                                          admin: Phone) -> None:
    path = await link_from_chat(admin)
    assert (await browser.get(path)).status_code == 200
    page = await browser.get(path)
    assert "เข้าสู่คอนโซลในชื่อ ผู้ดูแล?" in page.text
    landed = await browser.post(path, data={"csrf": csrf_of(page)}, follow_redirects=True)
    assert str(landed.url).endswith("/console")


async def test_an_expired_link_is_refused(browser: httpx.AsyncClient, admin: Phone, clock: Clock) -> None:
    path = await link_from_chat(admin)
    clock.advance(minutes=11)
    assert (await browser.get(path)).status_code == 404


async def test_the_session_cookie_is_httponly_and_samesite_lax(browser: httpx.AsyncClient, admin: Phone) -> None:
    path = await link_from_chat(admin)
    page = await browser.get(path)
    response = await browser.post(path, data={"csrf": csrf_of(page)})
    cookie = next(v for k, v in response.headers.multi_items()
                  if k == "set-cookie" and v.startswith("coordbot_console="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # the test URL is http


def test_cookies_are_secure_when_the_public_url_is_https() -> None:
    from bot.config import Settings
    assert Settings(public_url="https://coordbot.example.go.th", _env_file=None).secure_cookies
    assert not Settings(public_url="http://127.0.0.1:8000", _env_file=None).secure_cookies


async def test_a_form_posted_without_its_csrf_token_is_refused(signed_in: httpx.AsyncClient,
                                                               service: Service) -> None:
    refused = await signed_in.post("/console/signout", data={})
    assert refused.status_code == 403 and "แบบฟอร์มหมดอายุ" in refused.text
    forged = await signed_in.post("/console/signout", data={"csrf": "not-the-token"})
    assert forged.status_code == 403
    assert (await signed_in.get("/console")).status_code == 200  # still signed in: nothing happened
    assert actions(service, "console_signed_out") == []


async def test_the_sign_in_forms_need_their_token_too(browser: httpx.AsyncClient, admin: Phone) -> None:
    path = await link_from_chat(admin)
    await browser.get(path)
    assert (await browser.post(path, data={})).status_code == 403
    assert (await browser.post("/console/signin", data={"login": "1", "password": "x"})).status_code == 403


async def test_signing_out_ends_the_session(signed_in: httpx.AsyncClient, service: Service) -> None:
    page = await signed_in.get("/console")
    out = await signed_in.post("/console/signout", data={"csrf": csrf_of(page)}, follow_redirects=True)
    assert str(out.url).endswith("/console/signin")
    again = await signed_in.get("/console")
    assert again.status_code == 303 and again.headers["location"] == "/console/signin"
    assert len(actions(service, "console_signed_out")) == 1


async def test_without_a_session_every_page_sends_to_sign_in(browser: httpx.AsyncClient) -> None:
    for path in PAGES:
        response = await browser.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/console/signin", path


async def test_a_non_admin_cannot_ask_for_a_link(phones: Phones) -> None:
    coordinator = phones.line(2)
    register(coordinator, Role.coordinator, "TH-50", name="กนกพร")
    [text] = await coordinator.say("/console")
    assert "สำหรับ ผู้ดูแลระบบ เท่านั้น" in text
    assert not any("/console/signin/" in data for r in coordinator.screen for _, data in r.buttons)


async def test_an_admin_demoted_after_signing_in_is_refused_every_page(signed_in: httpx.AsyncClient,
                                                                      service: Service) -> None:
    with transaction(service.engine) as session:
        person = session.exec(select(Person).where(Person.role == Role.admin)).one()
        person.role = Role.coordinator
    first = await signed_in.get("/console")
    assert first.status_code == 403 and "สำหรับผู้ดูแลระบบเท่านั้น" in first.text
    for path in PAGES:
        assert (await signed_in.get(path)).status_code in (303, 403), path  # the session was ended too
    assert actions(service, "console_refused")


async def test_a_link_made_for_someone_no_longer_admin_does_not_sign_in(browser: httpx.AsyncClient, admin: Phone,
                                                                        service: Service) -> None:
    path = await link_from_chat(admin)
    page = await browser.get(path)
    with transaction(service.engine) as session:
        session.exec(select(Person).where(Person.role == Role.admin)).one().role = Role.coordinator
    response = await browser.post(path, data={"csrf": csrf_of(page)})
    assert response.status_code == 404 and "coordbot_console=" not in response.headers.get("set-cookie", "")


def set_password(monkeypatch: pytest.MonkeyPatch, settings: object, person_id: int, password: str) -> int:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", settings.database_url)  # type: ignore[attr-defined]
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["console", "set-password", str(person_id), "--password-stdin"])


async def password_sign_in(browser: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    page = await browser.get("/console/signin")
    return await browser.post("/console/signin", data={"csrf": csrf_of(page), "login": login, "password": password},
                              follow_redirects=True)


async def test_an_admin_signs_in_with_a_password_set_from_the_shell(
    browser: httpx.AsyncClient, admin: Phone, settings: object, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], service: Service,
) -> None:
    admin_id = register(admin, Role.admin, name="สุนีย์ ผู้ดูแล")
    assert set_password(monkeypatch, settings, admin_id, "ม้าลายกินหญ้าสีเขียว") == 0
    assert "console password set" in capsys.readouterr().out
    wrong = await password_sign_in(browser, str(admin_id), "not it at all")
    assert wrong.status_code == 401 and "รหัสผ่านไม่ถูกต้อง" in wrong.text
    landed = await password_sign_in(browser, f"#{admin_id}", "ม้าลายกินหญ้าสีเขียว")
    assert landed.status_code == 200 and str(landed.url).endswith("/console")
    assert [a.detail["method"] for a in actions(service, "console_signed_in")] == ["password"]
    [stored] = actions(service, "console_password_set")
    assert "ม้าลาย" not in str(stored.detail)


async def test_set_password_refuses_non_admins_and_short_passwords(
    phones: Phones, settings: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    coordinator = register(phones.line(2), Role.coordinator, "TH-50", name="กนกพร")
    assert set_password(monkeypatch, settings, coordinator, "long enough password") == 2
    admin = register(phones.line(3), Role.admin, name="admin")
    assert set_password(monkeypatch, settings, admin, "short") == 2
    assert "at least 12" in capsys.readouterr().err


def test_someone_without_a_password_is_checked_against_a_hash_as_costly_as_a_real_one() -> None:
    """Either way the answer takes as long, and says no: it does not tell who has a password."""
    assert not HASHER.check_needs_rehash(DUMMY)
    assert verify(None, "no password is set for this person") is False


async def test_repeated_wrong_passwords_lock_out_even_the_right_one(
    browser: httpx.AsyncClient, admin: Phone, settings: object, monkeypatch: pytest.MonkeyPatch,
    service: Service, clock: Clock,
) -> None:
    admin_id = register(admin, Role.admin, name="สุนีย์ ผู้ดูแล")
    set_password(monkeypatch, settings, admin_id, "the right password here")
    for _ in range(4):
        assert (await password_sign_in(browser, str(admin_id), "guess")).status_code == 401
    locked = await password_sign_in(browser, str(admin_id), "guess")
    assert locked.status_code == 429 and "ลองผิดหลายครั้งเกินไป" in locked.text
    still = await password_sign_in(browser, str(admin_id), "the right password here")
    assert still.status_code == 429
    assert len(actions(service, "console_lockout")) == 1
    clock.advance(minutes=16)
    assert (await password_sign_in(browser, str(admin_id), "the right password here")).status_code == 200


async def test_a_locked_out_password_does_not_stop_the_chat_link(
    browser: httpx.AsyncClient, app: object, admin: Phone, settings: object, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stranger guessing an admin's password from elsewhere must not keep the admin out."""
    admin_id = register(admin, Role.admin, name="สุนีย์ ผู้ดูแล")
    set_password(monkeypatch, settings, admin_id, "the right password here")
    for _ in range(5):
        await password_sign_in(browser, str(admin_id), "guess")
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 4000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://coordbot") as elsewhere:
        landed = await sign_in_by_chat(elsewhere, admin)
        assert str(landed.url).endswith("/console")


async def test_pages_are_never_cached_framed_or_referred(browser: httpx.AsyncClient, admin: Phone) -> None:
    page = await browser.get(await link_from_chat(admin))
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
