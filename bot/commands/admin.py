"""`coordbot seed-demo`, `coordbot invite create|list|revoke`, `coordbot db upgrade`, `coordbot inbox throttled`:
setting up and watching the network from the shell."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.commands import Add, Subparsers, province_iso, with_database
from bot.config import Settings
from handlers.registration import tell_admins_of_admin_invite
from storage import reference
from storage.db import transaction, utcnow
from storage.demo import seed_all
from storage.directory import InviteNotRevocable, revoke_invite
from storage.inbox import throttled
from storage.models import Role
from storage.people import create_invite, list_invites


@with_database
def cmd_db_upgrade(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    print("database is at the latest schema")
    return 0


@with_database
def cmd_seed_demo(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    print(f"demo data ready ({seed_all(engine)})")
    return 0


@with_database
def cmd_invite_create(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    province = reference.province(args.province) if args.province else None
    with transaction(engine) as session:
        invite = create_invite(session=session, role=Role(args.role), province_iso=province.iso if province else None,
                               now=utcnow(), valid_for=timedelta(days=args.days), name=args.name)
        told = 0
        if invite.role == Role.admin:
            told = tell_admins_of_admin_invite(session=session, invite=invite, now=utcnow(), tz=settings.tz)
    where = f" for {province.name_th} ({province.name_en})" if province else ""
    print(f"{invite.code}  role={invite.role}{where}, valid {args.days} days")
    print(f"  LINE: send the code to the bot.  Telegram: /start {invite.code}")
    if invite.role == Role.admin:
        print(f"  {told} admin(s) will be told of this admin invite")
    return 0


@with_database
def cmd_invite_list(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        invites = list_invites(session=session, include_used=args.all)
    if not invites:
        print("no invite codes" if args.all else "no unused invite codes (--all lists used ones too)")
    for invite in invites:
        state = "used" if invite.used_at else ("expired" if invite.expires_at <= utcnow() else "open")
        print(f"{invite.code}  {invite.role:<16} {invite.province_iso or '-':<6} {state:<8} {invite.name}")
    return 0


@with_database
def cmd_invite_revoke(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    try:
        with transaction(engine) as session:
            invite = revoke_invite(session=session, code=args.code, by=None, now=utcnow())
    except InviteNotRevocable:
        print(f"there is no unused invite code {args.code!r}", file=sys.stderr)
        return 2
    print(f"{invite.code} revoked")
    return 0


@with_database
def cmd_inbox_throttled(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        count, rows = throttled(session=session, limit=args.limit)
    print(f"{count} events over their sender's rate limit (kept, not handled)")
    for row in rows:
        print(f"{row.received_at:%Y-%m-%d %H:%M:%S}  {row.platform:<8} {row.sender}  event {row.event_id}")
    return 0


def register(sub: Subparsers, add: Add) -> None:
    add("seed-demo", cmd_seed_demo)

    invite = add("invite", lambda a: 2).add_subparsers(dest="action", required=True)
    create = add("create", cmd_invite_create, "create an invite code bound to a role and province", invite)
    create.add_argument("--role", choices=[r.value for r in Role if r != Role.guest], required=True)
    create.add_argument("--province", type=province_iso, help="Thai or English name, e.g. เชียงใหม่ or Chiang Mai")
    create.add_argument("--name", default="", help="the invitee's name, shown when they join")
    create.add_argument("--days", type=int, default=14, help="days until the code expires")
    listing = add("list", cmd_invite_list, "list open invite codes", invite)
    listing.add_argument("--all", action="store_true", help="include used codes")
    revoke = add("revoke", cmd_invite_revoke, "stop an unused invite code at once (audited)", invite)
    revoke.add_argument("code")

    db = add("db", lambda a: 2).add_subparsers(dest="action", required=True)
    add("upgrade", cmd_db_upgrade, "apply schema migrations", db)

    inbox = add("inbox", lambda a: 2).add_subparsers(dest="action", required=True)
    over = add("throttled", cmd_inbox_throttled, "count and list the latest events kept as throttled", inbox)
    over.add_argument("--limit", type=int, default=20, help="how many of the latest to list")
