"""A running `coordbot serve --demo` as the browser tests see it: its address, and ways to act on it from outside
the browser (as a demo person through the emulator, with a signed webhook of one's own, or with the CLI)."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.chat import Phone
from bot.emulator import events as ev
from bot.run import DEMO_CREDENTIALS
from storage.demo import newcomer_key, visitor
from tests.helpers import COORDBOT

WAIT_S = 15.0
"""How long to wait for a message before failing: a bound, not a measurement."""


@dataclass
class DemoService:
    """One demo service with its emulator and database; people are demo keys (`admin`, `coord-cmi`, ...) or
    newcomers (`newcomer()`), on "line" or "telegram"."""

    url: str
    emulator_url: str
    env: dict[str, str]
    workdir: Path

    def user_id(self, person: str, platform: str = "line") -> str:
        """The person's id on the platform (LINE user id, Telegram chat id)."""
        who = visitor(person)
        return who.line_user_id if platform == "line" else str(who.telegram_id)

    def newcomer(self) -> str:
        """A person the service has never seen (a guest), so a test can join, register or answer on its own."""
        return newcomer_key()

    def phone(self, person: str, platform: str = "line") -> Phone:
        """The person's phone, driven through the emulator as `coordbot chat` drives it (close it after use)."""
        return Phone(self.emulator_url, platform, self.user_id(person, platform))

    def say(self, person: str, text: str, platform: str = "line") -> None:
        """The person types `text`; the emulator signs it and posts it to the service's webhook."""
        self._act(person, platform, text=text)

    def press(self, person: str, data: str, platform: str = "line") -> None:
        """The person presses a button carrying `data` (a LINE postback or a Telegram callback query)."""
        self._act(person, platform, data=data)

    def screen(self, person: str, platform: str = "line") -> list[dict[str, Any]]:
        """What the person's phone shows, oldest first (the emulator's record: kind, text, buttons, raw)."""
        phone = self.phone(person, platform)
        try:
            return phone.screen()
        finally:
            phone.close()

    def wait_for(self, person: str, match: str | Callable[[dict[str, Any]], bool], platform: str = "line",
                 after: int = 0) -> dict[str, Any]:
        """The first message (from the `after`-th on) whose text contains `match` or that `match` accepts."""
        accept = match if callable(match) else lambda message: match in message.get("text", "")
        deadline = time.monotonic() + WAIT_S
        while True:
            shown = self.screen(person, platform)[after:]
            for message in shown:
                if accept(message):
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"{person} on {platform} never got {match!r}; the screen shows "
                                     f"{[m.get('text') for m in shown]}")
            time.sleep(0.1)

    def signed(self, platform: str, payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """A webhook body and headers as the platform would send them: a LINE event (wrapped in its body and
        signed with the demo channel secret; its reply token, unknown to the emulator, makes the service push
        instead) or a Telegram update (with the demo secret token)."""
        if platform == "line":
            body = json.dumps(ev.line_body([payload]), ensure_ascii=False).encode()
            signature = ev.line_signature(DEMO_CREDENTIALS["line_channel_secret"], body)
            return body, {"X-Line-Signature": signature, "Content-Type": "application/json"}
        body = json.dumps(payload, ensure_ascii=False).encode()
        return body, {"X-Telegram-Bot-Api-Secret-Token": DEMO_CREDENTIALS["telegram_webhook_secret"],
                      "Content-Type": "application/json"}

    def post_webhook(self, platform: str, payload: dict[str, Any]) -> httpx.Response:
        """Post one signed event or update straight to the service's webhook."""
        body, headers = self.signed(platform, payload)
        return httpx.post(f"{self.url}/webhooks/{platform}", content=body, headers=headers, timeout=10)

    def line_text(self, person: str, text: str) -> dict[str, Any]:
        """A LINE text event from the person, for `post_webhook`."""
        return ev.line_text_event(self.user_id(person), text, reply_token=secrets.token_hex(16))

    def coordbot(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """A `coordbot` command on the demo's database (e.g. `invite create ...`), given `stdin` if it asks for
        something; fails the test if it fails."""
        done = subprocess.run([COORDBOT, *args], cwd=self.workdir, env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def _act(self, person: str, platform: str, **action: str) -> None:
        phone = self.phone(person, platform)
        try:
            status = phone.send(**action)
        finally:
            phone.close()
        assert status == 200, f"the service answered the webhook with {status}"
