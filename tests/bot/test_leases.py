"""Leases: a row that waits long for the rate limiter is still its dispatcher's. Another process's recovery takes
back only the rows of a process that died; otherwise an announcement's Telegram rows (sent again when their
outcome is unknown) reached people twice."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.app import adapters_for, outbox_rules, routes
from bot.config import Settings
from bot.emulator import EmulatorServer
from bot.messages import Reply
from bot.service import Service
from storage.db import make_engine, transaction, utcnow
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import enqueue
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="on SQLite one process sends, and takes back all at start")

CHATS = 24
TEXT = "ประกาศ: ประชุมเครือข่าย"


async def test_telegram_rows_waiting_for_the_rate_limiter_past_their_lease_are_never_sent_twice(
    settings: Settings, emulator: EmulatorServer
) -> None:
    # 24 chats at 4 messages a second take 6 s; the lease is 3 s (3 x the send timeout).
    settings = settings.model_copy(update={"telegram_rate_per_s": 4.0, "send_timeout_s": 1.0})
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        for n in range(CHATS):
            chat = str(5_000_000 + n)
            emulator.state.add_user("telegram", chat)
            enqueue(session=session, key=f"broadcast:1:{chat}", platform="telegram", user_id=chat, chat_id=chat,
                    replies=[Reply(text=TEXT)], now=utcnow(), tag="broadcast:1")
    first, second = (Service(settings, engine, adapters_for(settings), routes(), rules=outbox_rules())
                     for _ in range(2))
    await first.start(background=True)
    await asyncio.sleep(0.5)  # the first process has claimed every row by now
    await second.start(background=True)  # a second process, whose recovery looks at the first one's rows
    try:
        for _ in range(600):  # at most a minute
            if not unsent(engine):
                break
            await asyncio.sleep(0.1)
    finally:
        await second.stop()
        await first.stop()
        engine.dispose()
    screens = [sum(TEXT in r.text for r in emulator.state.screen("telegram", str(5_000_000 + n)))
               for n in range(CHATS)]
    assert screens == [1] * CHATS


def unsent(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.sent)).one()
