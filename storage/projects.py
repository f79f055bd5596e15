"""Projects in the provincial, cluster and local development plans: tables and the queries the bot needs.

Codes look like `CMI-2569-0012`: the province's three-letter code (`Province.code`, the "HS" abbreviation of
Wikipedia's province table, e.g. CMI Chiang Mai, KKN Khon Kaen, SKA Songkhla, BKK Bangkok), the fiscal year (BE)
and a running number. Cluster projects have no province; they use `G` and the two-digit cluster number instead
(`G01-2569-0003` is cluster 1), so the two schemes never collide (every province code is three letters).

Budgets are integer satang (1 THB = 100 satang): exact, and sums agree on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from rapidfuzz.distance import Levenshtein
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    column,
    func,
    or_,
    table,
    true,
)
from sqlalchemy.orm import Mapped
from sqlmodel import Field, Session, SQLModel, col, select

from storage import reference
from storage.db import utcnow
from storage.models import when

CODE_SHAPE = re.compile(r"^\s*([A-Za-z]{3}|[Gg]\d{2})\s*-?\s*(\d{4})\s*-?\s*(\d{1,4})\s*$")
MAX_PAGE = 20
TRIGRAM = 3
"""Keywords this long are found through a trigram index (pg_trgm on PostgreSQL, FTS5 on SQLite); shorter ones
are searched within a place only (see `handlers.projects`), since no index helps them."""
SEARCH = table("project_search", column("rowid", Integer), column("title", Text))
"""SQLite only: an FTS5 trigram table of each project's Thai and English title (one column, so one indexed LIKE
covers both), kept by triggers; see migration 0010."""
IN_BATCH = 2000  # ids per IN (...) list: SQLite allows 32,766 parameters, this stays well under


class ProjectStatus(StrEnum):
    """eMENSCR-like life cycle: forward along the first six; on hold and cancelled from anywhere."""

    proposed = "proposed"
    in_plan = "in_plan"
    approved = "approved"
    funded = "funded"
    in_progress = "in_progress"
    completed = "completed"
    on_hold = "on_hold"
    cancelled = "cancelled"


FINAL = frozenset({ProjectStatus.completed, ProjectStatus.cancelled})


class PlanLevel(StrEnum):
    provincial = "provincial"
    cluster = "cluster"
    local = "local"


# The Thai words ministry spreadsheets and provincial plans use; the chat's names and the import's both read these.
STATUS_TH = {ProjectStatus.proposed: "เสนอโครงการ", ProjectStatus.in_plan: "บรรจุในแผน",
             ProjectStatus.approved: "อนุมัติแล้ว", ProjectStatus.funded: "ได้รับงบประมาณ",
             ProjectStatus.in_progress: "กำลังดำเนินการ", ProjectStatus.completed: "แล้วเสร็จ",
             ProjectStatus.on_hold: "ระงับชั่วคราว", ProjectStatus.cancelled: "ยกเลิก"}
LEVEL_TH = {PlanLevel.provincial: "แผนพัฒนาจังหวัด", PlanLevel.cluster: "แผนพัฒนากลุ่มจังหวัด",
            PlanLevel.local: "แผนพัฒนาท้องถิ่น"}
STATUS_WORDS: dict[str, ProjectStatus] = {
    **{s.value: s for s in ProjectStatus},
    **{s.value.replace("_", ""): s for s in ProjectStatus},
    **{s.value.replace("_", " "): s for s in ProjectStatus},
    **{th: s for s, th in STATUS_TH.items()},
    "เสนอ": ProjectStatus.proposed, "ในแผน": ProjectStatus.in_plan, "inplan": ProjectStatus.in_plan,
    "อนุมัติ": ProjectStatus.approved, "ได้รับงบ": ProjectStatus.funded, "ได้งบ": ProjectStatus.funded,
    "ดำเนินการ": ProjectStatus.in_progress, "ongoing": ProjectStatus.in_progress,
    "เสร็จ": ProjectStatus.completed, "เสร็จสิ้น": ProjectStatus.completed, "done": ProjectStatus.completed,
    "ระงับ": ProjectStatus.on_hold, "ชะลอ": ProjectStatus.on_hold, "hold": ProjectStatus.on_hold,
    "onhold": ProjectStatus.on_hold, "canceled": ProjectStatus.cancelled,
    # Synonyms and misspellings people type (tests/corpus/messages.tsv).
    "เสร็จแล้ว": ProjectStatus.completed,
    "กำลังทำ": ProjectStatus.in_progress, "กำลังดำเนินงาน": ProjectStatus.in_progress,
    "อนุมัติแล้ว": ProjectStatus.approved,
    "ได้รับงบแล้ว": ProjectStatus.funded, "ยกเลิก": ProjectStatus.cancelled, "ยกเลิกแล้ว": ProjectStatus.cancelled,
}
"""A status as people type it, in chat and in imported spreadsheets (lower case)."""
LEVEL_WORDS = {
    **{level.value: level for level in PlanLevel}, **{th: level for level, th in LEVEL_TH.items()},
    "จังหวัด": PlanLevel.provincial, "กลุ่มจังหวัด": PlanLevel.cluster, "ท้องถิ่น": PlanLevel.local,
}
"""A plan level as spreadsheets write it."""


class ProjectBase(SQLModel):
    code: str = Field(max_length=16)
    title_th: str = Field(sa_column=Column(Text, nullable=False))
    title_en: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    province_iso: str | None = Field(default=None, max_length=8)
    cluster_no: int | None = None
    plan_level: PlanLevel = PlanLevel.provincial
    fiscal_year: int
    """Buddhist Era, e.g. 2569 (October 2025 to September 2026)."""
    owner_agency: str = ""
    budget_satang: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    status: ProjectStatus = ProjectStatus.proposed
    progress: int = 0
    last_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Project(ProjectBase, table=True):
    """One project; `version` grows with each change, so a confirmation made on stale data is refused."""

    __table_args__ = (
        UniqueConstraint("code", name="uq_project_code"),
        # Listings are "newest code first" per place: these serve them without sorting; a year filter is a
        # residual check (codes embed the year, so the matching rows are adjacent anyway).
        Index("ix_project_province_code", "province_iso", "code"),
        Index("ix_project_cluster_code", "cluster_no", "code"),
        # A trigram GIN index on PostgreSQL (substring search in Thai titles); a plain index elsewhere.
        Index("ix_project_title_trgm", "title_th", postgresql_using="gin",
              postgresql_ops={"title_th": "gin_trgm_ops"}),
        Index("ix_project_title_en_trgm", "title_en", postgresql_using="gin",
              postgresql_ops={"title_en": "gin_trgm_ops"}),  # English keywords (ILIKE); migration 0010
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = 1
    updated_at: datetime = when(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="person.id")


class ProjectHistory(SQLModel, table=True):
    """One change to a project: who, when, how (chat, import) and the fields before and after."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    at: datetime = when()
    person_id: int | None = Field(default=None, foreign_key="person.id")
    source: str = "chat"
    old: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    new: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ProjectDraft(SQLModel, table=True):
    """An update typed in chat, waiting for its confirmation button (the note does not fit in a payload)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    base_version: int
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = when()
    done_at: datetime | None = when(nullable=True)


class Watch(SQLModel, table=True):
    """A person watching one project or every project of one province."""

    __table_args__ = (
        UniqueConstraint("person_id", "project_id", name="uq_watch_project"),
        UniqueConstraint("person_id", "province_iso", name="uq_watch_province"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    province_iso: str | None = Field(default=None, index=True, max_length=8)
    created_at: datetime = when(default_factory=utcnow)


# ---- codes -------------------------------------------------------------------------------------------------

def normalize_code(text: str) -> str | None:
    """`cmi25690012`, `CMI-2569-12` -> `CMI-2569-0012`; None when it is not shaped like a code."""
    m = CODE_SHAPE.match(text)
    if m is None:
        return None
    return f"{m.group(1).upper()}-{m.group(2)}-{int(m.group(3)):04d}"


def code_prefix(*, province_iso: str | None, cluster_no: int | None) -> str:
    if province_iso is not None:
        return reference.province(province_iso).code
    assert cluster_no is not None
    return f"G{cluster_no:02d}"


def make_code(*, province_iso: str | None, cluster_no: int | None, fiscal_year: int, number: int) -> str:
    return f"{code_prefix(province_iso=province_iso, cluster_no=cluster_no)}-{fiscal_year}-{number:04d}"


# ---- lookups -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """What narrows a listing besides where: status and fiscal year."""

    status: ProjectStatus | None = None
    fiscal_year: int | None = None


def by_code(*, session: Session, code: str) -> Project | None:
    return session.exec(select(Project).where(Project.code == code)).first()


def nearest_codes(*, session: Session, code: str, limit: int = 3) -> list[str]:
    """Codes a mistyped one probably meant: same prefix or same year-and-number, ranked by edit distance."""
    prefix, _, rest = code.partition("-")
    candidates = list(session.exec(
        select(Project.code).where(col(Project.code).startswith(prefix + "-")).order_by(col(Project.code)).limit(5000)
    ))
    if rest:
        candidates += session.exec(select(Project.code).where(col(Project.code).endswith("-" + rest)).limit(200))
    ranked = sorted((Levenshtein.distance(code, found), found) for found in set(candidates))
    return [found for distance, found in ranked[:limit] if distance <= 4]


def listing(
    *, session: Session, province_isos: Sequence[str] | None = None, cluster_no: int | None = None,
    keyword: str | None = None, filters: Filters = Filters(), before: str | None = None, limit: int = 5,
) -> list[Project]:
    """One page of projects; `before` is the cursor of the last row of the previous page (keyset paging).

    Places list the newest code first. Keyword searches list the newest rows first (by id), because walking the
    code index while testing each title is a random read per row, whereas an id-ordered scan reads the table
    in order and stops as soon as the page is full: a word found nowhere costs one sequential scan on SQLite,
    and PostgreSQL answers from its trigram index. `province_isos` with `cluster_no` means either (a cluster's
    own projects and its provinces'). Asks for one row more than `limit`, so the caller knows if there is more.
    """
    query = select(Project).where(_in_place(province_isos, cluster_no))
    if filters.status is not None:
        query = query.where(Project.status == filters.status)
    if filters.fiscal_year is not None:
        query = query.where(Project.fiscal_year == filters.fiscal_year)
    size = min(limit, MAX_PAGE) + 1
    if keyword and len(keyword) >= TRIGRAM and session.get_bind().dialect.name == "sqlite":
        # The trigram index delivers matching ids newest first, so the page is read from it and nothing else.
        found = _like(SEARCH.c.title, keyword)
        query = query.join(SEARCH, SEARCH.c.rowid == Project.id).where(found)
        if before is not None:
            query = query.where(SEARCH.c.rowid < int(before))
        return list(session.exec(query.order_by(SEARCH.c.rowid.desc()).limit(size)))
    if keyword:
        query = query.where(_contains(keyword))
        if before is not None:
            query = query.where(col(Project.id) < int(before))
        return list(session.exec(query.order_by(col(Project.id).desc()).limit(size)))
    if before is not None:
        query = query.where(col(Project.code) < before)
    return list(session.exec(query.order_by(col(Project.code).desc()).limit(size)))


def _in_place(province_isos: Sequence[str] | None, cluster_no: int | None) -> ColumnElement[bool]:
    """Projects of these provinces or of this cluster (either matches); both None means everywhere."""
    where: list[ColumnElement[bool]] = []
    if province_isos is not None:
        where.append(col(Project.province_iso) == province_isos[0] if len(province_isos) == 1
                     else col(Project.province_iso).in_(list(province_isos)))
    if cluster_no is not None:
        where.append(col(Project.cluster_no) == cluster_no)
    return or_(*where) if where else true()


def cursor(project: Project, keyword: str | None) -> str:
    """Where the next page starts: see `listing`."""
    return str(project.id) if keyword else project.code


def _contains(keyword: str) -> ColumnElement[bool]:
    """Substring match: Thai has no spaces, so "เกษตร" must match inside "โครงการพัฒนาเกษตรอัจฉริยะ"."""
    found: ColumnElement[bool] = _like(col(Project.title_th), keyword)
    # Thai words are searched in Thai titles only, so PostgreSQL can use the trigram index alone.
    if keyword.isascii():
        found = found | _like(col(Project.title_en), keyword, ignore_case=True)
    return found


def _like(column: ColumnElement[str] | Mapped[str], keyword: str, ignore_case: bool = False) -> ColumnElement[bool]:
    """`column` contains `keyword`, its LIKE wildcards taken literally. Without wildcards there is no ESCAPE
    clause: SQLite hands only a plain two-argument LIKE to the FTS5 index."""
    like = column.ilike if ignore_case else column.like
    if not any(c in keyword for c in "\\%_"):
        return like(f"%{keyword}%")
    escaped = keyword.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return like(f"%{escaped}%", escape="\\")


@dataclass(frozen=True)
class Summary:
    counts: dict[ProjectStatus, int]
    budget_satang: int
    average_progress: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summary(
    *, session: Session, province_isos: Sequence[str] | None = None, cluster_no: int | None = None,
    fiscal_year: int | None = None,
) -> Summary:
    """Counts by status, total budget and average progress; no place given means the whole country."""
    query = select(Project.status, func.count(), func.coalesce(func.sum(Project.budget_satang), 0),
                   func.coalesce(func.sum(Project.progress), 0)).group_by(Project.status)
    query = query.where(_in_place(province_isos, cluster_no))
    if fiscal_year is not None:
        query = query.where(Project.fiscal_year == fiscal_year)
    counts: dict[ProjectStatus, int] = {}
    budget = progress = 0
    for status, count, budget_sum, progress_sum in session.exec(query):
        counts[ProjectStatus(status)] = int(count)
        budget += int(budget_sum)
        progress += int(progress_sum)
    total = sum(counts.values())
    return Summary(counts, budget, progress / total if total else 0.0)


def counts_by_region(*, session: Session, fiscal_year: int | None = None) -> dict[str, int]:
    """Projects per area-based ภาค (Thai name; Bangkok under its own name), for the national picture."""
    query = select(Project.province_iso, Project.cluster_no, func.count()).group_by(
        col(Project.province_iso), col(Project.cluster_no))
    if fiscal_year is not None:
        query = query.where(Project.fiscal_year == fiscal_year)
    out: dict[str, int] = {}
    for province_iso, cluster_no, count in session.exec(query):
        if province_iso is not None:
            region = reference.province(province_iso).region_th or reference.province(province_iso).name_th
        else:
            assert cluster_no is not None
            region = reference.cluster(cluster_no).region_th
        out[region] = out.get(region, 0) + int(count)
    return out


def history(*, session: Session, project_id: int, limit: int = 20) -> list[ProjectHistory]:
    return list(session.exec(select(ProjectHistory).where(ProjectHistory.project_id == project_id)
                             .order_by(col(ProjectHistory.id).desc()).limit(limit)))


def provinces_of(project: Project) -> list[str]:
    """Provinces a project belongs to: its own, or every province of its cluster."""
    if project.province_iso is not None:
        return [project.province_iso]
    assert project.cluster_no is not None
    return [p.iso for p in reference.provinces_in_cluster(project.cluster_no)]


# ---- changes -----------------------------------------------------------------------------------------------

TRACKED = ("status", "progress", "last_note")


def snapshot(project: Project, fields: Iterable[str] = TRACKED) -> dict[str, Any]:
    return {f: (str(v) if isinstance(v := getattr(project, f), StrEnum) else v) for f in fields}


def apply_update(
    *, session: Session, project: Project, changes: dict[str, Any], person_id: int | None, now: datetime,
    source: str = "chat",
) -> ProjectHistory:
    """Change a project and keep the change as history; returns the history row."""
    old = snapshot(project, changes)
    for name, value in changes.items():
        setattr(project, name, ProjectStatus(value) if name == "status" else value)
    project.version += 1
    project.updated_at = now
    project.updated_by = person_id
    row = ProjectHistory(project_id=project.id or 0, at=now, person_id=person_id, source=source, old=old,
                         new=snapshot(project, changes))
    session.add(row)
    session.flush()
    return row


def create_draft(*, session: Session, project: Project, person_id: int, changes: dict[str, Any],
                 now: datetime) -> ProjectDraft:
    assert project.id is not None
    draft = ProjectDraft(project_id=project.id, person_id=person_id, base_version=project.version,
                         changes=changes, created_at=now)
    session.add(draft)
    session.flush()
    return draft


# ---- watching ----------------------------------------------------------------------------------------------

def watch(*, session: Session, person_id: int, project_id: int | None = None,
          province_iso: str | None = None) -> bool:
    """Start watching; False if already watching."""
    if _watch_of(session, person_id, project_id, province_iso) is not None:
        return False
    session.add(Watch(person_id=person_id, project_id=project_id, province_iso=province_iso))
    session.flush()
    return True


def unwatch(*, session: Session, person_id: int, project_id: int | None = None,
            province_iso: str | None = None) -> bool:
    found = _watch_of(session, person_id, project_id, province_iso)
    if found is None:
        return False
    session.delete(found)
    return True


def _watch_of(session: Session, person_id: int, project_id: int | None, province_iso: str | None) -> Watch | None:
    query = select(Watch).where(Watch.person_id == person_id)
    query = query.where(Watch.project_id == project_id) if project_id is not None else \
        query.where(Watch.province_iso == province_iso)
    return session.exec(query).first()


def watches_of(*, session: Session, person_id: int) -> list[Watch]:
    return list(session.exec(select(Watch).where(Watch.person_id == person_id).order_by(col(Watch.id))))


def watchers(*, session: Session, project: Project) -> list[int]:
    """People watching this project or one of its provinces, each once."""
    query = select(Watch.person_id).where(or_(col(Watch.project_id) == project.id,
                                              col(Watch.province_iso).in_(provinces_of(project))))
    return sorted(set(session.exec(query)))


def watched_changes(*, session: Session, project_ids: Sequence[int]) -> dict[int, list[str]]:
    """For a batch of changed projects (an import): each watcher and the codes of the changes they watch."""
    if not project_ids:
        return {}
    watches = list(session.exec(select(Watch)))
    if not watches:
        return {}
    by_project: dict[int, set[int]] = {}
    by_province: dict[str, set[int]] = {}
    for w in watches:
        if w.project_id is not None:
            by_project.setdefault(w.project_id, set()).add(w.person_id)
        elif w.province_iso is not None:
            by_province.setdefault(w.province_iso, set()).add(w.person_id)
    out: dict[int, list[str]] = {}
    for start in range(0, len(project_ids), IN_BATCH):
        chunk = list(project_ids[start:start + IN_BATCH])
        for project in session.exec(select(Project).where(col(Project.id).in_(chunk)).order_by(col(Project.code))):
            people = set(by_project.get(project.id or 0, ()))
            for iso in provinces_of(project):
                people |= by_province.get(iso, set())
            for person_id in people:
                out.setdefault(person_id, []).append(project.code)
    return out
