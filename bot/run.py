"""`coordbot serve`, `coordbot work` and `coordbot emulator`: the long-running processes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

import uvicorn
from pydantic import SecretStr

from bot.app import create_app
from bot.config import Settings
from bot.emulator import EmulatorServer, EmulatorState, serve_emulator
from storage.db import make_engine
from storage.demo import PERSONAS, seed_all
from storage.migrations import upgrade

log = logging.getLogger("coordbot")

DEMO_CREDENTIALS = {
    "line_channel_secret": "demo-line-channel-secret",
    "line_channel_access_token": "demo-line-access-token",
    "telegram_bot_token": "123456789:DEMO-telegram-bot-token",
    "telegram_webhook_secret": "demo-telegram-webhook-secret",
}

BANNER = """
************************************************************************
  DEMO MODE: no LINE or Telegram credentials were given.
  coordbot talks to its built-in platform emulator at {emulator}
  Nothing reaches real users. Talk to it with:
      .venv/bin/coordbot chat --as coord-cmi
  Set LINE_* / TELEGRAM_* in .env to serve the real platforms.
************************************************************************
"""


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


def cmd_serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings(demo=True) if args.demo else Settings()
    emulator: EmulatorServer | None = None
    if not settings.line_enabled and not settings.telegram_enabled:
        service_url = f"http://{args.host}:{args.port}"
        emulator = EmulatorServer(demo_state(service_url), port=args.emulator_port)
        emulator.start()
        settings = settings.model_copy(update={
            **{name: SecretStr(value) for name, value in DEMO_CREDENTIALS.items()},
            "line_api_base_url": emulator.line_base_url,
            "line_data_api_base_url": emulator.line_data_base_url,
            "telegram_api_base_url": emulator.telegram_base_url,
            "demo": True,
        })
        log.warning(BANNER.format(emulator=emulator.url))
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if settings.demo:
        engine = make_engine(settings.database_url)
        upgrade(engine)
        log.info("demo data: %s", seed_all(engine))
        engine.dispose()
    try:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    finally:
        if emulator is not None:
            emulator.stop()
    return 0


def cmd_work(args: argparse.Namespace) -> int:
    """Handle stored events, send the outbox and run the scheduler, without serving HTTP.

    Beside web servers started with COORDBOT_BACKGROUND_WORKERS=false this puts acknowledging webhooks and
    handling them on different cores.
    """
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings().model_copy(update={"background_workers": True})
    asyncio.run(_work(settings))
    return 0


async def _work(settings: Settings) -> None:
    app = create_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with app.router.lifespan_context(app):
        log.info("worker running: inbox, outbox and scheduler")
        await stop.wait()


def cmd_emulator(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO)
    serve_emulator(args.host, args.port, demo_state(args.service_url))
    return 0
