"""An emulator of its own for these tests (reset before each), and the real SDK clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration
from telegram import Bot

from bot.emulator import EmulatorServer, EmulatorState

LINE_SECRET = "emulator-test-line-secret"
LINE_TOKEN = "emulator-test-line-token"
TG_TOKEN = "987654:EMULATOR-test-token"
TG_SECRET = "emulator-test-telegram-secret"
ALICE = "U" + "a" * 32
BOB = "U" + "b" * 32
CHAT = 700_001


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    state = EmulatorState(line_channel_secret=LINE_SECRET, line_access_token=LINE_TOKEN, telegram_token=TG_TOKEN,
                          telegram_secret_token=TG_SECRET)
    with EmulatorServer(state) as server:
        yield server


@pytest.fixture
def emu(emulator_server: EmulatorServer) -> EmulatorServer:
    emulator_server.state.reset()
    emulator_server.state.line_webhook_url = emulator_server.state.telegram_webhook_url = None
    return emulator_server


@pytest.fixture
def state(emu: EmulatorServer) -> EmulatorState:
    return emu.state


@pytest.fixture
async def line(emu: EmulatorServer) -> AsyncIterator[AsyncMessagingApi]:
    async with AsyncApiClient(Configuration(access_token=LINE_TOKEN, host=emu.line_base_url)) as client:
        yield AsyncMessagingApi(client)


@pytest.fixture
async def bot(emu: EmulatorServer) -> AsyncIterator[Bot]:
    emu.state.add_user("telegram", CHAT, "Somchai")
    async with Bot(TG_TOKEN, base_url=emu.telegram_base_url) as bot:
        yield bot
