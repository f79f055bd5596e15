"""Demo submission windows for `make run`: one open (Chiang Mai has submitted), one closing soon, one upcoming."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import reference
from storage.db import transaction, utcnow
from storage.deadlines import PlanLevel, SubmissionWindow, create_window, submit

BANGKOK = ZoneInfo("Asia/Bangkok")


def _at_half_past_four(day: datetime) -> datetime:
    """Windows close at the end of the working day, 16:30 Bangkok time."""
    return day.astimezone(BANGKOK).replace(hour=16, minute=30, second=0, microsecond=0)


def seed_windows(engine: Engine) -> int:
    """Idempotent: does nothing when any window exists. Dates are relative to today, so the demo stays current."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    everyone = [p.iso for p in reference.provinces()]
    with transaction(engine) as session:
        if session.exec(select(SubmissionWindow)).first() is not None:
            return 0
        provincial = create_window(
            session=session, title_th="เสนอโครงการ วทน. เข้าแผนพัฒนาจังหวัด ปี 2571",
            title_en="STI projects for the 2571 provincial development plan", plan_level=PlanLevel.provincial,
            fiscal_year=2571, opens_at=now - timedelta(days=20), closes_at=_at_half_past_four(now + timedelta(days=10)),
            provinces=everyone, scope="all", link="https://example.org/plan-2571",
            description="ส่งผ่านระบบ eMENSCR และแจ้งในแชตนี้เมื่อส่งแล้ว",
        )
        submit(session=session, window=provincial, province_iso="TH-50", person_id=None, now=now - timedelta(days=2))
        cluster_north = reference.cluster(1)
        create_window(
            session=session, title_th="แผนพัฒนากลุ่มจังหวัดภาคเหนือตอนบน 1 ปี 2571",
            title_en="Upper North 1 cluster plan 2571", plan_level=PlanLevel.cluster, fiscal_year=2571,
            opens_at=now - timedelta(days=5), closes_at=_at_half_past_four(now + timedelta(days=2)),
            provinces=list(cluster_north.members), scope=cluster_north.name_th,
        )
        create_window(
            session=session, title_th="แผนพัฒนาท้องถิ่น (อปท.) ปี 2571", title_en="Local government plans 2571",
            plan_level=PlanLevel.local, fiscal_year=2571, opens_at=now + timedelta(days=30),
            closes_at=_at_half_past_four(now + timedelta(days=75)), provinces=everyone, scope="all",
        )
    return 3
