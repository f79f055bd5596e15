"""The emulated LINE API counts and checks as LINE does: UTF-16 units for texts, grapheme clusters for labels,
the action, URI and Flex rules of the Messaging API reference, and the retry key only where LINE takes it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from bot.emulator import EmulatorServer
from tests.emulator.conftest import ALICE, LINE_TOKEN

THAI_LABEL = "น้ำท่วมที่เชียงใหม่ไม่ใช่เรื่อง"  # 31 code points, 20 grapheme clusters


def quick(action: dict[str, Any]) -> dict[str, Any]:
    return {"type": "text", "text": "เลือก", "quickReply": {"items": [{"type": "action", "action": action}]}}


def bubble(*contents: dict[str, Any], **box: Any) -> dict[str, Any]:
    body = {"type": "box", "layout": "vertical", "contents": list(contents), **box}
    return {"type": "flex", "altText": "การ์ด", "contents": {"type": "bubble", "body": body}}


def button(label: str) -> dict[str, Any]:
    return {"type": "button", "action": {"type": "postback", "label": label, "data": "x"}}


def buttons_template(alt_text: str) -> dict[str, Any]:
    return {"type": "template", "altText": alt_text, "template": {"type": "buttons", "text": "ยืนยันไหม", "actions": [
        {"type": "postback", "label": "ใช่", "data": "yes"}]}}


async def push(emu: EmulatorServer, *messages: dict[str, Any], **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        return await h.post("/v2/bot/message/push", json={"to": ALICE, "messages": list(messages)}, headers=headers)


@pytest.mark.parametrize(("message", "prop"), [
    ({"type": "text", "text": "📢 " + "ก" * 4998}, "messages[0].text"),  # 5,000 code points, 5,001 UTF-16 units
    ({"type": "textV2", "text": "🍎" * 2501}, "messages[0].text"),
    ({"type": "flex", "altText": "🍎" * 751, "contents": bubble()["contents"]}, "messages[0].altText"),
    (buttons_template("ก" * 1501), "messages[0].altText"),
    (quick({"type": "postback", "label": THAI_LABEL + "ๆ", "data": "x"}),  # 21 grapheme clusters
     "messages[0].quickReply.items[0].action.label"),
    (quick({"type": "postback", "label": "ไป", "data": "x", "text": "ไป", "displayText": "ไป"}),
     "messages[0].quickReply.items[0].action.displayText"),
    (quick({"type": "postback", "label": "ไป", "data": "x", "displayText": "ก" * 301}),
     "messages[0].quickReply.items[0].action.displayText"),
    (quick({"type": "postback", "label": "ไป", "data": "🍎" * 151}), "messages[0].quickReply.items[0].action.data"),
    (quick({"type": "postback", "label": "", "data": "x"}), "messages[0].quickReply.items[0].action.label"),
    (quick({"type": "message", "label": "ไป", "text": "ก" * 301}), "messages[0].quickReply.items[0].action.text"),
    (quick({"type": "uri", "label": "เขียนถึงเรา", "uri": "mailto:coord@example.org"}),
     "messages[0].quickReply.items[0].action.uri"),
    (quick({"type": "uri", "label": "เปิด", "uri": "ftp://example.org/plan.pdf"}),
     "messages[0].quickReply.items[0].action.uri"),
    (quick({"type": "richmenuswitch", "label": "เมนู", "richMenuAliasId": "a", "data": "x"}),
     "messages[0].quickReply.items[0].action.type"),
    (bubble({"type": "box", "contents": []}), "messages[0].contents.body.contents[0].layout"),
    (bubble({"type": "carousel_card", "text": "?"}), "messages[0].contents.body.contents[0].type"),
    (bubble(button("ก" * 41)), "messages[0].contents.body.contents[0].action.label"),
])
async def test_what_line_refuses_is_refused_with_the_property(
    emu: EmulatorServer, message: dict[str, Any], prop: str
) -> None:
    response = await push(emu, message)
    assert response.status_code == 400, response.text
    assert response.json()["message"] == "The request body has 1 error(s)"
    assert [d["property"] for d in response.json()["details"]] == [prop]
    assert emu.state.screen("line", ALICE) == []


async def test_what_line_accepts_is_accepted(emu: EmulatorServer) -> None:
    messages: list[dict[str, Any]] = [
        {"type": "text", "text": "📢 " + "ก" * 4997},  # 5,000 UTF-16 units
        {"type": "textV2", "text": "สวัสดี {name}", "substitution": {
            "name": {"type": "mention", "mentionee": {"type": "user", "userId": ALICE}}}},
        buttons_template("ก" * 1500),
        quick({"type": "postback", "label": THAI_LABEL, "data": "x", "displayText": "ก" * 300}),
        bubble(button("ก" * 40), {"type": "text", "text": "ดูเพิ่ม"},
               {"type": "box", "layout": "baseline", "contents": [{"type": "icon", "url": "https://x.test/i.png"}]},
               {"type": "button", "action": {"type": "uri", "label": "โทร", "uri": "tel:021234567"}}),
    ]
    response = await push(emu, *messages)
    assert response.status_code == 200, response.text
    screen = emu.state.screen("line", ALICE)
    assert [r.kind for r in screen] == ["text", "text", "template", "text", "flex"]
    assert screen[1].text == "สวัสดี {name}"
    assert screen[3].buttons == []  # accepted, but LINE shows quick replies only under the last message


async def test_quick_replies_show_under_the_last_message_until_the_next_one_arrives(emu: EmulatorServer) -> None:
    choice = quick({"type": "postback", "label": "ไป", "data": "go"})
    response = await push(emu, choice, {"type": "text", "text": "ต่อ"}, choice)
    assert response.status_code == 200, response.text
    assert [r.buttons for r in emu.state.screen("line", ALICE)] == [[], [], [("ไป", "go")]]
    await push(emu, {"type": "text", "text": "ข้อความใหม่"})
    assert [r.buttons for r in emu.state.screen("line", ALICE)] == [[], [], [], []]


@pytest.mark.parametrize(("method", "path"), [("post", "/v2/bot/message/reply"), ("get", "/v2/bot/message/quota"),
                                              ("get", "/v2/bot/info"), ("get", f"/v2/bot/profile/{ALICE}")])
async def test_the_retry_key_is_refused_where_line_does_not_take_it(emu: EmulatorServer, method: str,
                                                                    path: str) -> None:
    emu.state.add_user("line", ALICE, "สมหญิง")
    payload = {"replyToken": emu.state.issue_reply_token(ALICE), "messages": [{"type": "text", "text": "x"}]}
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        without = await h.request(method, path, json=payload if method == "post" else None)
        payload["replyToken"] = emu.state.issue_reply_token(ALICE)
        keyed = await h.request(method, path, json=payload if method == "post" else None,
                                headers={"X-Line-Retry-Key": str(uuid.uuid4())})
    assert (without.status_code, keyed.status_code) == (200, 400)
    assert keyed.json() == {"message": "The X-Line-Retry-Key header cannot be used with this endpoint"}


@pytest.mark.parametrize("endpoint", ["push", "multicast"])
async def test_the_sending_endpoints_take_the_retry_key(emu: EmulatorServer, endpoint: str) -> None:
    to: Any = ALICE if endpoint == "push" else [ALICE]
    async with httpx.AsyncClient(base_url=emu.line_base_url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as h:
        response = await h.post(f"/v2/bot/message/{endpoint}", headers={"X-Line-Retry-Key": str(uuid.uuid4())},
                                json={"to": to, "messages": [{"type": "text", "text": "ประกาศ"}]})
    assert response.status_code == 200, response.text
    assert [r.text for r in emu.state.screen("line", ALICE)] == ["ประกาศ"]
