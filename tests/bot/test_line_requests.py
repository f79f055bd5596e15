"""What coordbot asks LINE to send is exactly what the SDK's own request models would write: a rendered part's
messages are serialized once, and every reply, push and multicast of that part carries that JSON."""

from __future__ import annotations

from typing import Any

import pytest
from linebot.v3.messaging import MulticastRequest, PushMessageRequest, ReplyMessageRequest

from bot.config import Settings
from bot.line import LineAdapter, Part, PartMulticast, PartPush, PartReply, carrying
from bot.messages import Button, Card, Reply

REPLIES = [
    Reply(text="โครงการของจังหวัดเชียงใหม่", cards=[Card(title="CMI-2569-0012", lines=["สถานะ: อนุมัติ"], progress=60)]),
    Reply(text="เลือกคำสั่ง", buttons=[Button(label="กำหนดส่ง", payload="m:deadlines"),
                                      Button(label="คู่มือ", url="https://example.org/guide")]),
]


def parts(settings: Settings) -> list[Part]:
    rendered = LineAdapter(settings).render(REPLIES)
    assert rendered and all(isinstance(part, Part) for part in rendered)
    return rendered


@pytest.mark.parametrize("kind", ["reply", "push", "multicast"])
def test_each_request_of_a_part_is_the_sdks_own_json_for_its_messages(settings: Settings, kind: str) -> None:
    for part in parts(settings):
        ours: Any
        sdks: Any
        if kind == "reply":
            ours = carrying(PartReply(reply_token="token", messages=part), part)
            sdks = ReplyMessageRequest(reply_token="token", messages=list(part))
        elif kind == "push":
            ours = carrying(PartPush(to="U" + "1" * 32, messages=part), part)
            sdks = PushMessageRequest(to="U" + "1" * 32, messages=list(part))
        else:
            ours = carrying(PartMulticast(to=["U" + "1" * 32, "U" + "2" * 32], messages=part), part)
            sdks = MulticastRequest(to=["U" + "1" * 32, "U" + "2" * 32], messages=list(part))
        assert ours.to_dict() == sdks.to_dict()
        assert isinstance(ours, type(sdks))  # the SDK's methods take it as theirs


def test_a_parts_messages_are_serialized_once_for_all_its_requests(settings: Settings) -> None:
    part = parts(settings)[0]
    first = carrying(PartReply(reply_token="a", messages=part), part).to_dict()
    second = carrying(PartPush(to="U" + "1" * 32, messages=part), part).to_dict()
    assert first["messages"] is second["messages"]
