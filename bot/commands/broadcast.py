"""`coordbot broadcast send|status ID|cancel ID`: announcements from the shell.

`send` shows the preview (recipients per platform, LINE messages against the quota left) and changes nothing
unless `--yes` is given; the running service's dispatcher then sends what this command queued.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.commands import Add, Subparsers, with_database, with_scheduler
from bot.config import Settings
from bot.errors import DomainError
from bot.i18n import format_datetime
from bot.line import quota_left
from bot.quota import QuotaReader
from bot.vocab import person_label
from handlers.broadcast.drafts import Draft, check_url, parse_send_at
from handlers.broadcast.service import check_segment, send_time, start_sending
from handlers.segments import describe, parse_segment
from scheduler.broadcast import cancel_send, plan_send
from storage.broadcast import (
    PLATFORMS,
    STATES,
    Broadcast,
    BroadcastStatus,
    LineMode,
    acknowledgements,
    create_broadcast,
    delivery,
    get_broadcast,
    resolve,
    set_status,
)
from storage.db import transaction, utcnow
from storage.models import Person, Role


def register(sub: Subparsers, add: Add) -> None:
    group = add("broadcast", lambda a: 2)
    actions = group.add_subparsers(dest="action", required=True)
    send = add("send", cmd_send, "preview an announcement; with --yes, send it (or schedule it with --at)", actions)
    send.add_argument("--text", required=True)
    send.add_argument("--role", action="append", default=[], help="admin, deputy_governor, coordinator, guest")
    send.add_argument("--province", action="append", default=[], help="Thai or English names; commas or repeated")
    send.add_argument("--cluster", action="append", default=[], help="cluster numbers or names; commas or repeated")
    send.add_argument("--region", action="append", default=[], help="ภาค, e.g. ภาคเหนือ or North")
    send.add_argument("--platform", action="append", default=[], choices=["line", "telegram"])
    send.add_argument("--workshop", action="append", default=[], help="workshop id, with --attending or --silent")
    answer = send.add_mutually_exclusive_group()
    answer.add_argument("--attending", dest="answer", action="store_const", const="attending",
                        help="the workshop's invitees who answered yes")
    answer.add_argument("--silent", dest="answer", action="store_const", const="silent",
                        help="the workshop's invitees who have not answered")
    send.add_argument("--window", action="append", default=[],
                      help="submission window id: people of provinces that have not submitted")
    send.add_argument("--at", help="local time, e.g. '2569-03-05 09:00' (Buddhist Era) or '2026-03-05 09:00'")
    send.add_argument("--image", help="https:// URL of an image sent after the text")
    send.add_argument("--link", help="https:// URL behind a link button")
    send.add_argument("--ack", action="store_true", help="ask recipients to press รับทราบ")
    send.add_argument("--quiet", action="store_true", help="respect quiet hours (off by default for announcements)")
    send.add_argument("--line-mode", choices=[m.value for m in LineMode], default=LineMode.all.value,
                      help="over LINE's quota: telegram_only or partial")
    send.add_argument("--author", type=int, help="person id of the admin sending it (default: the first admin)")
    send.add_argument("--yes", action="store_true", help="confirm: without it nothing is stored or sent")
    status = add("status", cmd_status, "delivery counts per platform with a progress bar", actions)
    status.add_argument("id", type=int)
    cancel = add("cancel", cmd_cancel, "cancel a scheduled announcement that has not started", actions)
    cancel.add_argument("id", type=int)


def progress_bar(done: int, total: int, width: int = 30) -> str:
    percent = 100 if not total else done * 100 // total
    filled = width * percent // 100
    return f"[{'#' * filled}{'.' * (width - filled)}] {percent}% ({done}/{total})"




def _each(values: list[str]) -> list[str]:
    """Repeated options and comma lists alike (`--province เชียงใหม่,ขอนแก่น`), as the other commands take them."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _draft(args: argparse.Namespace, settings: Settings) -> Draft:
    """The same understanding of roles, places and times as the chat command."""
    segment = parse_segment({"role": _each(args.role), "province": _each(args.province),
                             "cluster": _each(args.cluster), "region": _each(args.region), "platform": args.platform,
                             "workshop": _each(args.workshop), "answer": [args.answer] if args.answer else [],
                             "window": _each(args.window)})
    draft = Draft(text=args.text.strip(), segment=segment, ask_ack=args.ack, quiet_hours=args.quiet)
    if not draft.text:
        raise ValueError("the text is empty")
    if args.at:
        draft.send_at = parse_send_at(args.at, settings, utcnow())
    draft.image_url = check_url(args.image) if args.image else ""
    draft.link_url = check_url(args.link) if args.link else ""
    return draft


def _author(session: Session, wanted: int | None) -> Person:
    query = select(Person).where(Person.role == Role.admin).order_by(col(Person.id))
    if wanted is not None:
        query = query.where(Person.id == wanted)
    author = session.exec(query).first()
    if author is None:
        raise LookupError("no such admin" if wanted is not None else "no admin exists to send it as (invite one with "
                          "`coordbot invite create --role admin`)")
    return author


@with_database
def cmd_send(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    now = utcnow()
    try:
        draft = _draft(args, settings)
        with transaction(engine) as session:
            author = _author(session, args.author)
            check_segment(session, draft.segment)
            audience = resolve(session=session, segment=draft.segment)
    except (DomainError, ValueError, LookupError) as exc:
        print(f"cannot send: {exc}", file=sys.stderr)
        return 2
    line, telegram = audience.count("line"), audience.count("telegram")
    quota = QuotaReader(partial(quota_left, settings)).read()
    left, known = quota.left, quota.known
    print(f"to: {describe(draft.segment, 'en')}")
    print(f"recipients: LINE {line}, Telegram {telegram}, unreachable {len(audience.unreachable)}")
    print(f"LINE messages: {line} (quota left: {left if left is not None else 'unlimited' if known else 'unknown'})")
    print(f"text: 📢 {draft.text}")
    over = left is not None and line > left
    if over and args.line_mode == LineMode.all.value:
        print("over LINE's quota: choose --line-mode telegram_only or partial", file=sys.stderr)
        return 2
    if not args.yes:
        print("preview only; add --yes to send")
        return 0
    with transaction(engine) as session:
        assert author.id is not None
        broadcast = create_broadcast(session=session, author_id=author.id, text=draft.text, segment=draft.segment,
                                     now=now, image_url=draft.image_url, link_url=draft.link_url,
                                     link_label="เปิดลิงก์" if draft.link_url else "", ask_ack=draft.ask_ack,
                                     quiet_hours=draft.quiet_hours, send_at=draft.send_at)
        broadcast.line_mode = LineMode(args.line_mode if over else LineMode.all)
        broadcast.line_limit = left if broadcast.line_mode == LineMode.partial else None
        broadcast_id = broadcast.id
        assert broadcast_id is not None
        if draft.send_at is None:
            session.flush()
            queued = start_sending(session=session, broadcast_id=broadcast_id, now=now, settings=settings)
        else:
            broadcast.status = BroadcastStatus.scheduled
    if draft.send_at is not None:
        at = draft.send_at
        with_scheduler(settings, engine, lambda scheduler: plan_send(scheduler, broadcast_id, at))
        when = format_datetime(send_time(broadcast, settings, at), "en", settings.tz)
        print(f"broadcast #{broadcast_id} scheduled for {when}")
    else:
        print(f"broadcast #{broadcast_id} queued for {queued} people; the running service sends it")
    return 0


@with_database
def cmd_status(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        broadcast = get_broadcast(session=session, broadcast_id=args.id)
        if broadcast is None:
            print(f"no broadcast #{args.id}", file=sys.stderr)
            return 2
        counts = delivery(session=session, broadcast_id=args.id)
        acked, waiting = acknowledgements(session=session, broadcast_id=args.id)
    print(status_text(broadcast, counts, settings))
    if broadcast.ask_ack:
        print(f"acknowledged: {len(acked)}/{len(acked) + len(waiting)}"
              + (f"; not yet: {', '.join(person_label(p, 'en') for p in waiting[:20])}" if waiting else ""))
    return 0


def status_text(broadcast: Broadcast, counts: dict[str, Counter[str]], settings: Settings) -> str:
    total = sum(sum(c.values()) for c in counts.values())
    done = total - sum(c["queued"] for c in counts.values())
    when = broadcast.send_at or broadcast.started_at or broadcast.created_at
    lines = [f"broadcast #{broadcast.id}: {broadcast.status} ({format_datetime(when, 'en', settings.tz)})",
             f"text: {broadcast.text[:70]}"]
    for platform in PLATFORMS:
        c = counts.get(platform, Counter())
        cells = ", ".join(f"{state} {c[state]}" for state in [*STATES, "unknown", "skipped"]
                          if state in STATES or c[state])
        lines.append(f"  {platform:<9} {cells}")
    lines.append("  " + progress_bar(done, total))
    if broadcast.line_stopped:
        lines.append("  LINE stopped: monthly message limit reached")
    return "\n".join(lines)


@with_database
def cmd_cancel(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    with transaction(engine) as session:
        broadcast = get_broadcast(session=session, broadcast_id=args.id)
        if broadcast is None:
            print(f"no broadcast #{args.id}", file=sys.stderr)
            return 2
        status = broadcast.status
        cancelled = set_status(session=session, broadcast_id=args.id,
                               frm=[BroadcastStatus.draft, BroadcastStatus.scheduled], to=BroadcastStatus.cancelled)
    if not cancelled:
        print(f"broadcast #{args.id} is {status}; only a scheduled one can be cancelled", file=sys.stderr)
        return 2
    with_scheduler(settings, engine, lambda scheduler: cancel_send(scheduler, args.id))
    print(f"broadcast #{args.id} cancelled; nothing was sent")
    return 0
