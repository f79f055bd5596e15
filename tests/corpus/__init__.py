"""Typed messages with the route and argument each should reach (messages.tsv), and the code that scores them.

A route is a command word (`rsvp`), `code` (a bare invite code), `date` (a date and time read from a form or
command; the argument is the local time read, `YYYY-MM-DD HH:MM`), `search` (a keyword query; the argument is
what is searched for) or `none` (nothing to run: chit-chat, emoji, a word near a command).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.router import Routes

MESSAGES = Path(__file__).with_name("messages.tsv")

@dataclass(frozen=True)
class Case:
    feature: str
    text: str
    route: str
    args: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    route: str
    args: str

    @property
    def right(self) -> bool:
        return (self.route, self.args) == (self.case.route, self.case.args)

    @property
    def wrong_write(self) -> bool:
        """Reached a command that writes (an answer, an update, a submission) other than the one meant."""
        return not self.right and is_write(self.route, self.args)


def load() -> list[Case]:
    with MESSAGES.open(newline="") as f:
        return [Case(**row) for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def is_write(route: str, args: str) -> bool:
    """Whether this route with this argument changes something (even behind a confirmation button)."""
    words = args.split()
    first = words[0].lower() if words else ""
    if route in ("ack", "code", "invite", "update", "revoke", "delegate"):
        return True
    if route == "rsvp":
        return len(words) >= 2
    if route == "broadcast":
        return bool(words) and first not in ("status", "acks", "สถานะ", "ผู้รับทราบ")
    if route == "window":
        return first in ("add", "move", "delete", "submit")
    if route == "attendees":
        return "seats" in words
    return route in ("join", "submitted", "newworkshop", "checkin", "lang", "watch", "unwatch") and bool(words)


def run(cases: list[Case], understand: Callable[[str, str], tuple[str, str]]) -> list[Outcome]:
    """Each case through `understand(text, feature)`."""
    return [Outcome(case, *understand(case.text, case.feature)) for case in cases]


TEXT_ROUTES = {"bare_code": "code"}


@cache
def _routes() -> Routes:
    from bot.app import routes

    return routes()


def understand(text: str, feature: str) -> tuple[str, str]:
    """What the bot makes of `text`: the route it reaches and the argument its handler reads (the router's own
    `Routes.match` and text matchers, `parse_datetime` for dates, `search_text` for keyword queries)."""
    from zoneinfo import ZoneInfo

    from bot.i18n import parse_datetime
    from bot.understand import normalize, search_text

    if feature == "dates":
        try:
            return "date", parse_datetime(text, ZoneInfo("Asia/Bangkok")).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return "none", ""
    if feature == "search":
        return "search", search_text(text)
    table = _routes()
    found = table.match(text)
    if found is not None:
        return found[0].words[0], found[1]
    typed = normalize(text)
    for router in table.routers:
        for matcher, handler, *_ in router.texts:
            if matcher(typed):
                return TEXT_ROUTES[handler.__name__], typed
    return "none", ""
