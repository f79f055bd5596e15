"""`coordbot telegram set-webhook`: tell Telegram where to deliver updates, with the secret it must echo."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy.engine import Engine

from bot.commands import Add, Subparsers, with_database
from bot.config import Settings
from bot.telegram import TelegramAdapter


@with_database
def cmd_telegram_set_webhook(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    if not settings.telegram_enabled or not settings.telegram_webhook_secret.get_secret_value():
        print("TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set", file=sys.stderr)
        return 2
    url = args.url or settings.public_url.rstrip("/") + "/webhooks/telegram"

    async def set_webhook() -> None:
        adapter = TelegramAdapter(settings)
        await adapter.start()
        try:
            await adapter.set_webhook(url)
        finally:
            await adapter.stop()

    asyncio.run(set_webhook())
    print(f"Telegram will deliver updates to {url}")
    return 0


def register(sub: Subparsers, add: Add) -> None:
    tg = add("telegram", lambda a: 2).add_subparsers(dest="action", required=True)
    hook = add("set-webhook", cmd_telegram_set_webhook, "register /webhooks/telegram with a secret token", tg)
    hook.add_argument("--url", help="defaults to COORDBOT_PUBLIC_URL + /webhooks/telegram")
