"""What an author types after /broadcast, understood: leading `key=value` options and flags, then the text."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from bot.config import Settings
from bot.errors import DomainError, UsageError
from bot.i18n import parse_datetime
from handlers.broadcast.errors import BadUrl, BadWhen
from handlers.segments import ANSWERS, parse_segment
from storage.broadcast import Segment

KEYS = {
    "role": "role", "roles": "role", "บทบาท": "role", "province": "province", "provinces": "province",
    "จังหวัด": "province", "cluster": "cluster", "clusters": "cluster", "กลุ่ม": "cluster",
    "กลุ่มจังหวัด": "cluster", "region": "region", "ภาค": "region", "platform": "platform",
    "แพลตฟอร์ม": "platform", "at": "at", "เวลา": "at", "image": "image", "รูป": "image", "link": "link",
    "ลิงก์": "link", "workshop": "workshop", "สัมมนา": "workshop", "window": "window", "รอบ": "window",
    "รอบส่งแผน": "window",
}
FLAGS = {"ack": "ack", "รับทราบ": "ack", "quiet": "quiet", "เวลาเงียบ": "quiet", "attending": "attending",
         "ตอบรับ": "attending", "silent": "silent", "ยังไม่ตอบ": "silent", "unsubmitted": "unsubmitted",
         "ยังไม่ส่ง": "unsubmitted"}
# A date option's value holds one space (`2570-03-05 09:00`, `5/3/2570 9.00`); other values none.
OPTION = re.compile(r"\s*(?:(?P<key>[^\s=|]+)=(?P<value>(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})[ T]"
                    r"\d{1,2}[:.]\d{2}|[^\s|]+)"
                    r"|(?P<flag>[^\s=|]+)(?=\s|\||$))")


@dataclasses.dataclass
class Draft:
    """What the author typed, understood."""

    text: str = ""
    segment: Segment = dataclasses.field(default_factory=Segment)
    send_at: datetime | None = None
    image_url: str = ""
    link_url: str = ""
    ask_ack: bool = False
    quiet_hours: bool = False


def parse_draft(args: str, settings: Settings, now: datetime) -> Draft:
    """Leading `key=value` options and flags, then the text (after `|`, or whatever follows the options).

    Before a `|` an option's value may hold spaces (`จังหวัด=Khon Kaen`, `เวลา=15 ธ.ค. 2569 16:30`): it runs until
    the next option or flag. If the options read that way make no sense (the words were the text, and the `|`
    part of it), they are read the way without a `|`."""
    head, bar, text = args.partition("|")
    spaced = _spaced_options(head) if bar else None
    if spaced is not None:
        try:
            return _draft(spaced, text, settings, now)
        except DomainError:
            pass
    found: list[tuple[str, str | None]] = []
    pos = 0
    while (match := OPTION.match(args, pos)) is not None:
        key = KEYS.get(match["key"].lower()) if match["key"] is not None else FLAGS.get(match["flag"].lower())
        if key is None:
            break
        found.append((key, match["value"]))
        pos = match.end()
    return _draft(found, args[pos:], settings, now)


def _draft(found: list[tuple[str, str | None]], text: str, settings: Settings, now: datetime) -> Draft:
    """The draft of these options (`value` None for a flag) and this text."""
    options: dict[str, list[str]] = {}
    draft = Draft(text=text.strip().removeprefix("|").strip())
    for name, value in found:
        if value is not None:
            options.setdefault(name, []).extend(v.strip() for v in value.split(",") if v.strip())
        elif name in ANSWERS:
            options.setdefault("answer", []).append(name)
        elif name in ("ack", "quiet"):
            setattr(draft, {"ack": "ask_ack", "quiet": "quiet_hours"}[name], True)
    if not draft.text:
        raise UsageError(usage="")
    draft.segment = parse_segment(options)
    for when in options.get("at", [])[:1]:
        draft.send_at = parse_send_at(when, settings, now)
    for name in ("image", "link"):
        for url in options.get(name, [])[:1]:
            setattr(draft, f"{name}_url", check_url(url))
    return draft


def _spaced_options(head: str) -> list[tuple[str, str | None]] | None:
    """The options before a `|` as (key or flag, value); None when the head does not start with one (then it is
    text, read the old way)."""
    found: list[tuple[str, str | None]] = []
    for word in head.split():
        name, eq, value = word.partition("=")
        key = KEYS.get(name.lower()) if eq else None
        flag = FLAGS.get(word.lower()) if not eq else None
        if key is not None:
            found.append((key, value))
        elif flag is not None:
            found.append((flag, None))
        elif found and found[-1][1] is not None:
            found[-1] = (found[-1][0], f"{found[-1][1]} {word}")
        else:
            return None
    return found or None


def parse_send_at(text: str, settings: Settings, now: datetime) -> datetime:
    """A Bangkok date and time still to come (`2026-03-19 09:00`; a `T` between them is fine too)."""
    try:
        when = parse_datetime(text.replace("T", " "), settings.tz)
    except ValueError as exc:
        raise BadWhen(text=text) from exc
    if when <= now:
        raise BadWhen(text=text)
    return when


def check_url(url: str) -> str:
    """Only https: LINE refuses any other image or button link."""
    if not url.startswith("https://"):
        raise BadUrl(url=url)
    return url
