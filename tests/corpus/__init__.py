"""Typed messages with the route and argument each should reach (messages.tsv), and the code that scores them.

A route is a command word (`rsvp`), `code` (a bare invite code), `date` (a date and time read from a form or
command; the argument is the local time read, `YYYY-MM-DD HH:MM`), `search` (a keyword query; the argument is
what is searched for) or `none` (nothing to run: chit-chat, emoji, a word near a command).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MESSAGES = Path(__file__).with_name("messages.tsv")

Understand = Callable[[str], tuple[str, str]]


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


def run(cases: list[Case], understand: Understand) -> list[Outcome]:
    return [Outcome(case, *understand(case.text)) for case in cases]
