"""What the SDK made of a webhook while verifying it is used again when its events are handled in the same process;
an event handled where its webhook was not read (another process, or after a long backlog) is answered the same."""

from __future__ import annotations

import pytest

from bot import service as service_module
from bot.service import Service
from tests.helpers import Phones


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_message_is_answered_the_same_whether_or_not_this_process_read_its_webhook(
    phones: Phones, service: Service, platform: str
) -> None:
    here, elsewhere = (phones.line(1), phones.line(2)) if platform == "line" else (
        phones.telegram(1), phones.telegram(2))
    for phone in (here, elsewhere):
        await phone.send(phone.event_for_text("/help"))  # first contact: both are welcomed the same way

    assert (await here.post(here.event_for_text("/help"))).status_code == 200
    event = elsewhere.event_for_text("/help")
    assert (await elsewhere.post(event)).status_code == 200
    del service.read[(platform, str(event.get("webhookEventId") or event.get("update_id")))]  # read elsewhere
    assert len(service.read) == 1
    here_answer, elsewhere_answer = await here.settle(), await elsewhere.settle()

    assert [r.text for r in here_answer] == [r.text for r in elsewhere_answer]
    assert [r.buttons for r in here_answer] == [r.buttons for r in elsewhere_answer] != [[]]
    assert service.read == {}  # handling took what it used


async def test_a_process_that_only_acknowledges_keeps_a_bounded_number_of_read_events(
    phones: Phones, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_module, "READ_KEPT", 3)
    people = [phones.telegram(n) for n in range(1, 7)]
    for phone in people:
        assert (await phone.post(phone.event_for_text("/help"))).status_code == 200
    assert len(service.read) == 3

    await service.drain()  # the three forgotten are parsed again from what was stored
    assert all(phone.texts for phone in people)
