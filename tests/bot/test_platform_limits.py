"""Long texts, cards and labels reach the phone whole, counted and split as LINE and Telegram count them."""

from __future__ import annotations

import json
import unicodedata

import pytest

from bot.emulator import Received
from bot.service import Service
from bot.textsplit import utf16_len
from storage.models import Role
from tests.factories import KHON_KAEN, bangkok, project, readable, seed, window_closing
from tests.helpers import Phone, Phones, register

# A Thai sentence with no spaces, so a split has to find a place inside the words themselves.
SENTENCE = "ขอให้ทุกจังหวัดเตรียมรับมือน้ำท่วมฉับพลันและแจ้งศูนย์ปฏิบัติการทันที"
NOT_A_START = "ะาำๅๆฯ"  # vowels and signs that follow their consonant, never begin a syllable


def thai_text(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length]


def starts_cleanly(text: str) -> bool:
    return bool(text) and unicodedata.category(text[0]) != "Mn" and text[0] not in NOT_A_START


def assert_whole(pieces: list[str], text: str) -> None:
    """The pieces are the text in order; at most a line break or a space between two of them is left out."""
    rest = text
    for piece in pieces:
        assert rest.startswith(piece), (piece[:20], rest[:20])
        rest = rest[len(piece):]
        if rest[:1] in ("\n", " "):
            rest = rest[1:]
    assert rest == ""


async def announce(phones: Phones, text: str) -> tuple[Phone, Phone]:
    admin = phones.line(900)
    register(admin, Role.admin, name="ผู้ดูแล")
    on_line, on_telegram = phones.line(1), phones.telegram(2)
    register(on_line, Role.coordinator, "TH-50", name="สมชาย")
    register(on_telegram, Role.coordinator, "TH-50", name="สมหญิง")
    await admin.say(f"/broadcast role=coordinator | {text}")
    await admin.press("ยืนยันส่ง")
    await admin.settle()
    return on_line, on_telegram


def texts(screen: list[Received]) -> list[str]:
    return [r.text for r in screen if r.kind == "text"]


async def test_a_5000_character_thai_announcement_arrives_whole_in_line_bubbles(phones: Phones) -> None:
    body = thai_text(4998)  # with "📢 " 5,000 characters, 5,001 UTF-16 units as LINE counts: over its limit
    on_line, _ = await announce(phones, body)
    bubbles = texts(on_line.screen)
    assert len(bubbles) == 2
    assert all(utf16_len(bubble) <= 5000 for bubble in bubbles)
    assert all(starts_cleanly(bubble) for bubble in bubbles)
    assert_whole(bubbles, f"📢 {body}")


async def test_a_5000_character_announcement_arrives_as_two_telegram_messages(phones: Phones) -> None:
    body = thai_text(4998)
    _, on_telegram = await announce(phones, body)
    messages = texts(on_telegram.screen)
    assert len(messages) == 2
    assert all(starts_cleanly(message) for message in messages)
    assert_whole(messages, f"📢 {body}")


async def test_a_long_text_is_split_at_a_line_break_first(phones: Phones) -> None:
    paragraphs = [thai_text(3000), thai_text(2500)]
    on_line, on_telegram = await announce(phones, "\n".join(paragraphs))
    assert texts(on_line.screen) == [f"📢 {paragraphs[0]}", paragraphs[1]]
    assert texts(on_telegram.screen) == [f"📢 {paragraphs[0]}", paragraphs[1]]


@pytest.mark.parametrize("platform", ["line", "telegram"])
async def test_a_project_card_too_long_for_one_bubble_is_split_and_nothing_is_lost(
    phones: Phones, service: Service, platform: str
) -> None:
    note = thai_text(12_000)  # 36 KB of UTF-8: over a Flex bubble's 30 KB and Telegram's 4,096 characters
    seed(service, [project("CMI-2569-0012", last_note=note)])
    phone = phones.line(1) if platform == "line" else phones.telegram(1)
    register(phone, Role.coordinator, "TH-50", name="กนกพร")
    await phone.say("/project CMI-2569-0012")
    cards = [r for r in phone.screen if r.kind in ("flex", "text") and "CMI-2569-0012" in readable([r])]
    shown = readable(cards)
    assert "".join(line.removeprefix("หมายเหตุล่าสุด: ") for line in shown.splitlines()
                   if SENTENCE[:5] in line) == note
    if platform == "line":  # one carousel whose bubbles each stay under LINE's 30 KB
        [carousel] = cards
        bubbles = carousel.raw["contents"]["contents"]
        assert len(bubbles) > 1 and all(len(json.dumps(b, ensure_ascii=False).encode()) <= 30 * 1024 for b in bubbles)
        assert all(json.dumps(b, ensure_ascii=False).count("CMI-2569-0012") == 1 for b in bubbles)
    else:  # several messages under Telegram's 4,096 characters, each headed by the card's title
        assert len(cards) > 1 and all(len(r.text) <= 4096 and r.text.startswith("CMI-2569-0012") for r in cards)


async def test_a_thai_button_label_is_cut_by_whole_characters(phones: Phones, service: Service) -> None:
    coordinator = phones.line(2)
    register(coordinator, Role.coordinator, KHON_KAEN)
    phones.clock.now = bangkok(13, 10)
    window_closing(service, bangkok(20, 10))
    # Pressing "submitted" under the deadlines is the immediate next step: a quick reply (20 characters).
    *_, choice = await coordinator.send(coordinator.event_for_text("/deadlines"))
    # "ส่งแล้ว: แผนพัฒนาจังหวัด 2570" is 29 code points but 24 characters as LINE counts labels: 19 fit before "…".
    assert choice.buttons[0][0] == "ส่งแล้ว: แผนพัฒนาจังหวัด…"
    assert choice.raw["quickReply"]["items"][0]["action"]["displayText"] == "ส่งแล้ว: แผนพัฒนาจังหวัด 2570"
