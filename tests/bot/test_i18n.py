"""Dates read naturally: Buddhist Era and Thai month abbreviations for Thai users, Gregorian in English."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import DomainError
from bot.i18n import Text, When, format_datetime, parse_date, parse_datetime

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


def test_a_text_or_a_moment_given_as_a_parameter_is_shown_in_the_readers_language() -> None:
    """A use case raises a refusal without knowing who reads it; each reader sees it whole in their language."""

    class Closed(DomainError):
        text = Text("ปิดรับคำตอบ \"{title}\" แล้วเมื่อ {when}", "Answers for \"{title}\" closed at {when}.")

    refusal = Closed(title=Text("สัมมนา", "Workshop"), when=When(datetime(2026, 3, 19, 2, 0, tzinfo=UTC), BANGKOK))
    assert refusal.text.render("th", **refusal.params) == "ปิดรับคำตอบ \"สัมมนา\" แล้วเมื่อ 19 มี.ค. 2569 09:00 น."
    assert refusal.text.render("en", **refusal.params) == "Answers for \"Workshop\" closed at 19 Mar 2026 09:00."
    assert str(refusal) == "Answers for \"Workshop\" closed at 19 Mar 2026 09:00."  # what a log line shows


def test_text_renders_in_the_persons_language_with_parameters() -> None:
    hello = Text("สวัสดี {name}", "Hello {name}")
    assert hello.render("th", name="กนก") == "สวัสดี กนก"
    assert hello.render("en", name="Kanok") == "Hello Kanok"


@pytest.mark.parametrize(("typed", "meant"), [
    ("15 ธ.ค. 2569 16:30", (2026, 12, 15, 16, 30)), ("15 ธันวาคม 2569 16.30 น.", (2026, 12, 15, 16, 30)),
    ("15/12/2569 16:30", (2026, 12, 15, 16, 30)), ("15/12/69 16:30", (2026, 12, 15, 16, 30)),
    ("2569-12-15 16:30", (2026, 12, 15, 16, 30)), ("2026-12-15 16:30", (2026, 12, 15, 16, 30)),
    ("15/12/2026 9 โมง", (2026, 12, 15, 9, 0)), ("20 พ.ค. 2570 บ่าย 3 โมง", (2027, 5, 20, 15, 0)),
    ("20/5/2570 9.00", (2027, 5, 20, 9, 0)), ("๑๕ ธ.ค. ๒๕๖๙ ๑๖:๓๐ น.", (2026, 12, 15, 16, 30)),
    ("29 ก.พ. 2567 10:00", (2024, 2, 29, 10, 0)), ("1/2/2570 2 ทุ่ม", (2027, 2, 1, 20, 0)),
])
def test_dates_and_times_as_thai_people_write_them(typed: str, meant: tuple[int, int, int, int, int]) -> None:
    year, month, day, hour, minute = meant
    assert parse_datetime(typed, BANGKOK) == datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_date_the_bot_prints_reads_back(lang: str) -> None:
    for moment in (datetime(2026, 12, 15, 9, 30, tzinfo=UTC), datetime(2024, 2, 28, 17, 0, tzinfo=UTC)):
        assert parse_datetime(format_datetime(moment, lang, BANGKOK), BANGKOK) == moment
        assert parse_date(format_datetime(moment, lang, BANGKOK, with_time=False)) == moment.astimezone(BANGKOK).date()


@pytest.mark.parametrize("typed", ["30 ก.พ. 2569 10:00", "15/13/2569 10:00", "15 ธ.ค. 2569", "พรุ่งนี้ 9 โมง"])
def test_an_impossible_or_incomplete_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(typed, BANGKOK)
