"""`coordbot serve`, `coordbot work` and `coordbot emulator`: the long-running processes.

The service itself (`bot.app`, with both platform SDKs) is imported only once the settings have passed their
checks: a start refused for its settings says why in under two seconds here, not after six.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import ipaddress
import logging
import signal
from typing import Any

import uvicorn
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from uvicorn.config import LOGGING_CONFIG

from bot.commands import Add, Subparsers
from bot.config import PLACEHOLDER, ConfigError, Settings, load_settings
from bot.emulator import EmulatorServer, EmulatorState, serve_emulator
from bot.logs import setup_logging
from storage.db import make_engine
from storage.demo import PERSONAS, demo_people, seed_all
from storage.migrations import upgrade

log = logging.getLogger("coordbot")

DEFAULT_EMULATOR_PORT = 8081

DEMO_CREDENTIALS = {
    "line_channel_secret": "demo-line-channel-secret",
    "line_channel_access_token": "demo-line-access-token",
    "telegram_bot_token": "123456789:DEMO-telegram-bot-token",
    "telegram_webhook_secret": "demo-telegram-webhook-secret",
}

BANNER = """
************************************************************************
  DEMO MODE: demo people and data, and the public demo credentials.
  {listening}
  coordbot talks to its built-in platform emulator at {emulator}
  Nothing reaches real users. Talk to it with:
      .venv/bin/coordbot chat --as coord-cmi{emulator_option}
  To serve the real platforms, set LINE_* / TELEGRAM_* in .env and start
  without --demo, on a database without the demo people.
************************************************************************
"""
LOOPBACK = "Listening on loopback only: {url} (this machine alone can reach it)."
NOT_LOOPBACK = ("Listening on {url}, NOT loopback: anyone who can reach it can sign webhooks\n"
                "  with the public demo secrets and act as the demo admin.")

NOTHING_TO_SERVE = """no LINE or Telegram credentials are set, so there is nothing to serve.
  To try the demo (built-in emulator and demo data, on this machine only):
      make run     (or: .venv/bin/coordbot serve --demo, or COORDBOT_DEMO=true)
  To serve the real platforms, copy .env.example to .env (or set the environment):
      LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN  (LINE Developers console, Messaging API channel)
      TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET     (@BotFather; the secret is yours to choose)"""
HALF_GIVEN = ("{given} is set but {missing} is not; a platform's credentials work only together "
              "(see .env.example). Set both, or neither to leave that platform off.")
REAL_IN_DEMO = ("demo mode (--demo or COORDBOT_DEMO=true) with real credentials: {names}. The demo talks only to its "
                "emulator with the public demo credentials; remove these from .env and the environment, or start "
                "without --demo to serve the real platforms.")
DEMO_DATABASE = ("the database {url} holds {count} demo people, whose credentials are public (seeded by make run, "
                 "coordbot serve --demo or coordbot seed-demo). Serve the real platforms from another database: "
                 "set COORDBOT_DATABASE_URL{or_delete}.")
DEMO_WORKER = ("demo mode (COORDBOT_DEMO=true): the demo handles events inside `coordbot serve --demo` (make run); "
               "`coordbot work` serves the real platforms only.")


def demo_state(service_url: str) -> EmulatorState:
    """An emulator that expects the demo credentials, posts user events to the service, and knows the demo
    people's phones (as if each had added the bot), so announcements and reminders reach them on both platforms."""
    state = EmulatorState(
        line_channel_secret=DEMO_CREDENTIALS["line_channel_secret"],
        line_access_token=DEMO_CREDENTIALS["line_channel_access_token"],
        telegram_token=DEMO_CREDENTIALS["telegram_bot_token"],
        telegram_secret_token=DEMO_CREDENTIALS["telegram_webhook_secret"],
        line_webhook_url=service_url.rstrip("/") + "/webhooks/line",
        telegram_webhook_url=service_url.rstrip("/") + "/webhooks/telegram",
    )
    for person in PERSONAS:
        state.add_user("line", person.line_user_id, person.name)
        state.add_user("telegram", person.telegram_id, person.name)
    return state


def check_demo(settings: Settings) -> None:
    """The demo runs only on the public demo credentials (or none): real ones would reach real people."""
    real = [name.upper() for name, demo_value in DEMO_CREDENTIALS.items()
            if getattr(settings, name).get_secret_value() not in ("", PLACEHOLDER, demo_value)]
    if real:
        raise ConfigError(REAL_IN_DEMO.format(names=", ".join(real)))


def check_real(settings: Settings) -> None:
    """Outside demo mode: whole credentials for at least one platform, and a database without the demo people."""
    half = [HALF_GIVEN.format(given=given, missing=missing) for given, missing in settings.half_given()]
    if half:
        raise ConfigError(" ".join(half))
    if not settings.line_enabled and not settings.telegram_enabled:
        raise ConfigError(NOTHING_TO_SERVE)
    engine = _engine(settings)
    try:
        count = demo_people(engine)
    finally:
        engine.dispose()
    if count:
        path = settings.sqlite_path()
        raise ConfigError(DEMO_DATABASE.format(url=engine.url, count=count,
                                               or_delete=f", or delete {path} to start afresh" if path else ""))


def _engine(settings: Settings) -> Engine:
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.database_url)


def served_url(host: str, port: int) -> str:
    """Where this machine reaches the service: calendar, QR and export links follow the port actually served when
    COORDBOT_PUBLIC_URL is not set (an "all addresses" host is reached on loopback)."""
    reach = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{reach}]:{port}" if ":" in reach else f"http://{reach}:{port}"


def _uvicorn_logging(settings: Settings) -> dict[str, Any] | None:
    """Uvicorn's own text handlers, or in JSON mode none: its records then go to our JSON handler."""
    return None if settings.log_format == "json" else LOGGING_CONFIG


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


YOUNG_COLLECTED_EVERY = 10_000
"""Net allocations between collections of the garbage collector's youngest generation (Python's default: 700)."""


def settle_heap() -> None:
    """The garbage collector set for a server, once start-up is done: the ~300,000 objects it made (modules, the
    SDKs' classes, the app) move to the permanent generation, which collections no longer walk, and the youngest
    generation is collected every `YOUNG_COLLECTED_EVERY` net allocations. Under load, collections took 15 % of
    `coordbot serve`'s CPU, most of it full ones walking objects that live as long as the process; reference
    counting frees almost everything else, so the rare cycles wait a little longer (bench/e2e.py)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTED_EVERY, middle, old)


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    """The web service in this process, until it is stopped (the real one and the demo alike)."""
    from bot.app import create_app
    uvicorn.run(create_app(settings, started=settle_heap), host=args.host, port=args.port, log_level=args.log_level,
                log_config=_uvicorn_logging(settings))


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings(demo=True) if args.demo else load_settings()
    setup_logging(args.log_level, settings.log_format)
    if not settings.demo:
        check_real(settings)
        _serve(settings, args)
        return 0
    check_demo(settings)
    url = served_url(args.host, args.port)
    emulator = EmulatorServer(demo_state(url), port=args.emulator_port)
    emulator.start()
    try:
        settings = settings.model_copy(update={
            **{name: SecretStr(value) for name, value in DEMO_CREDENTIALS.items()},
            "line_api_base_url": emulator.line_base_url,
            "line_data_api_base_url": emulator.line_data_base_url,
            "telegram_api_base_url": emulator.telegram_base_url,
            **({} if "public_url" in settings.model_fields_set else {"public_url": url}),
        })
        engine = _engine(settings)
        upgrade(engine)
        log.info("demo data: %s", seed_all(engine))
        engine.dispose()
        listening = (LOOPBACK if _is_loopback(args.host) else NOT_LOOPBACK).format(url=url)
        option = "" if args.emulator_port == DEFAULT_EMULATOR_PORT else f" --emulator {emulator.url}"
        log.warning(BANNER.format(listening=listening, emulator=emulator.url, emulator_option=option))
        _serve(settings, args)
    finally:
        emulator.stop()
    return 0


def cmd_work(args: argparse.Namespace) -> int:
    """Handle stored events, send the outbox and run the scheduler, without serving HTTP.

    Beside web servers started with COORDBOT_BACKGROUND_WORKERS=false this puts acknowledging webhooks and
    handling them on different cores.
    """
    settings = load_settings(background_workers=True)
    setup_logging(args.log_level, settings.log_format)
    if settings.demo:
        raise ConfigError(DEMO_WORKER)
    check_real(settings)
    asyncio.run(_work(settings))
    return 0


async def _work(settings: Settings) -> None:
    from bot.app import create_app
    app = create_app(settings, started=settle_heap)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with app.router.lifespan_context(app):
        log.info("worker running: inbox, outbox and scheduler")
        await stop.wait()


def cmd_emulator(args: argparse.Namespace) -> int:
    setup_logging("info")
    serve_emulator(args.host, args.port, demo_state(args.service_url))
    return 0


def register(sub: Subparsers, add: Add) -> None:
    serve = add("serve", cmd_serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true",
                       help="the demo: built-in emulator, demo people and data (also COORDBOT_DEMO=true)")
    serve.add_argument("--emulator-port", type=int, default=DEFAULT_EMULATOR_PORT)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    work = add("work", cmd_work)
    work.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    emu = add("emulator", cmd_emulator)
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--port", type=int, default=DEFAULT_EMULATOR_PORT)
    emu.add_argument("--service-url", default="http://127.0.0.1:8000", help="where to post user events")
