"""Dates read naturally: Buddhist Era and Thai month abbreviations for Thai users, Gregorian in English."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Text, format_datetime

BANGKOK = ZoneInfo("Asia/Bangkok")


def test_thai_users_see_buddhist_era_in_bangkok_time() -> None:
    moment = datetime(2026, 3, 19, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok
    assert format_datetime(moment, "th", BANGKOK) == "19 มี.ค. 2569 09:00 น."


def test_english_users_see_gregorian_dates() -> None:
    moment = datetime(2026, 3, 19, 2, 0, tzinfo=UTC)
    assert format_datetime(moment, "en", BANGKOK) == "19 Mar 2026 09:00"


def test_the_first_workshop_date_in_2558_be() -> None:
    assert format_datetime(datetime(2015, 3, 19, 1, 30, tzinfo=UTC), "th", BANGKOK, with_time=False) == \
        "19 มี.ค. 2558"


def test_text_renders_in_the_persons_language_with_parameters() -> None:
    hello = Text("สวัสดี {name}", "Hello {name}")
    assert hello.render("th", name="กนก") == "สวัสดี กนก"
    assert hello.render("en", name="Kanok") == "Hello Kanok"
