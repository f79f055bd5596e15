"""Flood benchmark: one person sends 100 messages a second while 20 others each send `/help` once a second.

The service runs as `coordbot serve` (web, inbox worker and dispatcher in one process, the shipped rate limits)
on a fresh SQLite file (or --database-url); the platform emulator runs in this process and records when each
reply reaches a phone. The flooder is on LINE, the others alternate LINE and Telegram. Reports, for the others,
the time from posting the webhook to their reply arriving (each person's replies come in the order they asked,
so the i-th reply answers the i-th request), and how much of the flood was answered and how much kept as
throttled once the inbox is empty.

    .venv/bin/python bench/flood.py [--seconds 10] [--flood-rate 100] [--others 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import func
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import emulator_state, free_port, scratch_database, service_env, wait_for_service  # noqa: E402

from bot.emulator import EmulatorServer, EmulatorState  # noqa: E402
from bot.emulator import events as ev  # noqa: E402
from storage.db import make_engine, transaction  # noqa: E402
from storage.inbox import throttled  # noqa: E402
from storage.models import InboxEvent, InboxStatus  # noqa: E402

FLOODER = "U" + "f" * 32
Request = tuple[str, bytes, dict[str, str]]


class Sender:
    """One person's phone: builds signed webhooks and remembers when each was posted."""

    def __init__(self, state: EmulatorState, platform: str, user: str, update_ids: list[int]) -> None:
        self.state, self.platform, self.user, self.update_ids = state, platform, user, update_ids
        self.posted: list[float] = []
        if platform == "telegram":
            state.add_user("telegram", user)

    def request(self, text: str) -> Request:
        if self.platform == "line":
            event = ev.line_text_event(self.user, text, reply_token=self.state.issue_reply_token(self.user, ttl=600))
            body = json.dumps(ev.line_body([event])).encode()
            return "/webhooks/line", body, {"X-Line-Signature": ev.line_signature(self.state.line_channel_secret, body),
                                            "Content-Type": "application/json"}
        self.update_ids[0] += 1
        body = json.dumps(ev.tg_message_update(int(self.user), text, update_id=self.update_ids[0])).encode()
        return "/webhooks/telegram", body, {"X-Telegram-Bot-Api-Secret-Token": self.state.telegram_secret_token,
                                            "Content-Type": "application/json"}

    def latencies_ms(self) -> list[float]:
        """Posted-to-received for each request answered."""
        screen = self.state.screen(self.platform, self.user)
        answered = zip(self.posted, screen, strict=False)  # the last requests may be unanswered yet
        return [(received.at.timestamp() - posted) * 1000 for posted, received in answered]


async def send_at_rate(client: aiohttp.ClientSession, sender: Sender, text: str, rate: float, seconds: float,
                       offset: float, failures: list[int]) -> None:
    """Post `rate` a second for `seconds`, on a fixed schedule (a slow answer does not slow the sender down)."""
    start = time.monotonic() + offset
    pending = []
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        path, body, headers = sender.request(text)
        sender.posted.append(time.time())
        pending.append(asyncio.create_task(post(client, path, body, headers, failures)))
    await asyncio.gather(*pending)


async def post(client: aiohttp.ClientSession, path: str, body: bytes, headers: dict[str, str],
               failures: list[int]) -> None:
    async with client.post(path, data=body, headers=headers) as response:
        await response.read()
        if response.status != 200:
            failures.append(response.status)


async def run_load(base: str, flooder: Sender, others: list[Sender], flood_rate: float, seconds: float) -> list[int]:
    failures: list[int] = []
    async with aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=64)) as client:
        await asyncio.gather(
            send_at_rate(client, flooder, "ขอข้อมูลหน่อย", flood_rate, seconds, 0.0, failures),
            *(send_at_rate(client, other, "/help", 1.0, seconds, i / len(others), failures)
              for i, other in enumerate(others)),
        )
    return failures


def pending(db_url: str) -> int:
    engine = make_engine(db_url)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(InboxEvent)
                             .where(InboxEvent.status == InboxStatus.pending)).one()
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--flood-rate", type=float, default=100.0)
    parser.add_argument("--others", type=int, default=20)
    parser.add_argument("--database-url", help="a PostgreSQL server, on which a database of the "
                        "benchmark's own is made and dropped (default: a fresh SQLite file)")
    parser.add_argument("--drain-timeout", type=float, default=30.0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="coordbot-bench-flood-"))
    with scratch_database(args.database_url, workdir) as db_url:
        port = free_port()
        state = emulator_state()
        update_ids = [0]
        flooder = Sender(state, "line", FLOODER, update_ids)
        others = [Sender(state, "line", f"U{n:032x}", update_ids) if n % 2 else
                  Sender(state, "telegram", str(800_000 + n), update_ids) for n in range(args.others)]
        with EmulatorServer(state) as emulator:
            env = service_env(emulator, db_url, COORDBOT_SCHEDULER="false")
            base = f"http://127.0.0.1:{port}"
            proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port),
                                     "--log-level", "warning"], env=env, cwd=workdir)
            try:
                wait_for_service(base, proc)
                started = time.monotonic()
                failures = asyncio.run(run_load(base, flooder, others, args.flood_rate, args.seconds))
                load_s = time.monotonic() - started
                expected = sum(len(o.posted) for o in others)
                deadline = time.monotonic() + args.drain_timeout
                while sum(len(o.latencies_ms()) for o in others) < expected and time.monotonic() < deadline:
                    time.sleep(0.2)
                while pending(db_url) and time.monotonic() < deadline:  # the rest of the flood, to count it all
                    time.sleep(0.2)
            finally:
                proc.terminate()
                proc.wait(timeout=30)

        latencies = [ms for other in others for ms in other.latencies_ms()]
        flooder_sent = len(state.screen("line", FLOODER))
        engine = make_engine(db_url)
        with transaction(engine) as session:
            kept, _ = throttled(session=session, limit=0)
        engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
        q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
        rows = [("flooder messages posted", f"{len(flooder.posted)}"), ("others' /help posted", f"{expected}"),
                ("non-200 answers", f"{len(failures)}"), ("load duration (s)", f"{load_s:.1f}"),
                ("others answered", f"{len(latencies)}"), ("others p50 (ms)", f"{q[49]:.0f}"),
                ("others p99 (ms)", f"{q[98]:.0f}"), ("others max (ms)", f"{max(latencies, default=0):.0f}"),
                ("replies to the flooder", f"{flooder_sent}"), ("kept as throttled", f"{kept}")]
        for name, value in rows:
            print(f"{name:<28}{value:>10}")
        print(f"flood others_p99_ms={q[98]:.0f} flooder_sent={flooder_sent} throttled={kept}")


if __name__ == "__main__":
    main()
