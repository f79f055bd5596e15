"""The control endpoints: acting as a user sends signed, realistic webhooks; the rest configures and reads state."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiException,
    AsyncMessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.webhooks import FollowEvent, MessageEvent, PostbackEvent, TextMessageContent, UnfollowEvent
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden

from bot.emulator import BackgroundServer, EmulatorServer, EmulatorState
from tests.emulator.conftest import ALICE, CHAT, LINE_SECRET, TG_SECRET


@dataclass
class Receiver:
    """A stand-in for the service: records each webhook and answers `status`."""

    server: BackgroundServer
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[Receiver]:
    app = FastAPI()
    receiver = Receiver(BackgroundServer(app))

    @app.post("/webhooks/{platform}")
    async def webhook(request: Request) -> Response:
        receiver.requests.append((dict(request.headers), await request.body()))
        return Response(status_code=receiver.status)

    with receiver.server:
        yield receiver


@pytest.fixture
def receiver(receiver_server: Receiver, state: EmulatorState) -> Receiver:
    receiver_server.requests.clear()
    receiver_server.status = 200
    state.line_webhook_url = f"{receiver_server.server.url}/webhooks/line"
    state.telegram_webhook_url = f"{receiver_server.server.url}/webhooks/telegram"
    return receiver_server


@pytest.fixture
async def control(emu: EmulatorServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{emu.url}/_emulator") as client:
        yield client


def line_events(receiver: Receiver) -> list[object]:
    headers, body = receiver.requests[-1]
    return list(WebhookParser(LINE_SECRET).parse(body.decode(), headers["x-line-signature"]))


async def test_a_line_text_event_is_signed_so_the_sdk_accepts_it_and_its_token_replies(
    control: httpx.AsyncClient, receiver: Receiver, line: AsyncMessagingApi, state: EmulatorState
) -> None:
    answer = (await control.post("/line/events", json={"user_id": ALICE, "text": "สวัสดี"})).json()
    assert answer["status"] == 200
    [event] = line_events(receiver)
    assert isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)
    assert (event.message.text, event.source.user_id, event.mode) == ("สวัสดี", ALICE, "active")
    assert len(event.webhook_event_id) == 26 and event.delivery_context.is_redelivery is False
    assert event.reply_token is not None
    await line.reply_message(ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text="ครับ")]))
    assert [r.text for r in state.screen("line", ALICE)] == ["ครับ"]


async def test_a_forged_signature_would_be_caught(control: httpx.AsyncClient, receiver: Receiver) -> None:
    await control.post("/line/events", json={"user_id": ALICE, "text": "x"})
    headers, body = receiver.requests[-1]
    with pytest.raises(InvalidSignatureError):
        WebhookParser("another-secret").parse(body.decode(), headers["x-line-signature"])


async def test_line_postback_unfollow_and_follow_events_change_what_arrives(
    control: httpx.AsyncClient, receiver: Receiver, line: AsyncMessagingApi, state: EmulatorState
) -> None:
    await control.post("/line/events", json={"user_id": ALICE, "data": "rsvp:1:yes"})
    [postback] = line_events(receiver)
    assert isinstance(postback, PostbackEvent) and postback.postback.data == "rsvp:1:yes"

    await control.post("/line/events", json={"user_id": ALICE, "type": "unfollow"})
    [unfollow] = line_events(receiver)
    assert isinstance(unfollow, UnfollowEvent)
    await line.push_message(PushMessageRequest(to=ALICE, messages=[TextMessage(text="หายไปไหน")]))
    assert state.screen("line", ALICE) == []

    await control.post("/line/events", json={"user_id": ALICE, "type": "follow"})
    [follow] = line_events(receiver)
    assert isinstance(follow, FollowEvent)
    await line.push_message(PushMessageRequest(to=ALICE, messages=[TextMessage(text="กลับมาแล้ว")]))
    assert [r.text for r in state.screen("line", ALICE)] == ["กลับมาแล้ว"]


async def test_a_telegram_message_carries_the_secret_parses_in_ptb_and_makes_the_chat_known(
    control: httpx.AsyncClient, receiver: Receiver, emu: EmulatorServer
) -> None:
    new_chat = CHAT + 99
    first = await control.post("/telegram/updates", json={"user_id": new_chat, "text": "/help"})
    second = await control.post("/telegram/updates", json={"user_id": new_chat, "text": "again"})
    assert (first.json()["status"], second.json()["status"]) == (200, 200)
    headers, body = receiver.requests[0]
    assert headers["x-telegram-bot-api-secret-token"] == TG_SECRET
    async with Bot(emu.state.telegram_token, base_url=emu.telegram_base_url) as bot:
        update = Update.de_json(json.loads(body), bot)
        assert update.message is not None and update.message.text == "/help"
        assert update.message.entities[0].type == "bot_command"
        assert second.json()["update"]["update_id"] == update.update_id + 1
        sent = await bot.send_message(new_chat, "ยินดีต้อนรับ")
    assert sent.message_id == 3  # the user's two messages and the bot's share one sequence


async def test_a_pressed_telegram_button_refers_to_its_message_and_can_be_answered(
    control: httpx.AsyncClient, receiver: Receiver, bot: Bot
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ไป", callback_data="rsvp:1:yes")]])
    sent = await bot.send_message(CHAT, "มาไหม", reply_markup=markup)
    await bot.send_message(CHAT, "ข้อความอื่น")
    await control.post("/telegram/updates", json={"user_id": CHAT, "data": "rsvp:1:yes"})
    update = Update.de_json(json.loads(receiver.requests[-1][1]), bot)
    query = update.callback_query
    assert query is not None and query.data == "rsvp:1:yes"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id)


async def test_a_telegram_user_blocking_the_bot_is_told_to_the_service_and_enforced(
    control: httpx.AsyncClient, receiver: Receiver, bot: Bot
) -> None:
    await control.post("/telegram/updates", json={"user_id": CHAT, "type": "kicked"})
    update = Update.de_json(json.loads(receiver.requests[-1][1]), bot)
    assert update.my_chat_member is not None and update.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden):
        await bot.send_message(CHAT, "x")


async def test_the_service_status_is_returned_and_a_missing_url_is_409(
    control: httpx.AsyncClient, receiver: Receiver, state: EmulatorState
) -> None:
    receiver.status = 503
    assert (await control.post("/line/events", json={"user_id": ALICE, "text": "x"})).json()["status"] == 503
    state.line_webhook_url = None
    assert (await control.post("/line/events", json={"user_id": ALICE, "text": "x"})).status_code == 409


async def test_the_screen_endpoint_lists_messages_after_n_with_buttons(
    control: httpx.AsyncClient, bot: Bot
) -> None:
    await bot.send_message(CHAT, "หนึ่ง")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ไป", callback_data="go")]])
    await bot.send_message(CHAT, "สอง", reply_markup=markup)
    screen = (await control.get(f"/screen/telegram/{CHAT}", params={"after": 1})).json()
    assert [(m["kind"], m["text"], m["buttons"]) for m in screen] == [("text", "สอง", [{"label": "ไป", "data": "go"}])]


async def test_the_conversation_shows_what_the_user_typed_and_the_display_text_of_what_they_pressed(
    control: httpx.AsyncClient, receiver: Receiver, line: AsyncMessagingApi
) -> None:
    await control.post("/line/events", json={"user_id": ALICE, "text": "สวัสดี"})
    buttons = QuickReply(items=[
        QuickReplyItem(action=PostbackAction(label="ไป", data="rsvp:1:yes", displayText="ไปครับ")),
        QuickReplyItem(action=PostbackAction(label="ข้าม", data="skip")),
    ])
    await line.push_message(PushMessageRequest(to=ALICE, messages=[TextMessage(text="มาไหม", quickReply=buttons)]))
    await control.post("/line/events", json={"user_id": ALICE, "data": "rsvp:1:yes"})
    await control.post("/line/events", json={"user_id": ALICE, "data": "skip"})  # no displayText: LINE shows nothing

    chat = (await control.get(f"/conversation/line/{ALICE}")).json()

    assert [(entry["from"], entry["text"]) for entry in chat] == [("user", "สวัสดี"), ("bot", "มาไหม"),
                                                                  ("user", "ไปครับ")]
    assert chat[1]["quick"] == 2


async def test_the_telegram_conversation_shows_typed_text_and_not_pressed_buttons(
    control: httpx.AsyncClient, receiver: Receiver, bot: Bot
) -> None:
    await control.post("/telegram/updates", json={"user_id": CHAT, "text": "/workshops"})
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ไป", callback_data="go")]])
    await bot.send_message(CHAT, "<b>สัมมนา</b>", parse_mode="HTML", reply_markup=markup)
    await control.post("/telegram/updates", json={"user_id": CHAT, "data": "go"})

    chat = (await control.get(f"/conversation/telegram/{CHAT}")).json()

    assert [(entry["from"], entry["text"]) for entry in chat] == [("user", "/workshops"), ("bot", "สัมมนา")]
    assert chat[1]["raw"]["entities"] == [{"type": "bold", "offset": 0, "length": 6}]


async def test_faults_limits_quota_blocks_and_calls_can_be_set_from_outside(
    control: httpx.AsyncClient, line: AsyncMessagingApi, state: EmulatorState
) -> None:
    def push(text: str) -> PushMessageRequest:
        return PushMessageRequest(to=ALICE, messages=[TextMessage(text=text)])

    await control.post("/fault", json={"platform": "line", "endpoint": "push", "status": 502})
    with pytest.raises(ApiException) as exc:
        await line.push_message(push("1"))
    assert exc.value.status == 502
    await control.post("/quota", json={"limit": 1})
    await line.push_message(push("2"))
    with pytest.raises(ApiException) as exc:
        await line.push_message(push("3"))
    assert "monthly limit" in exc.value.body
    await control.post("/quota", json={"limit": None})
    await control.post("/rate-limit", json={"platform": "line", "per_second": 1, "endpoint": "push"})
    await line.push_message(push("4"))
    with pytest.raises(ApiException) as exc:
        await line.push_message(push("5"))
    assert exc.value.status == 429
    await control.post("/rate-limit", json={"platform": "line", "per_second": None, "endpoint": "push"})
    await control.post(f"/users/line/{ALICE}/block")
    await line.push_message(push("6"))
    await control.post(f"/users/line/{ALICE}/unblock")
    await line.push_message(push("7"))
    assert [r.text for r in state.screen("line", ALICE)] == ["2", "4", "7"]
    calls = (await control.get("/calls", params={"platform": "line", "endpoint": "push"})).json()
    assert [c["status"] for c in calls] == [502, 200, 429, 200, 429, 200, 200]
    await control.post("/reset")
    assert state.screen("line", ALICE) == [] and state.calls() == []
