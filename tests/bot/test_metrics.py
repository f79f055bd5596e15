"""`GET /metrics` (Prometheus) and `coordbot status`: an operator sees events handled, answers timed from the
webhook, sends by outcome, what waits in the inbox and outbox; strangers see none of it."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI

from bot.cli import main
from bot.config import Settings
from bot.service import Service
from storage.db import transaction
from storage.inbox import store_events
from tests.helpers import Phones


def value(text: str, name: str, **labels: str) -> float:
    """One sample of the exposition text (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))  # the exposition sorts label names
    pattern = rf"^{re.escape(name)}{{{re.escape(wanted)}}} (\S+)$" if labels else rf"^{re.escape(name)} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found[1]) if found else 0.0


async def scrape(app: FastAPI, client_host: str = "127.0.0.1", **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(client_host, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://coordbot") as client:
        return await client.get("/metrics", headers=headers)


async def test_a_conversation_shows_in_the_counters_and_the_answer_time(phones: Phones, app: FastAPI) -> None:
    before = (await scrape(app)).text
    await phones.line(1).say("/help")
    await phones.telegram(2).say("/help")
    after = (await scrape(app)).text
    for platform in ("line", "telegram"):
        assert value(after, "coordbot_events_total", platform=platform, status="done") == \
            value(before, "coordbot_events_total", platform=platform, status="done") + 1
        assert value(after, "coordbot_sends_total", platform=platform, outcome="sent") > \
            value(before, "coordbot_sends_total", platform=platform, outcome="sent")
        assert value(after, "coordbot_answer_seconds_count", platform=platform) == \
            value(before, "coordbot_answer_seconds_count", platform=platform) + 1


async def test_waiting_events_show_as_inbox_lag(app: FastAPI, service: Service, phones: Phones) -> None:
    with transaction(service.engine) as session:
        store_events(session.connection(), platform="line", events=[("ev-1", "U1", {"type": "message"})],
                     now=service.clock())
    phones.clock.advance(seconds=42)
    text = (await scrape(app)).text
    assert value(text, "coordbot_inbox_pending") == 1
    assert value(text, "coordbot_inbox_lag_seconds") == pytest.approx(42, abs=1)
    assert 'coordbot_outbox_depth{platform="line"}' in text


@pytest.mark.parametrize(("host", "headers"), [("203.0.113.9", {}), ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}),
                                               ("203.0.113.9", {"Authorization": "Bearer wrong"})])
async def test_strangers_get_no_metrics(app: FastAPI, host: str, headers: dict[str, str]) -> None:
    assert (await scrape(app, host, **headers)).status_code == 403


async def test_the_metrics_token_opens_them_from_anywhere(app: FastAPI, settings: Settings) -> None:
    settings.metrics_token = settings.metrics_token.__class__("s3cret-metrics")
    response = await scrape(app, "203.0.113.9", Authorization="Bearer s3cret-metrics")
    assert response.status_code == 200 and "coordbot_inbox_lag_seconds" in response.text


def test_status_prints_the_same_for_a_terminal(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("inbox: 0 waiting") and "outbox line: 0 to send" in out and "scheduler:" in out
