"""Retention: a handled event keeps its raw payload for COORDBOT_INBOX_RETENTION_DAYS (90), then only its id,
status and times, which still recognise a redelivery."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from bot.service import Service
from scheduler import retention
from storage.models import InboxEvent, InboxStatus
from tests.helpers import Clock, Phones


def inbox(service: Service) -> dict[str, InboxEvent]:
    with Session(service.engine) as session:
        return {row.platform: row for row in session.exec(select(InboxEvent))}


async def test_handled_events_lose_their_payload_after_90_days_and_a_redelivery_is_still_recognised(
    phones: Phones, service: Service, clock: Clock
) -> None:
    line, telegram = phones.line(1), phones.telegram(1)
    handled = line.event_for_text("/help")
    assert await line.send(handled)
    waiting = telegram.event_for_text("/help")
    assert (await telegram.post(waiting)).status_code == 200  # stored, not handled yet
    payloads: dict[str, dict[str, Any]] = {platform: row.payload for platform, row in inbox(service).items()}
    assert service.scheduler is not None and [job for job, _ in service.scheduler.planned("retention:")] == [
        retention.JOB_ID]

    clock.advance(days=89)
    retention.forget_old_payloads()
    assert {platform: row.payload for platform, row in inbox(service).items()} == payloads

    clock.advance(days=2)
    retention.forget_old_payloads()
    rows = inbox(service)
    assert rows["line"].payload == {} and rows["line"].status == InboxStatus.done
    assert rows["line"].event_id == handled["webhookEventId"] and rows["line"].handled_at is not None
    assert rows["telegram"].payload == payloads["telegram"] and rows["telegram"].status == InboxStatus.pending

    assert (await line.post(handled)).status_code == 200  # LINE redelivers the old event
    assert await line.settle() == []
    assert len(inbox(service)) == 2 and inbox(service)["line"].payload == {}
