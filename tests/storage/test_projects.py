"""Project queries: codes, keyset paging, keyword search in Thai, nearest codes, summaries, watchers."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.projects.parsing import parse_query
from handlers.projects.payloads import pack_keyword, unpack_keyword
from storage.db import make_engine
from storage.migrations import upgrade
from storage.projects import (
    Filters,
    ProjectStatus,
    listing,
    make_code,
    nearest_codes,
    normalize_code,
    summary,
)
from storage.projects_demo import demo_rows, generate, seed_projects


@pytest.mark.parametrize("typed, code", [
    ("CMI-2569-0012", "CMI-2569-0012"), ("cmi25690012", "CMI-2569-0012"), (" cmi-2569-12 ", "CMI-2569-0012"),
    ("g01-2568-3", "G01-2568-0003"), ("เชียงใหม่", None), ("CMI-25-0012", None),
])
def test_codes_are_normalized(typed: str, code: str | None) -> None:
    assert normalize_code(typed) == code


def test_codes_use_the_province_letters_or_the_cluster_number() -> None:
    assert make_code(province_iso="TH-40", cluster_no=None, fiscal_year=2569, number=7) == "KKN-2569-0007"
    assert make_code(province_iso=None, cluster_no=5, fiscal_year=2568, number=12) == "G05-2568-0012"


def test_generated_codes_are_unique_and_deterministic() -> None:
    codes = [r["code"] for r in generate(5000)]
    assert len(set(codes)) == 5000 and codes == [r["code"] for r in generate(5000)]
    assert len({r["code"] for r in demo_rows()}) == len(demo_rows()) >= 300
    assert "CMI-2569-0012" in {r["code"] for r in demo_rows()}


def test_demo_seeding_is_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    assert seed_projects(engine) == len(demo_rows()) and seed_projects(engine) == 0
    engine.dispose()


def test_keyset_pages_cover_every_match_once(engine: Engine) -> None:
    with Session(engine) as session:
        seen: list[str] = []
        before = None
        while True:
            page = listing(session=session, province_isos=["TH-50"], before=before, limit=7)
            seen += [p.code for p in page[:7]]
            if len(page) <= 7:
                break
            before = page[6].code
        everything = listing(session=session, province_isos=["TH-50"], limit=20)
    assert len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True)
    assert all(c.startswith("CMI-") for c in seen) and seen[:20] == [p.code for p in everything][:20]


def test_thai_keyword_matches_inside_words_and_filters_combine(engine: Engine) -> None:
    with Session(engine) as session:
        found = listing(session=session, keyword="เกษตร", filters=Filters(fiscal_year=2569), limit=20)
        assert found and all("เกษตร" in p.title_th and p.fiscal_year == 2569 for p in found)
        done = listing(session=session, keyword="น้ำ", filters=Filters(status=ProjectStatus.completed), limit=20)
        assert all(p.status == ProjectStatus.completed for p in done)
        assert listing(session=session, keyword="100%_") == []  # LIKE wildcards are taken literally


def test_nearest_codes_for_a_typo(engine: Engine) -> None:
    with Session(engine) as session:
        assert "CMI-2566-0001" in nearest_codes(session=session, code="CMI-2566-0010")
        assert "CMI-2566-0001" in nearest_codes(session=session, code="CMX-2566-0001")
        assert nearest_codes(session=session, code="ZZZ-1111-9999") == []


def test_summary_adds_up(engine: Engine) -> None:
    with Session(engine) as session:
        national = summary(session=session)
        province = summary(session=session, province_isos=["TH-50"], fiscal_year=2569)
    assert national.total == 2000 and 0 < national.average_progress < 100
    assert 0 < province.total < 100 and province.budget_satang > 0


@pytest.mark.parametrize("keyword", ["เกษตรอัจฉริยะ", "PM2.5 เกษตร", "ผ้าทอ", "ก~x"])
def test_thai_keywords_pack_into_short_ascii(keyword: str) -> None:
    packed = pack_keyword(keyword)
    assert packed is not None and packed.isascii() and ":" not in packed and unpack_keyword(packed) == keyword
    assert len(pack_keyword("เกษตรอัจฉริยะ") or "") == len("เกษตรอัจฉริยะ")


def test_query_parsing() -> None:
    q = parse_query("จ.เชียงใหม่ ปี 2569 กำลังดำเนินการ")
    assert (q.province_iso, q.filters) == ("TH-50", Filters(ProjectStatus.in_progress, 2569))
    assert parse_query("เชียงใหม่ กาแฟ").keyword == "กาแฟ"
    assert (parse_query("จ.เชียงใหม่กาแฟ").province_iso, parse_query("เชียงใหม่กาแฟ").keyword) == ("TH-50", "กาแฟ")
    assert parse_query("โครงการเกษตร").keyword == "เกษตร"
    assert (parse_query("น่านน้ำ").province_iso, parse_query("น่านน้ำ").keyword) == (None, "น่านน้ำ")
    assert parse_query("cluster 5").cluster_no == 5
    assert parse_query("fy2026").filters.fiscal_year == 2569
    assert parse_query("เชียงใหม่ ปี ๒๕๖๙").filters.fiscal_year == 2569
    assert parse_query("Khon Kaen in progress").filters.status == ProjectStatus.in_progress
