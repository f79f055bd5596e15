"""Announcements in chat: compose, preview, confirm or cancel, delivery report, acknowledgements, schedules."""

from __future__ import annotations

import pytest
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, select

from bot.quota import LineQuota
from bot.service import Service
from scheduler.broadcast import job_id, send_scheduled
from storage.broadcast import Broadcast, BroadcastStatus, delivery
from storage.db import transaction
from storage.models import InboxEvent, InboxStatus, OutboxMessage, Role
from storage.people import audit_entries
from tests.factories import admin_phone, members
from tests.helpers import Phone, Phones, register


def got(phone: Phone, text: str) -> bool:
    return any(text in r.text for r in phone.screen)


def only_broadcast(service: Service) -> Broadcast:
    with transaction(service.engine) as session:
        return session.exec(select(Broadcast)).one()


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_preview_shows_counts_and_nothing_is_sent_before_confirming(
    phones: Phones, service: Service, platform: str
) -> None:
    admin = admin_phone(phones, platform)
    people = members(phones)
    shown = "\n".join(await admin.say("/broadcast role=coordinator | ประชุมออนไลน์ พรุ่งนี้ 09:00"))
    assert "ตัวอย่างประกาศ" in shown and "📢 ประชุมออนไลน์ พรุ่งนี้ 09:00" in shown
    assert "LINE 1 · Telegram 2" in shown
    assert "ใช้โควตา LINE 1 ข้อความ (เหลือ ไม่จำกัด)" in shown
    assert not any(got(p, "ประชุมออนไลน์") for p in people.values())

    await admin.press("ยืนยันส่ง")
    await admin.settle()
    assert all(got(people[k], "📢 ประชุมออนไลน์ พรุ่งนี้ 09:00") for k in ("cmi-line", "cmi-tg", "kkn-tg"))
    assert not got(people["ska-dg"], "ประชุมออนไลน์")
    summary = "\n".join(admin.texts)
    assert "ส่งประกาศ #1 เสร็จแล้ว" in summary
    assert "LINE: รอส่ง 0 · ส่งแล้ว 1 · ไม่สำเร็จ 0 · ติดต่อไม่ได้ 0" in summary
    assert "Telegram: รอส่ง 0 · ส่งแล้ว 2" in summary
    assert only_broadcast(service).status == BroadcastStatus.done


async def test_line_recipients_get_one_multicast_per_500_with_its_own_retry_key(
    phones: Phones, service: Service
) -> None:
    admin = admin_phone(phones, "telegram")
    line_people = [phones.line(100 + n) for n in range(501)]
    for n, phone in enumerate(line_people):
        register(phone, Role.coordinator, "TH-50", name=f"ผู้ประสานงาน {n}")
    await admin.say("/broadcast platform=line | แจ้งทุกคนทาง LINE")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    calls = phones.state.calls("line", "multicast")
    assert [c.status for c in calls] == [200, 200]
    assert len({c.retry_key for c in calls}) == 2
    assert all(got(p, "แจ้งทุกคนทาง LINE") for p in line_people)
    assert phones.state.quota_used == 501


async def test_cancel_before_confirming_sends_nothing(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    await admin.say("/ประกาศ | ยกเลิกกิจกรรม")
    assert "ยกเลิกประกาศ #1 แล้ว" in "\n".join(await admin.press("ยกเลิก"))
    assert not any(got(p, "ยกเลิกกิจกรรม") for p in people.values())
    refused = await admin.press_data("bcc:1:all")
    assert "ยกเลิกแล้ว" in "\n".join(refused)
    with transaction(service.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.tag == "broadcast:1")).all() == []


async def test_a_past_time_or_a_plain_http_link_is_refused_and_nothing_is_drafted(
    phones: Phones, service: Service
) -> None:
    admin = admin_phone(phones)
    past = "\n".join(await admin.say("/broadcast at=2020-01-01T09:00 | ประชุม"))
    assert "เวลา \"2020-01-01T09:00\" ใช้ไม่ได้" in past
    http = "\n".join(await admin.say("/broadcast link=http://example.org | ประชุม"))
    assert "ลิงก์ \"http://example.org\" ต้องขึ้นต้นด้วย https://" in http
    with transaction(service.engine) as session:
        assert session.exec(select(Broadcast)).all() == []


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_non_admins_are_refused_and_it_is_logged(phones: Phones, service: Service, platform: str) -> None:
    phone = phones.line(5) if platform == "line" else phones.telegram(5)
    register(phone, Role.deputy_governor, "TH-50", name="รองฯ")
    answer = "\n".join(await phone.say("/broadcast | สวัสดีทุกคน"))
    assert "สำหรับ ผู้ดูแลระบบ เท่านั้น" in answer
    assert "\n".join(await phone.press_data("bcc:1:all"))
    with transaction(service.engine) as session:
        assert [e.detail["command"] for e in audit_entries(session=session, action="refused")] == ["broadcast", "bcc"]
        assert session.exec(select(Broadcast)).all() == []


async def test_acknowledgements_show_who_has_and_who_has_not(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    await admin.say("/ประกาศ บทบาท=ผู้ประสานงาน รับทราบ | ส่งแผนภายในวันศุกร์")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    await people["cmi-tg"].settle()
    assert "บันทึกว่ารับทราบแล้ว" in "\n".join(await people["cmi-tg"].press("รับทราบ"))
    await people["cmi-line"].settle()
    assert "รับทราบ" in [label for label, _ in people["cmi-line"].last_buttons]
    assert "บันทึกว่ารับทราบแล้ว" in "\n".join(await people["cmi-line"].press("รับทราบ"))
    assert "บันทึกไว้แล้ว" in "\n".join(await people["cmi-line"].press("รับทราบ"))
    report = "\n".join(await admin.say("/ประกาศ ผู้รับทราบ 1"))
    # each name with the role and province, so namesakes can be told apart
    assert "รับทราบแล้ว 2/3: สมชาย (ผู้ประสานงานจังหวัด, เชียงใหม่), สมหญิง (ผู้ประสานงานจังหวัด, เชียงใหม่)" in report
    assert "ยังไม่รับทราบ 1: ขวัญใจ (ผู้ประสานงานจังหวัด, ขอนแก่น)" in report
    assert "ไม่ได้ส่งถึงคุณ" in "\n".join(await people["ska-dg"].press_data("bca:1"))


async def test_scheduled_broadcast_is_sent_by_its_job_and_can_be_cancelled_until_then(
    phones: Phones, service: Service
) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    await admin.say("/broadcast at=2569-03-05 09:00 province=เชียงใหม่ | ตรวจเยี่ยม 5 มี.ค.")
    assert "ตั้งเวลาส่งประกาศ #1 แล้ว: 5 มี.ค. 2569 09:00 น." in "\n".join(await admin.press("ยืนยันตั้งเวลา"))
    await admin.say("/broadcast at=2569-03-06 09:00 | ประกาศที่จะยกเลิก")
    await admin.press("ยืนยันตั้งเวลา")
    assert service.scheduler is not None
    assert [job for job, _ in service.scheduler.planned("bc:")] == [job_id(1), job_id(2)]
    assert "ยกเลิกประกาศ #2 แล้ว" in "\n".join(await admin.say("/broadcast cancel 2"))
    assert [job for job, _ in service.scheduler.planned("bc:")] == [job_id(1)]

    phones.clock.advance(days=3)
    send_scheduled(1)
    send_scheduled(2)  # cancelled: a stray run sends nothing
    await admin.settle()
    assert got(people["cmi-line"], "ตรวจเยี่ยม 5 มี.ค.") and got(people["cmi-tg"], "ตรวจเยี่ยม 5 มี.ค.")
    assert not got(people["kkn-tg"], "ตรวจเยี่ยม") and not any(got(p, "ที่จะยกเลิก") for p in people.values())
    assert "ประกาศ #1 ส่งเสร็จแล้ว" in "\n".join(await admin.say("/broadcast cancel 1"))


async def test_lines_quota_is_read_outside_any_transaction_and_only_for_what_shows_or_uses_it(
    phones: Phones, service: Service
) -> None:
    admin = admin_phone(phones, "telegram")
    members(phones)
    phones.state.set_quota(limit=100, used=40)
    pool, real = service.engine.pool, service.quota
    assert isinstance(pool, QueuePool)
    checked_out = pool.checkedout
    open_connections: list[int] = []

    class Watched:
        def read(self) -> LineQuota:
            open_connections.append(checked_out())
            return real.read()

    service.quota = Watched()
    await admin.say("/help")
    await admin.say("/broadcast status 1")
    assert open_connections == []
    shown = "\n".join(await admin.say("/broadcast | ประชุม"))
    assert "ใช้โควตา LINE 2 ข้อความ (เหลือ 60)" in shown
    await admin.press("ยืนยันส่ง")
    assert open_connections == [0, 0]  # the preview and the confirmation; no connection held, so no transaction


async def test_over_quota_needs_a_choice_and_telegram_only_skips_line(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones, "telegram")
    people = members(phones)
    phones.state.set_quota(limit=100, used=99)
    shown = "\n".join(await admin.say("/broadcast | งบประมาณปี 2570"))
    assert "ใช้โควตา LINE 2 ข้อความ (เหลือ 1)" in shown and "เกินโควตา LINE" in shown
    assert [label for label, _ in admin.last_buttons] == ["ส่งเฉพาะ Telegram", "ส่งบางส่วน", "ยกเลิก"]
    await admin.press("ส่งเฉพาะ Telegram")
    await admin.settle()
    assert got(people["cmi-tg"], "งบประมาณ") and got(people["kkn-tg"], "งบประมาณ")
    assert not got(people["cmi-line"], "งบประมาณ") and not got(people["ska-dg"], "งบประมาณ")
    with transaction(service.engine) as session:
        assert delivery(session=session, broadcast_id=1)["line"]["skipped"] == 2
    assert phones.state.quota_used == 99


async def test_partial_sends_line_up_to_the_quota_left(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones, "telegram")
    people = members(phones)
    phones.state.set_quota(limit=100, used=99)
    await admin.say("/broadcast | ส่งบางส่วน")
    await admin.press("ส่งบางส่วน")
    await admin.settle()
    line_got = [got(people[k], "📢 ส่งบางส่วน") for k in ("cmi-line", "ska-dg")]
    assert sorted(line_got) == [False, True]
    assert phones.state.quota_used == 100


async def test_line_monthly_limit_while_sending_stops_line_and_tells_the_author(
    phones: Phones, service: Service
) -> None:
    admin = admin_phone(phones, "telegram")
    people = members(phones)
    await admin.say("/broadcast | แจ้งด่วน")
    phones.state.set_quota(limit=1, used=1)  # spent between preview and sending
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    texts = "\n".join(admin.texts)
    assert "โควตาข้อความประจำเดือนหมดแล้ว หยุดส่งทาง LINE" in texts
    assert "LINE: รอส่ง 0 · ส่งแล้ว 0 · ไม่สำเร็จ 2" in texts
    assert got(people["kkn-tg"], "แจ้งด่วน") and not got(people["cmi-line"], "แจ้งด่วน")
    assert [c.status for c in phones.state.calls("line", "multicast")] == [429]


async def test_blocked_recipients_are_counted_unreachable_and_not_retried(phones: Phones, service: Service) -> None:
    admin = admin_phone(phones)
    people = members(phones)
    await people["cmi-line"].block()  # LINE tells us (unfollow) before the broadcast
    phones.state.block("telegram", people["kkn-tg"].user_id)  # Telegram only answers 403 when we send
    shown = "\n".join(await admin.say("/broadcast | ทดสอบ"))
    assert "LINE 2 · Telegram 2 · ติดต่อไม่ได้ 1" in shown  # the admin is on LINE too
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    with transaction(service.engine) as session:
        counts = delivery(session=session, broadcast_id=1)
    assert counts["line"] == {"sent": 2, "unreachable": 1}
    assert counts["telegram"] == {"sent": 1, "unreachable": 1}
    assert len([c for c in phones.state.calls("telegram", "sendMessage") if c.status == 403]) == 1


async def test_workshop_non_responders_and_unsubmitted_provinces_get_it_and_preview_equals_sent(
    phones: Phones, service: Service
) -> None:
    from datetime import timedelta

    from storage.deadlines import create_window, submit
    from storage.models import Person
    from storage.rsvp import RsvpStatus, create_workshop, invite

    admin = admin_phone(phones)
    people = members(phones)
    now = phones.clock()
    with transaction(service.engine) as session:
        coordinators = list(session.exec(select(Person).where(Person.role == Role.coordinator)))
        workshop = create_workshop(session=session, title_th="สัมมนา", starts_at=now + timedelta(days=9),
                                   ends_at=now + timedelta(days=10), rsvp_deadline=now + timedelta(days=5),
                                   roles=[Role.coordinator], provinces=["TH-50", "TH-40"], scope="")
        rows = invite(session=session, workshop=workshop, people=coordinators)
        next(r for r in rows if r.province_iso == "TH-50").status = RsvpStatus.yes  # สมชาย said yes
        window = create_window(session=session, title_th="แผน", fiscal_year=2569, opens_at=now,
                               closes_at=now + timedelta(days=30), provinces=["TH-50", "TH-40", "TH-90"], scope="")
        submit(session=session, window=window, province_iso="TH-40", person_id=None, now=now)

    shown = "\n".join(await admin.say("/ประกาศ สัมมนา=1 ยังไม่ตอบ | กรุณาตอบรับสัมมนา"))
    assert "ถึง: ผู้ยังไม่ตอบสัมมนา #1" in shown and "LINE 0 · Telegram 2" in shown
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    assert [k for k, p in people.items() if got(p, "กรุณาตอบรับสัมมนา")] == ["cmi-tg", "kkn-tg"]

    shown = "\n".join(await admin.say("/broadcast window=1 unsubmitted role=coordinator | ส่งแผนด้วย"))
    assert "LINE 1 · Telegram 1" in shown
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    assert [k for k, p in people.items() if got(p, "ส่งแผนด้วย")] == ["cmi-line", "cmi-tg"]
    with transaction(service.engine) as session:
        assert delivery(session=session, broadcast_id=2)["line"]["sent"] == 1
        assert delivery(session=session, broadcast_id=2)["telegram"]["sent"] == 1

    assert "ไม่พบสัมมนา #9" in "\n".join(await admin.say("/ประกาศ สัมมนา=9 ตอบรับ | x"))
    assert "ตอบรับ" in "\n".join(await admin.say("/ประกาศ สัมมนา=1 | x"))  # says which answer to pick


async def test_a_forged_mode_on_the_confirm_button_is_a_bad_button_and_sends_nothing(
    phones: Phones, service: Service
) -> None:
    admin = admin_phone(phones)
    await admin.say("/broadcast ประชุมพรุ่งนี้")
    [answer] = await admin.press_data("bcc:1:everyone-twice")
    assert answer == "ปุ่มนี้หมดอายุหรือไม่ถูกต้องแล้ว กรุณาเริ่มใหม่จากเมนู"
    with Session(service.engine) as session:
        assert session.exec(select(InboxEvent).where(InboxEvent.status == InboxStatus.failed)).all() == []
        broadcast = session.get(Broadcast, 1)
        assert broadcast is not None and broadcast.status == BroadcastStatus.draft
