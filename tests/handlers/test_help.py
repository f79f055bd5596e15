"""Help and the menu, in Thai first and in English, on both platforms."""

from __future__ import annotations

import pytest

from tests.helpers import Phones


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_help_in_thai_lists_commands_with_buttons(phones: Phones, platform: str) -> None:
    phone = phones.line() if platform == "line" else phones.telegram()
    [answer] = await phone.say("ช่วยเหลือ")
    assert "เมนูคำสั่ง" in answer
    assert "/join" in answer
    assert phone.last_buttons, "the menu offers buttons"


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_unknown_text_gets_a_short_answer_in_the_users_language(phones: Phones, platform: str) -> None:
    """Issue 13 changed this: not the whole menu any more, a pointer to it (or "did you mean")."""
    phone = phones.line() if platform == "line" else phones.telegram()
    [thai] = await phone.say("สวัสดีครับ อยากทราบข้อมูล")
    assert "ไม่เข้าใจ" in thai and "ช่วยเหลือ" in thai and "เมนูคำสั่ง" not in thai
    await phone.say("/lang en")
    [english] = await phone.say("what can you do?")
    assert "did not understand" in english and "/help" in english and "commands (" not in english


async def test_a_menu_button_runs_its_command(phones: Phones) -> None:
    phone = phones.telegram()
    await phone.say("/help")
    [answer] = await phone.press("ลงทะเบียน")
    assert "รหัสเชิญ" in answer


async def test_language_choice_is_remembered(phones: Phones) -> None:
    phone = phones.line()
    assert await phone.say("/lang en") == ["Language set to English."]
    [answer] = await phone.say("/help")
    assert answer.startswith("coordbot commands")
    assert await phone.say("ภาษา th") == ["เปลี่ยนภาษาเป็นภาษาไทยแล้ว"]


async def test_a_forged_button_payload_gets_a_clear_reply(phones: Phones) -> None:
    phone = phones.line()
    [answer] = await phone.press_data("rsvp:999999:maybe:forged")
    assert "ปุ่มนี้หมดอายุหรือไม่ถูกต้อง" in answer
