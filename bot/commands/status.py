"""`coordbot status`: what `/metrics` shows of the database, for a person at a terminal (no service needed)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.commands import Add, Subparsers, with_database
from bot.config import Settings
from storage import health
from storage.db import utcnow


@with_database
def cmd_status(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with Session(engine) as session:
        now = health.read(session=session, now=utcnow())
    print(f"inbox: {now.inbox_pending} waiting, the oldest for {now.inbox_lag_s:.1f} s")
    print("  " + (", ".join(f"{status} {n}" for status, n in sorted(now.inbox_by_status.items())) or "empty"))
    for platform in ("line", "telegram"):
        rows = {status: n for (p, status), n in now.outbox.items() if p == platform}
        print(f"outbox {platform}: {health.outbox_depth(now, platform)} to send; "
              + (", ".join(f"{status} {n}" for status, n in sorted(rows.items())) or "empty"))
    late = f", the oldest {now.jobs_late_s:.1f} s late" if now.jobs_due else ""
    print(f"scheduler: {now.jobs_due} jobs due{late}")
    return 0


def register(sub: Subparsers, add: Add) -> None:
    add("status", cmd_status)
