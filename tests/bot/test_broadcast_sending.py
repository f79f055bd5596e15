"""Broadcast fan-out through the dispatcher against the emulator: 429s, 5xx, retry keys, pacing."""

from __future__ import annotations

from sqlmodel import select

from bot.service import Service
from storage.broadcast import delivery
from storage.db import transaction
from storage.models import OutboxMessage, OutboxStatus, Role
from tests.helpers import Phone, Phones, register

LINE_ROW = select(OutboxMessage).where(OutboxMessage.tag == "broadcast:1", OutboxMessage.platform == "line")


async def compose_and_confirm(phones: Phones, text: str) -> tuple[Phone, list[Phone]]:
    admin = phones.line(900)  # answered by LINE reply and push, so faults on multicast/sendMessage miss the admin
    register(admin, Role.admin, name="ผู้ดูแล")
    people = [phones.line(1), phones.line(2), phones.telegram(1), phones.telegram(2)]
    for n, phone in enumerate(people):
        register(phone, Role.coordinator, "TH-50", name=f"คน {n}")
    await admin.say(f"/broadcast role=coordinator | {text}")
    await admin.press("ยืนยันส่ง")
    return admin, people


def received(phone: Phone, text: str) -> int:
    return sum(1 for r in phone.screen if text in r.text)


async def test_telegram_429_waits_retry_after_and_everyone_gets_it_once(phones: Phones, service: Service) -> None:
    phones.state.inject_fault("telegram", "sendMessage", status=429, retry_after=1, count=1)
    admin, people = await compose_and_confirm(phones, "ช้าลงหน่อย")
    await admin.settle()
    phones.clock.advance(seconds=2)
    await admin.settle()
    assert [received(p, "ช้าลงหน่อย") for p in people] == [1, 1, 1, 1]
    with transaction(service.engine) as session:
        assert delivery(session=session, broadcast_id=1)["telegram"] == {"sent": 2}
    assert "ส่งประกาศ #1 เสร็จแล้ว" in "\n".join(admin.texts)


async def test_line_5xx_is_retried_with_the_same_retry_key(phones: Phones, service: Service) -> None:
    phones.state.inject_fault("line", "multicast", status=500, count=1)
    admin, people = await compose_and_confirm(phones, "ลองใหม่")
    await admin.settle()
    assert "ส่งประกาศ #1 เสร็จแล้ว" not in "\n".join(admin.texts)  # the LINE batch waits for its back-off
    phones.clock.advance(seconds=10)
    await admin.settle()
    calls = phones.state.calls("line", "multicast")
    assert [c.status for c in calls] == [500, 200]
    assert calls[0].retry_key == calls[1].retry_key
    assert [received(p, "ลองใหม่") for p in people] == [1, 1, 1, 1]
    assert "ส่งประกาศ #1 เสร็จแล้ว" in "\n".join(admin.texts)


async def test_line_429_backs_off_and_the_retry_after_a_lost_answer_gets_409(
    phones: Phones, service: Service
) -> None:
    phones.state.inject_fault("line", "multicast", status=429, count=1)
    admin, people = await compose_and_confirm(phones, "โควตาต่อวินาที")
    await admin.settle()
    with transaction(service.engine) as session:
        row = session.exec(LINE_ROW).one()
        assert row.status == OutboxStatus.pending and row.next_attempt_at > phones.clock()
    phones.clock.advance(seconds=10)
    await admin.settle()
    # The process "died" after LINE accepted the multicast but before recording it: the retry is refused as a repeat.
    with transaction(service.engine) as session:
        row = session.exec(LINE_ROW).one()
        row.status, row.parts_sent = OutboxStatus.sending, 0
    service.outbox.recover(immediately=True)
    await admin.settle()
    assert [c.status for c in phones.state.calls("line", "multicast")] == [429, 200, 409]
    assert [received(p, "โควตาต่อวินาที") for p in people] == [1, 1, 1, 1]
