"""Project messages to people other than the one asking (watchers after an update or an import), and the
cards, names and change lists that every project message uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.i18n import Text, format_datetime
from bot.messages import Button, Card, Reply
from bot.payloads import Cmd
from bot.vocab import PLAN_LEVEL, PROJECT_STATUS
from handlers.projects.texts import CHANGED_FOR_WATCHER, DETAILS, NEAREST
from storage import reference
from storage.models import Person
from storage.outbox import enqueue_to_person
from storage.projects import Project, ProjectHistory, ProjectStatus, watched_changes, watchers

IMPORT_CHANGED = Text("ข้อมูลโครงการที่คุณติดตามถูกปรับปรุงจากการนำเข้าไฟล์ {count} โครงการ: {codes}{more}",
                      "An import changed {count} project(s) you watch: {codes}{more}")


def baht(satang: int) -> str:
    whole, part = divmod(satang, 100)
    return f"{whole:,}" + (f".{part:02d}" if part else "")


def place_name(lang: str, *, province_iso: str | None = None, cluster_no: int | None = None) -> str:
    if province_iso is not None:
        p = reference.province(province_iso)
        return p.name_en if lang == "en" else ("" if p.iso == "TH-10" else "จังหวัด") + p.name_th
    if cluster_no is not None:
        return reference.cluster(cluster_no).name(lang)
    return ""


def status_text(lang: str, status: ProjectStatus) -> str:
    return PROJECT_STATUS[status].render(lang)


def card(project: Project, lang: str, tz: ZoneInfo, detail: bool = False, updated_by: str = "") -> Card:
    """A short record: code and title, status with progress, where and when, budget and owner."""
    title = project.title_en if lang == "en" and project.title_en else project.title_th
    where = place_name(lang, province_iso=project.province_iso, cluster_no=project.cluster_no)
    year = Text("ปีงบ {year}", "FY {year}").render(lang, year=project.fiscal_year)
    lines = [
        f"{status_text(lang, project.status)} · {project.progress}%",
        f"{where} · {PLAN_LEVEL[project.plan_level].render(lang)} · {year}",
        Text("งบ {budget} บาท · {owner}", "Budget {budget} THB · {owner}").render(
            lang, budget=baht(project.budget_satang), owner=project.owner_agency or "-"),
    ]
    if detail:
        if project.last_note:
            lines.append(Text("หมายเหตุล่าสุด: {note}", "Last note: {note}").render(lang, note=project.last_note))
        lines.append(Text("ปรับปรุง {when}{who}", "Updated {when}{who}").render(
            lang, when=format_datetime(project.updated_at, lang, tz), who=f" · {updated_by}" if updated_by else ""))
    return Card(title=f"{project.code} {title}", lines=lines, progress=project.progress)


def describe_changes(lang: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    names = {"status": Text("สถานะ", "status"), "progress": Text("ความก้าวหน้า", "progress"),
             "last_note": Text("หมายเหตุ", "note")}
    lines = []
    for field_name, after in new.items():
        before = old.get(field_name)
        if field_name == "status":
            before = status_text(lang, ProjectStatus(before)) if before else "-"
            after = status_text(lang, ProjectStatus(after))
        elif field_name == "progress":
            before, after = f"{before}%", f"{after}%"
        lines.append(f"• {names[field_name].render(lang)}: {before or '-'} → {after or '-'}")
    return "\n".join(lines)


def nearest_hint(codes: list[str]) -> Text:
    """" Nearest codes: …" in both languages (empty when there are none), for a refusal or a not-found."""
    if not codes:
        return Text("", "")
    return Text(NEAREST.render("th", codes=", ".join(codes)), NEAREST.render("en", codes=", ".join(codes)))


def notify_watchers(*, session: Session, project: Project, row: ProjectHistory, by: Person, now: datetime,
                    tz: ZoneInfo) -> int:
    """One outbox message per watcher (not the person who made the change), in the watcher's language."""
    sent = 0
    for person_id in watchers(session=session, project=project):
        person = session.get(Person, person_id)
        if person is None or person_id == by.id:
            continue
        text = CHANGED_FOR_WATCHER.render(person.lang, who=by.name or "-",
                                          changes=describe_changes(person.lang, row.old, row.new))
        reply = Reply(text=text, cards=[card(project, person.lang, tz)],
                      buttons=[Button(label=DETAILS.render(person.lang), payload=Cmd("project", project.code).pack())])
        sent += enqueue_to_person(session=session, person_id=person_id, key=f"pjw:{row.id or 0}:{person_id}",
                                  replies=[reply], now=now, tag=f"project:{project.id}")
    return sent


def notify_import(*, session: Session, project_ids: list[int], now: datetime) -> int:
    """One message per watcher after an import (not one per project: a province watcher could get thousands)."""
    sent = 0
    stamp = now.strftime("%Y%m%d%H%M%S")
    for person_id, codes in watched_changes(session=session, project_ids=project_ids).items():
        person = session.get(Person, person_id)
        if person is None:
            continue
        more = f" (+{len(codes) - 10})" if len(codes) > 10 else ""
        text = IMPORT_CHANGED.render(person.lang, count=len(codes), codes=", ".join(codes[:10]), more=more)
        buttons = [Button(label=c, payload=Cmd("project", c).pack()) for c in codes[:3]]
        sent += enqueue_to_person(session=session, person_id=person_id, key=f"pjimp:{stamp}:{person_id}",
                                  replies=[Reply(text=text, buttons=buttons)], now=now, tag="projects:import")
    return sent
