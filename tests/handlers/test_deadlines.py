"""Deadlines in chat: open windows with a countdown, marking a province submitted, admins managing windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.service import Service
from scheduler.deadlines import snoozed
from storage.db import transaction
from storage.deadlines import Submission, SubmissionWindow, create_window
from storage.models import Role
from storage.people import audit_entries
from tests.helpers import Phones, register

CHIANG_MAI, KHON_KAEN = "TH-50", "TH-40"


def make_window(service: Service, closes_in: timedelta = timedelta(days=14, hours=2),
                provinces: tuple[str, ...] = (CHIANG_MAI, KHON_KAEN), **kw: object) -> int:
    now = service.clock()
    titles = {"title_th": "แผนพัฒนาจังหวัด 2570", "title_en": "Provincial plan 2570", **kw}
    with transaction(service.engine) as session:
        window = create_window(session=session, fiscal_year=2570, opens_at=now - timedelta(days=1),
                               closes_at=now + closes_in, provinces=list(provinces), scope="list",
                               **titles)  # type: ignore[arg-type]
        assert window.id is not None
        return window.id


def submitted_provinces(service: Service) -> list[str]:
    with Session(service.engine) as session:
        return [s.province_iso for s in session.exec(select(Submission))]


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_everyone_sees_open_windows_with_a_countdown_and_their_province_status(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phones.line(1) if platform == "line" else phones.telegram(1)
    register(phone, Role.coordinator, CHIANG_MAI, name="สมชาย")
    make_window(service)
    shown = "\n".join(await phone.say("กำหนดส่ง"))  # LINE: a Flex card, then the text with buttons
    assert "แผนพัฒนาจังหวัด 2570" in shown
    assert "16 มี.ค. 2569 12:00 น." in shown  # closes 2 Mar 03:00 UTC + 14 d 2 h, Bangkok time, BE
    assert "อีก 14 วัน 2 ชั่วโมง" in shown
    assert "เชียงใหม่: ยังไม่ส่ง" in shown
    assert any("ส่งแล้ว" in label for label, _ in phone.last_buttons)


async def test_english_readers_get_gregorian_dates(phones: Phones, service: Service) -> None:
    phone = phones.telegram(2)
    register(phone, Role.coordinator, KHON_KAEN, lang="en")
    make_window(service)
    [text] = await phone.say("/deadlines")
    assert "Provincial plan 2570" in text and "16 Mar 2026 12:00" in text and "Khon Kaen: not yet submitted" in text


async def test_a_coordinator_sees_only_the_windows_of_their_province_and_an_admin_sees_all(
    phones: Phones, service: Service
) -> None:
    make_window(service, title_th="แผนกลุ่มจังหวัดภาคเหนือ", title_en="Northern cluster plan", provinces=(CHIANG_MAI,))
    make_window(service, title_th="แผนกลุ่มจังหวัดภาคอีสาน", title_en="Northeastern cluster plan", provinces=(KHON_KAEN,))
    coordinator, admin = phones.line(31), phones.telegram(32)
    register(coordinator, Role.coordinator, KHON_KAEN)
    register(admin, Role.admin, CHIANG_MAI)
    seen = "\n".join(await coordinator.say("กำหนดส่ง"))
    assert "แผนกลุ่มจังหวัดภาคอีสาน" in seen and "ภาคเหนือ" not in seen
    seen = "\n".join(await admin.say("กำหนดส่ง"))
    assert "แผนกลุ่มจังหวัดภาคอีสาน" in seen and "แผนกลุ่มจังหวัดภาคเหนือ" in seen


async def test_a_coordinator_whose_province_owes_nothing_open_is_told_so(phones: Phones, service: Service) -> None:
    make_window(service, provinces=(CHIANG_MAI,))
    phone = phones.line(33)
    register(phone, Role.coordinator, KHON_KAEN)
    assert await phone.say("กำหนดส่ง") == ["ขณะนี้ไม่มีรอบส่งแผนที่เปิดอยู่ซึ่งเกี่ยวกับขอนแก่น"]


async def test_no_open_window_says_so(phones: Phones) -> None:
    phone = phones.line(3)
    assert await phone.say("/deadlines") == ["ขณะนี้ไม่มีรอบส่งแผนที่เปิดอยู่"]


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_coordinator_marks_the_province_submitted_after_confirming_and_admins_are_told(
    phones: Phones, service: Service, platform: str
) -> None:
    phone = phones.line(4) if platform == "line" else phones.telegram(4)
    admin = phones.telegram(5)
    register(phone, Role.coordinator, CHIANG_MAI)
    register(admin, Role.admin, name="ผู้ดูแล")
    make_window(service)

    [ask] = await phone.say("/submitted")
    assert "ยืนยันว่าจังหวัดเชียงใหม่ส่ง" in ask
    assert submitted_provinces(service) == []  # nothing before the confirmation
    confirm = next(data for label, data in phone.last_buttons if "ยืนยัน" in label)

    [done] = await phone.press("ยืนยัน")
    assert done.startswith("บันทึกแล้ว: จังหวัดเชียงใหม่ส่ง")
    assert submitted_provinces(service) == [CHIANG_MAI]
    assert [r.text for r in await admin.settle()] == ["📥 จังหวัดเชียงใหม่ส่ง \"แผนพัฒนาจังหวัด 2570\" แล้ว (1/2)"]

    # The confirm button pressed twice (on LINE a quick reply is gone by now; a quick double tap still sends it).
    [again] = await phone.press_data(confirm)
    assert "ไว้แล้ว" in again and "ไม่มีการเปลี่ยนแปลง" in again
    assert submitted_provinces(service) == [CHIANG_MAI]


async def test_cancelling_the_confirmation_records_nothing(phones: Phones, service: Service) -> None:
    phone = phones.line(6)
    register(phone, Role.deputy_governor, KHON_KAEN)
    make_window(service)
    await phone.say("ส่งแล้ว")
    listing = "\n".join(await phone.press("ยกเลิก"))
    assert "ขอนแก่น: ยังไม่ส่ง" in listing
    assert submitted_provinces(service) == []


async def test_a_guest_cannot_mark_a_province_submitted_and_the_refusal_is_logged(
    phones: Phones, service: Service
) -> None:
    phone = phones.line(7)
    make_window(service)
    [text] = await phone.say("/submitted")
    assert text.startswith("ขออภัย คำสั่งนี้สำหรับ")
    assert submitted_provinces(service) == []
    with Session(service.engine) as session:
        assert [e.detail["command"] for e in audit_entries(session=session, action="refused")] == ["submitted"]


async def test_after_the_close_a_submission_is_refused_and_nothing_changes(
    phones: Phones, service: Service
) -> None:
    phone = phones.telegram(8)
    register(phone, Role.coordinator, CHIANG_MAI)
    window = make_window(service, closes_in=timedelta(hours=1))
    await phone.say(f"/submitted {window}")
    phones.clock.advance(hours=2)
    [text] = await phone.press("ยืนยัน")
    assert "ปิดรับแล้ว" in text
    assert submitted_provinces(service) == []


async def test_a_window_that_does_not_concern_the_province_is_refused(phones: Phones, service: Service) -> None:
    phone = phones.line(9)
    register(phone, Role.coordinator, "TH-90")
    window = make_window(service)
    assert await phone.say(f"/submitted {window}") == ["รอบนี้ไม่เกี่ยวกับจังหวัดของคุณ"]


async def test_an_unknown_window_id_gets_a_clear_reply(phones: Phones) -> None:
    phone = phones.line(10)
    register(phone, Role.coordinator, CHIANG_MAI)
    assert await phone.say("/submitted 999") == ["ไม่พบรอบส่งแผน #999"]


async def test_an_admin_creates_moves_and_deletes_a_window_in_chat_and_its_reminders_follow(
    phones: Phones, service: Service
) -> None:
    admin = phones.line(11)
    register(admin, Role.admin)
    assert service.scheduler is not None

    [created] = await admin.say("/window add 2569-03-20 16:30 แผนกลุ่มจังหวัด 2570")
    assert created.startswith("สร้างรอบ #1 \"แผนกลุ่มจังหวัด 2570\" ปีงบประมาณ 2570 ปิด 20 มี.ค. 2569 16:30 น. "
                              "สำหรับ ทุกจังหวัด (77 จังหวัด)")
    planned = service.scheduler.planned("dl:1:")
    assert [job for job, _ in planned] == ["dl:1:closed", "dl:1:nudge:14d", "dl:1:nudge:1d", "dl:1:nudge:3d",
                                           "dl:1:nudge:3h", "dl:1:nudge:7d"]
    three_hours = dict(planned)["dl:1:nudge:3h"]
    assert three_hours == datetime(2026, 3, 20, 6, 30, tzinfo=UTC)  # 13:30 Bangkok

    [moved] = await admin.say("/window move 1 2569-03-27 16:30")
    assert "27 มี.ค. 2569 16:30 น." in moved
    assert dict(service.scheduler.planned("dl:1:"))["dl:1:nudge:3h"] == three_hours + timedelta(days=7)

    [status] = await admin.say("/window status 1")
    assert "ยังไม่ส่ง (77)" in status

    [asked] = await admin.say("/window delete 1")
    assert asked == ("ลบรอบ #1 \"แผนกลุ่มจังหวัด 2570\"? การเตือนที่ยังไม่ได้ส่ง 5 ครั้งจะหยุด "
                     "และการส่งที่บันทึกไว้ 0 จังหวัดจะถูกลบ")
    assert len(service.scheduler.planned("dl:1:")) == 6  # nothing deleted before the confirmation
    assert await admin.press("ยืนยัน ลบรอบ") == ["ลบรอบ #1 และการเตือนทั้งหมดแล้ว"]
    assert service.scheduler.planned("dl:1:") == []
    with Session(service.engine) as session:
        assert session.exec(select(SubmissionWindow)).all() == []


async def test_bad_window_commands_explain_the_usage_and_change_nothing(phones: Phones, service: Service) -> None:
    admin = phones.telegram(12)
    register(admin, Role.admin)
    [text] = await admin.say("/window add tomorrow noon")
    assert text.startswith("วิธีใช้: /window")
    [text] = await admin.say("/window add 2569-02-30 16:30 ชื่อ")
    assert "อ่านวันเวลา" in text
    with Session(service.engine) as session:
        assert session.exec(select(SubmissionWindow)).all() == []


async def test_a_coordinator_cannot_manage_windows(phones: Phones) -> None:
    phone = phones.line(13)
    register(phone, Role.coordinator, CHIANG_MAI)
    [text] = await phone.say("/window add 2569-03-20 16:30 x")
    assert text == "ขออภัย คำสั่งนี้สำหรับ ผู้ดูแลระบบ เท่านั้น"


async def test_remind_me_tomorrow_reminds_a_day_later_unless_the_province_submitted(
    phones: Phones, service: Service
) -> None:
    phone = phones.line(14)
    person_id = register(phone, Role.coordinator, CHIANG_MAI)
    window = make_window(service)
    await phone.say("/deadlines")
    assert service.scheduler is not None

    [text] = await phone.press_data(f"dlz:{window}")
    assert text == "จะเตือนอีกครั้ง 3 มี.ค. 2569 10:00 น."
    [(_job, at)] = service.scheduler.planned(f"dl:{window}:snooze:")
    assert at == service.clock() + timedelta(days=1)

    phones.clock.advance(days=1)
    assert snoozed(window, person_id, token="t1") == 1
    [reminder] = await phone.settle()
    assert reminder.text.startswith("⏰ เตือนกำหนดส่ง: แผนพัฒนาจังหวัด 2570")

    await phone.say(f"/submitted {window}")
    await phone.press("ยืนยัน")
    assert service.scheduler.planned(f"dl:{window}:snooze:") == []  # the submission cancelled it
    assert snoozed(window, person_id, token="t2") == 0


async def test_snoozing_never_goes_past_the_close(phones: Phones, service: Service) -> None:
    phone = phones.telegram(15)
    register(phone, Role.coordinator, CHIANG_MAI)
    window = make_window(service, closes_in=timedelta(hours=5))
    [text] = await phone.press_data(f"dlz:{window}")
    assert text == "จะเตือนอีกครั้ง 2 มี.ค. 2569 14:00 น."  # an hour before the 15:00 close, not tomorrow


async def test_deleting_a_window_says_how_many_submissions_it_drops_and_cancel_keeps_it(
    phones: Phones, service: Service
) -> None:
    coordinator, admin = phones.line(21), phones.telegram(22)
    register(coordinator, Role.coordinator, CHIANG_MAI)
    register(admin, Role.admin, lang="en")
    window_id = make_window(service)
    await coordinator.say("/submitted")
    await coordinator.press("ยืนยัน ส่งแล้ว")
    *_, asked = await admin.say(f"/window delete {window_id}")  # after the news that Chiang Mai submitted
    assert "the submissions recorded will be deleted (1)" in asked
    await admin.press("Cancel")
    with Session(service.engine) as session:
        assert session.get(SubmissionWindow, window_id) is not None
    assert submitted_provinces(service) == [CHIANG_MAI]


async def test_an_admin_targets_a_window_at_clusters_or_provinces_in_chat(phones: Phones, service: Service) -> None:
    admin = phones.line(23)
    register(admin, Role.admin)
    [text] = await admin.say("/window add 2569-03-20 16:30 แผนกลุ่มจังหวัด | กลุ่ม=1")
    assert "สำหรับ กลุ่มจังหวัดภาคเหนือตอนบน 1 (4 จังหวัด)" in text
    [text] = await admin.say("/window add 2569-03-20 16:30 แผนสองจังหวัด | จังหวัด=เชียงใหม่, Khon Kaen")
    assert "(2 จังหวัด)" in text
    with Session(service.engine) as session:
        windows = session.exec(select(SubmissionWindow).order_by(SubmissionWindow.id)).all()  # type: ignore[arg-type]
    assert [sorted(w.provinces) for w in windows][1] == [KHON_KAEN, CHIANG_MAI]
    assert len(windows[0].provinces) == 4 and CHIANG_MAI in windows[0].provinces


async def test_an_unknown_province_or_option_in_a_window_changes_nothing(phones: Phones, service: Service) -> None:
    admin = phones.line(24)
    register(admin, Role.admin)
    [text] = await admin.say("/window add 2569-03-20 16:30 แผน | จังหวัด=เชียงใหหม")
    assert text.startswith("ไม่พบจังหวัด \"เชียงใหหม\"") and "เชียงใหม่" in text
    [text] = await admin.say("/window add 2569-03-20 16:30 แผน | สี=แดง")
    assert text.startswith("วิธีใช้: /window")
    with Session(service.engine) as session:
        assert session.exec(select(SubmissionWindow)).all() == []


async def test_the_fiscal_year_is_the_one_the_title_names_or_the_one_given(phones: Phones, service: Service) -> None:
    admin = phones.line(25)
    register(admin, Role.admin)
    [named] = await admin.say("/window add 2569-03-20 16:30 เสนอโครงการเข้าแผน ปี 2571")
    assert "ปีงบประมาณ 2571" in named
    [given] = await admin.say("/window add 2569-03-20 16:30 แผนรอบพิเศษ | ปี=2572")
    assert "ปีงบประมาณ 2572" in given
    [unnamed] = await admin.say("/window add 2569-03-20 16:30 แผนรอบพิเศษ")
    assert "ปีงบประมาณ 2569" in unnamed  # March 2026 is in fiscal year 2569 (October to September)


async def test_a_past_date_is_refused_in_the_admins_own_calendar(phones: Phones, service: Service) -> None:
    thai, english = phones.line(26), phones.telegram(27)
    register(thai, Role.admin)
    register(english, Role.admin, lang="en")
    window_id = make_window(service)
    [text] = await thai.say(f"/window move {window_id} 2568-12-22 16:30")
    assert text == "วันเวลา 22 ธ.ค. 2568 16:30 น. ผ่านไปแล้ว กรุณาระบุเวลาในอนาคต"
    [text] = await english.say("/window add 2025-12-22 16:30 Late plan")
    assert text == "22 Dec 2025 16:30 is in the past; please give a future time."
    with Session(service.engine) as session:
        assert len(session.exec(select(SubmissionWindow)).all()) == 1


async def test_a_buddhist_era_leap_day_is_a_date(phones: Phones, service: Service) -> None:
    admin = phones.line(28)
    register(admin, Role.admin)
    service.clock.advance(days=-800)  # type: ignore[attr-defined]
    [text] = await admin.say("/window add 2567-02-29 09:00 แผนวันอธิกสุรทิน")
    assert "29 ก.พ. 2567 09:00 น." in text


async def test_a_deleted_windows_id_is_never_given_to_a_new_window(phones: Phones, service: Service) -> None:
    admin = phones.line(29)
    register(admin, Role.admin)
    first, second = make_window(service), make_window(service)
    await admin.say(f"/window delete {second}")
    await admin.press("ยืนยัน ลบรอบ")
    assert make_window(service) == second + 1 and first == second - 1


async def test_an_admin_records_a_submission_that_came_by_letter_with_a_reason(
    phones: Phones, service: Service
) -> None:
    admin, other_admin = phones.line(30), phones.telegram(31)
    admin_id = register(admin, Role.admin)
    register(other_admin, Role.admin)
    window_id = make_window(service)
    [text] = await admin.say(f"/window submit {window_id} เชียงใหม่")
    assert text.startswith("วิธีใช้: /window submit")  # the reason is required
    assert submitted_provinces(service) == []
    [text] = await admin.say(f"/window submit {window_id} เชียงใหม่ | ได้รับทางอีเมล 3 มี.ค.")
    assert text == "บันทึกแล้ว: จังหวัดเชียงใหม่ส่ง \"แผนพัฒนาจังหวัด 2570\" (ได้รับทางอีเมล 3 มี.ค.) การเตือนจังหวัดนี้หยุดแล้ว"
    assert submitted_provinces(service) == [CHIANG_MAI]
    [told] = await other_admin.settle()
    assert "เชียงใหม่" in told.text
    with Session(service.engine) as session:
        [entry] = audit_entries(session=session, action="window_submitted_for")
    assert entry.person_id == admin_id and entry.detail["reason"] == "ได้รับทางอีเมล 3 มี.ค."
    [text] = await admin.say(f"/window submit {window_id} เชียงใหม่ | อีกครั้ง")
    assert "ไว้แล้ว" in text
