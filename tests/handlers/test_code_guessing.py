"""Codes resist guessing: wrong invite, link and delegate codes are audited, repeated failures lock the person and
the chat out for a while, and unknown, used and expired codes all get the same answer."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.cli import main
from bot.service import Service
from storage.db import utcnow
from storage.models import AuditLog, Invite, OutboxMessage, Role
from tests.factories import invite_code, make_workshop, person_of, row_of
from tests.helpers import Phones, register

WRONG = "ใช้รหัสนี้ไม่ได้"
LOCKED = "พิมพ์รหัสผิดหลายครั้งเกินไป"


def actions(service: Service, action: str) -> list[AuditLog]:
    with Session(service.engine) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


async def test_five_wrong_codes_lock_out_even_the_right_code_until_the_lockout_ends(
    phones: Phones, service: Service
) -> None:
    phone = phones.line(1)
    good = invite_code(service)
    for n in range(4):
        [answer] = await phone.say(f"ZZZZ-ZZZ{n + 2}")
        assert answer.startswith(WRONG)
    [fifth] = await phone.say("/join ZZZZ-ZZZ9")
    assert fifth.startswith(LOCKED) and "02:15" not in fifth and "10:15 น." in fifth  # Bangkok time of the end
    [refused] = await phone.say(good)
    assert refused.startswith(LOCKED)
    assert person_of(service, "line", phone.user_id).role == Role.guest
    assert [e.detail["code"] for e in actions(service, "code_failed")] == [
        "ZZZZ-ZZZ2", "ZZZZ-ZZZ3", "ZZZZ-ZZZ4", "ZZZZ-ZZZ5", "ZZZZ-ZZZ9"]
    assert len(actions(service, "code_lockout")) == 1 and len(actions(service, "code_refused_locked")) == 1
    phones.clock.advance(minutes=16)
    [joined] = await phone.say(good)
    assert "ลงทะเบียนสำเร็จ" in joined


async def test_failures_add_up_across_a_persons_accounts_and_kinds_of_code(phones: Phones, service: Service) -> None:
    line, telegram = phones.line(1), phones.telegram(2)
    await line.say(invite_code(service))
    [with_code] = await line.say("/link")
    await telegram.say(with_code.split(": ")[1].split()[0])
    await line.settle()
    for _ in range(3):
        assert (await line.say("/delegate QQQQ-QQQQ"))[0].startswith(WRONG)
    assert (await telegram.say("QQQQ-QQQ2"))[0].startswith(WRONG)
    assert (await telegram.say("/join QQQQ-QQQ3"))[0].startswith(LOCKED)
    assert (await line.say("/delegate QQQQ-QQQ4"))[0].startswith(LOCKED)
    assert {e.detail["kind"] for e in actions(service, "code_failed")} == {"delegate", "invite"}


async def test_failures_of_other_people_do_not_lock_me_out(phones: Phones, service: Service) -> None:
    for n in range(1, 6):
        await phones.line(n).say("ZZZZ-ZZZZ")
    [joined] = await phones.line(6).say(invite_code(service))
    assert "ลงทะเบียนสำเร็จ" in joined


async def test_wrong_delegate_codes_get_the_invite_codes_answer_and_confirming_renames_nobody(
    phones: Phones, service: Service
) -> None:
    principal, delegate = phones.telegram(1), phones.line(2)
    principal_id = register(principal, Role.deputy_governor, "TH-40", name="วิชัย พลเยี่ยม")
    workshop = make_workshop(service)
    await principal.settle()
    [unknown] = await delegate.say("/delegate ZZZZ-ZZZZ")
    [not_named] = await delegate.say(f"/delegate {row_of(service, workshop, principal_id).code}")
    assert unknown == not_named and unknown.startswith(WRONG)
    await principal.say(f"/delegate {workshop} นางสาวมาลี ใจดี | ปลัดจังหวัด")
    code = row_of(service, workshop, principal_id).code
    [confirmed, *_] = await delegate.say(f"/delegate {code}")
    assert "คุณเป็นผู้แทนของ วิชัย พลเยี่ยม" in confirmed
    [told] = await principal.settle()
    assert told.text.endswith("(จากบัญชี LINE \"ไม่ทราบชื่อที่แสดง\")")
    assert person_of(service, "line", delegate.user_id).name == ""
    phones.clock.advance(days=11)
    [late] = await phones.line(3).say(f"/delegate {code}")
    assert late == unknown


async def test_an_admin_invite_from_the_cli_tells_every_admin(
    phones: Phones, service: Service, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    monkeypatch.chdir(str(tmp_path))  # no .env from the developer's checkout
    admins = [phones.line(1), phones.telegram(2)]
    register(admins[0], Role.admin, name="ผู้ดูแลหนึ่ง")
    register(admins[1], Role.admin, name="Admin Two", lang="en")
    coordinator = phones.line(3)
    register(coordinator, Role.coordinator, "TH-50")
    assert main(["invite", "create", "--role", "admin", "--name", "สมหญิง"]) == 0
    phones.clock.now = utcnow()  # the CLI ran on the real clock, as the service does outside tests
    [thai] = await admins[0].settle()
    [english] = await admins[1].settle()
    assert thai.text.startswith("🛡️ มีการสร้างรหัสเชิญผู้ดูแลระบบใหม่") and "สมหญิง" in thai.text
    assert "บรรทัดคำสั่ง" in thai.text
    assert english.text.startswith("🛡️ A new admin invite") and "created by the command line" in english.text
    assert await coordinator.settle() == []
    with Session(service.engine) as session:
        code = session.exec(select(Invite)).one().code
        assert code not in thai.text and code[:4] in thai.text  # enough to recognise it, not to use it
    assert main(["invite", "create", "--role", "coordinator", "--province", "เชียงใหม่"]) == 0
    with Session(service.engine) as session:
        assert len(session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("admin-invite"))).all()) == 2
