"""One person cannot starve the others: fair turns across senders, each sender's order kept, a per-person rate
limit that asks a flooder once to slow down and keeps the excess as throttled."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from bot.cli import main
from bot.config import Settings
from bot.emulator import events as ev
from bot.service import Service
from storage.db import make_engine, transaction, utcnow
from storage.inbox import claim_next, store_events, throttled
from storage.migrations import upgrade
from storage.models import InboxEvent, InboxStatus
from tests.conftest import PG_URL
from tests.helpers import Clock, Phone, Phones, _ids

SLOW_DOWN_TH = "ข้อความเข้ามาเร็วเกินไป"
SLOW_DOWN_EN = "You are sending messages too fast"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shipped limits (the shared fixture lifts them for conversations at a frozen instant)."""
    return settings.model_copy(update={name: Settings.model_fields[name].default
                                       for name in ("user_burst", "user_rate_per_min")})


async def flood(phone: Phone, n: int) -> None:
    """Deliver `n` messages without handling any yet, as a burst faster than the worker."""
    for _ in range(n):
        response = await phone.post(phone.event_for_text("/help"))
        assert response.status_code == 200


def rows_of(service: Service, phone: Phone) -> list[InboxEvent]:
    with Session(service.engine) as session:
        return list(session.exec(select(InboxEvent).where(InboxEvent.sender == phone.user_id)
                                 .order_by(col(InboxEvent.id))))


async def step(service: Service) -> None:
    """Handle one event and send what it answered."""
    assert service.handle_next()
    await service.outbox.dispatch_due()


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_anothers_help_is_answered_after_at_most_one_of_a_flooders_200_events(
    phones: Phones, service: Service, platform: str
) -> None:
    flooder, other = (phones.line(1), phones.line(2)) if platform == "line" else \
        (phones.telegram(1), phones.telegram(2))
    await flood(flooder, 200)
    await other.post(other.event_for_text("/help"))

    while not other.screen:
        await step(service)
    handled_first = [row for row in rows_of(service, flooder) if row.status != InboxStatus.pending]
    assert len(handled_first) <= 1
    assert "/help" in other.screen[0].text


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_flooder_is_asked_once_to_slow_down_and_the_rest_is_kept_as_throttled(
    phones: Phones, service: Service, platform: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    flooder = phones.line(1) if platform == "line" else phones.telegram(1)
    await flood(flooder, 200)
    await flooder.settle()

    burst = Settings.model_fields["user_burst"].default
    answers = flooder.texts
    assert len(answers) == burst + 1
    assert all("/help" in text for text in answers[:burst])
    assert SLOW_DOWN_TH in answers[burst]
    statuses = [row.status for row in rows_of(service, flooder)]
    assert statuses == [InboxStatus.done] * burst + [InboxStatus.throttled] * (200 - burst)

    with transaction(service.engine) as session:
        count, latest = throttled(session=session, limit=3)
    assert count == 200 - burst and [row.sender for row in latest] == [flooder.user_id] * 3
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    assert main(["inbox", "throttled", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{200 - burst} events over their sender's rate limit (kept, not handled)"
    assert len(out) == 3 and all(flooder.user_id in line for line in out[1:])


async def test_the_slow_down_is_in_the_senders_language_and_the_bucket_refills(
    phones: Phones, clock: Clock
) -> None:
    flooder = phones.telegram(3)

    async def say_in_english() -> list[str]:
        event = ev.tg_message_update(int(flooder.user_id), "/help", update_id=next(_ids), language_code="en")
        return [r.text for r in await flooder.send(event)]

    burst = Settings.model_fields["user_burst"].default
    answers = []
    for _ in range(burst + 3):
        answers += await say_in_english()
    assert len(answers) == burst + 1 and answers[-1].startswith(SLOW_DOWN_EN)

    clock.advance(seconds=10)  # 30 a minute: five tokens back, spent on answers; the same flood goes on
    for _ in range(5):
        assert "/help" in (await say_in_english())[0]
    assert await say_in_english() == []

    clock.advance(seconds=40)  # quiet until the bucket is full: a later flood is asked again, once
    for _ in range(burst):
        assert "/help" in (await say_in_english())[0]
    assert (await say_in_english())[0].startswith(SLOW_DOWN_EN)
    assert await say_in_english() == []


async def test_each_persons_events_are_handled_in_the_order_they_were_sent(phones: Phones, service: Service) -> None:
    first, second = phones.line(1), phones.telegram(2)
    await flood(first, 30)
    await flood(second, 5)
    await flood(first, 10)
    steps = 0
    while service.handle_next():
        steps += 1
        for phone in (first, second):
            handled = [row.status != InboxStatus.pending for row in rows_of(service, phone)]
            assert handled == sorted(handled, reverse=True), f"{phone.platform} out of order at step {steps}"
    assert steps == 45


def test_two_workers_never_handle_two_events_of_one_person_at_once(database_url: str) -> None:
    """On PostgreSQL several `coordbot work` processes claim at once; SQLite has one writer, so one worker."""
    if not PG_URL:
        pytest.skip("parallel claims need PostgreSQL (COORDBOT_TEST_DATABASE_URL)")
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        store_events(conn, platform="line", now=utcnow(),
                     events=[("a1", "Ua", {}), ("a2", "Ua", {}), ("b1", "Ub", {})])
    with Session(engine) as one, Session(engine) as two, Session(engine) as three:
        claimed = [claim_next(session=session) for session in (one, two, three)]
        assert [row.event_id if row else None for row in claimed] == ["a1", "b1", None]
    engine.dispose()
