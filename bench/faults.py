"""Faults benchmark: kill, cut, and report what was lost or doubled.

Scenarios (each on a fresh database; the platform emulator runs in this process):
- kill storm: a webhook storm over both platforms (the driver redelivers whatever was not acknowledged, as LINE and
  Telegram do) at a real `coordbot serve`, SIGKILLed at seeded random moments and restarted each time;
- kill announcement, kill nudges, kill waitlist: a real `coordbot work` sending a 5,000-recipient announcement, a
  `coordbot work` running a wave of deadline nudges while provinces submit, a `coordbot serve` promoting a workshop's
  waitlist as seat holders decline and the offered take or pass on their seat, each SIGKILLed `--kills` times
  (tests/faults/announce.py, nudges.py, waitlist.py say what each checks);
- api faults: an announcement to `--people` recipients while the emulator answers 500s, hangs past the send
  timeout and answers 429 in bursts;
- db cut: webhooks while the database is unavailable (SQLite: another process holds the write lock; PostgreSQL:
  the database refuses connections and its sessions are ended), then redelivered once it is back.

Prints one line per scenario, then `faults scenarios=… lost=… doubled_line=… doubled_telegram=…
max_telegram_in_flight=… wrong=…` (wrong: broken promises besides those counts, e.g. a seat given twice or a nudge
after a submission). `--pg URL` runs the kills and the cut on PostgreSQL too (a database of its own
is created and dropped on that server; the server itself is never stopped, other users may share it).

    .venv/bin/python bench/faults.py [--events 2500] [--kills 20] [--people 2000] [--recipients 5000] [--seed 16]
                                     [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import SecretStr
from sqlalchemy import create_engine, func, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parent.parent
import sys  # noqa: E402

sys.path.insert(0, str(ROOT))

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.emulator import EmulatorServer, EmulatorState  # noqa: E402
from bot.emulator import events as ev  # noqa: E402
from storage import db  # noqa: E402
from storage.db import make_engine, normalize_url  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from storage.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus  # noqa: E402
from tests.faults.announce import announcement_killed  # noqa: E402
from tests.faults.chaos import broadcast_under_faults, lock_sqlite  # noqa: E402
from tests.faults.nudges import nudges_killed  # noqa: E402
from tests.faults.process import Outcome  # noqa: E402
from tests.faults.storm import Storm, serve_env  # noqa: E402
from tests.faults.waitlist import waitlist_killed  # noqa: E402

LINE_SECRET, LINE_TOKEN = "bench-line-channel-secret", "bench-line-access-token"
TG_TOKEN, TG_SECRET = "123456:BENCH-telegram-token", "bench-telegram-webhook-secret"
CUT_S = 3.0


class Totals:
    def __init__(self) -> None:
        self.scenarios = self.lost = self.doubled_line = self.doubled_telegram = self.max_in_flight = 0
        self.wrong = 0

    def add(self, lost: int, doubled_line: int, doubled_telegram: int, in_flight: int = 0, wrong: int = 0) -> None:
        self.scenarios += 1
        self.wrong += wrong
        self.lost += lost
        self.doubled_line += doubled_line
        self.doubled_telegram += doubled_telegram
        self.max_in_flight = max(self.max_in_flight, in_flight)


def settings_for(emulator: EmulatorServer, database_url: str) -> Settings:
    return Settings(database_url=database_url, line_channel_secret=SecretStr(LINE_SECRET),
                    line_channel_access_token=SecretStr(LINE_TOKEN), line_api_base_url=emulator.line_base_url,
                    telegram_bot_token=SecretStr(TG_TOKEN), telegram_webhook_secret=SecretStr(TG_SECRET),
                    telegram_api_base_url=emulator.telegram_base_url, scheduler_enabled=False, auto_migrate=False,
                    send_timeout_s=2.0, telegram_per_chat_per_s=1000.0, telegram_rate_per_s=1000.0,
                    line_rate_per_s=1000.0, user_burst=1000, _env_file=None)  # type: ignore[call-arg]


class Databases:
    """Fresh migrated databases: SQLite files in a temporary folder, or databases on the PostgreSQL server."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pg_made: list[tuple[str, str]] = []

    def sqlite(self, name: str) -> str:
        return self._migrated(f"sqlite:///{self.workdir}/{name}.db")

    def postgres(self, server: str) -> str:
        name = f"faults_{uuid.uuid4().hex[:10]}"
        _pg_admin(server, f"CREATE DATABASE {name}")
        self.pg_made.append((server, name))
        return self._migrated(urlunsplit(urlsplit(server)._replace(path=f"/{name}")))

    def _migrated(self, url: str) -> str:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url

    def drop(self) -> None:
        for server, name in self.pg_made:
            _pg_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _pg_admin(url: str, *statements: str) -> None:
    engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


async def kill_storm(emulator: EmulatorServer, url: str, workdir: Path, args: argparse.Namespace) -> str:
    emulator.state.reset()
    folder = Path(tempfile.mkdtemp(dir=workdir))
    storm = Storm(emulator, url, folder, seed=args.seed, per_platform=args.events, kills=args.kills,
                  env=serve_env(emulator, url, folder))
    try:
        outcome = await storm.run()
    finally:
        storm.stop()
    TOTALS.add(outcome.lost + (outcome.events - outcome.handled), outcome.doubled_line, outcome.doubled_telegram,
               max(outcome.in_flight, default=0))
    return outcome.line(f"kill storm ({'PostgreSQL' if url.startswith('postgres') else 'SQLite'})")


def kill_scenario(name: str, url: str, outcome: Outcome) -> str:
    TOTALS.add(outcome.lost, outcome.doubled_line, outcome.doubled_telegram, max(outcome.in_flight, default=0),
               len(outcome.wrong))
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    return outcome.line(f"{name} ({kind})") + "".join(f"\n  wrong: {what}" for what in outcome.wrong[:10])


async def kills(emulator: EmulatorServer, url: str, workdir: Path, args: argparse.Namespace) -> list[str]:
    """The announcement, the nudge wave and the waitlist, each killed `--kills` times, each on a fresh database."""
    made = [Path(tempfile.mkdtemp(dir=workdir)) for _ in range(3)]
    databases = Databases(workdir)
    fresh = (lambda name: databases.postgres(args.pg)) if url.startswith("postgres") else databases.sqlite
    try:
        lines = [kill_scenario("kill announcement", url, await asyncio.to_thread(
            announcement_killed, emulator, fresh("announce"), made[0], people=args.recipients, kills=args.kills,
            seed=args.seed))]
        lines.append(kill_scenario("kill nudges", url, await asyncio.to_thread(
            nudges_killed, emulator, fresh("nudges"), made[1], people=args.nudged, windows=5, kills=args.kills,
            seed_=args.seed)))
        lines.append(kill_scenario("kill waitlist", url, await waitlist_killed(
            emulator, fresh("waitlist"), made[2], seats=args.seats, waiting=2 * args.seats,
            declines=args.seats * 3 // 4, kills=args.kills, seed=args.seed)))
    finally:
        databases.drop()
    return lines


async def api_faults(emulator: EmulatorServer, url: str, args: argparse.Namespace) -> str:
    emulator.state.reset()
    report = await broadcast_under_faults(settings_for(emulator, url), emulator.state, people=args.people,
                                          seed=args.seed, chaos_s=args.chaos)
    TOTALS.add(report.lost, report.doubled_line, report.doubled_telegram)
    return report.line("api faults")


async def db_cut(emulator: EmulatorServer, url: str, args: argparse.Namespace) -> str:
    """Webhooks posted in a loop while the database is cut for CUT_S seconds; what got 503 is delivered again."""
    state = emulator.state
    state.reset()
    settings = settings_for(emulator, url).model_copy(update={"background_workers": True})
    events: list[tuple[str, dict[str, Any], str]] = []
    for n in range(args.cut_events):
        user = f"U{3_000_000 + n:032x}"
        events.append(("line", ev.line_text_event(user, "สวัสดี", reply_token=state.issue_reply_token(user, 3600)),
                       user))
        state.add_user("telegram", str(6_000_000 + n))
        events.append(("telegram", ev.tg_message_update(6_000_000 + n, "สวัสดี", update_id=6_000_000 + n),
                       str(6_000_000 + n)))
    answers: dict[int, int] = {}
    cut, restore = cutter(url)
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://coordbot") as client:
        pending = list(range(len(events)))
        began, cut_done = time.monotonic(), False
        while pending:
            if not cut_done and len(pending) < len(events) * 3 // 4:
                await asyncio.to_thread(cut)
                cut_done = True
                cut_ends = time.monotonic() + CUT_S
            if cut_done and time.monotonic() > cut_ends:
                await asyncio.to_thread(restore)
            i = pending.pop(0)
            platform, event, _ = events[i]
            response = await client.post(f"/webhooks/{platform}", **request(platform, event))
            answers[response.status_code] = answers.get(response.status_code, 0) + 1
            if response.status_code != 200:
                pending.append(i)
                await asyncio.sleep(0.01)
        await asyncio.to_thread(restore)
        while True:  # sends whose outcome could not be written are taken back when their lease expires
            with Session(app.state.engine) as session:
                waiting = session.exec(select(func.count()).select_from(InboxEvent).where(
                    InboxEvent.status == InboxStatus.pending)).one() + session.exec(
                    select(func.count()).select_from(OutboxMessage).where(
                        col(OutboxMessage.status).in_([OutboxStatus.pending, OutboxStatus.sending]))).one()
                if not waiting:
                    handled = session.exec(select(func.count()).select_from(InboxEvent).where(
                        InboxEvent.status == InboxStatus.done)).one()
                    unknown = {row.chat_id for row in session.exec(select(OutboxMessage).where(
                        OutboxMessage.status == OutboxStatus.unknown))}
                    break
            assert time.monotonic() - began < 120, "the events were not handled"
            await asyncio.sleep(0.2)
    copies = [len(state.screen(platform, user)) for platform, _, user in events]
    lost = len(events) - handled + sum(n == 0 and user not in unknown
                                       for (_, _, user), n in zip(events, copies, strict=True))
    doubled = [sum(max(0, n - 1) for (p, _, _), n in zip(events, copies, strict=True) if p == platform)
               for platform in ("line", "telegram")]
    TOTALS.add(lost, doubled[0], doubled[1])
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    return (f"db cut ({kind}, {CUT_S:.0f} s): events={len(events)} answered_503={answers.get(503, 0)} "
            f"other_errors={sum(n for s, n in answers.items() if s not in (200, 503))} handled={handled} "
            f"delivered={sum(n > 0 for n in copies)} lost={lost} doubled_line={doubled[0]} "
            f"doubled_telegram={doubled[1]} unknown_telegram={len(unknown)}")


def request(platform: str, event: dict[str, Any]) -> dict[str, Any]:
    if platform == "line":
        body = json.dumps(ev.line_body([event])).encode()
        return {"content": body, "headers": {"X-Line-Signature": ev.line_signature(LINE_SECRET, body),
                                             "Content-Type": "application/json"}}
    return {"json": event, "headers": {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}}


def cutter(url: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """How to make the database unavailable, and available again, without touching anyone else's."""
    if url.startswith("sqlite"):
        db.SQLITE_BUSY_TIMEOUT_S = 0.2  # type: ignore[assignment]  # this process gives up soon (the default: 30 s)
        held: list[Any] = []

        def cut() -> None:
            held.append(lock_sqlite(url, CUT_S))

        def restore() -> None:
            while held:
                held.pop().communicate(timeout=30)
        return cut, restore
    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    done: list[bool] = []

    def cut_pg() -> None:
        _pg_admin(server, f"ALTER DATABASE {name} ALLOW_CONNECTIONS false",
                  f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                  "AND pid <> pg_backend_pid()")

    def restore_pg() -> None:
        if not done:
            _pg_admin(server, f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
            done.append(True)
    return cut_pg, restore_pg


TOTALS = Totals()


async def run(args: argparse.Namespace, workdir: Path) -> None:
    state = EmulatorState(line_channel_secret=LINE_SECRET, line_access_token=LINE_TOKEN, telegram_token=TG_TOKEN,
                          telegram_secret_token=TG_SECRET)
    databases = Databases(workdir)
    try:
        with EmulatorServer(state) as emulator:
            print(await kill_storm(emulator, databases.sqlite("storm"), workdir, args), flush=True)
            if args.pg:
                print(await kill_storm(emulator, databases.postgres(args.pg), workdir, args), flush=True)
            for url in ["sqlite"] + ([args.pg] if args.pg else []):
                for line in await kills(emulator, url, workdir, args):
                    print(line, flush=True)
            print(await api_faults(emulator, databases.sqlite("broadcast"), args), flush=True)
            print(await db_cut(emulator, databases.sqlite("cut"), args), flush=True)
            if args.pg:
                print(await db_cut(emulator, databases.postgres(args.pg), args), flush=True)
    finally:
        databases.drop()
    print(f"faults scenarios={TOTALS.scenarios} lost={TOTALS.lost} doubled_line={TOTALS.doubled_line} "
          f"doubled_telegram={TOTALS.doubled_telegram} max_telegram_in_flight={TOTALS.max_in_flight} "
          f"wrong={TOTALS.wrong}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=2500, help="events per platform in the kill storm")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--people", type=int, default=2000, help="recipients of the announcement under API faults")
    parser.add_argument("--recipients", type=int, default=5000, help="recipients of the killed announcement")
    parser.add_argument("--nudged", type=int, default=1000, help="coordinators nudged in each of 5 windows")
    parser.add_argument("--seats", type=int, default=200, help="seats of the workshop whose waitlist is promoted")
    parser.add_argument("--chaos", type=float, default=5.0, help="seconds of injected API faults")
    parser.add_argument("--cut-events", type=int, default=200, help="events per platform during the cut")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--pg", metavar="URL", help="also on this PostgreSQL server, e.g. postgresql://root@127.0.0.1/test")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the cut makes the in-process service log every refused write; counted here
    workdir = Path(tempfile.mkdtemp(prefix="coordbot-faults-"))
    try:
        asyncio.run(run(args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
