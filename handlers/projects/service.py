"""Project use cases: keyword arguments in, projects, pages, summaries and drafts out; no reply, no language.

Chat, the CLI and a console call these. Who may change a project depends on the project (its province, its
status), which no route can see, so that rule lives here, where every caller meets it: admins anywhere;
coordinators and deputy governors of the project's province (or cluster), and not once it is completed or
cancelled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.i18n import Text, both
from bot.vocab import PROJECT_STATUS
from handlers.projects import compose
from handlers.projects.errors import NotYourProject, ProjectClosed, ProjectNotFound, StaleDraft
from handlers.projects.parsing import PAGE, Query
from storage import reference
from storage.models import Person, Role
from storage.people import audit
from storage.projects import (
    FINAL,
    Project,
    ProjectDraft,
    ProjectHistory,
    ProjectStatus,
    Summary,
    apply_update,
    by_code,
    counts_by_region,
    create_draft,
    history,
    listing,
    nearest_codes,
    provinces_of,
    snapshot,
    summary,
    unwatch,
    watch,
    watches_of,
)

EDITORS = {Role.coordinator, Role.deputy_governor}


@dataclass(frozen=True)
class Page:
    rows: list[Project]
    has_more: bool


@dataclass(frozen=True)
class Overview:
    """A summary and where it is of; `regions` (counts per region) only for the national one."""

    result: Summary
    province_iso: str | None
    cluster_no: int | None
    regions: dict[str, int] | None


@dataclass(frozen=True)
class Target:
    """What a watch is on: one project, or every project of a province."""

    project: Project | None = None
    province_iso: str | None = None

    def keys(self) -> dict[str, Any]:
        return {"project_id": self.project.id} if self.project is not None else {"province_iso": self.province_iso}


def find(*, session: Session, code: str) -> Project | None:
    return by_code(session=session, code=code)


def nearest(*, session: Session, code: str) -> list[str]:
    return nearest_codes(session=session, code=code)


def project(*, session: Session, code: str) -> Project:
    """The project with this code, or a refusal naming the nearest codes."""
    found = by_code(session=session, code=code)
    if found is None:
        raise ProjectNotFound(code=code, hint=compose.nearest_hint(nearest_codes(session=session, code=code)))
    return found


def updated_by(*, session: Session, project: Project) -> str:
    """The name of whoever last changed the project in chat ("" for an import)."""
    person = session.get(Person, project.updated_by) if project.updated_by is not None else None
    return person.name if person else ""


def may_update(person: Person, project: Project) -> bool:
    """Admins anywhere; coordinators and deputy governors of the project's province (or of its cluster)."""
    if person.role == Role.admin:
        return True
    return person.role in EDITORS and person.province_iso in provinces_of(project)


def check_may_update(person: Person, project: Project) -> None:
    """Refuse (the router audits NotAllowed) anyone who may not change this project."""
    if may_update(person, project):
        return
    scope = Text("ของจังหวัดของคุณ", "of your own province") if person.province_iso and person.role in EDITORS \
        else Text("เมื่อเป็นผู้ประสานงานหรือรองผู้ว่าฯ ของจังหวัดนั้น", "as a coordinator or deputy governor of that province")
    owner = both(lambda lang: compose.place_name(lang, province_iso=project.province_iso,
                                                 cluster_no=project.cluster_no))
    raise NotYourProject(f"update {project.code}", scope=scope, code=project.code, owner=owner)


def check_may_change(person: Person, project: Project) -> None:
    """`check_may_update`, and a completed or cancelled project is changed by an admin only."""
    check_may_update(person, project)
    if project.status in FINAL and person.role != Role.admin:
        raise ProjectClosed(code=project.code, status=PROJECT_STATUS[project.status])


def page(*, session: Session, query: Query, before: str | None) -> Page:
    provinces = [query.province_iso] if query.province_iso else None
    rows = listing(session=session, province_isos=provinces, cluster_no=query.cluster_no, keyword=query.keyword,
                   filters=query.filters, before=before, limit=PAGE)
    return Page(rows[:PAGE], len(rows) > PAGE)


def own_place(query: Query, person: Person) -> Query:
    """A lookup naming no place is of the person's own province (with none: of every project)."""
    if query.national or query.province_iso or query.cluster_no or query.keyword or person.province_iso is None:
        return query
    return dataclasses.replace(query, province_iso=person.province_iso)


def overview(*, session: Session, query: Query, national: bool, own_province: str | None = None) -> Overview:
    """The summary of the query's province or cluster (else `own_province`), or of the whole country."""
    province_iso = None if national else (query.province_iso or (None if query.cluster_no else own_province))
    cluster_no = query.cluster_no
    provinces: list[str] | None = None
    if province_iso is not None:
        provinces = [province_iso]
    elif cluster_no is not None:
        provinces = [p.iso for p in reference.provinces_in_cluster(cluster_no)]
    result = summary(session=session, province_isos=provinces, cluster_no=cluster_no,
                     fiscal_year=query.filters.fiscal_year)
    regions = counts_by_region(session=session, fiscal_year=query.filters.fiscal_year) if national else None
    return Overview(result, province_iso, cluster_no, regions)


def next_statuses(status: ProjectStatus) -> list[ProjectStatus]:
    """Quick choices: the next step along the life cycle, completion, and on hold (or back from it)."""
    order = list(ProjectStatus)[:6]
    if status in FINAL:
        return []
    if status == ProjectStatus.on_hold:
        return [ProjectStatus.in_progress, ProjectStatus.cancelled]
    step = order[order.index(status) + 1]
    return list(dict.fromkeys([step, ProjectStatus.completed, ProjectStatus.on_hold]))


def propose(*, session: Session, person: Person, project: Project, changes: dict[str, Any], now: datetime
            ) -> tuple[ProjectDraft, dict[str, Any]]:
    """Keep a checked change as a draft to confirm; returns it with the values it replaces."""
    check_may_change(person, project)
    assert person.id is not None
    draft = create_draft(session=session, project=project, person_id=person.id, changes=changes, now=now)
    return draft, snapshot(project, changes)


def _open_draft(session: Session, person: Person, draft_id: int) -> tuple[ProjectDraft, Project]:
    draft = session.get(ProjectDraft, draft_id)
    if draft is None or draft.person_id != person.id or draft.done_at is not None:
        raise StaleDraft()
    found = session.get(Project, draft.project_id, with_for_update=True)
    assert found is not None
    return draft, found


def confirm(*, session: Session, person: Person, draft_id: int, now: datetime, tz: ZoneInfo
            ) -> tuple[Project, ProjectHistory]:
    """Apply a draft (once, and only if the project has not changed since), audit it, tell the watchers."""
    draft, found = _open_draft(session, person, draft_id)
    if found.version != draft.base_version:
        draft.done_at = now
        raise StaleDraft()
    check_may_update(person, found)
    draft.done_at = now
    row = apply_update(session=session, project=found, changes=draft.changes, person_id=person.id, now=now)
    audit(session=session, person_id=person.id, action="project_updated", code=found.code, old=row.old, new=row.new)
    compose.notify_watchers(session=session, project=found, row=row, by=person, now=now, tz=tz)
    return found, row


def cancel(*, session: Session, person: Person, draft_id: int, now: datetime) -> None:
    draft, _ = _open_draft(session, person, draft_id)
    draft.done_at = now


def changes_of(*, session: Session, project: Project) -> list[tuple[ProjectHistory, str]]:
    """The project's history, each change with who made it (a name, or the import's source)."""
    assert project.id is not None
    out = []
    for row in history(session=session, project_id=project.id):
        who = session.get(Person, row.person_id) if row.person_id else None
        out.append((row, who.name if who else row.source))
    return out


def start_watching(*, session: Session, person_id: int, target: Target) -> bool:
    """Watch a project or a province; False when already watched."""
    return watch(session=session, person_id=person_id, **target.keys())


def stop_watching(*, session: Session, person_id: int, target: Target) -> bool:
    return unwatch(session=session, person_id=person_id, **target.keys())


def watched(*, session: Session, person_id: int) -> list[Target]:
    out = []
    for w in watches_of(session=session, person_id=person_id):
        if w.project_id is not None:
            out.append(Target(project=session.get(Project, w.project_id)))
        elif w.province_iso is not None:
            out.append(Target(province_iso=w.province_iso))
    return out
