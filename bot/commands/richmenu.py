"""`coordbot richmenu sync|draw`: the LINE rich menus and Telegram command lists, from the layout in `bot.menus`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from bot import menus
from bot.commands import Add, Subparsers, with_database
from bot.config import Settings


@with_database
def cmd_sync(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    from bot.app import adapters_for

    adapters = adapters_for(settings)
    if not adapters:
        print("no LINE or Telegram credentials are set", file=sys.stderr)
        return 2

    async def run() -> list[str]:
        for adapter in adapters.values():
            await adapter.start()
        try:
            return await menus.sync(engine, adapters)
        finally:
            for adapter in adapters.values():
                await adapter.stop()

    changes = asyncio.run(run())
    print("\n".join(changes) if changes else "the menus are up to date")
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    from bot.menu_images import draw

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for menu in menus.all_menus():
        for page in menu.pages:
            (out / f"{page.key}.png").write_bytes(draw(page))
            print(out / f"{page.key}.png")
    return 0


def register(sub: Subparsers, add: Add) -> None:
    richmenu = add("richmenu", lambda a: 2, "LINE rich menus and Telegram command lists per role and language")
    actions = richmenu.add_subparsers(dest="action", required=True)
    add("sync", cmd_sync, "validate and create missing menus, replace changed ones, delete stale ones, set the "
        "guests' default and link everyone to their role's menu (safe to run twice)", actions)
    draw = add("draw", cmd_draw, "write the menu images as PNG files (the README shows them)", actions)
    draw.add_argument("--out", default="docs/richmenu")
