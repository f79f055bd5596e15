"""People in the console: by province and role with their accounts, the unreachable ones, a role or province
change (audited old → new), invite codes made and revoked (never admin invites), and the audit log's filters."""

from __future__ import annotations

import re

import httpx
from sqlmodel import Session, select

from bot.service import Service
from storage.models import AuditLog, Invite, Person, Role
from tests.console.conftest import post_form
from tests.factories import CHIANG_MAI, KHON_KAEN, members
from tests.helpers import Phones

ROW = re.compile(r'<tr class="person" data-id="(\d+)">')


def person(service: Service, person_id: int) -> Person:
    with Session(service.engine) as session:
        found = session.get(Person, person_id)
        assert found is not None
        return found


def listed(html: str) -> set[int]:
    return {int(n) for n in ROW.findall(html)}


async def test_people_by_province_and_role_with_their_accounts(signed_in: httpx.AsyncClient, phones: Phones,
                                                               service: Service) -> None:
    people = members(phones)
    await people["kkn-tg"].block()
    page = await signed_in.get(f"/console/people?province={CHIANG_MAI}&role=coordinator")
    assert "สมชาย" in page.text and "สมหญิง" in page.text and "ขวัญใจ" not in page.text
    assert "LINE ✓" in page.text and "Telegram ✓" in page.text and "2 คน" in page.text
    unreachable = await signed_in.get("/console/people?unreachable=1")
    assert "ขวัญใจ" in unreachable.text and "ติดต่อไม่ได้" in unreachable.text and "สมชาย" not in unreachable.text


async def test_changing_a_role_and_province_is_audited_old_to_new(signed_in: httpx.AsyncClient, phones: Phones,
                                                                  service: Service) -> None:
    members(phones)
    with Session(service.engine) as session:
        target = session.exec(select(Person).where(Person.name == "ขวัญใจ")).one()
    assert target.id is not None
    path = f"/console/people/{target.id}"
    page = await post_form(signed_in, path, path, {"role": "deputy_governor", "province": CHIANG_MAI})
    assert page.status_code == 200 and "บันทึกแล้ว" in page.text
    changed = person(service, target.id)
    assert changed.role == Role.deputy_governor and changed.province_iso == CHIANG_MAI
    with Session(service.engine) as session:
        [entry] = session.exec(select(AuditLog).where(AuditLog.action == "person_changed")).all()
    assert entry.detail["role"] == ["coordinator", "deputy_governor"]
    assert entry.detail["province"] == [KHON_KAEN, CHIANG_MAI]
    assert "person_changed" in page.text  # the person's own history on their page
    same = await post_form(signed_in, path, path, {"role": "deputy_governor", "province": CHIANG_MAI})
    assert "ไม่มีการเปลี่ยนแปลง" in same.text


async def test_invites_are_made_and_revoked_but_never_for_admins(signed_in: httpx.AsyncClient,
                                                                service: Service) -> None:
    path = "/console/people/invites"
    refused = await post_form(signed_in, path, path, {"role": "admin", "province": "", "name": "x"})
    assert refused.status_code == 400 and "coordbot invite create --role admin" in refused.text
    made = await post_form(signed_in, path, path, {"role": "coordinator", "province": KHON_KAEN,
                                                   "name": "มาลี ใจดี"})
    with Session(service.engine) as session:
        [invite] = session.exec(select(Invite)).all()
    assert invite.role == Role.coordinator and invite.province_iso == KHON_KAEN and invite.name == "มาลี ใจดี"
    assert f"รหัสเชิญ {invite.code} ใช้ได้ถึง" in made.text
    revoked = await post_form(signed_in, path, f"{path}/revoke", {"code": invite.code})
    assert "บันทึกแล้ว" in revoked.text and invite.code not in revoked.text
    again = await post_form(signed_in, path, f"{path}/revoke", {"code": "ZZZZ-ZZZZ"})
    assert again.status_code == 400
    with Session(service.engine) as session:
        actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]  # type: ignore[arg-type]
    assert "invite_created" in actions and "invite_revoked" in actions


async def test_the_audit_log_filters_by_person_province_and_action(signed_in: httpx.AsyncClient, phones: Phones,
                                                                   service: Service) -> None:
    members(phones)
    with Session(service.engine) as session:
        target = session.exec(select(Person).where(Person.name == "ขวัญใจ")).one()
    path = f"/console/people/{target.id}"
    await post_form(signed_in, path, path, {"role": "coordinator", "province": "TH-90"})
    by_action = await signed_in.get("/console/audit?action=person_changed")
    assert by_action.text.count('<tr class="audit">') == 1
    by_province = await signed_in.get("/console/audit?province=TH-90")
    assert "person_changed" in by_province.text
    nothing = await signed_in.get("/console/audit?action=window_deleted")
    assert "ไม่มีรายการในบันทึก" in nothing.text
