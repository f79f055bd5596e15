"""Project results as the asker's answers, in their language: a project, listing pages, summaries, histories,
the confirmation of an update (the cards and names come from `notices`)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Speaker, Text
from bot.messages import Button, Reply
from bot.payloads import Cmd
from bot.understand import whole_word
from bot.vocab import PROJECT_STATUS
from handlers.projects.notices import baht, card, describe_changes, nearest_hint, place_name
from handlers.projects.parsing import Query
from handlers.projects.payloads import STATUS_CODES, ProjectCancel, ProjectConfirm, ProjectMore, pack_keyword
from handlers.projects.texts import (
    CANCEL,
    CONFIRM,
    CONFIRM_UPDATE,
    FOUND,
    HISTORY_BUTTON,
    HISTORY_TITLE,
    LIST,
    MORE,
    MORE_HINT,
    NATIONAL,
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
from storage.projects import (
    Filters,
    Project,
    ProjectDraft,
    ProjectHistory,
    ProjectStatus,
    Summary,
    cursor,
)


def filters_text(reader: Speaker, filters: Filters) -> str:
    parts = []
    if filters.status is not None:
        parts.append(reader.t(PROJECT_STATUS[filters.status]))
    if filters.fiscal_year is not None:
        parts.append(reader.t(Text("ปีงบ {y}", "FY {y}"), y=filters.fiscal_year))
    return f" ({', '.join(parts)})" if parts else ""


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


