"""A crash can leave at most TELEGRAM_MAX_IN_FLIGHT Telegram sends of unknown outcome (Telegram has no retry key):
however far the database's commits lag behind the sends, no more rows than that are ever stored as started with
no outcome."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from bot.config import Settings
from bot.messages import Reply
from bot.service import Service
from storage.db import transaction
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import enqueue
from tests.helpers import Phones

IN_FLIGHT = 4


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"telegram_max_in_flight": IN_FLIGHT})


async def test_no_more_telegram_sends_than_the_slots_are_ever_stored_started_without_an_outcome(
    phones: Phones, service: Service, monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = [phones.telegram(n) for n in range(40)]
    with transaction(service.engine) as session:
        for phone in people:
            enqueue(session=session, key=f"test:{phone.user_id}", platform="telegram", user_id=phone.user_id,
                    chat_id=phone.user_id, replies=[Reply(text="ประชุมพรุ่งนี้")], now=service.clock())
    writes = service.outbox.writes
    commit = writes._commit
    unsettled: list[int] = []

    def lagging_commit(batch: list[Any]) -> list[Any]:
        """A database under load: each commit takes a while, so outcomes are written well after their sends."""
        time.sleep(0.005)
        results = commit(batch)
        with Session(service.engine) as session:
            unsettled.append(session.exec(select(func.count()).where(
                col(OutboxMessage.started_at).is_not(None), OutboxMessage.status == OutboxStatus.sending)).one())
        return results

    monkeypatch.setattr(writes, "_commit", lagging_commit)
    await service.drain()

    assert all(phone.texts == ["ประชุมพรุ่งนี้"] for phone in people)
    assert 1 < max(unsettled) <= IN_FLIGHT
