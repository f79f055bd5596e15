"""A web server that only acknowledges, and a `coordbot work`-style worker beside it that answers."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from sqlmodel import Session

from bot.app import create_app
from bot.config import Settings
from bot.outbox import Claimed, Outbox
from tests.helpers import Clock, Phones, eventually


async def test_a_separate_worker_answers_what_a_web_only_server_stored(
    phones: Phones, settings: Settings, clock: Clock
) -> None:
    phone = phones.telegram(7)
    response = await phone.post(phone.event_for_text("/help"))
    assert response.status_code == 200
    assert phone.screen == []  # the web-only server stored it and did not answer

    worker = create_app(settings.model_copy(update={"background_workers": True}), clock=clock)
    async with worker.router.lifespan_context(worker):
        await eventually(lambda: phone.screen, seconds=30)
    assert len(phone.screen) == 1
    assert "/help" in phone.screen[0].text


async def test_an_answer_is_taken_for_sending_in_its_handling_transaction_and_a_chat_s_answers_keep_their_order(
    phones: Phones, settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No claim round trip between handling and sending: the worker claims its answers before it commits and sends
    them at once; a chat's next answer, written while the first was being sent, follows it."""
    claims: list[tuple[bool, list[str]]] = []
    claim = Outbox.claim

    def recorded(self: Outbox, session: Session, keys: Collection[str] | None = None) -> Claimed:
        claimed = claim(self, session, keys)
        claims.append((keys is not None, [row.key for row in claimed.rows]))
        return claimed

    monkeypatch.setattr(Outbox, "claim", recorded)
    line, telegram = phones.line(1), phones.telegram(2)
    worker = create_app(settings.model_copy(update={"background_workers": True}), clock=clock)
    async with worker.router.lifespan_context(worker):
        for text in ("/help", "/start", "/help"):
            for phone in (line, telegram):
                assert (await phone.post(phone.event_for_text(text))).status_code == 200
        await eventually(lambda: len(line.screen) >= 3 and len(telegram.screen) >= 3, seconds=30)
    for phone in (line, telegram):
        assert len(phone.screen) == 3
        assert "/help" in phone.screen[0].text and "/help" in phone.screen[2].text
    handed = [key for with_keys, keys in claims if with_keys for key in keys]
    found = [key for with_keys, keys in claims if not with_keys for key in keys]
    assert handed and len(handed) + len(found) == 6 and len(set(handed + found)) == 6
