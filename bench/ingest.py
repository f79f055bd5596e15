"""Ingest benchmark: signed LINE webhooks and Telegram updates posted at one uvicorn worker.

The service runs as `coordbot serve` in its own process on a fresh SQLite file (or --database-url). By default
(`--mode split`) that web process only acknowledges, and a `coordbot work` process beside it handles the events
and sends the replies, so the two use both cores; `--mode single` runs everything in the web process. The
platform emulator runs in this process, so reply tokens are real and every reply is counted. Reports the
sustained acknowledgement rate and p50/p99 latency, then waits until every event is stored and answered.

    .venv/bin/python bench/ingest.py [--events 10000] [--concurrency 16] [--mode split|single]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import emulator_state, scratch_database, serving  # noqa: E402

from bot.emulator import EmulatorServer, EmulatorState  # noqa: E402
from bot.emulator import events as ev  # noqa: E402

USERS = 1000
REPLY_ENDPOINTS = {"reply", "push", "sendMessage"}


def build_requests(state: EmulatorState, n: int) -> list[tuple[str, bytes, dict[str, str]]]:
    """Half LINE (one text event per webhook, signed), half Telegram (one update each)."""
    requests = []
    for i in range(n):
        user = i % USERS
        if i % 2 == 0:
            line_user = f"U{user:032x}"
            event = ev.line_text_event(line_user, "/help", reply_token=state.issue_reply_token(line_user, ttl=600))
            body = json.dumps(ev.line_body([event])).encode()
            headers = {"X-Line-Signature": ev.line_signature(state.line_channel_secret, body),
                       "Content-Type": "application/json"}
            requests.append(("/webhooks/line", body, headers))
        else:
            chat = 900_000 + user
            state.add_user("telegram", chat)
            body = json.dumps(ev.tg_message_update(chat, "/help", update_id=i + 1)).encode()
            headers = {"X-Telegram-Bot-Api-Secret-Token": state.telegram_secret_token,
                       "Content-Type": "application/json"}
            requests.append(("/webhooks/telegram", body, headers))
    return requests


async def post_all(base: str, requests: list[tuple[str, bytes, dict[str, str]]],
                   concurrency: int) -> tuple[list[float], int, float]:
    """Post every request over `concurrency` keep-alive connections; aiohttp keeps the client side cheap."""
    latencies: list[float] = []
    failures = 0
    queue = iter(requests)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, connector=connector) as client:

        async def worker() -> None:
            nonlocal failures
            for path, body, headers in queue:
                start = time.perf_counter()
                async with client.post(path, data=body, headers=headers) as response:
                    await response.read()
                    failures += response.status != 200
                latencies.append((time.perf_counter() - start) * 1000)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return latencies, failures, elapsed


def replies(state: EmulatorState) -> int:
    """Distinct users answered per event: count successful reply-carrying calls."""
    return sum(1 for c in state.calls() if c.endpoint in REPLY_ENDPOINTS and c.status == 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--mode", choices=["split", "single"], default="split")
    parser.add_argument("--database-url", help="a PostgreSQL server, on which a database of the "
                        "benchmark's own is made and dropped (default: a fresh SQLite file)")
    parser.add_argument("--drain-timeout", type=float, default=100.0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="coordbot-bench-"))
    with scratch_database(args.database_url, workdir) as db_url:
        state = emulator_state()
        # Split: the worker is niced, so acknowledging comes first and handling catches up when the burst is over.
        with EmulatorServer(state) as emulator, serving(emulator, db_url, workdir, split=args.mode == "split",
                                                        worker_prefix=("nice", "-n", "10"),
                                                        worker_settings={"COORDBOT_SCHEDULER": "true"}) as base:
            requests = build_requests(state, args.events)
            latencies, failures, elapsed = asyncio.run(post_all(base, requests, args.concurrency))
            drain_start = time.monotonic()
            replied = replies(state)
            while replied < args.events and time.monotonic() - drain_start < args.drain_timeout:
                time.sleep(0.5)
                replied = replies(state)
            drain_s = time.monotonic() - drain_start

        stored = 0
        if db_url.startswith("sqlite:///"):
            with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
                stored = conn.execute("SELECT count(*) FROM inboxevent").fetchone()[0]
        shutil.rmtree(workdir, ignore_errors=True)
        quantiles = statistics.quantiles(latencies, n=100)
        rate = len(latencies) / elapsed
        rows = [("events posted", f"{len(latencies)}"), ("non-200 answers", f"{failures}"),
                ("elapsed (s)", f"{elapsed:.2f}"), ("acknowledged events/s", f"{rate:.0f}"),
                ("p50 ack latency (ms)", f"{quantiles[49]:.2f}"), ("p99 ack latency (ms)", f"{quantiles[98]:.2f}"),
                ("max ack latency (ms)", f"{max(latencies):.2f}"), ("stored in inbox", f"{stored}"),
                ("replied", f"{replied}"), ("time to answer the backlog (s)", f"{drain_s:.1f}")]
        for name, value in rows:
            print(f"{name:<32}{value:>12}")
        print(f"ingest events_per_s={rate:.0f} p50_ms={quantiles[49]:.2f} p99_ms={quantiles[98]:.2f} "
              f"stored={stored} replied={replied}")


if __name__ == "__main__":
    main()
