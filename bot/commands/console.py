"""`coordbot console set-password PERSON`: an admin's password for the web console (argon2, stored hashed).

The password is asked for twice at the terminal, or read from standard input with `--password-stdin` (for
scripts), never from the command line, where other users and the shell history would see it.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.engine import Engine

from bot.commands import Add, Subparsers, with_database
from bot.config import Settings
from bot.console.passwords import WeakPassword, hash_password
from storage.console import set_password
from storage.db import transaction, utcnow
from storage.models import Person, Role
from storage.people import audit


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("new console password: ")
    if getpass.getpass("again: ") != first:
        print("the two passwords differ; nothing changed", file=sys.stderr)
        return None
    return first


@with_database
def cmd_set_password(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        person = session.get(Person, args.person)
        if person is None or person.role != Role.admin or person.retired_at is not None:
            print(f"#{args.person} is not an admin; only admins use the console", file=sys.stderr)
            return 2
    password = _read_password(args)
    if password is None:
        return 2
    try:
        hashed = hash_password(password)
    except WeakPassword as exc:
        print(f"{exc}; nothing changed", file=sys.stderr)
        return 2
    with transaction(engine) as session:
        set_password(session=session, person_id=args.person, password_hash=hashed, now=utcnow())
        audit(session=session, person_id=None, action="console_password_set", person=args.person, via="cli")
    print(f"console password set for #{args.person} {person.name}; their console sessions were ended. "
          f"They sign in at {settings.public_url.rstrip('/')}/console with the number {args.person}")
    return 0


def register(sub: Subparsers, add: Add) -> None:
    console = add("console", lambda a: 2)
    actions = console.add_subparsers(dest="action", required=True)
    set_pw = add("set-password", cmd_set_password, "set an admin's console password (asked for twice)", actions)
    set_pw.add_argument("person", type=int, help="the admin's person number (coordbot people list)")
    set_pw.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
