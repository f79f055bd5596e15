"""End-to-end benchmark: how soon an answer arrives, coordbot beside the SDKs' own echo bots.

The same signed bodies (one text event each, over `--concurrency` keep-alive connections) go to, one after the
other: line-bot-sdk's FastAPI echo bot (bench/peers/line_echo.py, replies inline), python-telegram-bot's
`run_webhook` echo bot (bench/peers/telegram_echo.py), and one `coordbot serve` process on a fresh SQLite file,
first the LINE bodies, then the Telegram ones. The peers run in their own venv (bench/.peers-venv, made on first
use; not project dependencies). Every answer (reply, push, multicast, sendMessage) is counted at one local stub of
both APIs (bench/stub.py, its own process). coordbot runs with TELEGRAM_RATE_PER_S=1000 (Telegram's paid
broadcast ceiling) and LINE_RATE_PER_S=2000 (LINE's limit for replies and pushes; `--line-rate`), so that the
comparison measures coordbot, not its pacing.

An answer is matched to the webhook it answers by sender, in order (the k-th answer to a person answers their
k-th event), so "answer" latency is from the start of the webhook's POST to the answer reaching the stub.

    .venv/bin/python bench/e2e.py [--events 3000] [--concurrency 64] [--users 1000] [--rate N] [--rounds N]
                                  [--compare-with DIR]

`--rounds N` measures everything N times, coordbot first in every other round, and the last line gives the
medians of answered/s and of each round's ratios: on a shared machine whose speed drifts during a run, one round's
ratio can move by a third.

`--compare-with DIR` runs another checkout's coordbot first in the same run (`git archive main | tar -x -C DIR`),
for before/after figures on the same machine load; `--wrap 'py-spy record -f raw -o FILE --'` profiles.
`--pg URL` then also runs the README's scale-out: `coordbot serve` acknowledging only and `--workers` (2)
`coordbot work` processes on a fresh PostgreSQL database of that server, and prints its ratio to the one process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from benchkit import apis_env, emulator_state, free_port, scratch_database  # noqa: E402

from bot.emulator import EmulatorState  # noqa: E402
from bot.emulator import events as ev  # noqa: E402

PEERS_VENV = BENCH / ".peers-venv"
PEER_PACKAGES = ["line-bot-sdk", "fastapi", "uvicorn", "python-telegram-bot[webhooks]"]
TEXT = "/help"
Request = tuple[str, bytes, dict[str, str]]
"""(user, body, headers)"""


@dataclass
class Result:
    server: str
    events: int
    ack_per_s: float
    ack_ms: list[float]
    answered: int
    answered_per_s: float
    answer_ms: list[float]
    by_endpoint: dict[str, int]
    cpu_ms: float
    """The server's CPU time per event, from the first webhook to the last answer."""


def line_requests(state: EmulatorState, n: int, users: int) -> list[Request]:
    requests = []
    for i in range(n):
        user = f"U{i % users:032x}"
        event = ev.line_text_event(user, TEXT, reply_token=f"rt:{user}:{i}")
        body = json.dumps(ev.line_body([event])).encode()
        requests.append((user, body, {"X-Line-Signature": ev.line_signature(state.line_channel_secret, body),
                                      "Content-Type": "application/json"}))
    return requests


def telegram_requests(state: EmulatorState, n: int, users: int) -> list[Request]:
    requests = []
    for i in range(n):
        chat = 900_000 + i % users
        body = json.dumps(ev.tg_message_update(chat, TEXT, update_id=i + 1, message_id=i + 1)).encode()
        requests.append((str(chat), body, {"X-Telegram-Bot-Api-Secret-Token": state.telegram_secret_token,
                                           "Content-Type": "application/json"}))
    return requests


async def post_all(url: str, requests: list[Request], concurrency: int,
                   rate: float = 0) -> tuple[list[tuple[str, float, float]], float]:
    """Post every request, as fast as they are acknowledged or, with `rate`, that many a second (offered load);
    returns (user, start, acknowledged) per request and the time posting took."""
    done: list[tuple[str, float, float]] = []
    queue = iter(enumerate(requests))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as client:

        async def worker() -> None:
            for index, (user, body, headers) in queue:
                if rate:
                    await asyncio.sleep(max(0.0, began + index / rate - time.monotonic()))
                start = time.monotonic()
                async with client.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"{url} answered {response.status}")
                done.append((user, start, time.monotonic()))

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done, time.monotonic() - began


def cpu_s(pid: int) -> float:
    """CPU seconds (user and system) used so far by a process and its descendants (Linux `/proc`): a figure that a
    shared machine's load disturbs far less than a rate."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(server: str, url: str, stub: str, requests: list[Request], concurrency: int,
            timeout: float, rate: float = 0, *pids: int) -> Result:
    httpx.get(f"{stub}/_answers")  # forget anything from start-up
    cpu_before = sum(map(cpu_s, pids))
    posted, elapsed = asyncio.run(post_all(url, requests, concurrency, rate))
    answers: list[tuple[float, str, str]] = []
    deadline = time.monotonic() + timeout
    while len(answers) < len(requests) and time.monotonic() < deadline:
        time.sleep(0.2)
        answers += taken(stub)
    time.sleep(0.5)  # answers beyond one per event (there should be none) are counted too
    answers += taken(stub)

    sent: dict[str, list[float]] = {}
    for user, start, _ in sorted(posted, key=lambda p: p[1]):
        sent.setdefault(user, []).append(start)
    answered_at: dict[str, list[float]] = {}
    by_endpoint: dict[str, int] = {}
    for at, endpoint, user in answers:
        answered_at.setdefault(user, []).append(at)
        by_endpoint[endpoint] = by_endpoint.get(endpoint, 0) + 1
    answer_ms = [(at - start) * 1000 for user, starts in sent.items()
                 for start, at in zip(starts, sorted(answered_at.get(user, [])), strict=False)]
    first = min(start for _, start, _ in posted)
    last = max((at for at, _, _ in answers), default=first)
    cpu_ms = (sum(map(cpu_s, pids)) - cpu_before) * 1000 / len(posted)  # includes the half second of idle waiting above
    return Result(server=server, events=len(posted), ack_per_s=len(posted) / elapsed, cpu_ms=cpu_ms,
                  ack_ms=[(acked - start) * 1000 for _, start, acked in posted], answered=len(answer_ms),
                  answered_per_s=len(answer_ms) / max(last - first, 1e-9), answer_ms=answer_ms,
                  by_endpoint=by_endpoint)


def taken(stub: str) -> list[tuple[float, str, str]]:
    """The answers the stub noted since last asked: (time, endpoint, user)."""
    return [(float(at), str(endpoint), str(user)) for at, endpoint, user in httpx.get(f"{stub}/_answers").json()]


def pct(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[p - 1]


def ensure_peers_venv() -> Path:
    python = PEERS_VENV / "bin/python"
    if not python.exists():
        print(f"making {PEERS_VENV} for the peers …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args!r} exited during start-up")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{proc.args!r} did not start")


@contextmanager
def running(args: list[str], env: dict[str, str], probe: str, cwd: Path) -> Iterator[int]:
    """The process started (its pid), stopped on leaving."""
    proc = subprocess.Popen(args, env=env, cwd=cwd)
    try:
        if probe:
            wait_until_up(probe, proc)
        else:  # a worker serves nothing to probe: it is up once it has stayed up for a while
            time.sleep(3)
            if proc.poll() is not None:
                raise SystemExit(f"{proc.args!r} exited during start-up")
        yield proc.pid
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl-C: a profiler in --wrap writes its file
        proc.wait(timeout=60)


def measure_coordbot(name: str, coordbot: list[str], env: dict[str, str], stub: str, line_bodies: list[Request],
                     telegram_bodies: list[Request], args: argparse.Namespace, workdir: Path) -> dict[str, Result]:
    """One `coordbot serve` process on a fresh SQLite file: the LINE bodies, then the Telegram ones."""
    workdir.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = [*coordbot, "serve", "--port", str(port), "--log-level", "warning"]
    with running(serve, {**env, "COORDBOT_DATABASE_URL": f"sqlite:///{workdir}/e2e.db"}, f"{base}/healthz",
                 workdir) as pid:
        return {
            f"{name} line": measure(f"{name} serve, LINE (LINE_RATE_PER_S={args.line_rate})",
                                    f"{base}/webhooks/line", stub, line_bodies, args.concurrency, args.timeout,
                                    args.rate, pid),
            f"{name} tg": measure(f"{name} serve, Telegram (TELEGRAM_RATE_PER_S=1000)",
                                  f"{base}/webhooks/telegram", stub, telegram_bodies, args.concurrency, args.timeout,
                                  args.rate, pid),
        }


def measure_scaled(coordbot: list[str], env: dict[str, str], stub: str, line_bodies: list[Request],
                   telegram_bodies: list[Request], args: argparse.Namespace, workdir: Path) -> dict[str, Result]:
    """`coordbot serve` acknowledging only, and `--workers` `coordbot work` processes handling and sending, on a
    fresh PostgreSQL database: the README's scale-out, measured like one process."""
    workdir.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    name = f"coordbot PostgreSQL, serve + {args.workers} work"
    with scratch_database(args.pg, workdir, "e2e") as url, ExitStack() as stack:
        env = {**env, "COORDBOT_DATABASE_URL": url}
        pids = [stack.enter_context(running(
            [*coordbot, "serve", "--port", str(port), "--log-level", "warning"],
            {**env, "COORDBOT_BACKGROUND_WORKERS": "false"}, f"{base}/healthz", workdir))]
        for _ in range(args.workers):
            pids.append(stack.enter_context(running([*coordbot, "work", "--log-level", "warning"], env, "", workdir)))
        return {
            "scaled line": measure(f"{name}, LINE", f"{base}/webhooks/line", stub, line_bodies, args.concurrency,
                                   args.timeout, args.rate, *pids),
            "scaled tg": measure(f"{name}, Telegram", f"{base}/webhooks/telegram", stub, telegram_bodies,
                                 args.concurrency, args.timeout, args.rate, *pids),
        }


def machine_speed_s() -> float:
    """A plain Python loop of 10M additions: how fast this machine runs Python right now."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0,
                        help="events offered a second (e.g. 200 for the p99 target); default: as fast as acknowledged")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the last answers")
    parser.add_argument("--coordbot-only", action="store_true", help="skip the peers (profiling)")
    parser.add_argument("--line-rate", default="2000",
                        help="coordbot's LINE_RATE_PER_S (LINE allows 2,000 replies and pushes a second; the setting's "
                             "default, 100, would measure the pacing)")
    parser.add_argument("--compare-with", metavar="DIR",
                        help="also run coordbot from another checkout's source first (e.g. main's, `git archive`d)")
    parser.add_argument("--pg", metavar="URL", help="also run the scale-out on this PostgreSQL server (a database of "
                        "its own is made and dropped), e.g. postgresql://root@127.0.0.1:5432/test")
    parser.add_argument("--workers", type=int, default=2, help="`coordbot work` processes beside serve with --pg")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure everything this many times, coordbot first every other round; the last line "
                             "gives the medians (a shared machine's speed drifts within one run)")
    parser.add_argument("--wrap", default="", help="a command line that runs coordbot, e.g. 'py-spy record -o x --'")
    args = parser.parse_args()

    print(f"machine: 10M-addition loop {machine_speed_s():.2f} s; "
          f"{subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    state = emulator_state()
    workdir = Path(tempfile.mkdtemp(prefix="coordbot-e2e-"))
    stub_port = free_port()
    stub = f"http://127.0.0.1:{stub_port}"
    env = apis_env(state, f"{stub}/line", f"{stub}/telegram/bot")
    line_bodies = line_requests(state, args.events, args.users)
    telegram_bodies = telegram_requests(state, args.events, args.users)
    rounds: list[dict[str, Result]] = []
    try:
        with running([sys.executable, str(BENCH / "stub.py"), str(stub_port)], env, f"{stub}/_answers", workdir):
            for index in range(args.rounds):
                # Every other round coordbot goes first: a machine that speeds up or slows down during the run
                # then favours neither side.
                rounds.append(one_round(stub, env, line_bodies, telegram_bodies, args, workdir / f"round-{index}",
                                        coordbot_first=index % 2 == 1))
                print_round(rounds[-1], index if args.rounds > 1 else None)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_summary(rounds)


def one_round(stub: str, env: dict[str, str], line_bodies: list[Request], telegram_bodies: list[Request],
              args: argparse.Namespace, workdir: Path, coordbot_first: bool) -> dict[str, Result]:
    """The peers and coordbot (and what --compare-with and --pg add) measured once each."""
    workdir.mkdir()
    results: dict[str, Result] = {}

    def peers() -> None:
        if args.coordbot_only:
            return
        python = ensure_peers_venv()
        port = free_port()
        with running([str(python), "-m", "uvicorn", "line_echo:app", "--port", str(port), "--log-level", "warning",
                      "--no-access-log"], env, f"http://127.0.0.1:{port}/healthz", BENCH / "peers") as pid:
            results["line peer"] = measure("line-bot-sdk FastAPI echo", f"http://127.0.0.1:{port}/callback", stub,
                                           line_bodies, args.concurrency, args.timeout, args.rate, pid)
        port = free_port()
        with running([str(python), "telegram_echo.py", str(port)], env, f"http://127.0.0.1:{port}/",
                     BENCH / "peers") as pid:
            results["tg peer"] = measure("python-telegram-bot run_webhook echo", f"http://127.0.0.1:{port}/telegram",
                                         stub, telegram_bodies, args.concurrency, args.timeout, args.rate, pid)

    def coordbot() -> None:
        coordbot_env = {**env, "TELEGRAM_RATE_PER_S": "1000", "LINE_RATE_PER_S": args.line_rate}
        if args.compare_with:  # the same service from another checkout, on this venv's packages
            source = str(Path(args.compare_with).resolve())
            results.update(measure_coordbot(
                f"coordbot {Path(source).name}", [sys.executable, "-c", "import sys; from bot.cli import main; "
                                                   "sys.exit(main())"], {**coordbot_env, "PYTHONPATH": source},
                stub, line_bodies, telegram_bodies, args, workdir / "compared"))
        results.update(measure_coordbot("coordbot", [*args.wrap.split(), str(ROOT / ".venv/bin/coordbot")],
                                        coordbot_env, stub, line_bodies, telegram_bodies, args, workdir / "this"))
        if args.pg:
            results.update(measure_scaled([str(ROOT / ".venv/bin/coordbot")], coordbot_env, stub, line_bodies,
                                          telegram_bodies, args, workdir / "scaled"))

    for part in (coordbot, peers) if coordbot_first else (peers, coordbot):
        part()
    return results


def ratios(results: dict[str, Result], name: str = "coordbot") -> tuple[float, float]:
    """A coordbot's (this one's, or --compare-with's) answered/s over each peer's (LINE, Telegram); nan without
    the peers."""
    line_peer, tg_peer = results.get("line peer"), results.get("tg peer")
    return (results[f"{name} line"].answered_per_s / line_peer.answered_per_s if line_peer else float("nan"),
            results[f"{name} tg"].answered_per_s / tg_peer.answered_per_s if tg_peer else float("nan"))


def print_round(results: dict[str, Result], index: int | None) -> None:
    if index is not None:
        print(f"round {index + 1}")
    print(f"{'server':<58}{'ack/s':>8}{'ack p50':>9}{'ack p99':>9}{'answered':>9}{'ans/s':>8}"
          f"{'ans p50':>9}{'ans p99':>9}{'cpu/ev':>8}  answers by endpoint")
    for r in results.values():
        print(f"{r.server:<58}{r.ack_per_s:>8.0f}{pct(r.ack_ms, 50):>9.1f}{pct(r.ack_ms, 99):>9.1f}"
              f"{r.answered:>9}{r.answered_per_s:>8.0f}{pct(r.answer_ms, 50):>9.0f}{pct(r.answer_ms, 99):>9.0f}"
              f"{r.cpu_ms:>8.2f}  {r.by_endpoint}")
    print("(latencies in ms; an answer's from the start of its webhook's POST to its arrival at the stub; cpu/ev: the "
          "server's CPU ms per event)")
    line, tg = results["coordbot line"], results["coordbot tg"]
    line_peer, tg_peer = results.get("line peer"), results.get("tg peer")
    for name in [key.removesuffix(" line") for key in results if key.endswith(" line") and key != "coordbot line"]:
        if line_peer and tg_peer:
            compared_line, compared_tg = ratios(results, name)
            print(f"{name}/peers: answered/s {compared_line:.2f} (LINE), {compared_tg:.2f} (Telegram)")
    ratio_line, ratio_tg = ratios(results)
    print(f"coordbot/line peer: answered/s {ratio_line:.2f}, acknowledged/s "
          f"{line.ack_per_s / line_peer.ack_per_s if line_peer else float('nan'):.2f}")
    print(f"coordbot/tg peer:   answered/s {ratio_tg:.2f}, acknowledged/s "
          f"{tg.ack_per_s / tg_peer.ack_per_s if tg_peer else float('nan'):.2f}")
    if "scaled line" in results:
        print(f"scale-out/one SQLite process: answered/s "
              f"{results['scaled line'].answered_per_s / line.answered_per_s:.2f} (LINE), "
              f"{results['scaled tg'].answered_per_s / tg.answered_per_s:.2f} (Telegram)")


def print_summary(rounds: list[dict[str, Result]]) -> None:
    """The last line: with several rounds, the medians of answered/s and of the rounds' own ratios, the worst p99
    and the lowest fresh-reply share."""

    def median(key: str) -> float:
        values = [r[key].answered_per_s for r in rounds if key in r]
        return statistics.median(values) if values else float("nan")

    per_round = [ratios(r) for r in rounds]
    ratio_line = statistics.median(line for line, _ in per_round)
    ratio_tg = statistics.median(tg for _, tg in per_round)
    p99 = max(max(pct(r["coordbot line"].answer_ms, 99), pct(r["coordbot tg"].answer_ms, 99)) for r in rounds)
    fresh = min(fresh_reply_share(r["coordbot line"]) for r in rounds)
    if len(rounds) > 1:
        print("ratios by round: " + ", ".join(f"{line:.2f}/{tg:.2f}" for line, tg in per_round) + " (LINE/Telegram)")
    print(f"e2e coordbot_answered_per_s={median('coordbot line'):.0f} "
          f"line_peer_answered_per_s={median('line peer'):.0f} tg_peer_answered_per_s={median('tg peer'):.0f} "
          f"ratio_line={ratio_line:.2f} ratio_tg={ratio_tg:.2f} p99_answer_ms={p99:.0f} fresh_reply_share={fresh:.3f}")


def fresh_reply_share(line: Result) -> float:
    """Of coordbot's LINE answers, the share sent with the (free) reply token rather than pushed."""
    replies, pushes = line.by_endpoint.get("reply", 0), line.by_endpoint.get("push", 0)
    return replies / (replies + pushes) if replies + pushes else float("nan")


if __name__ == "__main__":
    main()
