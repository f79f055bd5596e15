"""Project results as messages in a reader's language: cards, listing pages, summaries, histories, the
confirmation of an update, and what watchers are told (after an update or an import)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.i18n import Speaker, Text, format_datetime
from bot.messages import Button, Card, Reply
from bot.payloads import Cmd
from bot.understand import whole_word
from bot.vocab import PLAN_LEVEL, PROJECT_STATUS
from handlers.projects.parsing import Query
from handlers.projects.payloads import STATUS_CODES, ProjectCancel, ProjectConfirm, ProjectMore, pack_keyword
from handlers.projects.texts import (
    CANCEL,
    CHANGED_FOR_WATCHER,
    CONFIRM,
    CONFIRM_UPDATE,
    DETAILS,
    FOUND,
    HISTORY_BUTTON,
    HISTORY_TITLE,
    LIST,
    MORE,
    MORE_HINT,
    NATIONAL,
    NEAREST,
    NO_HISTORY,
    NONE_FOUND,
    NOT_FOUND,
    SUMMARY_TITLE,
    SUMMARY_TOTALS,
    UPDATE_BUTTON,
    UPDATE_USAGE,
    UPDATED,
    WATCH_BUTTON,
    WATCH_USAGE,
)
from storage import reference
from storage.models import Person
from storage.outbox import enqueue_to_person
from storage.projects import (
    Filters,
    Project,
    ProjectDraft,
    ProjectHistory,
    ProjectStatus,
    Summary,
    cursor,
    watched_changes,
    watchers,
)

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


def filters_text(reader: Speaker, filters: Filters) -> str:
    parts = []
    if filters.status is not None:
        parts.append(reader.t(PROJECT_STATUS[filters.status]))
    if filters.fiscal_year is not None:
        parts.append(reader.t(Text("ปีงบ {y}", "FY {y}"), y=filters.fiscal_year))
    return f" ({', '.join(parts)})" if parts else ""


def nearest_hint(codes: list[str]) -> Text:
    """" Nearest codes: …" in both languages (empty when there are none), for a refusal or a not-found."""
    if not codes:
        return Text("", "")
    return Text(NEAREST.render("th", codes=", ".join(codes)), NEAREST.render("en", codes=", ".join(codes)))


def not_found(code: str, near: list[str], reader: Speaker) -> Reply:
    """No project of this code, with the nearest codes as buttons."""
    buttons = [Button(label=c, payload=Cmd("project", c).pack()) for c in near]
    return Reply(text=reader.t(NOT_FOUND, code=code, hint=nearest_hint(near)), buttons=buttons)


def project_detail(project: Project, updated_by: str, may_update: bool, reader: Speaker, tz: ZoneInfo) -> Reply:
    buttons = [Button(label=reader.t(WATCH_BUTTON), payload=Cmd("watch", project.code).pack()),
               Button(label=reader.t(HISTORY_BUTTON), payload=Cmd("projecthistory", project.code).pack())]
    if may_update:
        buttons.insert(0, Button(label=reader.t(UPDATE_BUTTON), payload=Cmd("update", project.code).pack()))
    return Reply(cards=[card(project, reader.lang, tz, detail=True, updated_by=updated_by)], buttons=buttons)


def page(query: Query, rows: list[Project], has_more: bool, reader: Speaker, tz: ZoneInfo) -> Reply:
    """One page of cards; a "more" button carries the query and the last code shown."""
    where = place_name(reader.lang, province_iso=query.province_iso, cluster_no=query.cluster_no)
    if query.keyword:
        where = (f" {where}" if where else "") + reader.t(Text(" ที่มีคำว่า \"{k}\"", " matching \"{k}\""),
                                                          k=query.keyword)
    elif where:
        where = (" " if reader.lang == "en" else "") + (f"in {where}" if reader.lang == "en" else where)
    filters = filters_text(reader, query.filters)
    if not rows:
        return Reply(text=reader.t(NONE_FOUND, where=where, filters=filters))
    buttons = []
    if has_more:
        payload = more_payload(query, cursor(rows[-1], query.keyword))
        if payload is not None:
            buttons.append(Button(label=reader.t(MORE), payload=payload.pack()))
    text = reader.t(FOUND, where=where, filters=filters, shown=len(rows), more=reader.t(MORE_HINT) if has_more else "")
    if query.keyword:  # whole-word matches first, within the page
        keyword = query.keyword
        rows = sorted(rows, key=lambda p: not (whole_word(keyword, p.title_th) or whole_word(keyword, p.title_en)))
    return Reply(text=text, cards=[card(p, reader.lang, tz) for p in rows], buttons=buttons)


def more_payload(query: Query, last: str) -> ProjectMore | None:
    """None when the keyword cannot be packed into a button; the user can narrow the search instead."""
    place = query.province_iso or (f"G{query.cluster_no}" if query.cluster_no else "")
    keyword = pack_keyword(query.keyword or "")
    if keyword is None:
        return None
    status = STATUS_CODES[query.filters.status] if query.filters.status else ""
    payload = ProjectMore(place=place, keyword=keyword, status=status, year=query.filters.fiscal_year or 0,
                          before=last)
    try:
        payload.pack()
    except ValueError:
        return None
    return payload


def summary(result: Summary, *, province_iso: str | None, cluster_no: int | None, fiscal_year: int | None,
            regions: dict[str, int] | None, reader: Speaker) -> Reply:
    """Totals and counts per status; nationally (`regions` given) also per region, else a button to the list."""
    national = regions is not None
    where = reader.t(NATIONAL) if national else " " + place_name(reader.lang, province_iso=province_iso,
                                                                 cluster_no=cluster_no)
    year = reader.t(Text(" ปีงบ {y}", " FY {y}"), y=fiscal_year) if fiscal_year else ""
    lines = [reader.t(SUMMARY_TITLE, where=where, year=year),
             reader.t(SUMMARY_TOTALS, total=result.total, budget=baht(result.budget_satang),
                      progress=round(result.average_progress))]
    lines += [f"• {reader.t(PROJECT_STATUS[s])}: {result.counts[s]}" for s in ProjectStatus if result.counts.get(s)]
    buttons = []
    if regions is not None:
        lines.append(reader.t(Text("ตามภาค:", "By region:")))
        names = {r.name_th: r.name_en for r in reference.regions()} | {"กรุงเทพมหานคร": "Bangkok"}
        lines += [f"• {name if reader.lang == 'th' else names.get(name, name)}: {count}"
                  for name, count in sorted(regions.items(), key=lambda item: -item[1])]
    else:
        arg = province_iso or f"cluster {cluster_no}"
        buttons.append(Button(label=reader.t(LIST), payload=Cmd("project", arg).pack()))
    return Reply(text="\n".join(lines), buttons=buttons)


def update_choices(project: Project, statuses: list[ProjectStatus], reader: Speaker, tz: ZoneInfo) -> Reply:
    """`/update CODE` alone: how to, the project's card, and the likely next statuses as buttons."""
    choices = [Button(label=reader.t(PROJECT_STATUS[s]), payload=Cmd("update", f"{project.code} {s.value}").pack())
               for s in statuses]
    return Reply(text=reader.t(UPDATE_USAGE), cards=[card(project, reader.lang, tz)], buttons=choices)


def confirm_update(project: Project, draft: ProjectDraft, old: dict[str, Any], reader: Speaker) -> Reply:
    assert draft.id is not None
    text = reader.t(CONFIRM_UPDATE, code=project.code, changes=describe_changes(reader.lang, old, draft.changes))
    return Reply(text=text, buttons=[Button(label=reader.t(CONFIRM), payload=ProjectConfirm(draft.id).pack()),
                                     Button(label=reader.t(CANCEL), payload=ProjectCancel(draft.id).pack())])


def updated(project: Project, row: ProjectHistory, reader: Speaker, tz: ZoneInfo) -> Reply:
    text = reader.t(UPDATED, code=project.code, changes=describe_changes(reader.lang, row.old, row.new))
    return Reply(text=text, cards=[card(project, reader.lang, tz)])


def history(project: Project, rows: list[tuple[ProjectHistory, str]], reader: Speaker) -> Reply:
    """Each change with when and by whom (a person's name, or the import's source)."""
    lines = [reader.t(HISTORY_TITLE, code=project.code)]
    lines += [f"{reader.when(row.at)} · {source}\n{describe_changes(reader.lang, row.old, row.new)}"
              for row, source in rows]
    if not rows:
        lines.append(reader.t(NO_HISTORY))
    return Reply(text="\n".join(lines))


def watched(names: list[str], reader: Speaker) -> str:
    if not names:
        return reader.t(Text("คุณยังไม่ได้ติดตามโครงการใด\n{usage}", "You watch nothing yet.\n{usage}"),
                        usage=reader.t(WATCH_USAGE))
    return reader.t(Text("คุณติดตาม: {names}", "You watch: {names}"), names=", ".join(names))


def watch_target(project: Project | None, province_iso: str | None, reader: Speaker) -> str:
    """What a watch names: "project CMI-2569-0012" or "every project of Chiang Mai"."""
    if project is not None:
        return reader.t(Text("โครงการ {c}", "project {c}"), c=project.code)
    return reader.t(Text("โครงการทั้งหมดของ{p}", "every project of {p}"),
                    p=place_name(reader.lang, province_iso=province_iso))


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
