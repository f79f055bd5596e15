"""`coordbot chat --as PERSON`: talk to the running demo service from a terminal, over the real webhook path.

Each line you type is sent by the emulator as a signed LINE or Telegram webhook from that person; what the bot
sends is read back from the emulator's record of their phone and printed as it arrives, pushes included
(reminders, offers, announcements). Type a button's number to press it: numbers are never reused, so an old
number presses the old button (which may answer that it expired), never a new one. A link button prints its
address. `:location LAT,LON [name]` shares a map point, as the phone's location button would. `:menu` prints the
person's menu (their LINE rich menu, or their Telegram command list) as m1, m2, ...; typing `m3` taps its third
item, as a thumb on the menu would.
"""

from __future__ import annotations

import argparse
import re
import readline
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.commands import Add, Subparsers
from storage.demo import persona

POLL_S = 0.3
PROMPT = "you> "
LOCATION = re.compile(r"^:location\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*(.*)$")
MENU_TAP = re.compile(r"^m(\d+)$")


@dataclass
class Screen:
    """What has been printed of a phone, and every button shown so far by its number."""

    seen: int = 0
    buttons: dict[int, dict[str, Any]] = field(default_factory=dict)

    def render(self, messages: list[dict[str, Any]]) -> list[str]:
        """Lines for new messages; each button gets the next number."""
        lines = []
        for message in messages:
            text = message.get("text") or f"[{message.get('kind', '?')}]"
            lines.append("bot> " + text.replace("\n", "\n     "))
            for button in message.get("buttons", []):
                number = len(self.buttons) + 1
                self.buttons[number] = button
                link = f"  → {button['data']}" if is_link(button) else ""
                lines.append(f"   [{number}] {button['label']}{link}")
        return lines


def is_link(button: dict[str, Any]) -> bool:
    return str(button.get("data", "")).startswith(("http://", "https://"))


class Phone:
    """One demo person's phone, driven through the emulator's control API."""

    def __init__(self, emulator_url: str, platform: str, user_id: str) -> None:
        self.http = httpx.Client(base_url=emulator_url, timeout=10)
        self.platform = platform
        self.user_id = user_id

    def screen(self, after: int = 0) -> list[dict[str, Any]]:
        response = self.http.get(f"/_emulator/screen/{self.platform}/{self.user_id}", params={"after": after})
        response.raise_for_status()
        result: list[dict[str, Any]] = response.json()
        return result

    def close(self) -> None:
        self.http.close()

    def menu(self) -> list[dict[str, Any]]:
        """The person's menu as the emulator shows it: each item's label and what tapping it sends."""
        response = self.http.get(f"/_emulator/menu/{self.platform}/{self.user_id}")
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()
        return items

    def tap(self, number: int) -> int:
        """Tap menu item `number` (from 1); the status the service answered the webhook with."""
        response = self.http.post(f"/_emulator/menu/{self.platform}/{self.user_id}/{number}")
        if response.status_code == 404:
            return 404
        response.raise_for_status()
        status: int = response.json()["status"]
        return status

    def send(self, **action: Any) -> int:
        """Post the person's action (`text`, `data` of a button, or `type="location"` with its point)."""
        path = "/_emulator/line/events" if self.platform == "line" else "/_emulator/telegram/updates"
        response = self.http.post(path, json={"user_id": self.user_id, **action})
        response.raise_for_status()
        status: int = response.json()["status"]
        return status


def menu_lines(items: list[dict[str, Any]]) -> list[str]:
    """The menu as printed: `m1 ...` per item (a tab header starts with ⇄, the current tab ends with •)."""
    if not items:
        return ["(no menu)"]
    return [f"   m{number} {item['label']}" for number, item in enumerate(items, start=1)]


def action_for(line: str, screen: Screen) -> dict[str, Any] | str:
    """What a typed line does: a dict to post, or a string to print instead (a link, an unknown number)."""
    if line.isdecimal():
        button = screen.buttons.get(int(line))
        if button is None:
            return f"(there is no button [{line}])"
        if is_link(button):
            return f"open {button['data']}"
        return {"data": button["data"]}
    tap = MENU_TAP.match(line)
    if tap:
        return {"menu": int(tap[1])}
    point = LOCATION.match(line)
    if point:
        return {"type": "location", "latitude": float(point[1]), "longitude": float(point[2]),
                "title": point[3].strip() or None}
    if line.startswith(":location"):
        return "(usage: :location 18.7883,98.9853 ศาลากลางจังหวัดเชียงใหม่)"
    return {"text": line}


def watch(phone: Phone, screen: Screen, out: Callable[[list[str]], None], stop: threading.Event) -> None:
    """Print what arrives on the phone as it arrives, until told to stop."""
    while not stop.wait(POLL_S):
        try:
            fresh = phone.screen(after=screen.seen)
        except httpx.HTTPError:
            continue
        if fresh:
            screen.seen += len(fresh)
            try:
                out(screen.render(fresh))
            except BrokenPipeError:
                return  # the reader went away (`coordbot chat | head`); the prompt's next write stops the rest


class Terminal:
    """Prints what arrives above the prompt, and shows the prompt (with what was being typed) again only while
    the person is at it."""

    def __init__(self) -> None:
        self.prompting = threading.Event()

    def ask(self) -> str:
        self.prompting.set()
        try:
            return input(PROMPT)
        finally:
            self.prompting.clear()

    def show(self, lines: list[str]) -> None:
        again = PROMPT + readline.get_line_buffer() if self.prompting.is_set() else ""
        sys.stdout.write("\r\x1b[K" + "\n".join(lines) + "\n" + again)
        sys.stdout.flush()


NOT_RUNNING = ("coordbot chat: nothing answers at {url}. Start the demo in another terminal with `make run` (its "
               "banner prints this command with the right address), or pass --emulator URL.")
GONE = "(nothing answers at {url} any more: is `make run` still running? Type again once it is.)"


def cmd_chat(args: argparse.Namespace) -> int:
    who = persona(args.persona)
    user_id = who.line_user_id if args.platform == "line" else str(who.telegram_id)
    phone = Phone(args.emulator, args.platform, user_id)
    try:
        screen = Screen(seen=len(phone.screen()))
    except httpx.TransportError:
        print(NOT_RUNNING.format(url=args.emulator), file=sys.stderr)
        return 1
    print(f"You are {who.name or 'a guest'} ({who.key}) on {args.platform}. Type /help; a number presses a "
          "button; :menu shows the menu and m1, m2, ... tap it; :location LAT,LON [name] shares a place; "
          "Ctrl-D quits.")
    stop, terminal = threading.Event(), Terminal()
    watcher = threading.Thread(target=watch, args=(phone, screen, terminal.show, stop), daemon=True)
    watcher.start()
    try:
        while True:
            try:
                line = terminal.ask().strip()
            except EOFError:
                print()
                return 0
            try:
                act(line, phone, screen)
            except httpx.TransportError:
                print(GONE.format(url=args.emulator))  # typing again once it is back works
    finally:
        stop.set()
        watcher.join()
        phone.close()


def act(line: str, phone: Phone, screen: Screen) -> None:
    """Do what one typed line asks: send it as a message, press a button, show or tap the menu."""
    if not line:
        return
    if line == ":menu":
        print("\n".join(menu_lines(phone.menu())))
        return
    action = action_for(line, screen)
    if isinstance(action, str):
        print(action)
        return
    items = phone.menu() if "menu" in action else []
    status = phone.tap(action["menu"]) if "menu" in action else phone.send(**action)
    if status == 404:
        print(f"(there is no menu item m{action.get('menu')}; :menu lists them)")
        return
    if "switch" in (items[action["menu"] - 1] if status == 200 and items else {}):
        print("\n".join(menu_lines(phone.menu())))  # a tab: LINE shows the other part of the menu
    if status != 200:
        print(f"(the service answered the webhook with {status})")
    time.sleep(POLL_S)


def register(sub: Subparsers, add: Add) -> None:
    talk = add("chat", cmd_chat)
    talk.add_argument("--as", dest="persona", default="coord-cmi", help="demo person, e.g. admin, dg-cmi, guest")
    talk.add_argument("--platform", choices=["line", "telegram"], default="line")
    talk.add_argument("--emulator", default="http://127.0.0.1:8081", help="the emulator's URL")
