"""`coordbot workshop create|list|invite|export|checkin`: workshops from the terminal.

`create` stores the workshop, invites everyone its roles and provinces select (the invitations go out through
the outbox, so a running service sends them) and plans the reminders and nudges in the job store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.commands import Add, Subparsers, with_database, with_scheduler
from bot.config import Settings
from bot.errors import DomainError
from bot.files import render_export
from bot.i18n import format_datetime, parse_datetime
from handlers.rsvp.board import record_export
from handlers.rsvp.checkin import check_in_code
from handlers.rsvp.create import checked_workshop, invite_more, invited_places, open_workshop
from handlers.rsvp.errors import DeskNotOpen, NotSeated, UnknownCode
from scheduler.rsvp import plan_workshop
from storage.db import transaction, utcnow
from storage.rsvp import all_workshops, counts, get_workshop


def register(sub: Subparsers, add: Add) -> None:
    workshop = add("workshop", lambda a: 2)
    actions = workshop.add_subparsers(dest="action", required=True)

    create = add("create", cmd_create, "create a workshop and invite its invitees", actions)
    create.add_argument("--title-th", required=True)
    create.add_argument("--title-en", default="")
    create.add_argument("--start", required=True,
                        help="local time (Asia/Bangkok), e.g. 2569-03-19 09:00 or 2026-03-19 09:00")
    create.add_argument("--end", required=True, help="local time, e.g. 2569-03-20 16:30")
    create.add_argument("--deadline", required=True, help="RSVP deadline, local time")
    create.add_argument("--venue", default="")
    create.add_argument("--address", default="")
    create.add_argument("--lat", type=float, help="latitude of the venue, for the map")
    create.add_argument("--lon", type=float, help="longitude of the venue")
    create.add_argument("--agenda", default="")
    create.add_argument("--roles", default="deputy_governor,coordinator",
                        help="comma-separated: deputy_governor, coordinator, admin, guest")
    where = create.add_mutually_exclusive_group()
    where.add_argument("--provinces", help="comma-separated Thai or English names (default: all provinces)")
    where.add_argument("--clusters", help="comma-separated cluster numbers or names")
    create.add_argument("--capacity", type=int, help="total seats (default: no limit)")
    create.add_argument("--per-province", type=int, help="seats per province (default: no limit)")
    create.add_argument("--reminders", default="3d,1d", help="before the start, e.g. 3d,1d,2h")
    create.add_argument("--nudges", default="2d", help="nudges of the silent before the deadline, e.g. 3d,1d")
    create.add_argument("--offer-hours", type=int, default=24, help="hours to confirm a seat offered from the waitlist")
    create.add_argument("--no-invite", action="store_true", help="create only; invite later with `workshop invite`")

    add("list", cmd_list, "list workshops with their answers", actions)
    inv = add("invite", cmd_invite, "invite people who match the workshop but were not invited yet", actions)
    inv.add_argument("id", type=int)
    export = add("export", cmd_export, "write the attendee list (audited)", actions)
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--output", "-o", help="file to write (default: workshop-ID-attendees.FORMAT)")
    export.add_argument("--contacts", action="store_true", help="include contact details")
    checkin = add("checkin", cmd_checkin, "mark an arrival by the attendee's code", actions)
    checkin.add_argument("code")


def _names(value: str | None) -> list[str]:
    return value.split(",") if value else []


@with_database
def cmd_create(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    tz = settings.tz
    try:
        starts, ends, deadline = (parse_datetime(args.start, tz), parse_datetime(args.end, tz),
                                  parse_datetime(args.deadline, tz))
        places = invited_places(roles=_names(args.roles), provinces=_names(args.provinces),
                                clusters=_names(args.clusters), regions=[])
        workshop = checked_workshop(
            title_th=args.title_th, title_en=args.title_en, starts_at=starts, ends_at=ends, rsvp_deadline=deadline,
            places=places, venue=args.venue, address=args.address, latitude=args.lat, longitude=args.lon,
            agenda=args.agenda, capacity=args.capacity, per_province=args.per_province,
            reminders=[r for r in args.reminders.split(",") if r], nudges=[n for n in args.nudges.split(",") if n],
            offer_hours=args.offer_hours, now=utcnow(), by=None)
    except (ValueError, DomainError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with transaction(engine) as session:
        invited, sent = open_workshop(session=session, workshop=workshop, settings=settings, now=utcnow(), by=None,
                                      via="cli", invite_now=not args.no_invite)
    planned = with_scheduler(settings, engine, lambda scheduler: plan_workshop(scheduler, workshop, utcnow()))
    print(f"workshop #{workshop.id} {workshop.title_th}")
    print(f"  {format_datetime(starts, 'th', tz)} - {format_datetime(ends, 'th', tz)}, "
          f"answers until {format_datetime(deadline, 'th', tz)}")
    print(f"  invited {invited} ({sent} invitations queued); seats {args.capacity or 'no limit'}, "
          f"per province {args.per_province or 'no limit'}")
    print(f"  {len(planned)} reminder/nudge jobs planned")
    return 0


@with_database
def cmd_list(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        workshops = all_workshops(session=session)
        if not workshops:
            print("no workshops yet")
        for w in workshops:
            o = counts(session=session, workshop=w).overall
            answers = " ".join(f"{k}={v}" for k, v in sorted(o.items()))
            print(f"#{w.id:<4} {format_datetime(w.starts_at, 'en', settings.tz)}  {w.title_th}  "
                  f"seats={w.capacity or '-'} per_province={w.per_province or '-'}  {answers}")
    return 0


@with_database
def cmd_invite(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        workshop = get_workshop(session=session, workshop_id=args.id)
        if workshop is None:
            print(f"no workshop #{args.id}", file=sys.stderr)
            return 2
        invited, sent = invite_more(session=session, workshop=workshop, settings=settings, now=utcnow())
    print(f"invited {invited} more ({sent} invitations queued)")
    return 0


@with_database
def cmd_export(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        workshop = get_workshop(session=session, workshop_id=args.id)
        if workshop is None:
            print(f"no workshop #{args.id}", file=sys.stderr)
            return 2
        body = render_export(session=session, workshop=workshop, fmt=args.format, contacts=args.contacts,
                             tz=settings.tz)
        output = Path(args.output or f"workshop-{args.id}-attendees.{args.format}")
        output.write_bytes(body)
        told = record_export(session=session, workshop=workshop, by=None, fmt=args.format,
                             contacts=args.contacts, via="cli", now=utcnow(), file=str(output))
    print(f"wrote {output} ({len(body)} bytes)" + (f" with contacts; {told} admin(s) told" if args.contacts else ""))
    return 0


@with_database
def cmd_checkin(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    try:
        with transaction(engine) as session:
            arrival = check_in_code(session=session, code=args.code, by=None, settings=settings, now=utcnow(),
                                    via="cli")
    except (UnknownCode, NotSeated):
        print(f"no confirmed seat has the code {args.code!r}", file=sys.stderr)
        return 2
    except DeskNotOpen as closed:
        print(f"check-in is not open: the desk is open from {format_datetime(closed.opens, 'en', settings.tz)} "
              f"to {format_datetime(closed.closes, 'en', settings.tz)} (Bangkok time)", file=sys.stderr)
        return 2
    row = arrival.row
    if not arrival.arrived:
        assert row.checked_in_at is not None
        print(f"already checked in at {format_datetime(row.checked_in_at, 'en', settings.tz)} (Bangkok time)")
        return 0
    print(f"checked in: seat {row.id} of workshop #{row.workshop_id}")
    return 0
