"""The deadlines feature's chat routes: each reads what was typed or pressed, calls the service, and composes
the answer (see the package's docstring for the commands)."""

from __future__ import annotations

from datetime import datetime

from bot.context import Context
from bot.errors import UsageError
from bot.i18n import Text, parse_datetime, read_datetime
from bot.messages import Incoming, Reply
from bot.router import Router, first_word
from handlers.deadlines import compose, notices, service
from handlers.deadlines.errors import BadDate
from handlers.deadlines.payloads import ConfirmDelete, DeleteWindow, Snooze, SubmitWindow, WindowStatus
from handlers.deadlines.texts import (
    CHOOSE,
    CREATED,
    DEADLINES,
    DELETED,
    EVERY_PROVINCE,
    MOVED,
    NOTHING_TO_SUBMIT,
    RECORDED,
    RECORDED_FOR,
    SNOOZED,
    SUBMIT_FOR_USAGE,
    SUBMITTED_CMD,
    TOO_LATE_TO_SNOOZE,
    WINDOW_CMD,
    WINDOW_USAGE,
)
from storage.db import whole_number
from storage.models import Role
from storage.reference import province_name

router = Router("deadlines")

SUBMITTERS = {Role.coordinator, Role.deputy_governor}
ADMINS = {Role.admin}
OPTION_KEYS = {"จังหวัด": "provinces", "province": "provinces", "provinces": "provinces",
               "กลุ่ม": "clusters", "กลุ่มจังหวัด": "clusters", "cluster": "clusters", "clusters": "clusters",
               "ปี": "year", "ปีงบประมาณ": "year", "year": "year", "fy": "year"}


@router.command("deadlines", "กำหนดส่ง", "deadline", summary=DEADLINES, label=Text("กำหนดส่ง", "Deadlines"),
                example=Text("กำหนดส่ง", "/deadlines"), aliases=("เดดไลน์", "กำหนดการส่ง", "กำหนดส่งแผน", "กำนดส่ง"))
def show_deadlines(msg: Incoming, ctx: Context) -> list[Reply]:
    """Admins (who follow every province) see every open window; anyone else with a province, its own."""
    may_see_status = ctx.may_press(WindowStatus)
    province = None if may_see_status else ctx.person.province_iso
    progress = [(p.window, p.done) for p in service.open_progress(session=ctx.session, now=ctx.now,
                                                                  province_iso=province)]
    return [compose.open_windows(progress, ctx, ctx.now, ctx.person.province_iso, only_province=province,
                                 may_submit=ctx.may_press(SubmitWindow), may_see_status=may_see_status)]


@router.command("submitted", "ส่งแล้ว", roles=SUBMITTERS, summary=SUBMITTED_CMD, example=Text("ส่งแล้ว", "/submitted"),
                aliases=("ส่งแผนแล้ว", "ส่งเรียบร้อย", "ส่งเรียบร้อยแล้ว", "submit"), private=True)
def mark_submitted(msg: Incoming, ctx: Context) -> list[Reply]:
    """With a window id, ask to confirm it; without, offer the open windows the province still owes."""
    if msg.args:
        window_id = whole_number(msg.args)
        if window_id is None:
            raise UsageError(usage="/submitted ID")
        return _ask_to_confirm(ctx, window_id)
    owed = service.owed(session=ctx.session, person=ctx.person, now=ctx.now)
    if not owed:
        return [Reply(text=ctx.t(NOTHING_TO_SUBMIT))]
    if len(owed) == 1:
        assert owed[0].id is not None
        return _ask_to_confirm(ctx, owed[0].id)
    return [Reply(text=ctx.t(CHOOSE), buttons=[notices.submit_button(w, ctx.lang) for w in owed])]


def _ask_to_confirm(ctx: Context, window_id: int) -> list[Reply]:
    window = service.submittable(session=ctx.session, window_id=window_id, person=ctx.person, now=ctx.now)
    return [compose.confirm_submission(window, service.own_province(ctx.person), ctx)]


@router.button(SubmitWindow, roles=SUBMITTERS, private=True)
def submit_button(msg: Incoming, ctx: Context, data: SubmitWindow) -> list[Reply]:
    if not data.confirmed:
        return _ask_to_confirm(ctx, data.window)
    row = service.record_submission(session=ctx.session, window_id=data.window, person=ctx.person, now=ctx.now,
                                    planner=ctx.planner)
    window = service.window(session=ctx.session, window_id=data.window)
    return [Reply(text=ctx.t(RECORDED, province=province_name(row.province_iso, ctx.lang),
                             title=notices.title(window, ctx.lang), when=ctx.when(row.submitted_at)))]


@router.button(Snooze, roles=SUBMITTERS, private=True)
def snooze(msg: Incoming, ctx: Context, data: Snooze) -> list[Reply]:
    remind_at = service.snooze(session=ctx.session, window_id=data.window, person=ctx.person, now=ctx.now,
                               settings=ctx.settings, planner=ctx.planner)
    if remind_at is None:
        return [Reply(text=ctx.t(TOO_LATE_TO_SNOOZE))]
    return [Reply(text=ctx.t(SNOOZED, when=ctx.when(remind_at)))]


@router.command("window", "รอบส่ง", roles=ADMINS, summary=WINDOW_CMD,
                example=Text("รอบส่ง add 15 ธ.ค. 2569 16:30 ชื่อรอบ", "/window add 2569-12-15 16:30 title"),
                aliases=("รอบการส่ง", "windows"), private=True)
def manage_windows(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/window` (or `/window list`): the windows; the actions are the variants below."""
    if msg.args.lower() in ("", "list"):
        windows = [(p.window, len(p.done)) for p in service.every_window(session=ctx.session)]
        return [compose.window_list(windows, ctx)]
    raise UsageError(usage=ctx.t(WINDOW_USAGE))


def _window_id(text: str, ctx: Context) -> int:
    window_id = whole_number(text) if text.isdecimal() else None
    if window_id is None:
        raise UsageError(usage=ctx.t(WINDOW_USAGE))
    return window_id


def _only_id(msg: Incoming, ctx: Context) -> int:
    """The one window id after the variant's word (`/window status 3`)."""
    _, *rest = msg.args.split()
    return _window_id(rest[0] if len(rest) == 1 else "", ctx)


@router.command("window", args=first_word("status"), roles=ADMINS, private=True)
def window_status(msg: Incoming, ctx: Context) -> list[Reply]:
    return _status(ctx, _only_id(msg, ctx))


@router.button(WindowStatus, roles=ADMINS, private=True)
def status_button(msg: Incoming, ctx: Context, data: WindowStatus) -> list[Reply]:
    return _status(ctx, data.window)


def _status(ctx: Context, window_id: int) -> list[Reply]:
    progress = service.progress(session=ctx.session, window=service.window(session=ctx.session, window_id=window_id))
    done = [iso for iso in progress.window.provinces if iso in progress.done]
    return [compose.window_status(progress.window, done, progress.missing, ctx)]


@router.command("window", args=first_word("add"), roles=ADMINS, private=True)
def add_window(msg: Incoming, ctx: Context) -> list[Reply]:
    """`add CLOSE-TIME TITLE | options`: the close time is read from the start of what follows `add`."""
    head, *parts = msg.args.split("|")
    head_words = head.split(maxsplit=1)
    if len(head_words) != 2 or not any(ch.isdigit() for ch in head_words[1]):
        raise UsageError(usage=ctx.t(WINDOW_USAGE))
    closes_at, name = read_local(head_words[1], ctx)
    if not name:
        raise UsageError(usage=ctx.t(WINDOW_USAGE))
    options = _options(ctx, parts)
    window = service.add(session=ctx.session, title=name, closes_at=closes_at,
                         provinces=options.get("provinces", "").split(","),
                         clusters=options.get("clusters", "").split(","), year=options.get("year"),
                         by=ctx.person.id, now=ctx.now, planner=ctx.planner)
    return [Reply(text=ctx.t(CREATED, id=window.id, title=name, year=window.fiscal_year,
                             when=ctx.when(window.closes_at),
                             scope=ctx.t(EVERY_PROVINCE) if window.scope == "all" else window.scope,
                             count=len(window.provinces), nudges=", ".join(window.nudges)))]


@router.command("window", args=first_word("move"), roles=ADMINS, private=True)
def move_window(msg: Incoming, ctx: Context) -> list[Reply]:
    words = msg.args.split()
    if len(words) < 4:
        raise UsageError(usage=ctx.t(WINDOW_USAGE))
    window_id = _window_id(words[1], ctx)
    service.window(session=ctx.session, window_id=window_id)  # an unknown window first, then the date
    window = service.move(session=ctx.session, window_id=window_id, closes_at=parse_local(" ".join(words[2:]), ctx),
                          by=ctx.person.id, now=ctx.now, planner=ctx.planner)
    return [Reply(text=ctx.t(MOVED, id=window.id, when=ctx.when(window.closes_at)))]


@router.command("window", args=first_word("delete"), roles=ADMINS, private=True)
def delete_command(msg: Incoming, ctx: Context) -> list[Reply]:
    return _ask_delete(ctx, _only_id(msg, ctx))


@router.button(DeleteWindow, roles=ADMINS, private=True)
def delete_button(msg: Incoming, ctx: Context, data: DeleteWindow) -> list[Reply]:
    return _ask_delete(ctx, data.window)


def _ask_delete(ctx: Context, window_id: int) -> list[Reply]:
    found = service.deletion(session=ctx.session, window_id=window_id, now=ctx.now)
    return [compose.ask_delete(found.window, found.nudges_to_come, found.submitted, ctx)]


@router.button(ConfirmDelete, roles=ADMINS, private=True)
def confirm_delete(msg: Incoming, ctx: Context, data: ConfirmDelete) -> list[Reply]:
    service.delete(session=ctx.session, window_id=data.window, by=ctx.person.id, planner=ctx.planner)
    return [Reply(text=ctx.t(DELETED, id=data.window))]


@router.command("window", args=first_word("submit"), roles=ADMINS, private=True)
def submit_for(msg: Incoming, ctx: Context) -> list[Reply]:
    """`submit ID PROVINCE | REASON`: a submission that arrived by e-mail or letter; the reason is required."""
    words = msg.args.split(maxsplit=1)
    head, _, reason = (words[1] if len(words) > 1 else "").partition("|")
    target = head.split(maxsplit=1)
    window_id = whole_number(target[0]) if len(target) == 2 else None
    if window_id is None or not reason.strip():
        raise UsageError(usage=ctx.t(SUBMIT_FOR_USAGE))
    window, iso = service.submit_for(session=ctx.session, window_id=window_id, province=target[1],
                                     reason=reason.strip(), by=ctx.person.id, now=ctx.now)
    return [Reply(text=ctx.t(RECORDED_FOR, province=province_name(iso, ctx.lang),
                             title=notices.title(window, ctx.lang), reason=reason.strip()))]


def read_local(text: str, ctx: Context) -> tuple[datetime, str]:
    """The close time typed at the start of `text` (any form `parse_datetime` reads) and the rest."""
    try:
        return read_datetime(text, ctx.settings.tz)
    except ValueError as exc:
        raise BadDate(text=text[:40]) from exc


def parse_local(text: str, ctx: Context) -> datetime:
    try:
        return parse_datetime(text, ctx.settings.tz)
    except ValueError as exc:
        raise BadDate(text=text) from exc


def _options(ctx: Context, parts: list[str]) -> dict[str, str]:
    """`จังหวัด=เชียงใหม่,ขอนแก่น`, `กลุ่ม=1`, `ปี=2571` after the title; an unknown key shows the usage."""
    options: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in parts)):
        key, sep, value = part.partition("=")
        name = OPTION_KEYS.get(key.strip().lower())
        if not sep or name is None:
            raise UsageError(usage=ctx.t(WINDOW_USAGE))
        options[name] = value.strip()
    return options
