"""Thai-first texts. A `Text` holds both languages beside the code that uses it."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.understand import normalize, strip_particles

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
        """The text in `lang`; a parameter that is itself a `Text` or a `When` is rendered in `lang` too, so code
        that knows no reader (a use case raising a domain error) can still name things in both languages."""
        template = self.en if lang == "en" else self.th
        if not params:
            return template
        params = {k: v.render(lang) if isinstance(v, Text | When) else v for k, v in params.items()}
        return COUNTING.format(template, **params) if "|" in template else template.format(**params)


@dataclass(frozen=True)
class When:
    """A moment as a text's parameter: shown by `format_datetime` in the reader's language, in `tz`."""

    moment: datetime
    tz: ZoneInfo
    with_time: bool = True

    def render(self, lang: str) -> str:
        return format_datetime(self.moment, lang, self.tz, self.with_time)


def both(name: Callable[[str], str]) -> Text:
    """A name in both languages (a province, a window's title), so a service can hand it over unrendered."""
    return Text(name("th"), name("en"))


class Speaker(Protocol):
    """Whoever texts are composed for: a chat handler's `Context`, or any reader with a language and a clock."""

    @property
    def lang(self) -> str: ...
    def t(self, message: Text, /, **params: object) -> str: ...
    def when(self, moment: datetime, with_time: bool = True) -> str: ...


def on_clock(params: Mapping[str, object], tz: ZoneInfo) -> dict[str, object]:
    """Parameters with each bare moment shown on the reader's clock (a `When` in `tz`); `Text.render` does the
    rest. Services raise errors with moments, so that they need neither a language nor a time zone."""
    return {key: When(value, tz) if isinstance(value, datetime) else value for key, value in params.items()}


def format_datetime(moment: datetime, lang: str, tz: ZoneInfo, with_time: bool = True) -> str:
    """`19 มี.ค. 2569 09:00 น.` (Buddhist Era) for Thai readers, `19 Mar 2026 09:00` for English."""
    local = moment.astimezone(tz)
    if lang == "en":
        return local.strftime("%d %b %Y %H:%M" if with_time else "%d %b %Y").lstrip("0")
    date = f"{local.day} {THAI_MONTHS[local.month - 1]} {local.year + 543}"
    return f"{date} {local:%H:%M} น." if with_time else date


THAI_MONTH_NAMES = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                    "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december")
MONTH_WORDS = {
    **{name: n for n, name in enumerate(THAI_MONTHS, 1)},
    **{name.replace(".", ""): n for n, name in enumerate(THAI_MONTHS, 1)},
    **{name: n for n, name in enumerate(THAI_MONTH_NAMES, 1)},
    **{name: n for n, name in enumerate(ENGLISH_MONTHS, 1)},
    **{name[:3]: n for n, name in enumerate(ENGLISH_MONTHS, 1)},
    "sept": 9,
}
_MONTH = "|".join(re.escape(m) for m in sorted(MONTH_WORDS, key=len, reverse=True))
_ERA = r"(?:(?P<era>พ\.?ศ\.?|ค\.?ศ\.?|be|ce|ad)\s*)?"
_DATES = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?=[ t]|$)", re.IGNORECASE),
    re.compile(r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*" + _ERA + r"(?P<y>\d{4}|\d{2})(?!\d)",
               re.IGNORECASE),
    re.compile(r"(?P<d>\d{1,2})\s*(?P<mon>" + _MONTH + r")\.?\s*,?\s*" + _ERA + r"(?P<y>\d{4}|\d{2})(?!\d)",
               re.IGNORECASE),
)
_CLOCK = re.compile(r"(?P<h>\d{1,2})\s*[:.]\s*(?P<mi>\d{2})\s*(?:น\.?|นาฬิกา)?\s*(?P<ampm>[ap]\.?m\.?)?",
                    re.IGNORECASE)
_HOUR_EN = re.compile(r"(?P<h>\d{1,2})\s*(?P<ampm>[ap]\.?m\.?)", re.IGNORECASE)
_HOUR_TH = re.compile(r"(?P<part>บ่าย|เช้า|ตี)?\s*(?P<h>\d{1,2})?\s*(?P<unit>โมง|ทุ่ม|นาฬิกา|น\.)"
                      r"\s*(?P<tail>เช้า|เย็น|ตรง|เที่ยง)?\s*(?P<half>ครึ่ง)?")
_NOON = re.compile(r"(?:เที่ยงวัน|เที่ยงตรง|เที่ยง|noon)(?!คืน)", re.IGNORECASE)
HOUR_WORDS = {"สิบสอง": 12, "สิบเอ็ด": 11, "สิบ": 10, "หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
              "เจ็ด": 7, "แปด": 8, "เก้า": 9}
_HOUR_WORD = re.compile("(" + "|".join(HOUR_WORDS) + r")(?=\s*(?:โมง|ทุ่ม))")
_TIME_START = re.compile(r"(?:t(?=\d)|เวลา|at\b)\s*", re.IGNORECASE)


def _year(text: str, era: str | None) -> int:
    """A CE year from what was typed (the rule is in `parse_datetime`)."""
    year = int(text)
    christian = era is not None and era.replace(".", "").lower() in ("คศ", "ce", "ad")
    if len(text) == 2:
        return 2000 + year if christian else 2500 + year - 543
    return year - 543 if year > 2400 else year


def read_date(text: str) -> tuple[date, str]:
    """The date at the start of `text` and what follows it; ValueError if there is none."""
    typed = normalize(text).removeprefix("วันที่").strip()
    for pattern in _DATES:
        match = pattern.match(typed)
        if match is None:
            continue
        parts = match.groupdict()
        month = MONTH_WORDS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
        return date(_year(parts["y"], parts.get("era")), month, int(parts["d"])), typed[match.end():].strip(" ,")
    raise ValueError(f"not a date like 15 ธ.ค. 2569 or 2569-12-15: {text!r}")


def read_time(text: str) -> tuple[time, str]:
    """The time of day at the start of `text` and what follows it; ValueError if there is none."""
    typed = normalize(text)
    typed = typed[start.end():] if (start := _TIME_START.match(typed)) else typed
    typed = _HOUR_WORD.sub(lambda m: str(HOUR_WORDS[m[1]]), typed, count=1)
    if (match := _CLOCK.match(typed)) or (match := _HOUR_EN.match(typed)):
        hour, minute = int(match["h"]), int(match.groupdict().get("mi") or 0)
        if match["ampm"]:
            hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
        return time(hour, minute), typed[match.end():].strip()
    if match := _NOON.match(typed):
        return time(12, 0), typed[match.end():].strip()
    if (match := _HOUR_TH.match(typed)) and (match["h"] or match["part"] == "บ่าย"):
        hour = int(match["h"] or 1)
        if match["part"] == "บ่าย" or match["tail"] == "เย็น" or (match["unit"] == "โมง" and hour <= 6
                                                                  and match["part"] != "เช้า"):
            hour = hour % 12 + 12
        elif match["unit"] == "ทุ่ม":
            hour += 18
        return time(hour % 24, 30 if match["half"] else 0), typed[match.end():].strip()
    raise ValueError(f"not a time like 16:30: {text!r}")


def read_datetime(text: str, tz: ZoneInfo) -> tuple[datetime, str]:
    """A date and time at the start of `text` (as `parse_datetime` reads them) and the text after them."""
    day, rest = read_date(text)
    if not rest:
        raise ValueError(f'a date without a time: give both, like "{text.strip()} 16:30"')
    moment, rest = read_time(rest)
    return datetime.combine(day, moment, tzinfo=tz), rest


def parse_date(text: str) -> date:
    """A date alone, read as `parse_datetime` reads one."""
    day, rest = read_date(text)
    if strip_particles(rest):
        raise ValueError(f"more than a date: {text!r}")
    return day


def parse_datetime(text: str, tz: ZoneInfo) -> datetime:
    """A local date and time as Thai people write it, as an aware datetime.

    Dates: `15 ธ.ค. 2569`, `15 ธันวาคม 2569`, `15 Dec 2026`, `15/12/2569`, `15-12-69`, `2569-12-15` (and every form
    `format_datetime` prints). Numbers are always day then month (the Thai and British order); only a four-digit
    year first (`2569-12-15`) is year-month-day. A four-digit year above 2400 is Buddhist Era, otherwise CE; a
    two-digit year is the last two digits of the Buddhist Era year (`69` = 2569), as Thai forms write it, unless
    marked `ค.ศ.`. The year is converted before the date is built, so a Buddhist Era leap day (2567-02-29) reads.
    Times: `16:30`, `16.30`, `16.30 น.`, `4pm`, `9 โมง`, `บ่าย 3 โมง`, `4 โมงเย็น`, `2 ทุ่ม`, `เที่ยง`; a bare
    `N โมง` from 1 to 6 is the afternoon (`3 โมง` = 15:00), as people say it.
    """
    moment, rest = read_datetime(text, tz)
    if strip_particles(rest):
        raise ValueError(f"not a date and time like 15 ธ.ค. 2569 16:30: {text!r}")
    return moment
