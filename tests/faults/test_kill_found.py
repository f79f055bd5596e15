"""What the kill storm found, pinned by a plain test: a LINE reply delivered by a process that died before it
recorded so was, after the restart, refused its used reply token and pushed again: the answer twice. A reply
has no retry key, so the outbox now remembers that it tried the token: LINE refusing it within its lifetime
means the earlier reply went through."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.service import Service
from storage.models import OutboxMessage, OutboxStatus
from tests.helpers import Phones


async def test_a_line_reply_sent_by_a_process_that_died_before_recording_it_is_not_pushed_again(
    phones: Phones, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = phones.line()
    assert (await phone.post(phone.event_for_text("/help"))).status_code == 200

    async def died(*args: object, **kwargs: object) -> None:
        """The process is gone before the outcome is written."""

    with monkeypatch.context() as patched:
        patched.setattr(service.outbox, "_finish", died)
        await service.drain()
    answer = list(phone.texts)
    assert answer and [c.status for c in phones.state.calls("line", "reply")] == [200]

    service.outbox.recover(immediately=True)  # what the restarted process does first
    await service.drain()
    assert phone.texts == answer
    assert phones.state.calls("line", "push") == []
    with Session(service.engine) as session:
        assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.sent
