"""Broadcast benchmark: one announcement to 10,000 people, half on LINE and half on Telegram, against the emulator.

Seeds a fresh database (SQLite by default, or --database-url) in bulk, confirms an announcement to everyone as
the chat's confirm button does (which writes the ledger and the outbox rows), then starts `coordbot work`, whose
dispatcher sends it. The emulator, in this process, enforces Telegram's limits as configured here (1,000
messages a second overall, 1 a second per chat) and LINE's multicast limit (200 calls a second, 500 users each);
the service is configured with the same rates.

Reports the achieved Telegram rate as a fraction of the configured 1,000/s (first to last accepted send), the
share of API calls answered 429, duplicates and missing recipients as the emulator's phones show them, the time
until the author's summary arrived, and the worker's peak memory (RSS).

    .venv/bin/python bench/broadcast.py [--people 10000] [--rate 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import emulator_state, scratch_database, service_env  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.emulator import EmulatorServer  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from tests.factories import confirm_broadcast, seed_people  # noqa: E402

COORDBOT = str(Path(sys.executable).parent / "coordbot")
TEXT = "ประกาศ: ประชุมใหญ่เครือข่ายวิทยาศาสตร์จังหวัด"
ADMIN = "U" + "a" * 32
MULTICAST_PER_S = 200
"""LINE's documented limit for the multicast endpoint."""


def recipients(people: int) -> list[tuple[str, str]]:
    """(platform, user id) of every seeded person; even ones on LINE, odd ones on Telegram."""
    return [("line", f"U{n:032x}") if n % 2 == 0 else ("telegram", str(7_000_000 + n)) for n in range(people)]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(args: argparse.Namespace, workdir: Path, db_url: str) -> None:
    """Seed `db_url`, send the announcement with `coordbot work` and print what the phones show."""
    state = emulator_state()
    state.set_rate_limit("telegram", args.rate, per_chat_per_second=1)
    state.set_rate_limit("line", MULTICAST_PER_S, endpoint="multicast")
    audience = recipients(args.people)
    for platform, user in audience:
        if platform == "telegram":
            state.add_user(platform, user)

    with EmulatorServer(state) as emulator:
        env = service_env(emulator, db_url, COORDBOT_AUTO_MIGRATE="false", COORDBOT_SCHEDULER="false",
                          TELEGRAM_RATE_PER_S=str(args.rate), TELEGRAM_PER_CHAT_PER_S="1",
                          LINE_MULTICAST_RATE_PER_S=str(MULTICAST_PER_S))
        settings = Settings(database_url=db_url, _env_file=None)  # type: ignore[call-arg]
        engine = make_engine(db_url)
        upgrade(engine)
        began = time.perf_counter()
        seed_people(engine, audience, admin=ADMIN)  # the admin is not in the audience: it is the coordinators
        queued = confirm_broadcast(engine, settings, TEXT)
        engine.dispose()
        print(f"seeded and queued {queued} recipients in {time.perf_counter() - began:.1f} s")

        log = (workdir / "worker.log").open("wb")
        started = time.perf_counter()
        worker = subprocess.Popen([COORDBOT, "work", "--log-level", "warning"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, cwd=workdir)
        try:
            while not any("เสร็จแล้ว" in r.text for r in state.screen("line", ADMIN)):
                if worker.poll() is not None or time.perf_counter() - started > args.timeout:
                    raise SystemExit(f"the broadcast did not finish; see {workdir / 'worker.log'}")
                time.sleep(0.1)
            finished_s = time.perf_counter() - started
            rss_mb = peak_rss_mb(worker.pid)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()

    calls = state.calls()
    sends = sorted(c.at for c in calls if c.platform == "telegram" and c.endpoint == "sendMessage"
                   and c.status == 200)
    span = (sends[-1] - sends[0]).total_seconds() if len(sends) > 1 else 0.0
    achieved = (len(sends) - 1) / span if span else 0.0
    received = Counter({(platform, user): sum(TEXT in r.text for r in state.screen(platform, user))
                        for platform, user in audience})
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    missing = sum(1 for n in received.values() if n == 0)
    share_429 = sum(1 for c in calls if c.status == 429) / max(1, len(calls))
    shutil.rmtree(workdir, ignore_errors=True)

    table = [("recipients", len(audience)), ("LINE multicast calls", len([c for c in calls
                                                                          if c.endpoint == "multicast"])),
             ("Telegram sendMessage calls", len([c for c in calls if c.endpoint == "sendMessage"])),
             ("Telegram rate (messages/s)", f"{achieved:.0f}"), ("configured limit (messages/s)", f"{args.rate:.0f}"),
             ("calls answered 429", sum(1 for c in calls if c.status == 429)),
             ("until the author's summary (s)", f"{finished_s:.1f}"), ("duplicates", duplicates),
             ("missing", missing), ("worker peak RSS (MB)", f"{rss_mb:.0f}")]
    for name, value in table:
        print(f"{name:<36}{value!s:>10}")
    print(f"broadcast n={len(audience)} rate_fraction={achieved / args.rate:.2f} share_429={share_429:.4f} "
          f"duplicates={duplicates} missing={missing} rss_mb={rss_mb:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=10_000, help="half on LINE, half on Telegram")
    parser.add_argument("--rate", type=float, default=1000.0, help="Telegram messages a second, emulator and service")
    parser.add_argument("--database-url", help="a PostgreSQL server, on which a database of the benchmark's own is "
                                               "made and dropped (default: a fresh SQLite file)")
    parser.add_argument("--timeout", type=float, default=90.0, help="give up waiting after this many seconds")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="coordbot-broadcast-"))
    with scratch_database(args.database_url, workdir) as db_url:
        report(args, workdir, db_url)


if __name__ == "__main__":
    main()
