"""A ministry network reaches LINE and Telegram through the proxy its environment names (`HTTPS_PROXY`, and
`NO_PROXY` for what is reached directly), read once as each adapter starts rather than on every request."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.line import LineAdapter
from bot.telegram import TelegramAdapter
from bot.telegram_http import AiohttpRequest

PROXY = "http://proxy.province.go.th:3128"


async def proxies_used(settings: Settings) -> tuple[str | None, str | None]:
    """The proxy each adapter's HTTP client goes through, for the public API addresses."""
    settings = settings.model_copy(update={"line_api_base_url": "https://api.line.me",
                                           "telegram_api_base_url": "https://api.telegram.org/bot"})
    line, telegram = LineAdapter(settings), TelegramAdapter(settings)
    await line.start()
    await telegram.start()
    try:
        assert line.client is not None and telegram.bot is not None
        assert not line.client.rest_client.pool_manager.trust_env  # the environment is not read again per request
        request = telegram.bot.request
        assert isinstance(request, AiohttpRequest)
        return line.client.rest_client.proxy, request.proxy
    finally:
        await line.stop()
        await telegram.stop()


async def test_both_platforms_are_reached_through_the_proxy_the_environment_names(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    assert await proxies_used(settings) == (PROXY, PROXY)


@pytest.mark.parametrize("no_proxy", ["api.line.me,api.telegram.org", ".line.me,.telegram.org", "*"])
async def test_hosts_the_environment_exempts_are_reached_directly(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert await proxies_used(settings) == (None, None)


async def test_without_a_proxy_in_the_environment_both_go_directly(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert await proxies_used(settings) == (None, None)
