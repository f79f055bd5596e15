"""The emulated Bot API's HTML formatting as Telegram's server (tdlib) does it: the tags of the "Formatting options"
page, and entities nested against its rules dropped, not refused; the length limit counted in code points."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.emulator import EmulatorState
from tests.emulator.conftest import CHAT


async def entities(bot: Bot, markup: str) -> tuple[str, list[dict[str, Any]]]:
    message = await bot.send_message(CHAT, markup, parse_mode=ParseMode.HTML)
    return message.text or "", [dict(e.to_dict()) for e in message.entities]


async def test_an_expandable_blockquote_is_accepted(bot: Bot) -> None:
    text, found = await entities(bot, "<blockquote expandable>รายละเอียด\nบรรทัดที่ซ่อน</blockquote>")
    assert text == "รายละเอียด\nบรรทัดที่ซ่อน"
    assert found == [{"type": "expandable_blockquote", "offset": 0, "length": 24}]


async def test_a_tg_time_becomes_a_date_time_entity(bot: Bot) -> None:
    text, found = await entities(bot, 'ประชุม <tg-time unix="1773900000" format="wDT">19 มี.ค. 09:00</tg-time>')
    assert text == "ประชุม 19 มี.ค. 09:00"
    assert found == [{"type": "date_time", "offset": 7, "length": 14, "unix_time": 1773900000,
                      "date_time_format": "wDT"}]
    assert await entities(bot, "<tg-time>เร็ว ๆ นี้</tg-time>") == ("เร็ว ๆ นี้", [])  # no time: plain text


async def test_a_tg_time_with_an_unknown_format_is_refused(bot: Bot, state: EmulatorState) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: invalid date format used"):
        await bot.send_message(CHAT, '<tg-time unix="1773900000" format="x">พรุ่งนี้</tg-time>',
                               parse_mode=ParseMode.HTML)
    assert state.screen("telegram", CHAT) == []


@pytest.mark.parametrize(("markup", "expected"), [
    ("<code><b>โค้ด</b></code>", [("code", 0, 4)]),  # nothing inside code or pre
    ('<pre><a href="https://x.org">ลิงก์</a></pre>', [("pre", 0, 5)]),
    ("<b>ก<code>x</code>ข</b>", [("bold", 0, 1), ("code", 1, 1), ("bold", 2, 1)]),  # formatting is cut around code
    ("<blockquote>ก<blockquote>ข</blockquote></blockquote>", [("blockquote", 0, 2)]),  # blockquotes do not nest
    ('<a href="https://x.org">ก<a href="https://y.org">ข</a></a>', [("text_link", 0, 2)]),
    ("<blockquote><b>ตัวหนา</b> ในคำพูด</blockquote>", [("blockquote", 0, 14), ("bold", 0, 6)]),  # allowed
])
async def test_entities_nested_against_the_rules_are_dropped_not_refused(
    bot: Bot, markup: str, expected: list[tuple[str, int, int]]
) -> None:
    _, found = await entities(bot, markup)
    assert [(e["type"], e["offset"], e["length"]) for e in found] == expected


async def test_the_length_limit_counts_code_points_not_utf16_units(bot: Bot) -> None:
    await bot.send_message(CHAT, "🍎" * 4096)  # 8,192 UTF-16 units, 4,096 characters as tdlib counts them
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "🍎" * 4097)
