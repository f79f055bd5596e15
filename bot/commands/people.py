"""`coordbot people list|set|retire` and `coordbot audit`: the admins' people tools from the shell."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import Engine

from bot.commands import Add, Subparsers, province_iso, with_database, with_scheduler
from bot.config import Settings
from handlers.rsvp.service import release_seat
from scheduler.planning import Deferred
from storage import directory
from storage.db import transaction, utcnow
from storage.models import Role


@with_database
def cmd_list(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        entries = directory.people(session=session, role=Role(args.role) if args.role else None,
                                   province_iso=args.province,
                                   include_retired=args.all)
        for e in entries:
            p = e.person
            accounts = ", ".join(f"{a.platform}:{'reachable' if a.reachable else 'UNREACHABLE'}"
                                 for a in e.accounts) or "no account"
            retired = "  (retired)" if p.retired_at else ""
            print(f"#{p.id:<5} {p.name or '-':<28} {p.role:<16} {p.province_iso or '-':<6} {accounts}{retired}")
    print(f"{len(entries)} people")
    return 0


@with_database
def cmd_set(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    try:
        with transaction(engine) as session:
            target = directory.person(session=session, person_id=args.id)
            changed = directory.change(session=session, target=target, by=None,
                                       role=Role(args.role) if args.role else None,
                                       province_iso=args.province)
    except LookupError as exc:
        print(f"cannot change #{args.id}: {exc}", file=sys.stderr)
        return 2
    print(f"#{args.id}: " + (", ".join(f"{k} {old} → {new}" for k, (old, new) in changed.items()) or "nothing changed"))
    return 0


@with_database
def cmd_retire(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Without --yes, say what retiring would do; with it, free the seats (offering them on) and retire."""
    now = utcnow()
    offered = 0
    planner = Deferred()
    try:
        with transaction(engine) as session:
            target = directory.person(session=session, person_id=args.id)
            if target.retired_at is not None:
                print(f"#{args.id} is already retired")
                return 0
            seats = directory.held_seats(session=session, person_id=args.id, now=now)
            print(f"#{args.id} {target.name}: {target.role}, {target.province_iso or '-'}; seats in workshops not "
                  f"yet started: {len(seats)}" + "".join(f"\n  #{w.id} {w.title_th}" for w, _ in seats))
            if not args.yes:
                print("nothing changed; add --yes to retire (history kept, nothing sent any more, seats freed)")
                return 0
            for held, row in seats:
                assert held.id is not None
                offered += len(release_seat(session=session, workshop_id=held.id, row=row, settings=settings,
                                            now=now, planner=planner))
            directory.retire(session=session, target=target, by=None, now=now)
    except LookupError as exc:
        print(f"cannot retire #{args.id}: {exc}", file=sys.stderr)
        return 2
    if planner.requests:
        with_scheduler(settings, engine, planner.run)
    print(f"#{args.id} retired; {offered} waitlisted people offered a seat")
    return 0


@with_database
def cmd_audit(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        rows = directory.audit_log(session=session, person_id=args.person, province_iso=args.province,
                                   action=args.action, limit=args.limit)
        if not rows:
            print("no audit entries" + (" match" if args.person or args.province or args.action else ""))
        for entry, who in rows:
            detail = " ".join(f"{k}={v}" for k, v in entry.detail.items())
            print(f"{entry.at.astimezone(settings.tz):%Y-%m-%d %H:%M}  {who.name if who else 'system':<20} "
                  f"{entry.action:<22} {detail}")
    return 0


def register(sub: Subparsers, add: Add) -> None:
    people = add("people", lambda a: 2)
    actions = people.add_subparsers(dest="action", required=True)
    listing = add("list", cmd_list, "people by province and role, with their accounts and reachability", actions)
    listing.add_argument("--province", type=province_iso, help="Thai or English name")
    listing.add_argument("--role", choices=[r.value for r in Role])
    listing.add_argument("--all", action="store_true", help="include retired people")
    change = add("set", cmd_set, "change a person's role or province (audited)", actions)
    change.add_argument("id", type=int)
    change.add_argument("--role", choices=[r.value for r in Role])
    change.add_argument("--province", type=province_iso, help="Thai or English name")
    retire = add("retire", cmd_retire, "retire someone who was transferred: history kept, messages stop, seats "
                 "freed", actions)
    retire.add_argument("id", type=int)
    retire.add_argument("--yes", action="store_true", help="do it (without: only say what it would do)")

    audit = add("audit", cmd_audit)
    audit.add_argument("--person", type=int, help="entries by or about this person id")
    audit.add_argument("--province", type=province_iso, help="entries about this province")
    audit.add_argument("--action", help="e.g. window_deleted, person_retired, refused")
    audit.add_argument("--limit", type=int, default=50)
