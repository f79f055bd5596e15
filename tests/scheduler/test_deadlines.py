"""Deadline nudges: who gets them and when, quiet hours, double fires, missed runs after downtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from bot.app import create_app
from bot.config import Settings
from bot.service import Service
from handlers.timing import quiet_shift
from scheduler.deadlines import nudge, plan_missing, plan_window, report_closed
from storage.db import transaction
from storage.deadlines import get_window, submit
from storage.models import OutboxMessage, Role
from storage.people import ensure_account
from tests.factories import CHIANG_MAI, KHON_KAEN, bangkok, window_closing
from tests.helpers import Clock, Phones, eventually, register


def queued_keys(service: Service) -> list[str]:
    with Session(service.engine) as session:
        return sorted(row.key for row in session.exec(select(OutboxMessage)) if not row.key.startswith("reply:"))


def test_quiet_hours_move_a_nudge_to_their_end(settings: Settings) -> None:
    close = bangkok(20, 16)
    assert quiet_shift(bangkok(10, 22), close, settings) == bangkok(11, 7)
    assert quiet_shift(bangkok(10, 21), close, settings) == bangkok(11, 7)  # 21:00 is already quiet
    assert quiet_shift(bangkok(11, 6, 59), close, settings) == bangkok(11, 7)
    assert quiet_shift(bangkok(11, 7), close, settings) == bangkok(11, 7)  # 07:00 is not
    assert quiet_shift(bangkok(10, 20, 59), close, settings) == bangkok(10, 20, 59)


def test_a_nudge_whose_quiet_end_is_after_the_close_goes_at_the_start_of_the_quiet_time(settings: Settings) -> None:
    close = bangkok(11, 6)  # closes at 06:00, inside the quiet time
    assert quiet_shift(bangkok(10, 23), close, settings) == bangkok(10, 21)
    assert quiet_shift(bangkok(11, 3), close, settings) == bangkok(10, 21)


def test_planning_skips_past_stages_and_shifts_quiet_ones(service: Service, clock: Clock) -> None:
    clock.now = bangkok(10, 12)
    window_id = window_closing(service, bangkok(20, 23), nudges=["14d", "7d", "1d", "3h"])
    assert service.scheduler is not None
    with Session(service.engine) as session:
        window = get_window(session=session, window_id=window_id)
    assert window is not None
    plan_window(service.scheduler, window, clock())
    planned = {job: at for job, at in service.scheduler.planned(f"dl:{window_id}:")}
    assert set(planned) == {f"dl:{window_id}:{j}" for j in ("nudge:7d", "nudge:1d", "nudge:3h", "closed")}
    assert planned[f"dl:{window_id}:nudge:7d"] == bangkok(14, 7)  # due 13 Mar 23:00, quiet until 07:00
    assert planned[f"dl:{window_id}:nudge:3h"] == bangkok(20, 20)  # 20:00 is before the quiet time


async def test_nudges_go_only_to_coordinators_of_provinces_that_have_not_submitted(
    phones: Phones, service: Service, clock: Clock
) -> None:
    cmi_coord, kkn_coord, kkn_dg, admin = phones.line(1), phones.telegram(2), phones.line(3), phones.line(4)
    register(cmi_coord, Role.coordinator, CHIANG_MAI)
    register(kkn_coord, Role.coordinator, KHON_KAEN)
    register(kkn_dg, Role.deputy_governor, KHON_KAEN)
    register(admin, Role.admin)
    clock.now = bangkok(13, 10)
    window_id = window_closing(service, bangkok(20, 10))
    with transaction(service.engine) as session:
        window = get_window(session=session, window_id=window_id)
        assert window is not None
        submit(session=session, window=window, province_iso=CHIANG_MAI, person_id=None, now=clock())

    assert nudge(window_id, "7d") == 1
    [reminder] = await kkn_coord.settle()
    assert reminder.text.startswith("⏰ เตือนกำหนดส่ง: แผนพัฒนาจังหวัด 2570\nปิดรับ 20 มี.ค. 2569 10:00 น. (อีก 7 วัน 0 ชั่วโมง)")
    assert [label for label, _ in reminder.buttons] == ["ส่งแล้ว: แผนพัฒนาจังหวัด 2570", "เตือนอีกครั้งพรุ่งนี้"]
    assert await cmi_coord.settle() == [] and await kkn_dg.settle() == [] and await admin.settle() == []


async def test_from_one_day_before_the_deputy_governor_is_told_too(
    phones: Phones, service: Service, clock: Clock
) -> None:
    coord, dg = phones.line(1), phones.telegram(2)
    register(coord, Role.coordinator, KHON_KAEN)
    register(dg, Role.deputy_governor, KHON_KAEN)
    clock.now = bangkok(19, 10)
    window_id = window_closing(service, bangkok(20, 10), provinces=(KHON_KAEN,))
    assert nudge(window_id, "1d") == 2
    assert len(await coord.settle()) == 1 and len(await dg.settle()) == 1


async def test_a_job_that_fires_twice_sends_once(phones: Phones, service: Service, clock: Clock) -> None:
    coord = phones.line(1)
    register(coord, Role.coordinator, KHON_KAEN)
    clock.now = bangkok(17, 10)
    window_id = window_closing(service, bangkok(20, 10))
    assert nudge(window_id, "3d") == 1
    assert nudge(window_id, "3d") == 0
    assert len(await coord.settle()) == 1


async def test_a_nudge_queued_before_the_province_submitted_is_not_sent_after_it(
    phones: Phones, service: Service, clock: Clock
) -> None:
    """What the kill scenario of a nudge wave found: the wave was queued, the province submitted while it was
    being sent, and its coordinator was still nudged afterwards."""
    cmi, kkn = phones.line(1), phones.telegram(2)
    register(cmi, Role.coordinator, CHIANG_MAI)
    register(kkn, Role.coordinator, KHON_KAEN)
    clock.now = bangkok(17, 10)
    window_id = window_closing(service, bangkok(20, 10))
    assert nudge(window_id, "3d") == 2  # queued, not sent yet
    with transaction(service.engine) as session:
        window = get_window(session=session, window_id=window_id)
        assert window is not None
        submit(session=session, window=window, province_iso=CHIANG_MAI, person_id=None, now=clock())
    assert await cmi.settle() == []
    [reminder] = await kkn.settle()
    assert "ขอนแก่น" in reminder.text


async def test_a_window_never_planned_gets_the_latest_nudge_that_fell_due_since_it_was_created(
    phones: Phones, service: Service, clock: Clock
) -> None:
    """What the kill scenario of a nudge wave found: a window whose process died before planning it was planned at
    the restart without the stage that had fallen due meanwhile, so that nudge was never sent."""
    coord = phones.line(1)
    register(coord, Role.coordinator, KHON_KAEN)
    window_id = window_closing(service, bangkok(20, 10))  # nudges 14, 7 and 3 days, 1 day and 3 hours before
    with transaction(service.engine) as session:
        window = get_window(session=session, window_id=window_id)
        assert window is not None
        window.created_at = bangkok(10, 9)  # after the 14-day stage, before the 7-day one
    clock.now = bangkok(17, 9)
    assert service.scheduler is not None
    assert plan_missing(service.scheduler, service.engine, clock()) == 1
    planned = dict(service.scheduler.planned(f"dl:{window_id}:nudge:"))
    assert planned[f"dl:{window_id}:nudge:7d"] == clock() and f"dl:{window_id}:nudge:14d" not in planned
    assert nudge(window_id, "7d") == 1
    assert "(อีก 3 วัน 1 ชั่วโมง)" in (await coord.settle())[0].text


async def test_a_nudge_that_fires_after_the_close_is_dropped_and_admins_get_the_missed_list(
    phones: Phones, service: Service, clock: Clock
) -> None:
    coord, admin = phones.line(1), phones.telegram(2)
    register(coord, Role.coordinator, KHON_KAEN)
    register(admin, Role.admin)
    window_id = window_closing(service, bangkok(20, 10))
    clock.now = bangkok(20, 11)
    assert nudge(window_id, "3h") == 0
    assert report_closed(window_id) == 1
    assert report_closed(window_id) == 0
    assert await coord.settle() == []
    [report] = await admin.settle()
    assert report.text == "🔒 ปิดรับ \"แผนพัฒนาจังหวัด 2570\" แล้ว ส่ง 0/2 จังหวัด\nยังไม่ส่ง: ขอนแก่น, เชียงใหม่"


async def test_a_nudge_caught_up_inside_quiet_hours_waits_for_their_end(
    phones: Phones, service: Service, clock: Clock
) -> None:
    coord = phones.line(1)
    register(coord, Role.coordinator, KHON_KAEN)
    window_id = window_closing(service, bangkok(20, 10))
    clock.now = bangkok(17, 23)  # the service was down at 10:00; the 3-day nudge fires late at night
    assert nudge(window_id, "3d") == 1
    assert await coord.settle() == []
    clock.now = bangkok(18, 7)
    assert len(await coord.settle()) == 1


async def test_after_downtime_the_missed_nudges_are_sent_once(settings: Settings) -> None:
    """Plan with the service up, stop it, start it again later: only the latest missed stage is sent, once."""
    real_now = datetime.now(UTC).replace(microsecond=0)
    clock = Clock(real_now - timedelta(days=8))
    quiet_off = settings.model_copy(update={"quiet_start": "00:00", "quiet_end": "00:00", "scheduler_poll_s": 0.05})
    first = create_app(quiet_off, clock=clock)
    async with first.router.lifespan_context(first):
        service = first.state.service
        with transaction(service.engine) as session:
            _, person = ensure_account(session=session, platform="line", user_id="U" + "7" * 32,
                                       chat_id="U" + "7" * 32, display_name="")
            person.role, person.province_iso = Role.coordinator, KHON_KAEN
        window_id = window_closing(service, real_now + timedelta(hours=2), nudges=["7d", "3d", "1d", "1h"])
        with Session(service.engine) as session:
            window = get_window(session=session, window_id=window_id)
        assert window is not None
        plan_window(service.scheduler, window, clock())
        assert len(service.scheduler.planned(f"dl:{window_id}:")) == 5

    clock.now = real_now  # eight days of downtime: the 7d, 3d and 1d stages were missed
    second = create_app(quiet_off.model_copy(update={"scheduler_enabled": True}), clock=clock)
    async with second.router.lifespan_context(second):
        service = second.state.service
        await eventually(lambda: len(service.scheduler.planned(f"dl:{window_id}:")) == 2, seconds=30)
        assert [job for job, _ in service.scheduler.planned(f"dl:{window_id}:")] == [
            f"dl:{window_id}:closed", f"dl:{window_id}:nudge:1h"]
        assert queued_keys(service) == [f"nudge:{window_id}:1d:{person.id}"]
