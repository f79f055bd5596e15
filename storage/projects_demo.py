"""Realistic, deterministic projects for `make run`, the tests and the benchmark.

Titles combine the kinds of work provinces put into their plans (smart farming, water, tourism, health...) the way
eMENSCR records read. The same seed always gives the same projects, so demo codes such as CMI-2569-0012 are stable.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import reference
from storage.db import transaction
from storage.projects import PlanLevel, Project, ProjectStatus, make_code

VERBS = (("พัฒนา", "Developing"), ("ส่งเสริม", "Promoting"), ("ยกระดับ", "Upgrading"),
         ("เพิ่มศักยภาพ", "Strengthening"), ("ถ่ายทอดเทคโนโลยี", "Technology transfer for"),
         ("ขับเคลื่อน", "Driving"))
TOPICS = (("เกษตรอัจฉริยะ", "smart agriculture"), ("การแปรรูปผลผลิตทางการเกษตร", "agricultural processing"),
          ("ระบบบริหารจัดการน้ำ", "water management"), ("การท่องเที่ยวเชิงสร้างสรรค์", "creative tourism"),
          ("ผลิตภัณฑ์ชุมชน", "community products"), ("พลังงานทดแทน", "renewable energy"),
          ("สมุนไพรและผลิตภัณฑ์สุขภาพ", "herbal and health products"), ("การแพทย์ทางไกล", "telemedicine"),
          ("ระบบเฝ้าระวังฝุ่น PM2.5", "PM2.5 monitoring"), ("การจัดการขยะชุมชน", "community waste management"),
          ("เศรษฐกิจดิจิทัล", "the digital economy"), ("ผ้าทอพื้นเมือง", "local textiles"),
          ("กาแฟพิเศษ", "specialty coffee"), ("ยางพาราครบวงจร", "the rubber value chain"),
          ("ประมงชายฝั่ง", "coastal fisheries"), ("ข้าวหอมมะลิคุณภาพ", "quality jasmine rice"),
          ("โลจิสติกส์และการค้าชายแดน", "logistics and border trade"), ("นวัตกรรมอาหาร", "food innovation"),
          ("เมืองอัจฉริยะ", "a smart city"), ("กำลังคนด้านวิทยาศาสตร์", "the science workforce"))
SUFFIXES = (("ด้วยวิทยาศาสตร์ เทคโนโลยีและนวัตกรรม", " with STI"), ("", ""), (" ระยะที่ 2", ", phase 2"),
            ("สู่มาตรฐานสากล", " to international standards"), ("เพื่อเศรษฐกิจฐานราก", " for the grassroots economy"))
AGENCIES = ("สำนักงานจังหวัด", "สำนักงานเกษตรจังหวัด", "สำนักงานพาณิชย์จังหวัด", "สำนักงานพลังงานจังหวัด",
            "สำนักงานสาธารณสุขจังหวัด", "สำนักงานการท่องเที่ยวและกีฬาจังหวัด", "สำนักงานอุตสาหกรรมจังหวัด")
LOCAL_AGENCIES = ("องค์การบริหารส่วนจังหวัด", "เทศบาลนคร", "เทศบาลเมือง")
YEARS = (2566, 2567, 2568, 2569, 2570)
DEMO_PROVINCES = {"TH-50": 14, "TH-40": 12, "TH-90": 10}
"""Demo personas' provinces get more projects per year (CMI-2569-0012 exists)."""


def _status_for(rng: random.Random, year: int) -> tuple[ProjectStatus, int]:
    """Older fiscal years are further along; progress agrees with status."""
    age = 2570 - year
    weights = {
        ProjectStatus.proposed: max(0, 3 - age), ProjectStatus.in_plan: max(0, 3 - age) + 1,
        ProjectStatus.approved: 2, ProjectStatus.funded: 2, ProjectStatus.in_progress: 3 + age,
        ProjectStatus.completed: age * 2, ProjectStatus.on_hold: 1, ProjectStatus.cancelled: 0.5,
    }
    status = rng.choices(list(weights), weights=list(weights.values()))[0]
    progress = {ProjectStatus.funded: rng.randint(0, 10), ProjectStatus.in_progress: rng.randint(10, 95),
                ProjectStatus.completed: 100, ProjectStatus.on_hold: rng.randint(10, 60)}.get(status, 0)
    return status, progress


def _row(rng: random.Random, *, code: str, province_iso: str | None, cluster_no: int | None, level: PlanLevel,
         year: int, when: datetime) -> dict[str, Any]:
    verb, topic, suffix = rng.choice(VERBS), rng.choice(TOPICS), rng.choice(SUFFIXES)
    home = province_iso or reference.cluster(cluster_no or 1).operations_centre or \
        reference.provinces_in_cluster(cluster_no or 1)[0].iso
    home_name = reference.province(home).name_th
    agencies = LOCAL_AGENCIES if level == PlanLevel.local else AGENCIES
    status, progress = _status_for(rng, year)
    return {
        "code": code, "title_th": f"โครงการ{verb[0]}{topic[0]}{suffix[0]}",
        "title_en": f"{verb[1]} {topic[1]}{suffix[1]}", "province_iso": province_iso, "cluster_no": cluster_no,
        "plan_level": level, "fiscal_year": year, "owner_agency": rng.choice(agencies) + home_name,
        "budget_satang": rng.randint(5, 500) * 100_000 * 100, "status": status, "progress": progress,
        "last_note": "", "version": 1, "updated_at": when, "updated_by": None,
    }


def generate(n: int, seed: int = 2569, when: datetime | None = None) -> Iterator[dict[str, Any]]:
    """`n` project rows spread over every province and cluster and five fiscal years, codes unique."""
    rng = random.Random(seed)
    when = when or datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    places: list[tuple[str | None, int | None]] = [(p.iso, None) for p in reference.provinces()]
    places += [(None, c.no) for c in reference.clusters()]
    counters: dict[tuple[str | None, int | None, int], int] = {}
    for i in range(n):
        province_iso, cluster_no = places[i % len(places)]
        year = YEARS[(i // len(places)) % len(YEARS)]
        number = counters[(province_iso, cluster_no, year)] = counters.get((province_iso, cluster_no, year), 0) + 1
        level = PlanLevel.cluster if cluster_no else (PlanLevel.local if rng.random() < 0.25 else PlanLevel.provincial)
        yield _row(rng, code=make_code(province_iso=province_iso, cluster_no=cluster_no, fiscal_year=year,
                                       number=number),
                   province_iso=province_iso, cluster_no=cluster_no, level=level, year=year, when=when)


def demo_rows(seed: int = 2569) -> list[dict[str, Any]]:
    """A few hundred projects: many for the demo provinces, two a year elsewhere (on odd years), cluster ones."""
    rng = random.Random(seed)
    when = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    rows = []
    for p in reference.provinces():
        for year in YEARS:
            count = DEMO_PROVINCES.get(p.iso, 2 if year % 2 else 0)
            for number in range(1, count + 1):
                level = PlanLevel.local if number % 4 == 0 else PlanLevel.provincial
                rows.append(_row(rng, code=make_code(province_iso=p.iso, cluster_no=None, fiscal_year=year,
                                                     number=number),
                                 province_iso=p.iso, cluster_no=None, level=level, year=year, when=when))
    for c in reference.clusters():
        for year in (2568, 2569):
            rows.append(_row(rng, code=make_code(province_iso=None, cluster_no=c.no, fiscal_year=year, number=1),
                             province_iso=None, cluster_no=c.no, level=PlanLevel.cluster, year=year, when=when))
    return rows


def seed_projects(engine: Engine) -> int:
    """Insert the demo projects that are missing (by code); idempotent."""
    rows = demo_rows()
    with transaction(engine) as session:
        existing = set(session.exec(select(Project.code)))
        fresh = [r for r in rows if r["code"] not in existing]
        if fresh:
            session.execute(insert(Project), fresh)
    return len(fresh)
