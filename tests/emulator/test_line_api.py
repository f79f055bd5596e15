"""The emulated LINE Messaging API, driven by line-bot-sdk v3: it refuses what LINE refuses, with LINE's bodies."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from linebot.v3.messaging import (
    ApiException,
    AsyncMessagingApi,
    MulticastRequest,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)

from bot.emulator import EmulatorServer, EmulatorState
from tests.emulator.conftest import ALICE, BOB, LINE_TOKEN


def body(exc: pytest.ExceptionInfo[ApiException]) -> dict[str, Any]:
    return json.loads(exc.value.body)  # type: ignore[no-any-return]


def push(to: str, *texts: str) -> PushMessageRequest:
    return PushMessageRequest(to=to, messages=[TextMessage(text=t) for t in texts])


async def test_a_reply_token_works_once(line: AsyncMessagingApi, state: EmulatorState) -> None:
    token = state.issue_reply_token(ALICE)
    await line.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="สวัสดี")]))
    with pytest.raises(ApiException) as exc:
        await line.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="อีกครั้ง")]))
    assert exc.value.status == 400
    assert body(exc) == {"message": "Invalid reply token"}
    assert [r.text for r in state.screen("line", ALICE)] == ["สวัสดี"]


async def test_an_expired_reply_token_is_refused(line: AsyncMessagingApi, state: EmulatorState) -> None:
    token = state.issue_reply_token(ALICE, ttl=0)
    with pytest.raises(ApiException) as exc:
        await line.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="ช้าไป")]))
    assert body(exc) == {"message": "Invalid reply token"}
    assert state.screen("line", ALICE) == []


async def test_a_reply_goes_to_the_user_the_token_was_issued_for(line: AsyncMessagingApi, state: EmulatorState) -> None:
    token = state.issue_reply_token(BOB)
    response = await line.reply_message(ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="hi")]))
    assert response.sent_messages[0].id == state.screen("line", BOB)[0].message_id
    assert state.screen("line", ALICE) == []


async def test_a_repeated_retry_key_is_409_and_delivers_nothing(line: AsyncMessagingApi, state: EmulatorState) -> None:
    key = str(uuid.uuid4())
    first = await line.push_message_with_http_info(push(ALICE, "ประกาศ"), x_line_retry_key=key)
    with pytest.raises(ApiException) as exc:
        await line.push_message(push(ALICE, "ประกาศ"), x_line_retry_key=key)
    assert exc.value.status == 409
    assert body(exc)["message"] == "The retry key is already accepted"
    assert exc.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert [r.text for r in state.screen("line", ALICE)] == ["ประกาศ"]
    assert [c.status for c in state.calls("line", "push")] == [200, 409]


async def test_a_retry_key_that_failed_with_500_can_be_retried(line: AsyncMessagingApi, state: EmulatorState) -> None:
    key = str(uuid.uuid4())
    state.inject_fault("line", "push", status=500)
    with pytest.raises(ApiException) as exc:
        await line.push_message(push(ALICE, "ข่าว"), x_line_retry_key=key)
    assert exc.value.status == 500
    await line.push_message(push(ALICE, "ข่าว"), x_line_retry_key=key)
    assert [r.text for r in state.screen("line", ALICE)] == ["ข่าว"]


async def test_six_messages_are_refused(line: AsyncMessagingApi, state: EmulatorState) -> None:
    # The SDK would refuse this itself; construct() skips its check so the request reaches the emulator.
    request = PushMessageRequest.construct(to=ALICE, messages=[TextMessage(text=str(i)) for i in range(6)])
    with pytest.raises(ApiException) as exc:
        await line.push_message(request)
    assert exc.value.status == 400
    assert body(exc) == {"message": "The request body has 1 error(s)",
                         "details": [{"message": "Size must be between 1 and 5", "property": "messages"}]}
    assert state.screen("line", ALICE) == []


async def test_fourteen_quick_replies_are_refused(line: AsyncMessagingApi) -> None:
    items = [QuickReplyItem(action=PostbackAction(label=f"ข้อ {i}", data=f"q:{i}")) for i in range(14)]
    message = TextMessage(text="เลือก", quickReply=QuickReply.construct(items=items))
    with pytest.raises(ApiException) as exc:
        await line.push_message(PushMessageRequest(to=ALICE, messages=[message]))
    assert body(exc)["details"] == [{"message": "Size must be between 1 and 13",
                                     "property": "messages[0].quickReply.items"}]


async def test_the_screen_shows_quick_reply_buttons(line: AsyncMessagingApi, state: EmulatorState) -> None:
    items = [QuickReplyItem(action=PostbackAction(label="ไป", data="rsvp:1:yes", displayText="ไป")),
             QuickReplyItem(action=PostbackAction(label="ไม่ไป", data="rsvp:1:no"))]
    await line.push_message(PushMessageRequest(to=ALICE, messages=[TextMessage(text="มาไหม",
                                                                                quickReply=QuickReply(items=items))]))
    [received] = state.screen("line", ALICE)
    assert (received.kind, received.text) == ("text", "มาไหม")
    assert received.buttons == [("ไป", "rsvp:1:yes"), ("ไม่ไป", "rsvp:1:no")]


@pytest.mark.parametrize(("message", "prop", "error"), [
    ({"type": "text", "text": "ก" * 5001}, "messages[0].text", "Length must be between 1 and 5000"),
    ({"type": "text", "text": ""}, "messages[0].text", "Length must be between 1 and 5000"),
    ({"type": "text", "text": "x", "quickReply": {"items": [
        {"type": "action", "action": {"type": "postback", "label": "ก" * 21, "data": "x"}}]}},
     "messages[0].quickReply.items[0].action.label", "Length must be between 1 and 20"),
    ({"type": "text", "text": "x", "quickReply": {"items": [
        {"type": "action", "action": {"type": "postback", "label": "ok", "data": "d" * 301}}]}},
     "messages[0].quickReply.items[0].action.data", "Length must be between 0 and 300"),
    ({"type": "image", "originalContentUrl": "http://x.test/a.png", "previewImageUrl": "https://x.test/a.png"},
     "messages[0].originalContentUrl", "Must be HTTPS URL"),
    ({"type": "flex", "altText": "big", "contents": {"type": "bubble", "body": {"type": "box", "layout": "vertical",
      "contents": [{"type": "text", "text": "ก" * 11000}]}}}, "messages[0].contents",
     "Size must be less than or equal to 30KB"),
    ({"type": "telepathy"}, "messages[0].type", None),
])
async def test_invalid_messages_are_refused_with_the_property(
    emu: EmulatorServer, message: dict[str, Any], prop: str, error: str | None
) -> None:
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        response = await h.post("/v2/bot/message/push", json={"to": ALICE, "messages": [message]})
    assert response.status_code == 400
    [detail] = response.json()["details"]
    assert detail["property"] == prop
    assert error is None or detail["message"] == error
    assert emu.state.screen("line", ALICE) == []


async def test_other_message_types_are_accepted_and_shown(emu: EmulatorServer) -> None:
    messages = [
        {"type": "location", "title": "อุทยานวิทยาศาสตร์", "address": "ปทุมธานี", "latitude": 14.07, "longitude": 100.6},
        {"type": "sticker", "packageId": "446", "stickerId": "1988"},
        {"type": "template", "altText": "ยืนยัน", "template": {"type": "confirm", "text": "ยืนยันไหม", "actions": [
            {"type": "postback", "label": "ใช่", "data": "yes"}, {"type": "postback", "label": "ไม่", "data": "no"}]}},
        {"type": "flex", "altText": "การ์ด", "contents": {"type": "bubble", "footer": {
            "type": "box", "layout": "vertical", "contents": [
                {"type": "button", "action": {"type": "uri", "label": "เปิด", "uri": "https://example.org"}}]}}},
        {"type": "image", "originalContentUrl": "https://x.test/a.png", "previewImageUrl": "https://x.test/a.png"},
    ]
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        response = await h.post("/v2/bot/message/push", json={"to": ALICE, "messages": messages})
    assert response.status_code == 200, response.text
    screen = emu.state.screen("line", ALICE)
    assert [r.kind for r in screen] == ["location", "sticker", "template", "flex", "image"]
    assert screen[2].buttons == [("ใช่", "yes"), ("ไม่", "no")]
    assert screen[3].buttons == [("เปิด", "https://example.org")]


async def test_retry_key_is_refused_on_reply_and_must_be_a_uuid(emu: EmulatorServer) -> None:
    token = emu.state.issue_reply_token(ALICE)
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        reply = await h.post("/v2/bot/message/reply", headers={"X-Line-Retry-Key": str(uuid.uuid4())},
                             json={"replyToken": token, "messages": [{"type": "text", "text": "x"}]})
        pushed = await h.post("/v2/bot/message/push", headers={"X-Line-Retry-Key": "not-a-uuid"},
                              json={"to": ALICE, "messages": [{"type": "text", "text": "x"}]})
    assert (reply.status_code, pushed.status_code) == (400, 400)
    assert emu.state.screen("line", ALICE) == []


async def test_a_wrong_access_token_is_401(emu: EmulatorServer) -> None:
    async with httpx.AsyncClient(base_url=emu.line_base_url) as h:
        wrong = await h.post("/v2/bot/message/push", headers={"Authorization": "Bearer guess"}, json={})
        missing = await h.post("/v2/bot/message/push", json={})
    assert (wrong.status_code, missing.status_code) == (401, 401)
    assert wrong.json()["message"].startswith("Authentication failed")


async def test_a_malformed_to_is_refused(line: AsyncMessagingApi) -> None:
    with pytest.raises(ApiException) as exc:
        await line.push_message(push("U123", "x"))
    assert exc.value.status == 400


async def test_over_the_rate_limit_is_429_without_retry_after(line: AsyncMessagingApi, state: EmulatorState) -> None:
    state.set_rate_limit("line", 2, endpoint="push")
    await line.push_message(push(ALICE, "1"))
    await line.push_message(push(ALICE, "2"))
    with pytest.raises(ApiException) as exc:
        await line.push_message(push(ALICE, "3"))
    assert exc.value.status == 429
    assert body(exc) == {"message": "The API rate limit has been exceeded. Try again later."}
    assert "retry-after" not in exc.value.headers
    await line.reply_message(ReplyMessageRequest(reply_token=state.issue_reply_token(ALICE),
                                                 messages=[TextMessage(text="reply has its own limit")]))
    assert len(state.screen("line", ALICE)) == 3


async def test_a_push_to_an_unfollowed_user_is_accepted_but_not_delivered(
    line: AsyncMessagingApi, state: EmulatorState
) -> None:
    state.block("line", ALICE)
    response = await line.push_message(push(ALICE, "ยังอยู่ไหม"))
    assert len(response.sent_messages) == 1
    assert state.screen("line", ALICE) == []
    assert [c.status for c in state.calls("line", "push")] == [200]


async def test_the_monthly_quota_runs_out_for_pushes_but_not_replies(
    line: AsyncMessagingApi, state: EmulatorState
) -> None:
    state.set_quota(3, used=1)
    await line.multicast(MulticastRequest(to=[ALICE, BOB], messages=[TextMessage(text="ทุกคน")]))
    with pytest.raises(ApiException) as exc:
        await line.push_message(push(ALICE, "เกิน"))
    assert exc.value.status == 429
    assert body(exc) == {"message": "You have reached your monthly limit."}
    await line.reply_message(ReplyMessageRequest(reply_token=state.issue_reply_token(ALICE),
                                                 messages=[TextMessage(text="ตอบได้")]))
    assert (await line.get_message_quota()).value == 3
    assert (await line.get_message_quota_consumption()).total_usage == 3
    assert [r.text for r in state.screen("line", ALICE)] == ["ทุกคน", "ตอบได้"]


async def test_multicast_is_limited_to_500_recipients(emu: EmulatorServer) -> None:
    users = ["U" + f"{n:032x}" for n in range(501)]
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        response = await h.post("/v2/bot/message/multicast",
                                json={"to": users, "messages": [{"type": "text", "text": "x"}]})
    assert response.status_code == 400
    assert response.json()["details"][0]["property"] == "to"


async def test_a_hanging_call_times_out_the_client(line: AsyncMessagingApi, state: EmulatorState) -> None:
    state.inject_fault("line", "push", delay=1.5)
    with pytest.raises(TimeoutError):
        await line.push_message(push(ALICE, "ช้า"), _request_timeout=0.5)
    assert len(state.calls("line", "push")) == 1


async def test_profile_and_bot_info_parse_in_the_sdk(line: AsyncMessagingApi, state: EmulatorState) -> None:
    state.add_user("line", ALICE, "สมหญิง")
    profile = await line.get_profile(ALICE)
    info = await line.get_bot_info()
    assert (profile.display_name, profile.user_id) == ("สมหญิง", ALICE)
    assert info.user_id == state.bot_line_user_id
    state.block("line", ALICE)
    with pytest.raises(ApiException) as exc:
        await line.get_profile(ALICE)
    assert exc.value.status == 404
