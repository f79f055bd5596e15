"""The outbox delivers every message once: through 429s, 5xx, blocked users, crashes and timeouts."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.emulator import events as ev
from bot.messages import Reply
from bot.service import Service
from storage.db import transaction
from storage.models import Account, OutboxMessage, OutboxStatus
from storage.outbox import enqueue
from tests.helpers import Phone, Phones


def push(service: Service, phone: Phone, text: str, key: str = "test:1", not_before: datetime | None = None) -> None:
    with transaction(service.engine) as session:
        enqueue(session=session, key=key, platform=phone.platform, user_id=phone.user_id, chat_id=phone.user_id,
                replies=[Reply(text=text)], now=service.clock(), not_before=not_before)


def row(service: Service, key: str = "test:1") -> OutboxMessage:
    with Session(service.engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).one()


async def test_the_same_idempotency_key_is_stored_and_sent_once(phones: Phones, service: Service) -> None:
    phone = phones.line()
    push(service, phone, "ประกาศ")
    push(service, phone, "ประกาศ")
    await service.drain()
    assert phone.texts == ["ประกาศ"]


async def test_telegram_429_waits_retry_after_then_delivers_once(phones: Phones, service: Service) -> None:
    phone = phones.telegram()
    phones.state.inject_fault("telegram", "sendMessage", status=429, count=1, retry_after=1)
    push(service, phone, "แจ้งเตือน")
    await service.drain()
    assert row(service).status == OutboxStatus.pending  # told to wait
    phones.clock.advance(seconds=2)
    await service.drain()
    assert phone.texts == ["แจ้งเตือน"]
    assert row(service).status == OutboxStatus.sent


async def test_line_429_backs_off_then_delivers_once(phones: Phones, service: Service) -> None:
    phone = phones.line()
    phones.state.inject_fault("line", "push", status=429, count=1)
    push(service, phone, "แจ้งเตือน")
    await service.drain()
    assert phone.texts == []
    phones.clock.advance(minutes=1)
    await service.drain()
    assert phone.texts == ["แจ้งเตือน"]


async def test_line_5xx_is_retried_with_the_same_retry_key(phones: Phones, service: Service) -> None:
    phone = phones.line()
    phones.state.inject_fault("line", "push", status=500, count=2)
    push(service, phone, "ข่าว")
    for _ in range(3):
        await service.drain()
        phones.clock.advance(minutes=5)
    assert phone.texts == ["ข่าว"]
    keys = {c.retry_key for c in phones.state.calls("line", "push")}
    assert len(keys) == 1


async def test_a_line_push_delivered_before_a_crash_is_not_delivered_again(phones: Phones, service: Service) -> None:
    """The process died after LINE accepted the push; the retry carries the same key and gets 409."""
    phone = phones.line()
    push(service, phone, "ครั้งเดียว")
    await service.drain()
    with transaction(service.engine) as session:
        sent = session.exec(select(OutboxMessage)).one()
        sent.status, sent.parts_sent = OutboxStatus.sending, 0  # as a crash before recording it leaves it
    service.outbox.recover(immediately=True)
    await service.drain()
    assert phone.texts == ["ครั้งเดียว"]
    assert [c.status for c in phones.state.calls("line", "push")] == [200, 409]
    assert row(service).status == OutboxStatus.sent


async def test_a_telegram_send_interrupted_by_a_crash_is_recorded_unknown_not_repeated(
    phones: Phones, service: Service
) -> None:
    phone = phones.telegram()
    push(service, phone, "ส่งแล้วหรือยัง")
    with transaction(service.engine) as session:
        claimed = session.exec(select(OutboxMessage)).one()
        claimed.status, claimed.started_at = OutboxStatus.sending, service.clock()  # the send had begun
    service.outbox.recover(immediately=True)
    await service.drain()
    assert phone.texts == []
    assert row(service).status == OutboxStatus.unknown


async def test_a_telegram_row_claimed_but_not_yet_started_is_sent_after_a_crash(
    phones: Phones, service: Service
) -> None:
    """Rows wait for a rate-limit slot after being claimed; only a send that had begun is of unknown outcome."""
    phone = phones.telegram()
    push(service, phone, "ยังไม่ได้ส่ง")
    with transaction(service.engine) as session:
        session.exec(select(OutboxMessage)).one().status = OutboxStatus.sending
    service.outbox.recover(immediately=True)
    await service.drain()
    assert phone.texts == ["ยังไม่ได้ส่ง"]
    assert row(service).status == OutboxStatus.sent


async def test_a_telegram_timeout_is_recorded_unknown_not_repeated(phones: Phones, service: Service) -> None:
    phone = phones.telegram()
    phones.state.inject_fault("telegram", "sendMessage", delay=3.0, count=1)
    push(service, phone, "ช้า")
    await service.drain()
    assert row(service).status == OutboxStatus.unknown
    assert len(phones.state.calls("telegram", "sendMessage")) == 1


async def test_blocked_telegram_user_is_marked_unreachable_and_not_retried(
    phones: Phones, service: Service
) -> None:
    phone = phones.telegram()
    await phone.say("/help")
    phones.state.block("telegram", phone.user_id)  # blocked without us hearing about it yet
    push(service, phone, "ข่าว 1", key="k1")
    await service.drain()
    push(service, phone, "ข่าว 2", key="k2")
    await service.drain()
    assert row(service, "k1").status == OutboxStatus.unreachable
    assert row(service, "k2").status == OutboxStatus.unreachable
    assert len([c for c in phones.state.calls("telegram", "sendMessage") if c.status == 403]) == 1
    with Session(service.engine) as session:
        assert not session.exec(select(Account).where(Account.user_id == phone.user_id)).one().reachable


async def test_an_expired_line_reply_token_falls_back_to_push(phones: Phones, service: Service) -> None:
    phone = phones.line()
    await phone.post(phone.event_for_text("/help"))
    phones.clock.advance(minutes=2)  # the token is stale by the time we answer
    await service.drain()
    assert len(phone.screen) == 1
    # (the two-minute wait also shows the loading animation first)
    assert [c.endpoint for c in phones.state.calls("line") if c.endpoint != "chat/loading/start"] == ["push"]


async def test_a_line_reply_answered_429_and_then_refused_its_token_is_pushed(phones: Phones, service: Service) -> None:
    """A 429 did not use the token: when LINE then refuses it (expired early on its side), the answer is pushed,
    not taken for delivered."""
    phone = phones.line()
    token = phones.state.issue_reply_token(phone.user_id, ttl=0)  # LINE will refuse it; we think it fresh
    await phone.post(ev.line_text_event(phone.user_id, "/help", reply_token=token))
    phones.state.inject_fault("line", "reply", status=429, count=1)
    await service.drain()
    assert phone.screen == []
    phones.clock.advance(seconds=5)  # past the back-off, well within the token's lifetime as we know it
    await service.drain()
    assert len(phone.screen) == 1
    assert [c.status for c in phones.state.calls("line", "reply")] == [429, 400]
    assert [c.status for c in phones.state.calls("line", "push")] == [200]


async def test_long_text_is_split_within_platform_limits(phones: Phones, service: Service) -> None:
    for phone in phones.both():
        push(service, phone, "ก" * 9000, key=f"long:{phone.platform}")
    await service.drain()
    line, telegram = phones.both()
    assert sum(len(t) for t in line.texts) == 9000 and len(line.texts) == 2
    assert sum(len(t) for t in telegram.texts) == 9000 and len(telegram.texts) == 3


async def test_a_message_the_sdk_refuses_to_build_fails_alone_and_the_others_go(
    phones: Phones, service: Service
) -> None:
    """A stored row that no platform would accept (a map point without a title) does not stop the dispatcher."""
    for phone in phones.both():
        push(service, phone, "ก่อน", key=f"before:{phone.platform}")
        with transaction(service.engine) as session:
            enqueue(session=session, key=f"bad:{phone.platform}", platform=phone.platform, user_id=phone.user_id,
                    chat_id=phone.user_id, replies=[Reply(text="แผนที่")], now=service.clock())
            bad = session.exec(select(OutboxMessage).where(OutboxMessage.key == f"bad:{phone.platform}")).one()
            bad.messages = [{"location": {"title": "", "address": "", "latitude": 18.8, "longitude": 98.9}}]
        push(service, phone, "หลัง", key=f"after:{phone.platform}")
    await service.drain()
    for phone in phones.both():
        assert phone.texts == ["ก่อน", "หลัง"], phone.platform
        failed = row(service, f"bad:{phone.platform}")
        assert (failed.status, failed.last_error.split(":")[0]) == (OutboxStatus.failed, "ValidationError")


async def test_messages_to_one_person_arrive_in_the_order_they_were_written(phones: Phones, service: Service) -> None:
    for phone in phones.both():
        for i in range(6):
            push(service, phone, f"ข้อความ {i}", key=f"order:{phone.platform}:{i}")
    await service.drain()
    for phone in phones.both():
        assert phone.texts == [f"ข้อความ {i}" for i in range(6)], phone.platform


async def test_two_dispatchers_at_once_keep_one_persons_messages_in_order(phones: Phones, service: Service) -> None:
    """Two dispatch loops (or processes) claim at the same time while the first message is slow to deliver: the
    second waits for it instead of overtaking it."""
    for phone in phones.both():
        phones.state.inject_fault(phone.platform, "push" if phone.platform == "line" else "sendMessage", delay=0.5)
        push(service, phone, "ข้อความ 0", key=f"two:{phone.platform}:0")
    first = asyncio.create_task(service.outbox.dispatch_due())
    await asyncio.sleep(0.2)  # the first messages are on their way when the next ones are written
    for phone in phones.both():
        for i in (1, 2):
            push(service, phone, f"ข้อความ {i}", key=f"two:{phone.platform}:{i}")
    await asyncio.gather(first, service.outbox.dispatch_due())
    await service.drain()
    for phone in phones.both():
        assert phone.texts == [f"ข้อความ {i}" for i in range(3)], phone.platform


async def test_a_message_waiting_to_be_retried_is_not_overtaken_by_the_next_ones_to_that_person(
        phones: Phones, service: Service) -> None:
    """A 429 puts the first message back for a while; the later ones wait for it. A message scheduled for later
    (a planned announcement) holds nothing back."""
    for phone in phones.both():
        push(service, phone, "ตามกำหนด", key=f"later:{phone.platform}", not_before=service.clock() + timedelta(hours=1))
        phones.state.inject_fault(phone.platform, "push" if phone.platform == "line" else "sendMessage", status=429,
                                  count=1, retry_after=5)
        for i in range(3):
            push(service, phone, f"ข้อความ {i}", key=f"retry:{phone.platform}:{i}")
    await service.drain()
    for phone in phones.both():
        assert phone.texts == [], phone.platform  # the first was refused for now: nothing overtakes it
    phones.clock.advance(minutes=2)
    await service.drain()
    for phone in phones.both():
        assert phone.texts == [f"ข้อความ {i}" for i in range(3)], phone.platform


async def test_a_hanging_line_push_times_out_and_its_retry_is_delivered_once(phones: Phones, service: Service) -> None:
    """LINE sends hang up to COORDBOT_SEND_TIMEOUT_S (they used to wait for ever); the retry key makes the retry
    safe even if the hung call got through."""
    phone = phones.line()
    phones.state.inject_fault("line", "push", delay=3.0, count=1)  # the test settings time out at 2 s
    push(service, phone, "ช้า")
    await service.drain()
    assert row(service).status == OutboxStatus.pending  # timed out: retried after a back-off
    phones.clock.advance(minutes=1)
    await service.drain()
    assert row(service).status == OutboxStatus.sent
    assert len(phones.state.calls("line", "push")) == 2
    assert phone.texts == ["ช้า"]
