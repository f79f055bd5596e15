"""Webhooks: verified, stored before the answer, stored and handled once; bad input changes nothing."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from bot.emulator import events as ev
from bot.service import Service
from storage.models import InboxEvent, InboxStatus
from tests.helpers import Phones, wait_for_health

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


async def test_a_webhook_for_no_platform_is_404_and_another_method_is_405(client: httpx.AsyncClient) -> None:
    assert (await client.post("/webhooks/whatsapp", content=b"{}")).status_code == 404
    assert (await client.get("/webhooks/line")).status_code == 405
    assert (await client.get("/healthz")).status_code == 200  # the rest of the service is still behind FastAPI


# ---- bounded before read ----------------------------------------------------------------------------------

class Body:
    """A request body sent in chunks that counts how many the server asked for."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.size, self.chunk, self.read = size, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.read < self.size:
            self.read += self.chunk
            yield b" " * self.chunk


def auth(phones: Phones, platform: str) -> dict[str, str]:
    """Headers that pass the check made before the body is read (LINE's signature is checked with the body)."""
    if platform == "line":
        return {"X-Line-Signature": ev.line_signature(phones.state.line_channel_secret, b"")}
    return {"X-Telegram-Bot-Api-Secret-Token": phones.state.telegram_secret_token}


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_webhook_without_its_signature_or_secret_is_refused_before_its_body_is_read(
    client: httpx.AsyncClient, platform: str
) -> None:
    body = Body(10_000_000)
    response = await client.post(f"/webhooks/{platform}", content=body)
    assert response.status_code == 401
    assert body.read == 0


async def test_a_telegram_webhook_with_a_wrong_secret_is_refused_before_its_body_is_read(
    client: httpx.AsyncClient
) -> None:
    body = Body(10_000_000)
    response = await client.post("/webhooks/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    assert response.status_code == 403
    assert body.read == 0


@pytest.mark.parametrize("platform", ["line", "telegram"])
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_over_the_limit_is_413_and_is_not_read_past_it(
    client: httpx.AsyncClient, service: Service, phones: Phones, platform: str, declared: bool
) -> None:
    body = Body(50_000_000)
    headers = auth(phones, platform) | ({"Content-Length": str(body.size)} if declared else {})
    response = await client.post(f"/webhooks/{platform}", content=body, headers=headers)
    assert response.status_code == 413
    limit = service.settings.max_webhook_bytes
    assert limit == 1_000_000  # the default
    assert body.read == 0 if declared else limit <= body.read <= limit + body.chunk
    assert inbox_count(service) == 0


async def test_the_limit_is_counted_in_bytes_and_a_body_of_exactly_the_limit_is_accepted(
    phones: Phones, service: Service
) -> None:
    phone = phones.telegram()
    event = phone.event_for_text("สวัสดี")
    size = len(json.dumps(event).encode())
    service.settings.max_webhook_bytes = size
    assert (await phone.post(event)).status_code == 200
    service.settings.max_webhook_bytes = size - 1
    assert (await phone.post(phone.event_for_text("สวัสดี"))).status_code == 413


NESTED = b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_deeply_nested_json_correctly_signed_is_400_not_500(
    client: httpx.AsyncClient, service: Service, phones: Phones, platform: str
) -> None:
    signature = ev.line_signature(phones.state.line_channel_secret, NESTED)
    headers = {"X-Line-Signature": signature} if platform == "line" else auth(phones, platform)
    response = await client.post(f"/webhooks/{platform}", content=NESTED, headers=headers)
    assert response.status_code == 400
    assert inbox_count(service) == 0


async def test_a_body_that_is_not_utf8_is_refused_as_a_forgery_on_line_and_as_malformed_on_telegram(
    client: httpx.AsyncClient, service: Service, phones: Phones
) -> None:
    """LINE signs UTF-8 JSON: whatever its signature, such a body did not come from LINE, and the answer says
    nothing about the body. Telegram's secret is checked first, so only Telegram itself reaches the parser."""
    body = b'{"events": [], "x": "\xff\xfe"}'
    signed = ev.line_signature(phones.state.line_channel_secret, body)
    for signature in ("AAAA", signed):
        response = await client.post("/webhooks/line", content=body, headers={"X-Line-Signature": signature})
        assert response.status_code == 403
    wrong = await client.post("/webhooks/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    right = await client.post("/webhooks/telegram", content=body, headers=auth(phones, "telegram"))
    assert (wrong.status_code, right.status_code) == (403, 400)
    assert inbox_count(service) == 0


SERVER = """
import sys
import uvicorn
from pydantic import SecretStr
from bot.app import create_app
from bot.config import Settings

settings = Settings(database_url=sys.argv[1], line_channel_secret=SecretStr("s"),
                    line_channel_access_token=SecretStr("t"), telegram_bot_token=SecretStr("1:t"),
                    telegram_webhook_secret=SecretStr("s"), background_workers=False, scheduler_enabled=False,
                    _env_file=None)
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def peak_rss(pid: int) -> int:
    """The process's highest resident memory so far, in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    for _ in range(total // size):
        yield b" " * size


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads memory figures from /proc")
def test_a_50_mb_body_through_a_real_server_does_not_grow_its_memory(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVER, f"sqlite:///{tmp_path}/db.sqlite", str(port)],
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(server, url, None)
        with httpx.Client(base_url=url, timeout=30) as http:
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s"}
            assert http.post("/webhooks/telegram", content=b"{}", headers=headers).status_code == 400  # warm
            before = peak_rss(server.pid)
            answers = [http.post("/webhooks/telegram", content=chunks(50 << 20), headers=headers).status_code,
                       http.post("/webhooks/line", content=chunks(50 << 20), headers={"X-Line-Signature": "x"}
                                 ).status_code,
                       http.post("/webhooks/line", content=chunks(50 << 20)).status_code]
            grown = peak_rss(server.pid) - before
        assert grown < 10 << 20, f"the server's memory grew by {grown >> 20} MB"
        assert answers == [413, 413, 401]
    finally:
        server.terminate()
        server.wait(10)
