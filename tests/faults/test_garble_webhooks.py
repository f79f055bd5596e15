"""Garble: both webhook endpoints fed with bodies shaped like the platforms' (every LINE event type of
webhook.yml, every Telegram update kind), signed and unsigned, truncated and with flipped bytes.

Properties: never a 500 (only a storage failure may answer 5xx, and there is none here); nothing is stored
without a valid signature or secret; `/healthz` still answers; every well-formed signed event is handled
without the service failing on it (status not `failed`).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import Session, select

from bot.emulator import events as ev
from bot.service import Service
from storage.models import InboxEvent, InboxStatus
from tests.conftest import LINE_SECRET, TG_SECRET

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
TEXT = st.one_of(st.sampled_from(["/help", "ช่วยเหลือ", "/rsvp 1", "สรุป", "ลงทะเบียน", "/start", "ค่ะ", "/broadcast",
                                  "/workshops", "ตอบรับ 3", "", " ", "a" * 5001]), st.text(max_size=30))
LINE_USER = st.integers(1, 5).map(lambda n: f"U{n:032x}")
LINE_SOURCE = st.one_of(
    st.builds(lambda u: {"type": "user", "userId": u}, LINE_USER),
    st.builds(lambda u: {"type": "group", "groupId": "C" + "1" * 32, "userId": u}, LINE_USER),
    st.just({"type": "group", "groupId": "C" + "2" * 32}),  # a member who did not consent to share their id
    st.builds(lambda u: {"type": "room", "roomId": "R" + "3" * 32, "userId": u}, LINE_USER),
)
LINE_MESSAGES = st.one_of(
    st.builds(lambda t: {"type": "text", "id": "1", "quoteToken": "q", "text": t}, TEXT),
    st.builds(lambda lat, lon: {"type": "location", "id": "2", "latitude": lat, "longitude": lon},
              st.floats(-90, 90), st.floats(-180, 180)),
    st.just({"type": "sticker", "id": "3", "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
             "quoteToken": "q"}),
    st.sampled_from([{"type": kind, "id": "4", "contentProvider": {"type": "line"}}
                     for kind in ("image", "video", "audio")]),
    st.just({"type": "file", "id": "5", "fileName": "a.pdf", "fileSize": 10}),
    st.just({"type": "emoji-from-the-future", "id": "6"}),
)
MEMBERS = {"members": [{"type": "user", "userId": "U" + "9" * 32}]}
LINE_BODIES: dict[str, Any] = {
    "message": LINE_MESSAGES.map(lambda m: {"message": m}),
    "postback": st.builds(lambda d: {"postback": {"data": d}}, TEXT),
    "follow": st.booleans().map(lambda b: {"follow": {"isUnblocked": b}}),
    "unfollow": st.just({}), "join": st.just({}), "leave": st.just({}),
    "memberJoined": st.just({"joined": MEMBERS}), "memberLeft": st.just({"left": MEMBERS}),
    "unsend": st.just({"unsend": {"messageId": "1"}}),
    "videoPlayComplete": st.just({"videoPlayComplete": {"trackingId": "t"}}),
    "beacon": st.just({"beacon": {"hwid": "d41d8cd98f", "type": "enter"}}),
    "accountLink": st.just({"link": {"result": "ok", "nonce": "n"}}),
    "membership": st.just({"membership": {"type": "joined", "membershipId": 1}}),
    "module": st.just({"module": {"type": "attached", "botId": "U1", "scopes": []}}),
    "activated": st.just({"chatControl": {"expireAt": 1}}), "deactivated": st.just({}),
    "botSuspended": st.just({}), "botResumed": st.just({}),
    "delivery": st.just({"delivery": {"data": "d"}}),
}
LINE_EVENT = st.sampled_from(sorted(LINE_BODIES)).flatmap(lambda kind: st.fixed_dictionaries({
    "type": st.just(kind), "mode": st.sampled_from(["active", "standby"]), "timestamp": st.integers(0, 2**42),
    "source": LINE_SOURCE, "webhookEventId": st.uuids().map(lambda u: u.hex.upper()[:26]),
    "deliveryContext": st.booleans().map(lambda b: {"isRedelivery": b}),
    "replyToken": st.text("0123456789abcdef", min_size=32, max_size=32), "body": LINE_BODIES[kind],
}).map(lambda e: {**{k: v for k, v in e.items() if k != "body"}, **e["body"]}))

TG_USER = st.builds(lambda n, lang: {"id": 500_000 + n, "is_bot": False, "first_name": "ก", "language_code": lang},
                    st.integers(1, 5), st.sampled_from(["th", "en", "ja"]))
TG_CHAT = st.one_of(TG_USER.map(lambda u: {"id": u["id"], "type": "private", "first_name": "ก"}),
                    st.just({"id": -1001, "type": "supergroup", "title": "g"}),
                    st.just({"id": -1002, "type": "channel", "title": "c"}))
TG_MESSAGE = st.fixed_dictionaries({"message_id": st.integers(1, 10**6), "date": st.integers(0, 2**31),
                                    "chat": TG_CHAT, "from": TG_USER},
                                   optional={"text": TEXT, "location": st.just({"latitude": 18.8, "longitude": 99.0}),
                                             "sticker": st.just({"file_id": "f", "file_unique_id": "u", "type":
                                                                 "regular", "width": 1, "height": 1,
                                                                 "is_animated": False, "is_video": False})})
MEMBER = st.sampled_from(["member", "kicked", "left"]).flatmap(
    lambda s: TG_USER.map(lambda u: {"status": s, "user": u, **({"until_date": 0} if s == "kicked" else {})}))
TG_MEMBER_UPDATE = st.fixed_dictionaries({"chat": TG_CHAT, "from": TG_USER, "date": st.integers(0, 2**31),
                                          "old_chat_member": MEMBER, "new_chat_member": MEMBER})
TG_KINDS: dict[str, Any] = {
    "message": TG_MESSAGE, "edited_message": TG_MESSAGE, "channel_post": TG_MESSAGE,
    "edited_channel_post": TG_MESSAGE,
    "callback_query": st.fixed_dictionaries({"id": st.text("0123456789", min_size=1, max_size=8), "from": TG_USER,
                                             "chat_instance": st.just("ci"), "data": TEXT},
                                            optional={"message": TG_MESSAGE}),
    "my_chat_member": TG_MEMBER_UPDATE, "chat_member": TG_MEMBER_UPDATE,
    "inline_query": st.fixed_dictionaries({"id": st.just("1"), "from": TG_USER, "query": TEXT, "offset": st.just("")}),
    "chat_join_request": st.fixed_dictionaries({"chat": TG_CHAT, "from": TG_USER, "user_chat_id": st.just(1),
                                                "date": st.just(0)}),
    "poll_answer": st.fixed_dictionaries({"poll_id": st.just("p"), "user": TG_USER, "option_ids": st.just([0]),
                                          "option_persistent_ids": st.just(["a"])}),
}
TG_UPDATE = st.sampled_from(sorted(TG_KINDS)).flatmap(lambda kind: st.fixed_dictionaries(
    {"update_id": st.integers(1, 2**31), kind: TG_KINDS[kind]}))


def garble(body: bytes, data: st.DataObject) -> bytes:
    """Cut the body somewhere and flip a few of its bytes, or leave it whole."""
    how = data.draw(st.sampled_from(["whole", "cut", "flip", "both"]))
    if how in ("cut", "both"):
        body = body[:data.draw(st.integers(0, len(body)))]
    if how in ("flip", "both") and body:
        mutable = bytearray(body)
        for _ in range(data.draw(st.integers(1, 4))):
            i = data.draw(st.integers(0, len(mutable) - 1))
            mutable[i] ^= 1 << data.draw(st.integers(0, 7))
        body = bytes(mutable)
    return body


def stored(service: Service) -> int:
    with Session(service.engine) as session:
        return session.exec(select(func.count()).select_from(InboxEvent)).one()


def failed(service: Service) -> list[str]:
    with Session(service.engine) as session:
        return [f"{e.platform} {e.error}" for e in session.exec(
            select(InboxEvent).where(InboxEvent.status == InboxStatus.failed))]


def line_request(events: list[dict[str, Any]], data: st.DataObject) -> tuple[bytes, dict[str, str], bool]:
    """A LINE webhook, garbled or not, with a signature over it, over the original, or none; and whether the
    signature is valid for what is sent."""
    body = json.dumps(ev.line_body(events)).encode()
    sent = garble(body, data)
    sign = data.draw(st.sampled_from(["sent", "original", "other secret", "none"]))
    headers = {"Content-Type": "application/json"}
    if sign != "none":
        secret = "another-secret" if sign == "other secret" else LINE_SECRET
        headers["X-Line-Signature"] = ev.line_signature(secret, sent if sign == "sent" else body)
    return sent, headers, sign == "sent" or (sign == "original" and sent == body)


def telegram_request(update: dict[str, Any], data: st.DataObject) -> tuple[bytes, dict[str, str], bool]:
    sent = garble(json.dumps(update).encode(), data)
    secret = data.draw(st.sampled_from([TG_SECRET, TG_SECRET[:-1], TG_SECRET + "x", "", None]))
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return sent, headers, secret == TG_SECRET


@SETTINGS
@given(data=st.data())
async def test_any_webhook_is_answered_without_a_500_and_stored_only_when_signed(
    client: httpx.AsyncClient, service: Service, data: st.DataObject
) -> None:
    platform = data.draw(st.sampled_from(["line", "telegram"]))
    if platform == "line":
        body, headers, valid = line_request(data.draw(st.lists(LINE_EVENT, max_size=3)), data)
    else:
        body, headers, valid = telegram_request(data.draw(TG_UPDATE), data)
    declared = data.draw(st.sampled_from([None, "²", "-1", "1e3", "", "99999999999999", str(len(body) // 2)]))
    sent = {name.encode(): value.encode() for name, value in headers.items()}
    if declared is not None:  # a Content-Length that lies (as latin-1 bytes: what a server decodes a header as)
        sent[b"Content-Length"] = declared.encode("latin-1")
    before = stored(service)
    response = await client.post(f"/webhooks/{platform}", content=body, headers=sent)
    assert response.status_code in (200, 400, 401, 403, 413), response.text
    if not valid:
        assert response.status_code in (400, 401, 403, 413) and stored(service) == before
    assert (await client.get("/healthz")).status_code == 200
    await service.drain()  # garbled events that were validly signed are handled (or refused) too


@SETTINGS
@given(line=st.lists(LINE_EVENT, min_size=1, max_size=3), update=TG_UPDATE)
async def test_every_well_formed_signed_event_is_handled_without_failing(
    client: httpx.AsyncClient, service: Service, line: list[dict[str, Any]], update: dict[str, Any]
) -> None:
    body = json.dumps(ev.line_body(line)).encode()
    response = await client.post("/webhooks/line", content=body, headers={
        "X-Line-Signature": ev.line_signature(LINE_SECRET, body), "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    response = await client.post("/webhooks/telegram", json=update,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    assert response.status_code == 200, response.text
    await service.drain()
    assert failed(service) == []
