"""`coordbot chat --as PERSON`: talk to the running demo service from a terminal, over the real webhook path.

Each line you type is sent by the emulator as a signed LINE or Telegram webhook from that person; the bot's
answers are read back from the emulator's record of their phone. Type a button's number to press it.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import httpx

from storage.demo import persona

WAIT_S = 4.0
POLL_S = 0.2
QUIET_S = 1.5
"""A reply is complete when nothing new arrived for this long: Telegram parts go 1 a second per chat."""
LONGEST_S = 20.0


class Phone:
    """One demo person's phone, driven through the emulator's control API."""

    def __init__(self, emulator_url: str, platform: str, user_id: str) -> None:
        self.http = httpx.Client(base_url=emulator_url, timeout=10)
        self.platform = platform
        self.user_id = user_id
        self.seen = len(self.screen())
        self.buttons: list[dict[str, Any]] = []

    def screen(self) -> list[dict[str, Any]]:
        response = self.http.get(f"/_emulator/screen/{self.platform}/{self.user_id}")
        response.raise_for_status()
        result: list[dict[str, Any]] = response.json()
        return result

    def send(self, text: str | None = None, data: str | None = None) -> int:
        path = "/_emulator/line/events" if self.platform == "line" else "/_emulator/telegram/updates"
        body: dict[str, Any] = {"user_id": self.user_id}
        body.update({"text": text} if data is None else {"data": data})
        response = self.http.post(path, json=body)
        response.raise_for_status()
        status: int = response.json()["status"]
        return status

    def new_messages(self) -> list[dict[str, Any]]:
        """Wait until the bot's answer arrives (or a few seconds pass), then for all its parts; return what is new."""
        start = last_change = time.monotonic()
        seen = self.seen
        while True:
            time.sleep(POLL_S)
            now = time.monotonic()
            count = len(self.screen())
            if count > seen:
                seen, last_change = count, now
            enough = QUIET_S if seen > self.seen else WAIT_S
            if now - last_change > enough or now - start > LONGEST_S:
                break
        screen = self.screen()
        fresh, self.seen = screen[self.seen:], len(screen)
        return fresh


def show(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    buttons: list[dict[str, Any]] = []
    for message in messages:
        print(f"bot> {message.get('text') or '[' + message.get('kind', '?') + ']'}")
        for button in message.get("buttons", []):
            buttons.append(button)
            print(f"   [{len(buttons)}] {button['label']}")
    return buttons


def cmd_chat(args: argparse.Namespace) -> int:
    who = persona(args.persona)
    user_id = who.line_user_id if args.platform == "line" else str(who.telegram_id)
    phone = Phone(args.emulator, args.platform, user_id)
    print(f"You are {who.name or 'a guest'} ({who.key}) on {args.platform}. Type /help; a number presses a "
          "button; Ctrl-D quits.")
    buttons: list[dict[str, Any]] = []
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            print()
            return 0
        if not line:
            continue
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            status = phone.send(data=buttons[int(line) - 1]["data"])
        else:
            status = phone.send(text=line)
        if status != 200:
            print(f"(the service answered the webhook with {status})")
        fresh = phone.new_messages()
        if not fresh:
            print("(no answer yet)")
        buttons = show(fresh) or buttons
