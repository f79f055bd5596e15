"""Keyword search reads an index, not every project: FTS5 trigrams on SQLite, pg_trgm on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.db import transaction
from storage.projects import Project, listing


def plan_of_listing(engine: Engine, **query: Any) -> str:
    """The database's plan for the statement `listing(**query)` runs."""
    seen: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    with Session(engine) as session:
        listing(session=session, **query)
    event.remove(engine, "before_cursor_execute", remember)
    [(statement, parameters)] = [s for s in seen if "FROM project" in s[0]]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return "\n".join(row[-1] for row in rows)
        # A small table is cheaper to scan; with scans off the plan shows whether an index can find the rows.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_indexscan = off")
        return "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all())


@pytest.mark.parametrize("keyword", ["ดาวเทียม", "satellite"])
def test_a_keyword_found_nowhere_reads_the_title_index_not_every_project(engine: Engine, keyword: str) -> None:
    plan = plan_of_listing(engine, keyword=keyword)
    if engine.dialect.name == "sqlite":
        assert "project_search VIRTUAL TABLE" in plan and "SCAN project\n" not in plan + "\n", plan
    else:
        assert "Seq Scan on project" not in plan and "ix_project_title" in plan, plan
    with Session(engine) as session:
        assert listing(session=session, keyword=keyword) == []


def test_renamed_and_deleted_projects_are_found_by_their_current_titles(engine: Engine) -> None:
    with transaction(engine) as session:
        renamed = session.exec(select(Project).order_by(Project.id)).first()  # type: ignore[arg-type]
        assert renamed is not None
        renamed.title_th, renamed.title_en = "โครงการดาวเทียมเพื่อการเกษตร", "Farm satellites"
    with Session(engine) as session:
        assert [p.code for p in listing(session=session, keyword="ดาวเทียม")] == [renamed.code]
        assert [p.code for p in listing(session=session, keyword="SATELLITE")] == [renamed.code]
    with transaction(engine) as session:
        session.delete(session.get(Project, renamed.id))
    with Session(engine) as session:
        assert listing(session=session, keyword="ดาวเทียม") == []


def test_keyword_pages_follow_on_through_the_index(engine: Engine) -> None:
    with Session(engine) as session:
        everything = [p.id or 0 for p in listing(session=session, keyword="กาแฟ", limit=20)]
        first = listing(session=session, keyword="กาแฟ", limit=5)[:5]
        second = listing(session=session, keyword="กาแฟ", before=str(first[-1].id), limit=5)[:5]
    assert len(everything) == 21 and everything == sorted(everything, reverse=True)
    assert [p.id for p in first + second] == everything[:10]
