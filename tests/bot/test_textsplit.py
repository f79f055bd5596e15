"""Counting and splitting text as the platforms count it: UTF-16 units, grapheme clusters, Thai syllable breaks."""

from __future__ import annotations

import pytest

from bot.textsplit import cut, grapheme_len, label, split, utf16_len


def test_line_counts_an_emoji_as_two_and_a_thai_syllable_with_marks_as_one_character() -> None:
    assert (len("📢"), utf16_len("📢")) == (1, 2)
    assert (len("น้ำ"), grapheme_len("น้ำ")) == (3, 1)
    assert grapheme_len("👨‍👩‍👧") == 1


def test_a_label_is_cut_between_whole_characters_and_is_never_empty() -> None:
    assert cut("ที่ประชุมจังหวัดเชียงใหม่", 8) == "ที่ประชุมจั…"  # 7 characters and the ellipsis
    assert label("  ", 20) == "…"
    assert label("ยืนยัน\nเข้าร่วม", 20) == "ยืนยัน เข้าร่วม"


@pytest.mark.parametrize(("text", "limit", "pieces"), [
    ("บรรทัดแรก ยาว\nบรรทัดสอง", 16, ["บรรทัดแรก ยาว", "บรรทัดสอง"]),  # a line break first
    ("สวัสดี\nครับ ท่าน", 6, ["สวัสดี", "ครับ", "ท่าน"]),  # even one just past the limit
    ("ประชุม วันจันทร์ เวลาเก้าโมง", 20, ["ประชุม วันจันทร์", "เวลาเก้าโมง"]),  # then a space
    ("ประชุมวันจันทร์เวลาเก้าโมง", 20, ["ประชุมวันจันทร์เวลา", "เก้าโมง"]),  # then before a leading vowel
    ("น้ำน้ำน้ำ", 4, ["น้ำ", "น้ำ", "น้ำ"]),  # never between a letter and its marks
])
def test_a_long_text_is_split_at_the_best_place(text: str, limit: int, pieces: list[str]) -> None:
    assert split(text, limit) == pieces


def test_a_split_counts_as_the_platform_does() -> None:
    assert [utf16_len(p) for p in split("🍎" * 5, 4, utf16_len)] == [4, 4, 2]
    assert split("", 10) == [""]
