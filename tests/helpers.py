"""Test helpers: a movable clock, a "phone" per user that sends signed webhooks and reads its screen, and a real
`coordbot serve` process on free ports."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot.emulator import EmulatorState, Received
from bot.emulator import events as ev
from bot.service import Service
from storage.db import transaction
from storage.models import Role
from storage.people import ensure_account

_ids = itertools.count(1)

COORDBOT = str(Path(sys.executable).with_name("coordbot"))
"""The installed command, from the same virtual environment as the tests."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_health(proc: subprocess.Popen[bytes], base: str, log: Path | None, timeout: float = 90) -> None:
    """Wait until the server at `base` answers /healthz. Starting takes seconds of imports, many more on a loaded
    CI machine, so the wait is long; a process that exits or never answers fails the test with its log."""
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, log.read_text() if log else f"the server exited with {proc.returncode}"
        assert time.monotonic() < deadline, "the server did not start"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)


async def eventually(condition: Callable[[], object], seconds: float = 20) -> bool:
    """Whether `condition` holds within `seconds` (polled every 50 ms): for what a background task does; the
    test asserts what it needs afterwards, so a long wait on a loaded machine costs nothing when all is well."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


class Served:
    """`coordbot serve` started on free ports (the emulator's is used in demo mode), its output in
    `cwd/serve.log`. Starting returns at once, so the process can boot while other work goes on."""

    def __init__(self, cwd: Path, env: dict[str, str], *args: str) -> None:
        self.cwd, self.port, self.emulator_port = cwd, free_port(), free_port()
        with (cwd / "serve.log").open("w") as log:
            self.proc = subprocess.Popen([COORDBOT, "serve", "--port", str(self.port), "--emulator-port",
                                          str(self.emulator_port), *args], cwd=cwd, env=env, stdout=log,
                                         stderr=subprocess.STDOUT)

    def ready(self, timeout: float = 90) -> None:
        """Wait until /healthz answers; a process that exits or never answers fails the test with its log."""
        wait_for_health(self.proc, f"http://127.0.0.1:{self.port}", self.cwd / "serve.log", timeout)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


@contextmanager
def serving(cwd: Path, env: dict[str, str], *args: str) -> Iterator[tuple[int, int]]:
    """`coordbot serve` running until the block ends; yields its port and the emulator's."""
    served = Served(cwd, env, *args)
    try:
        served.ready()
        yield served.port, served.emulator_port
    finally:
        served.stop()


class Clock:
    """The service's notion of now, moved by tests."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def line_user(n: int) -> str:
    return "U" + f"{n:032x}"


@dataclass
class Phone:
    """One user's phone on one platform."""

    phones: Phones
    platform: str
    user_id: str
    seen: int = 0
    last_buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def screen(self) -> list[Received]:
        return self.phones.state.screen(self.platform, self.user_id)

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.screen]

    async def post(self, event: dict[str, Any]) -> httpx.Response:
        """Deliver one event as a signed webhook, without handling it yet."""
        return await self.phones.post(self.platform, event)

    async def send(self, event: dict[str, Any]) -> list[Received]:
        response = await self.post(event)
        assert response.status_code == 200, response.text
        return await self.settle()

    async def settle(self) -> list[Received]:
        """Let the service handle and send everything, then return what newly arrived on this phone."""
        await self.phones.service.drain()
        fresh = self.screen[self.seen:]
        self.seen = len(self.screen)
        buttons = [b for r in fresh for b in r.buttons]
        if buttons:
            self.last_buttons = buttons
        return fresh

    def event_for_text(self, text: str) -> dict[str, Any]:
        state = self.phones.state
        if self.platform == "line":
            return ev.line_text_event(self.user_id, text, reply_token=state.issue_reply_token(self.user_id))
        return ev.tg_message_update(int(self.user_id), text, update_id=next(_ids))

    def event_for_location(self, latitude: float, longitude: float, title: str = "") -> dict[str, Any]:
        """A shared map point; LINE may name the place, a Telegram location has no name."""
        if self.platform == "line":
            return ev.line_location_event(self.user_id, latitude, longitude, title=title,
                                          reply_token=self.phones.state.issue_reply_token(self.user_id))
        return ev.tg_location_update(int(self.user_id), latitude, longitude, update_id=next(_ids))

    async def say(self, text: str) -> list[str]:
        return [r.text for r in await self.send(self.event_for_text(text))]

    async def press(self, label: str) -> list[str]:
        """Press a button (by its label, or part of it) from the last message that had buttons."""
        matches = [data for text, data in self.last_buttons if label in text]
        assert matches, f"no button {label!r} among {[t for t, _ in self.last_buttons]}"
        return await self.press_data(matches[0])

    async def press_data(self, data: str) -> list[str]:
        state = self.phones.state
        if self.platform == "line":
            event = ev.line_postback_event(self.user_id, data, reply_token=state.issue_reply_token(self.user_id))
        else:
            event = ev.tg_callback_update(int(self.user_id), data, update_id=next(_ids),
                                          callback_id=state.issue_callback_id(int(self.user_id)))
        return [r.text for r in await self.send(event)]

    async def follow(self) -> list[str]:
        if self.platform == "line":
            event = ev.line_follow_event(self.user_id, reply_token=self.phones.state.issue_reply_token(self.user_id))
        else:
            event = ev.tg_my_chat_member_update(int(self.user_id), "member", update_id=next(_ids))
        return [r.text for r in await self.send(event)]

    async def block(self) -> None:
        """Unfollow on LINE, block the bot on Telegram: the platform tells us, and stops delivering."""
        self.phones.state.block(self.platform, self.user_id)
        if self.platform == "line":
            event = ev.line_unfollow_event(self.user_id)
        else:
            event = ev.tg_my_chat_member_update(int(self.user_id), "kicked", update_id=next(_ids))
        await self.send(event)


@dataclass
class Phones:
    client: httpx.AsyncClient
    service: Service
    state: EmulatorState
    clock: Any

    def line(self, n: int = 1) -> Phone:
        return Phone(self, "line", line_user(n))

    def telegram(self, n: int = 1) -> Phone:
        chat_id = 500_000 + n
        self.state.add_user("telegram", str(chat_id))
        return Phone(self, "telegram", str(chat_id))

    def both(self, n: int = 1) -> list[Phone]:
        return [self.line(n), self.telegram(n)]

    async def post(self, platform: str, event: dict[str, Any]) -> httpx.Response:
        if platform == "line":
            body = json.dumps(ev.line_body([event])).encode()
            headers = {"X-Line-Signature": ev.line_signature(self.state.line_channel_secret, body),
                       "Content-Type": "application/json"}
        else:
            body = json.dumps(event).encode()
            headers = {"X-Telegram-Bot-Api-Secret-Token": self.state.telegram_secret_token,
                       "Content-Type": "application/json"}
        return await self.client.post(f"/webhooks/{platform}", content=body, headers=headers)


def register(phone: Phone, role: Role, province_iso: str | None = None, name: str = "", lang: str = "th") -> int:
    """Make the person behind `phone` a registered member, as redeeming an invite would; returns the person id."""
    with transaction(phone.phones.service.engine) as session:
        _, person = ensure_account(session=session, platform=phone.platform, user_id=phone.user_id,
                                         chat_id=phone.user_id, display_name=name)
        person.role, person.province_iso, person.name, person.lang = role, province_iso, name, lang
        assert person.id is not None
        return person.id
