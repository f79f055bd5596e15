"""A web server that only acknowledges, and a `coordbot work`-style worker beside it that answers."""

from __future__ import annotations

import asyncio

from bot.app import create_app
from bot.config import Settings
from tests.helpers import Clock, Phones


async def test_a_separate_worker_answers_what_a_web_only_server_stored(
    phones: Phones, settings: Settings, clock: Clock
) -> None:
    phone = phones.telegram(7)
    response = await phone.post(phone.event_for_text("/help"))
    assert response.status_code == 200
    assert phone.screen == []  # the web-only server stored it and did not answer

    worker = create_app(settings.model_copy(update={"background_workers": True}), clock=clock)
    async with worker.router.lifespan_context(worker):
        for _ in range(100):
            if phone.screen:
                break
            await asyncio.sleep(0.05)
    assert len(phone.screen) == 1
    assert "/help" in phone.screen[0].text
