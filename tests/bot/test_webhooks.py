"""Webhooks: verified, stored before the answer, stored and handled once; bad input changes nothing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from bot.emulator import events as ev
from bot.service import Service
from storage.models import InboxEvent, InboxStatus
from tests.helpers import Phones

PAYLOADS = Path(__file__).parent.parent / "payloads"


def inbox_count(service: Service) -> int:
    with Session(service.engine) as session:
        return session.exec(select(func.count()).select_from(InboxEvent)).one()


async def test_line_webhook_with_bad_signature_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, service: Service
) -> None:
    body = json.dumps(ev.line_body([ev.line_text_event("U" + "1" * 32, "help", reply_token="t")])).encode()
    forged = ev.line_signature("not-the-secret", body)
    response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": forged})
    assert response.status_code == 403
    assert inbox_count(service) == 0


async def test_line_webhook_without_signature_is_401_not_500(client: httpx.AsyncClient, service: Service) -> None:
    response = await client.post("/webhooks/line", content=b'{"events": []}')
    assert response.status_code == 401
    assert inbox_count(service) == 0


async def test_telegram_webhook_with_wrong_or_missing_secret_is_refused(
    client: httpx.AsyncClient, service: Service
) -> None:
    body = json.dumps(ev.tg_message_update(42, "/help", update_id=1)).encode()
    wrong = await client.post("/webhooks/telegram", content=body,
                              headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
    missing = await client.post("/webhooks/telegram", content=body)
    assert (wrong.status_code, missing.status_code) == (403, 401)
    assert inbox_count(service) == 0


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"destination": "x"}', b'{"events": [{"type": "message"}]}'])
async def test_malformed_line_body_is_400_and_nothing_is_stored(
    client: httpx.AsyncClient, service: Service, phones: Phones, body: bytes
) -> None:
    signature = ev.line_signature(phones.state.line_channel_secret, body)
    response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": signature})
    assert response.status_code == 400
    assert inbox_count(service) == 0


@pytest.mark.parametrize("body", [b"{not json", b'{"message": {}}', b'{"update_id": "abc"}'])
async def test_malformed_telegram_update_is_400_and_nothing_is_stored(
    client: httpx.AsyncClient, service: Service, phones: Phones, body: bytes
) -> None:
    response = await client.post("/webhooks/telegram", content=body,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": phones.state.telegram_secret_token})
    assert response.status_code == 400
    assert inbox_count(service) == 0


async def test_line_verify_call_with_no_events_is_answered_200(client: httpx.AsyncClient, phones: Phones) -> None:
    body = json.dumps({"destination": "U" + "0" * 32, "events": []}).encode()
    signature = ev.line_signature(phones.state.line_channel_secret, body)
    response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": signature})
    assert response.status_code == 200


async def test_the_sdk_fixture_with_every_line_event_type_is_accepted(
    client: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    """line-bot-sdk-python's tests/v3/text/webhook.json; its events all share one webhookEventId."""
    body = (PAYLOADS / "line_sdk_webhook.json").read_bytes()
    signature = ev.line_signature(phones.state.line_channel_secret, body)
    response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": signature})
    assert response.status_code == 200
    assert inbox_count(service) == 1


async def test_every_line_event_type_is_stored_and_none_breaks_the_worker(
    client: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    payload = json.loads((PAYLOADS / "line_sdk_webhook.json").read_bytes())
    for n, event in enumerate(payload["events"]):
        event["webhookEventId"] = f"01J{n:023d}"
    body = json.dumps(payload).encode()
    signature = ev.line_signature(phones.state.line_channel_secret, body)
    response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": signature})
    assert response.status_code == 200
    assert inbox_count(service) == len(payload["events"])
    await service.drain()
    with Session(service.engine) as session:
        statuses = session.exec(select(InboxEvent.status)).all()
    assert InboxStatus.failed not in statuses
    assert InboxStatus.pending not in statuses


async def test_the_same_event_delivered_three_times_gets_one_reply(phones: Phones) -> None:
    for phone in phones.both():
        event = phone.event_for_text("/help")
        answers = [await phone.post(event) for _ in range(3)]
        assert [(a.status_code, a.json()["stored"]) for a in answers] == [(200, 1), (200, 0), (200, 0)]
        received = await phone.settle()
        assert len(received) == 1, phone.platform


async def test_an_event_that_cannot_be_stored_is_not_acknowledged_and_its_redelivery_is(phones: Phones) -> None:
    """503 makes the platform deliver it again; nothing is half-stored in between."""
    service = phones.service
    phone = phones.telegram()
    event = phone.event_for_text("/help")
    with service.engine.begin() as conn:
        conn.execute(text("ALTER TABLE inboxevent RENAME TO inboxevent_away"))
    refused = await phone.post(event)
    with service.engine.begin() as conn:
        conn.execute(text("ALTER TABLE inboxevent_away RENAME TO inboxevent"))
    assert refused.status_code == 503
    assert inbox_count(service) == 0

    redelivered = await phone.post(event)
    assert (redelivered.status_code, redelivered.json()["stored"]) == (200, 1)
    assert len(await phone.settle()) == 1


async def test_webhooks_arriving_together_are_each_stored_once_and_answered(phones: Phones) -> None:
    """They share commits (group commit), but each is acknowledged with its own count."""
    phone = phones.line()
    events = [phone.event_for_text(f"/help {i}") for i in range(20)]
    answers = await asyncio.gather(*(phone.post(event) for event in events + events[:5]))
    assert sorted(a.json()["stored"] for a in answers) == [0] * 5 + [1] * 20
    assert inbox_count(phones.service) == 20


async def test_event_stored_before_a_crash_is_handled_after_restart(
    settings: object, phones: Phones, client: httpx.AsyncClient
) -> None:
    """The webhook was acknowledged, then the process died before handling: nothing is lost."""
    from bot.app import create_app

    phone = phones.line()
    assert (await phone.post(phone.event_for_text("help"))).status_code == 200
    assert phone.screen == []  # not handled yet: the "crash" happens here

    restarted = create_app(settings)  # type: ignore[arg-type]
    async with restarted.router.lifespan_context(restarted):
        await restarted.state.service.drain()
    assert len(phone.screen) == 1


async def test_unknown_event_types_are_stored_and_ignored(
    client: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    event = {"type": "somethingNew", "mode": "active", "timestamp": 1, "webhookEventId": "01HZZZZZZZZZZZZZZZZZZZZZZZ",
             "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": "U" + "2" * 32}}
    body = json.dumps(ev.line_body([event])).encode()
    signature = ev.line_signature(phones.state.line_channel_secret, body)
    response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": signature})
    assert response.status_code == 200
    await service.drain()
    with Session(service.engine) as session:
        assert session.exec(select(InboxEvent.status)).one() == InboxStatus.ignored


async def test_health_answers_when_the_database_does(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
