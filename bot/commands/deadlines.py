"""`coordbot window create|list|move|delete`: plan-submission windows, and their reminders, from the shell."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.commands import Add, Subparsers, with_database, with_scheduler
from bot.config import Settings
from bot.i18n import format_datetime, parse_datetime
from scheduler.deadlines import job_prefix, plan_window
from storage.db import transaction, utcnow
from storage.deadlines import (
    DEFAULT_NUDGES,
    SubmissionWindow,
    all_windows,
    create_window,
    default_fiscal_year,
    delete_window,
    get_window,
    move_window,
    resolve_scope,
    submission,
    submissions,
    submit,
)
from storage.people import audit
from storage.projects import PlanLevel


@with_database
def cmd_create(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    try:
        closes = parse_datetime(args.closes, settings.tz)
        opens = parse_datetime(args.opens, settings.tz) if args.opens else utcnow()
        provinces, scope = resolve_scope(provinces=(args.provinces or "").split(","),
                                         clusters=(args.clusters or "").split(","))
        nudges = [n.strip() for n in args.nudges.split(",") if n.strip()]
        with transaction(engine) as session:
            window = create_window(
                session=session, title_th=args.title_th, title_en=args.title_en, plan_level=PlanLevel(args.level),
                fiscal_year=args.fiscal_year or default_fiscal_year(args.title_th, closes), opens_at=opens,
                closes_at=closes, provinces=provinces, scope=scope, description=args.description, link=args.link,
                nudges=nudges,
            )
    except ValueError as exc:
        print(f"cannot create the window: {exc}", file=sys.stderr)
        return 2
    with_scheduler(settings, engine, lambda scheduler: plan_window(scheduler, window, utcnow()))
    print(f"window #{window.id} created: {window.title_th}, fiscal year {window.fiscal_year}, "
          f"closes {_when(window.closes_at, settings)}, "
          f"{len(window.provinces)} provinces, reminders {', '.join(window.nudges)} before the close")
    return 0


@with_database
def cmd_list(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        windows = all_windows(session=session)
        done = {w.id: len(submissions(session=session, window_id=w.id)) for w in windows if w.id is not None}
    if not windows:
        print("no submission windows")
    for w in windows:
        print(f"#{w.id:<4} {w.title_th}  ({w.plan_level}, FY {w.fiscal_year})  "
              f"{_when(w.opens_at, settings)} → {_when(w.closes_at, settings)}  "
              f"submitted {done.get(w.id or 0, 0)}/{len(w.provinces)}")
    return 0


@with_database
def cmd_move(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    try:
        closes = parse_datetime(args.closes, settings.tz)
        with transaction(engine) as session:
            window = _existing(session, args.id)
            move_window(session=session, window=window, closes_at=closes)
    except (ValueError, LookupError) as exc:
        print(f"cannot move the window: {exc}", file=sys.stderr)
        return 2
    with_scheduler(settings, engine, lambda scheduler: plan_window(scheduler, window, utcnow()))
    print(f"window #{window.id} now closes {_when(window.closes_at, settings)}; reminders re-planned")
    return 0


@with_database
def cmd_delete(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    try:
        with transaction(engine) as session:
            delete_window(session=session, window=_existing(session, args.id))
    except LookupError as exc:
        print(f"cannot delete the window: {exc}", file=sys.stderr)
        return 2
    with_scheduler(settings, engine, lambda scheduler: scheduler.cancel_prefix(job_prefix(args.id)))
    print(f"window #{args.id} and its reminders deleted")
    return 0


@with_database
def cmd_submit(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Record on a province's behalf a submission that came by e-mail or letter (audited, with the reason)."""
    try:
        with transaction(engine) as session:
            window = _existing(session, args.id)
            [iso], _ = resolve_scope(provinces=[args.province], clusters=[])
            if iso not in window.provinces:
                raise LookupError(f"window #{args.id} does not concern {args.province}")
            if submission(session=session, window_id=args.id, province_iso=iso) is not None:
                raise LookupError(f"{args.province} has already submitted to window #{args.id}")
            submit(session=session, window=window, province_iso=iso, person_id=None, now=utcnow(),
                   reference=args.reason)
            audit(session=session, person_id=None, action="window_submitted_for", window=args.id, province=iso,
                  reason=args.reason)
    except (ValueError, LookupError) as exc:
        print(f"cannot record the submission: {exc}", file=sys.stderr)
        return 2
    print(f"window #{args.id}: {args.province} recorded as submitted ({args.reason}); its reminders stop")
    return 0


def _existing(session: Session, window_id: int) -> SubmissionWindow:
    window = get_window(session=session, window_id=window_id)
    if window is None:
        raise LookupError(f"there is no window #{window_id}")
    return window


def _when(moment: datetime, settings: Settings) -> str:
    return format_datetime(moment, "en", settings.tz)


def register(sub: Subparsers, add: Add) -> None:
    window = add("window", lambda a: 2)
    actions = window.add_subparsers(dest="action", required=True)
    create = add("create", cmd_create, "create a window and plan its reminders", actions)
    create.add_argument("--title-th", required=True)
    create.add_argument("--title-en", default="")
    create.add_argument("--closes", required=True, help="Bangkok time, e.g. '2569-12-15 16:30' or '2026-12-15 16:30'")
    create.add_argument("--opens", help="Bangkok time; default now")
    create.add_argument("--level", choices=[level.value for level in PlanLevel], default="provincial")
    create.add_argument("--fiscal-year", type=int,
                        help="Buddhist Era; default the one year the title names, else that of the close")
    create.add_argument("--provinces", help="comma-separated Thai or English names; default all 77")
    create.add_argument("--clusters", help="comma-separated cluster numbers (1-18) or names")
    create.add_argument("--nudges", default=",".join(DEFAULT_NUDGES), help="offsets before the close, e.g. 14d,3h")
    create.add_argument("--description", default="")
    create.add_argument("--link", default="")
    add("list", cmd_list, "list windows with their submission counts", actions)
    move = add("move", cmd_move, "move a window's close and re-plan its reminders", actions)
    move.add_argument("id", type=int)
    move.add_argument("--closes", required=True, help="Bangkok time, e.g. '2569-12-20 16:30'")
    delete = add("delete", cmd_delete, "delete a window and its reminders", actions)
    delete.add_argument("id", type=int)
    record = add("submit", cmd_submit, "record a submission that came by e-mail or letter", actions)
    record.add_argument("id", type=int)
    record.add_argument("--province", required=True, help="Thai or English name")
    record.add_argument("--reason", required=True, help="e.g. 'received by e-mail on 3 Dec'")
