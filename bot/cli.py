"""The `coordbot` command: serve, work, emulator, chat, seed-demo, invite, telegram, db.

Every command reads settings from the environment and `.env`, like the service does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.commands import with_database
from bot.config import ConfigError, Settings, load_settings
from handlers.registration import tell_admins_of_admin_invite
from storage import reference
from storage.db import make_engine, transaction, utcnow
from storage.demo import seed_all
from storage.directory import InviteNotRevocable, revoke_invite
from storage.migrations import upgrade
from storage.models import Role
from storage.people import create_invite, list_invites


def _settings() -> Settings:
    return load_settings()


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    _engine(_settings())
    print("database is at the latest schema")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    created = seed_all(_engine(_settings()))
    print(f"demo data ready ({created})")
    return 0


@with_database
def cmd_invite_create(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    province = None
    if args.province:
        province = reference.find_province(args.province)
        if province is None:
            hints = ", ".join(p.name_th for p in reference.suggest_provinces(args.province))
            print(f"unknown province {args.province!r}" + (f"; did you mean: {hints}" if hints else ""),
                  file=sys.stderr)
            return 2
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


def cmd_invite_list(args: argparse.Namespace) -> int:
    engine = _engine(_settings())
    with transaction(engine) as session:
        for invite in list_invites(session=session, include_used=args.all):
            state = "used" if invite.used_at else ("expired" if invite.expires_at <= utcnow() else "open")
            print(f"{invite.code}  {invite.role:<16} {invite.province_iso or '-':<6} {state:<8} {invite.name}")
    return 0


def cmd_invite_revoke(args: argparse.Namespace) -> int:
    engine = _engine(_settings())
    try:
        with transaction(engine) as session:
            invite = revoke_invite(session=session, code=args.code, by=None, now=utcnow())
    except InviteNotRevocable:
        print(f"there is no unused invite code {args.code!r}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"{invite.code} revoked")
    return 0


def cmd_telegram_set_webhook(args: argparse.Namespace) -> int:
    from telegram import Bot

    settings = _settings()
    if not settings.telegram_enabled or not settings.telegram_webhook_secret.get_secret_value():
        print("TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set", file=sys.stderr)
        return 2
    url = args.url or settings.public_url.rstrip("/") + "/webhooks/telegram"

    async def register() -> None:
        async with Bot(settings.telegram_bot_token.get_secret_value(),
                       base_url=settings.telegram_api_base_url) as bot:
            await bot.set_webhook(url, secret_token=settings.telegram_webhook_secret.get_secret_value(),
                                  allowed_updates=["message", "callback_query", "my_chat_member"])

    asyncio.run(register())
    print(f"Telegram will deliver updates to {url}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="coordbot", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = top.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str,
            into: argparse._SubParsersAction[argparse.ArgumentParser] = sub) -> argparse.ArgumentParser:
        p = into.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    from bot import chat, run
    from bot.commands import broadcast, deadlines, people, projects, richmenu, rsvp

    serve = add("serve", run.cmd_serve, "run the web service (needs LINE and/or Telegram credentials, or --demo)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true",
                       help="the demo: built-in emulator, demo people and data (also COORDBOT_DEMO=true)")
    serve.add_argument("--emulator-port", type=int, default=8081)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    work = add("work", run.cmd_work, "handle events, send messages and run the scheduler without serving HTTP "
               "(beside `serve` with COORDBOT_BACKGROUND_WORKERS=false)")
    work.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    emu = add("emulator", run.cmd_emulator, "run the LINE/Telegram API emulator on its own")
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--port", type=int, default=8081)
    emu.add_argument("--service-url", default="http://127.0.0.1:8000", help="where to post user events")

    talk = add("chat", chat.cmd_chat, "talk to the running demo service from the terminal as a demo person")
    talk.add_argument("--as", dest="persona", default="coord-cmi", help="demo person, e.g. admin, dg-cmi, guest")
    talk.add_argument("--platform", choices=["line", "telegram"], default="line")
    talk.add_argument("--emulator", default="http://127.0.0.1:8081", help="the emulator's URL")

    add("seed-demo", cmd_seed_demo, "create the demo people and data (idempotent)")

    invite = add("invite", lambda a: 2, "one-time invite codes").add_subparsers(dest="action", required=True)
    create = add("create", cmd_invite_create, "create an invite code bound to a role and province", invite)
    create.add_argument("--role", choices=[r.value for r in Role if r != Role.guest], required=True)
    create.add_argument("--province", help="Thai or English name, e.g. เชียงใหม่ or Chiang Mai")
    create.add_argument("--name", default="", help="the invitee's name, shown when they join")
    create.add_argument("--days", type=int, default=14, help="days until the code expires")
    listing = add("list", cmd_invite_list, "list open invite codes", invite)
    listing.add_argument("--all", action="store_true", help="include used codes")
    revoke = add("revoke", cmd_invite_revoke, "stop an unused invite code at once (audited)", invite)
    revoke.add_argument("code")

    tg = add("telegram", lambda a: 2, "Telegram set-up").add_subparsers(dest="action", required=True)
    hook = add("set-webhook", cmd_telegram_set_webhook, "register /webhooks/telegram with a secret token", tg)
    hook.add_argument("--url", help="defaults to COORDBOT_PUBLIC_URL + /webhooks/telegram")

    db = add("db", lambda a: 2, "database maintenance").add_subparsers(dest="action", required=True)
    add("upgrade", cmd_db_upgrade, "apply schema migrations", db)

    projects.register(sub, add)
    deadlines.register(sub, add)
    rsvp.register(sub, add)
    broadcast.register(sub, add)
    people.register(sub, add)
    richmenu.register(sub, add)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except ConfigError as exc:
        print(f"coordbot: {exc}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
