"""The demo's workshops for `make run`: the first national workshop and an upcoming cluster one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage import reference
from storage.models import Role
from storage.rsvp import RsvpStatus, all_workshops, create_workshop, invite, invitees

NATIONAL_TITLE = "สัมมนาเชิงปฏิบัติการระดับชาติ รองผู้ว่าราชการจังหวัดด้านการพัฒนาเชิงพื้นที่"
UPCOMING_TITLE = "ประชุมเชิงปฏิบัติการกลุ่มจังหวัดภาคตะวันออกเฉียงเหนือ"


def seed_workshops(*, session: Session, now: datetime) -> int:
    """The national workshop (19-20 March 2569 BE, Rama Gardens Hotel) with answers and check-ins, and an
    upcoming regional one still open for answers; idempotent by title. Returns how many were added."""
    bangkok = ZoneInfo("Asia/Bangkok")
    existing = {w.title_th for w in all_workshops(session=session)}
    everywhere = [p.iso for p in reference.provinces()]
    added = 0
    if NATIONAL_TITLE not in existing:
        national = create_workshop(
            session=session, title_th=NATIONAL_TITLE,
            title_en="National workshop for deputy governors on area-based development",
            starts_at=datetime(2026, 3, 19, 9, 0, tzinfo=bangkok),
            ends_at=datetime(2026, 3, 20, 16, 30, tzinfo=bangkok),
            rsvp_deadline=datetime(2026, 3, 12, 16, 30, tzinfo=bangkok),
            roles=[Role.deputy_governor, Role.coordinator],
            provinces=everywhere, scope="all", venue="โรงแรมรามาการ์เด้นส์",
            address="9/9 ถนนวิภาวดีรังสิต แขวงตลาดบางเขน เขตหลักสี่ กรุงเทพฯ 10210", latitude=13.8663,
            longitude=100.5718, agenda="19 มี.ค. ภาคเช้า: นโยบาย อว. ส่วนภูมิภาค; ภาคบ่าย: กลุ่มย่อยตามกลุ่มจังหวัด; "
            "20 มี.ค.: นำเสนอแผนและสรุป", capacity=160, per_province=2)
        rows = invite(session=session, workshop=national, people=invitees(session=session, workshop=national))
        for row in rows:
            row.status, row.answered_at = RsvpStatus.yes, national.rsvp_deadline - timedelta(days=3)
            row.checked_in_at = national.starts_at - timedelta(minutes=30)
        added += 1
    if UPCOMING_TITLE not in existing:
        starts = (now + timedelta(days=21)).astimezone(bangkok).replace(hour=9, minute=0, second=0, microsecond=0)
        upcoming = create_workshop(
            session=session, title_th=UPCOMING_TITLE, title_en="North-eastern cluster planning workshop",
            starts_at=starts, ends_at=starts.replace(hour=16, minute=30), rsvp_deadline=starts - timedelta(days=7),
            roles=[Role.deputy_governor, Role.coordinator], provinces=everywhere, scope="all",
            venue="โรงแรมพูลแมน ขอนแก่น ราชา ออร์คิด", address="9/9 ถนนประชาสำราญ ตำบลในเมือง อำเภอเมือง ขอนแก่น 40000",
            latitude=16.4290, longitude=102.8362, agenda="ทบทวนแผนพัฒนากลุ่มจังหวัด ปีงบประมาณ 2570",
            capacity=3, per_province=1)
        rows = invite(session=session, workshop=upcoming, people=invitees(session=session, workshop=upcoming))
        for row in rows[:1]:
            row.status, row.answered_at = RsvpStatus.yes, now
        added += 1
    session.flush()
    return added
