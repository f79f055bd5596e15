"""Text as phones and copy-paste deliver it, read the same as when typed cleanly."""

from __future__ import annotations

import pytest

from bot.app import routes
from bot.understand import normalize, search_text, strip_particles


@pytest.mark.parametrize(("typed", "clean"), [
    ("ทํา", "ทำ"),  # ำ typed as nikhahit + sara aa
    ("ก่ี", "กี่"),  # tone mark typed before the upper vowel
    ("ก่่อน", "ก่อน"),  # tone mark typed twice
    ("รับ\u200bทราบ", "รับทราบ"),  # zero-width space from copy-paste
    ("ตอบรับ\u00a03", "ตอบรับ 3"),  # non-breaking space
    ("๑๕/๑๒/๒๕๖๙", "15/12/2569"),
    ("ｈｅｌｐ　１", "help 1"),  # full-width letters, digit and space
    ("👍🏽", "👍"),  # skin tone
])
def test_normalize_undoes_what_phones_do(typed: str, clean: str) -> None:
    assert normalize(typed) == clean


@pytest.mark.parametrize(("typed", "left"), [
    ("3 ไปค่ะ", "3 ไป"), ("3 ไป นะคะ", "3 ไป"), ("เชียงใหม่ครับผม", "เชียงใหม่"), ("ค่ะ 3 ไป", "3 ไป"),
    ("สรุปหน่อยค่ะะ", "สรุป"), ("มูลค่า", "มูลค่า"), ("ขอบคุณครับ", ""),
])
def test_polite_particles_and_fillers_are_dropped(typed: str, left: str) -> None:
    assert strip_particles(typed) == left


@pytest.mark.parametrize(("typed", "word", "args"), [
    ("โครงการเชียงใหม่", "project", "เชียงใหม่"),
    ("สถานะโครงการ จ.เชียงใหม่", "project", "จ.เชียงใหม่"),  # the longest word wins over สถานะ
    ("ติดตามCMI-2569-0012", "watch", "CMI-2569-0012"),
    ("ตอบรับ3ไป", "rsvp", "3 ไป"),
    ("/help@coordbot", "help", ""),
    ("ประกาศ ประชุม ๙ โมงครับ", "broadcast", "ประชุม ๙ โมงครับ"),  # free text stays as typed
])
def test_the_longest_command_word_at_the_start_wins(typed: str, word: str, args: str) -> None:
    found = routes().match(typed)
    assert found is not None and (found[0].words[0], found[1]) == (word, args)


@pytest.mark.parametrize("typed", ["ประกาศนียบัตร", "meeting", "อยากทราบข้อมูล", "สวัสดีครับ"])
def test_a_word_that_only_starts_like_a_command_is_no_command(typed: str) -> None:
    assert routes().match(typed) is None


def test_keyword_queries_join_thai_words_and_keep_latin_ones_apart() -> None:
    assert search_text("พลังงาน ทดแทน ค่ะ") == "พลังงานทดแทน"
    assert search_text("smart farm เกษตร") == "smart farm เกษตร"
