"""The projects feature's chat routes (see the package's docstring for the commands)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import BadButton, DomainError, UsageError
from bot.i18n import Text
from bot.messages import Incoming, Reply
from bot.router import Reroute, Router
from handlers.projects import compose, service
from handlers.projects.errors import NothingToSearch, ProjectNotFound
from handlers.projects.parsing import MAX_QUERY, NATIONAL_WORD, Query, clean, parse_changes, parse_query
from handlers.projects.payloads import BY_STATUS_CODE, ProjectCancel, ProjectConfirm, ProjectMore, unpack_keyword
from handlers.projects.texts import (
    ALREADY_WATCHING,
    LOOKUP,
    NATIONAL_ONLY,
    NOT_WATCHING,
    SUMMARY,
    UNWATCHED,
    UPDATE,
    UPDATE_CANCELLED,
    UPDATE_USAGE,
    WATCH,
    WATCH_USAGE,
    WATCHING,
)
from storage import reference
from storage.models import Role
from storage.projects import Filters, normalize_code

router = Router("projects")

MEMBERS = {Role.coordinator, Role.deputy_governor}
EDITORS = service.EDITORS
ADMINS = {Role.admin}


@router.command("project", "projects", "โครงการ", "สถานะโครงการ", roles=MEMBERS, summary=LOOKUP,
                label=Text("โครงการ", "Projects"), example=Text("โครงการ เชียงใหม่", "/project Khon Kaen"),
                aliases=("โปรเจค", "โปรเจกต์", "โครงกร", "โคงการ", "ค้นหาโครงการ", "หาโครงการ", "รายการโครงการ"),
                slow=True)
def lookup(msg: Incoming, ctx: Context) -> list[Reply]:
    if msg.args.strip() and not clean(msg.args):
        raise NothingToSearch()
    query = parse_query(msg.args)
    if query.code is not None:
        return _show_project(ctx, query.code)
    return _page(ctx, service.own_place(query, ctx.person), before=None)


def _show_project(ctx: Context, code: str) -> list[Reply]:
    found = service.find(session=ctx.session, code=code)
    if found is None:
        return [compose.not_found(code, service.nearest(session=ctx.session, code=code), ctx)]
    return [compose.project_detail(found, service.updated_by(session=ctx.session, project=found),
                                   service.may_update(ctx.person, found), ctx, ctx.settings.tz)]


def _page(ctx: Context, query: Query, before: str | None) -> list[Reply]:
    page = service.page(session=ctx.session, query=query, before=before)
    return [compose.page(query, page.rows, page.has_more, ctx, ctx.settings.tz)]


@router.button(ProjectMore, roles=MEMBERS, slow=True)
def more(msg: Incoming, ctx: Context, data: ProjectMore) -> list[Reply]:
    try:
        status = BY_STATUS_CODE[data.status] if data.status else None
        place: dict[str, Any] = {}
        if data.place.startswith("G"):
            place["cluster_no"] = reference.cluster(int(data.place[1:])).no
        elif data.place:
            place["province_iso"] = reference.province(data.place).iso
        keyword = unpack_keyword(data.keyword) or None
        if keyword:
            int(data.before)  # keyword pages continue from an id
    except (ValueError, IndexError, KeyError) as exc:
        raise BadButton() from exc
    query = Query(keyword=keyword, filters=Filters(status=status, fiscal_year=data.year or None), **place)
    return _page(ctx, query, before=data.before)


def _asks_national(argument: str) -> bool:
    """`/summary ทั้งประเทศ [year]`: the national variant (an argument that does not parse is not it)."""
    try:
        return parse_query(argument).national
    except DomainError:
        return False


@router.command("summary", "สรุป", "สรุปโครงการ", roles=MEMBERS, summary=SUMMARY,
                label=Text("สรุปโครงการ", "Summary"), example=Text("สรุป ขอนแก่น 2569", "/summary cluster 1"),
                aliases=("สรุบ", "สรุปผล", "ภาพรวม", "summay"), slow=True)
def show_summary(msg: Incoming, ctx: Context) -> list[Reply]:
    """A province's or a cluster's summary (one's own province when none is named); someone without a province
    who names none is asking for the national one, which the router gives only to admins."""
    query = _summary_query(msg, ctx)
    if query.province_iso is None and query.cluster_no is None and ctx.person.province_iso is None:
        raise Reroute(f"{msg.args} {NATIONAL_WORD}".strip())
    return _summary(ctx, query, national=False)


@router.command("summary", args=_asks_national, roles=ADMINS, refusal=NATIONAL_ONLY, slow=True)
def show_national_summary(msg: Incoming, ctx: Context) -> list[Reply]:
    return _summary(ctx, _summary_query(msg, ctx), national=True)


def _summary_query(msg: Incoming, ctx: Context) -> Query:
    query = parse_query(msg.args)
    if query.code is not None or query.keyword is not None:
        raise UsageError(usage="/summary [จังหวัด|กลุ่มจังหวัด|ทั้งประเทศ] [ปี]" if ctx.lang == "th"
                         else "/summary [province|cluster|national] [year]")
    return query


def _summary(ctx: Context, query: Query, national: bool) -> list[Reply]:
    seen = service.overview(session=ctx.session, query=query, national=national,
                            own_province=ctx.person.province_iso)
    return [compose.summary(seen.result, province_iso=seen.province_iso, cluster_no=seen.cluster_no,
                            fiscal_year=query.filters.fiscal_year, regions=seen.regions, reader=ctx)]


@router.command("update", "อัปเดต", "อัพเดต", "อัปเดตโครงการ", roles=EDITORS, summary=UPDATE,
                example=Text("อัปเดต CMI-2569-0012 60%", "/update CMI-2569-0012 progress 60"),
                aliases=("อัพเดท", "อัปเดท", "อับเดต", "แก้ไขโครงการ", "updte"), private=True)
def propose_update(msg: Incoming, ctx: Context) -> list[Reply]:
    """Check everything now, keep the change as a draft and ask for a confirmation button."""
    code_text, _, rest = msg.args.partition(" ")
    code = normalize_code(code_text)
    if code is None:
        raise UsageError(usage=ctx.t(UPDATE_USAGE))
    project = service.project(session=ctx.session, code=code)
    service.check_may_update(ctx.person, project)
    if not rest.strip():
        return [compose.update_choices(project, service.next_statuses(project.status), ctx, ctx.settings.tz)]
    draft, old = service.propose(session=ctx.session, person=ctx.person, project=project,
                                 changes=parse_changes(rest.strip()), now=ctx.now)
    return [compose.confirm_update(project, draft, old, ctx)]


@router.button(ProjectConfirm, roles=EDITORS, private=True)
def confirm_update(msg: Incoming, ctx: Context, data: ProjectConfirm) -> list[Reply]:
    project, row = service.confirm(session=ctx.session, person=ctx.person, draft_id=data.draft, now=ctx.now,
                                   tz=ctx.settings.tz)
    return [compose.updated(project, row, ctx, ctx.settings.tz)]


@router.button(ProjectCancel, roles=EDITORS, private=True)
def cancel_update(msg: Incoming, ctx: Context, data: ProjectCancel) -> list[Reply]:
    service.cancel(session=ctx.session, person=ctx.person, draft_id=data.draft, now=ctx.now)
    return [Reply(text=ctx.t(UPDATE_CANCELLED))]


@router.command("projecthistory", "ประวัติโครงการ", roles=MEMBERS,
                summary=Text("ประวัติการแก้ไขโครงการ", "who changed a project, when"),
                example=Text("ประวัติโครงการ CMI-2569-0012", "/projecthistory CMI-2569-0012"),
                aliases=("ประวัติ", "history"))
def show_history(msg: Incoming, ctx: Context) -> list[Reply]:
    code = normalize_code(msg.args)
    project = service.find(session=ctx.session, code=code) if code else None
    if project is None or project.id is None:
        raise ProjectNotFound(code=(code or msg.args)[:20], hint="")
    return [compose.history(project, service.changes_of(session=ctx.session, project=project), ctx)]


def _watch_target(ctx: Context, text: str) -> service.Target:
    """A project code, or a province's name."""
    code = normalize_code(text)
    if code is not None:
        return service.Target(project=service.project(session=ctx.session, code=code))
    name = clean(text)
    province = reference.find_province(name) if name and len(text) <= MAX_QUERY else None
    if province is None:
        raise UsageError(usage=ctx.t(WATCH_USAGE))
    return service.Target(province_iso=province.iso)


@router.command("watch", "ติดตาม", "ติดตามโครงการ", roles=MEMBERS, summary=WATCH,
                example=Text("ติดตาม เชียงใหม่", "/watch CMI-2569-0012"), aliases=("ติดตามจังหวัด", "ติดาม"),
                private=True)
def start_watching(msg: Incoming, ctx: Context) -> list[Reply]:
    """With no argument: what this person watches, and how to watch more."""
    assert ctx.person.id is not None
    if not msg.args.strip():
        targets = service.watched(session=ctx.session, person_id=ctx.person.id)
        names = [t.project.code if t.project else compose.place_name(ctx.lang, province_iso=t.province_iso)
                 if t.province_iso else "-" for t in targets]
        return [Reply(text=compose.watched(names, ctx))]
    target = _watch_target(ctx, msg.args)
    added = service.start_watching(session=ctx.session, person_id=ctx.person.id, target=target)
    what = compose.watch_target(target.project, target.province_iso, ctx)
    return [Reply(text=ctx.t(WATCHING if added else ALREADY_WATCHING, what=what))]


@router.command("unwatch", "เลิกติดตาม", roles=MEMBERS, summary=Text("เลิกติดตาม", "stop watching"),
                example=Text("เลิกติดตาม เชียงใหม่", "/unwatch CMI-2569-0012"),
                aliases=("ยกเลิกติดตาม", "หยุดติดตาม", "เลิกติดตามโครงการ"), private=True)
def stop_watching(msg: Incoming, ctx: Context) -> list[Reply]:
    target = _watch_target(ctx, msg.args)
    assert ctx.person.id is not None
    removed = service.stop_watching(session=ctx.session, person_id=ctx.person.id, target=target)
    what = compose.watch_target(target.project, target.province_iso, ctx)
    return [Reply(text=ctx.t(UNWATCHED if removed else NOT_WATCHING, what=what))]
