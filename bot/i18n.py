"""Thai-first texts. A `Text` holds both languages beside the code that uses it."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

LANGUAGES = ("th", "en")

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


class _Counting(string.Formatter):
    """`{n:day|days}` is "1 day" or "3 days": English counts its nouns, Thai does not (its template has `{n}`)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return f"{value} {one if value == 1 else many}"
        return str(super().format_field(value, format_spec))


COUNTING = _Counting()


@dataclass(frozen=True)
class Text:
    """One text in both languages, with the same `{placeholders}`; an English count is written `{n:day|days}`."""

    th: str
    en: str

    def render(self, lang: str, **params: object) -> str:
        template = self.en if lang == "en" else self.th
        if not params:
            return template
        return COUNTING.format(template, **params) if "|" in template else template.format(**params)


def format_datetime(moment: datetime, lang: str, tz: ZoneInfo, with_time: bool = True) -> str:
    """`19 มี.ค. 2569 09:00 น.` (Buddhist Era) for Thai readers, `19 Mar 2026 09:00` for English."""
    local = moment.astimezone(tz)
    if lang == "en":
        return local.strftime("%d %b %Y %H:%M" if with_time else "%d %b %Y").lstrip("0")
    date = f"{local.day} {THAI_MONTHS[local.month - 1]} {local.year + 543}"
    return f"{date} {local:%H:%M} น." if with_time else date


ISO_LOCAL = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) +(\d{1,2}):(\d{2})")


def parse_datetime(text: str, tz: ZoneInfo) -> datetime:
    """`2569-12-15 16:30` (Buddhist Era) or `2026-12-15 16:30`, local time, as an aware datetime.

    The year is converted before the date is built, so a Buddhist Era leap day (2567-02-29) reads.
    """
    match = ISO_LOCAL.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a date and time like 2569-12-15 16:30: {text!r}")
    year, month, day, hour, minute = (int(part) for part in match.groups())
    return datetime(year - 543 if year > 2400 else year, month, day, hour, minute, tzinfo=tz)
