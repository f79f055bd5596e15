"""The emulated Telegram Bot API, driven by python-telegram-bot: strict like Telegram, with its error texts."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TimedOut

from bot.emulator import EmulatorServer, EmulatorState
from tests.emulator.conftest import CHAT, TG_TOKEN


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)] for label, data in pairs])


async def test_initialize_calls_get_me_and_learns_the_bot(bot: Bot, state: EmulatorState) -> None:
    assert bot.id == 987654
    assert bot.username == "coordbot_bot"
    assert [c.endpoint for c in state.calls("telegram")] == ["getMe"]


async def test_sent_messages_come_back_as_messages_from_the_bot(bot: Bot, state: EmulatorState) -> None:
    first = await bot.send_message(CHAT, "<b>สวัสดี</b> &amp; ยินดีต้อนรับ", parse_mode=ParseMode.HTML)
    second = await bot.send_message(CHAT, "ข้อความที่สอง")
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.from_user is not None and first.from_user.id == bot.id
    assert first.chat.id == CHAT
    assert first.text == "สวัสดี & ยินดีต้อนรับ"
    assert [(e.type, e.offset, e.length) for e in first.entities] == [("bold", 0, 6)]
    assert [r.text for r in state.screen("telegram", CHAT)] == ["สวัสดี & ยินดีต้อนรับ", "ข้อความที่สอง"]


async def test_the_screen_shows_inline_buttons(bot: Bot, state: EmulatorState) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ไป", callback_data="rsvp:1:yes")],
                                   [InlineKeyboardButton("แผนที่", url="https://maps.example.org/x")]])
    await bot.send_message(CHAT, "มาไหม", reply_markup=markup)
    assert state.screen("telegram", CHAT)[0].buttons == [("ไป", "rsvp:1:yes"), ("แผนที่", "https://maps.example.org/x")]


async def test_callback_data_over_64_bytes_is_refused(bot: Bot, state: EmulatorState) -> None:
    thai = "ก" * 21 + "xx"  # 23 characters, 65 bytes in UTF-8
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "เลือก", reply_markup=keyboard(("ok", thai)))
    await bot.send_message(CHAT, "เลือก", reply_markup=keyboard(("ok", "ก" * 21 + "x")))
    assert len(state.screen("telegram", CHAT)) == 1


@pytest.mark.parametrize(("markup", "error"), [
    ("<b>ตัวหนา", "Can't find end tag corresponding to start tag \"b\""),
    ("a <script>x</script>", "Unsupported start tag \"script\" at byte offset 2"),
    ("<b><i>x</b></i>", "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""),
    ("ราคา < 100", "Unsupported start tag \"\" at byte offset 13"),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<span>x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"),
])
async def test_malformed_html_is_refused(bot: Bot, state: EmulatorState, markup: str, error: str) -> None:
    with pytest.raises(BadRequest) as exc:
        await bot.send_message(CHAT, markup, parse_mode=ParseMode.HTML)
    assert exc.value.message.lower() == f"can't parse entities: {error}".lower()  # PTB changes the case
    assert state.screen("telegram", CHAT) == []


async def test_allowed_html_parses_into_entities(bot: Bot) -> None:
    markup = ('<b>b</b><i>i</i><u>u</u><s>s</s><span class="tg-spoiler">p</span><a href="https://x.org/p">a</a>'
              '<code>c</code><pre language="python">p</pre><blockquote>q</blockquote> &lt;&gt;&quot; R&D')
    message = await bot.send_message(CHAT, markup, parse_mode=ParseMode.HTML)
    assert message.text == 'biuspacpq <>" R&D'
    assert [e.type for e in message.entities] == ["bold", "italic", "underline", "strikethrough", "spoiler",
                                                  "text_link", "code", "pre", "blockquote"]
    assert message.entities[5].url == "https://x.org/p"


async def test_text_length_is_counted_after_entity_parsing(bot: Bot) -> None:
    await bot.send_message(CHAT, "<b>" + "ก" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(CHAT, "ก" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)Message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_a_chat_that_never_talked_to_the_bot_is_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(123, "สวัสดี")


async def test_a_user_who_blocked_the_bot_is_forbidden(bot: Bot, state: EmulatorState) -> None:
    state.block("telegram", CHAT)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(CHAT, "ยังอยู่ไหม")
    state.unblock("telegram", CHAT)
    await bot.send_message(CHAT, "กลับมาแล้ว")
    assert [c.status for c in state.calls("telegram", "sendMessage")] == [403, 200]


async def test_over_the_per_chat_limit_is_429_with_retry_after(
    bot: Bot, state: EmulatorState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta, without a warning
    state.add_user("telegram", CHAT + 1)
    state.set_rate_limit("telegram", per_chat_per_second=1)
    await bot.send_message(CHAT, "1")
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(CHAT, "2")
    assert exc.value.retry_after == timedelta(seconds=1)
    await bot.send_message(CHAT + 1, "another chat is fine")


async def test_over_the_global_limit_is_429(emu: EmulatorServer, state: EmulatorState) -> None:
    state.add_user("telegram", CHAT)
    state.set_rate_limit("telegram", 2)
    async with httpx.AsyncClient(base_url=f"{emu.telegram_base_url}{TG_TOKEN}") as h:
        statuses = [(await h.post("/sendMessage", data={"chat_id": CHAT, "text": str(i)})).status_code
                    for i in range(3)]
        last = await h.post("/sendMessage", json={"chat_id": CHAT, "text": "x"})
    assert statuses == [200, 200, 429]
    assert last.json() == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                           "parameters": {"retry_after": 1}}


async def test_an_injected_429_carries_its_retry_after(
    bot: Bot, state: EmulatorState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    state.inject_fault("telegram", "sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(CHAT, "x")
    assert exc.value.retry_after == timedelta(seconds=7)
    await bot.send_message(CHAT, "x")
    assert len(state.screen("telegram", CHAT)) == 1


async def test_a_hanging_call_times_out_the_client(bot: Bot, state: EmulatorState) -> None:
    state.inject_fault("telegram", "sendMessage", delay=1.0)
    with pytest.raises(TimedOut):  # only this call is short of time: a loaded machine may be slow to connect
        await bot.send_message(CHAT, "ช้า", read_timeout=0.2)
    assert len(state.calls("telegram", "sendMessage")) == 1


async def test_a_wrong_token_is_unauthorized(emu: EmulatorServer) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("987654:wrong", base_url=emu.telegram_base_url):
            pass


async def test_an_unknown_method_is_404(emu: EmulatorServer) -> None:
    async with httpx.AsyncClient() as h:
        response = await h.post(f"{emu.telegram_base_url}{TG_TOKEN}/sendTelepathy")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_a_callback_query_can_be_answered_once(bot: Bot, state: EmulatorState) -> None:
    query_id = state.issue_callback_id(CHAT)
    assert await bot.answer_callback_query(query_id, text="รับทราบ")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("12345")


async def test_editing_changes_the_message_on_the_screen(bot: Bot, state: EmulatorState) -> None:
    sent = await bot.send_message(CHAT, "เลือก", reply_markup=keyboard(("ไป", "yes")))
    edited = await bot.edit_message_text("เลือกแล้ว: ไป", chat_id=CHAT, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.text == "เลือกแล้ว: ไป"
    [received] = state.screen("telegram", CHAT)
    assert (received.text, received.buttons) == ("เลือกแล้ว: ไป", [])
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("เลือกแล้ว: ไป", chat_id=CHAT, message_id=sent.message_id)
    await bot.edit_message_reply_markup(chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard(("อีก", "x")))
    assert state.screen("telegram", CHAT)[0].buttons == [("อีก", "x")]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=99)


async def test_locations_venues_documents_and_photos_arrive(bot: Bot, state: EmulatorState) -> None:
    location = await bot.send_location(CHAT, latitude=13.75, longitude=100.5)
    venue = await bot.send_venue(CHAT, latitude=13.75, longitude=100.5, title="สวทช.", address="ปทุมธานี")
    document = await bot.send_document(CHAT, InputFile(b"a,b\n1,2\n", filename="report.csv"), caption="รายงาน")
    linked = await bot.send_document(CHAT, "https://files.example.org/guide.pdf")
    photo = await bot.send_photo(CHAT, "https://files.example.org/poster.jpg")
    assert location.location is not None and location.location.latitude == 13.75
    assert venue.venue is not None and venue.venue.title == "สวทช."
    assert document.document is not None and document.document.file_name == "report.csv"
    assert document.document.file_size == 8
    assert linked.document is not None and photo.photo
    screen = state.screen("telegram", CHAT)
    assert [r.kind for r in screen] == ["location", "venue", "document", "document", "image"]
    assert screen[2].text == "รายงาน"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(CHAT, "nonsense")


async def test_webhook_and_commands_are_validated(bot: Bot, state: EmulatorState) -> None:
    with pytest.raises(BadRequest, match=r"(?i)HTTPS URL must be provided"):
        await bot.set_webhook("http://bot.example.org/webhooks/telegram")
    with pytest.raises(BadRequest, match=r"(?i)ports 80, 88, 443 or 8443"):
        await bot.set_webhook("https://bot.example.org:8080/webhooks/telegram")
    assert await bot.set_webhook("https://bot.example.org/webhooks/telegram", secret_token="s3cret_ok")
    assert (await bot.get_webhook_info()).url == "https://bot.example.org/webhooks/telegram"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.set_my_commands([("help", "วิธีใช้"), ("rsvp", "ลงทะเบียน")])
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Help-Me", "x")])
    assert [c["command"] for c in state.telegram_commands[("default", "")]] == ["help", "rsvp"]
