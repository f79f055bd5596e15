"""The emulator's rich menu, loading and Telegram command endpoints refuse what LINE and Telegram refuse."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image
from telegram import Bot, BotCommandScopeChat, MenuButtonCommands
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot.emulator import EmulatorServer, EmulatorState
from tests.emulator.conftest import ALICE, BOB, CHAT, LINE_TOKEN


def area(x: int = 0, width: int = 2500, action: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"bounds": {"x": x, "y": 0, "width": width, "height": 843},
            "action": action or {"type": "postback", "data": "cmd:help:", "displayText": "ช่วยเหลือ"}}


def rich_menu(**overrides: Any) -> dict[str, Any]:
    return {"size": {"width": 2500, "height": 843}, "selected": True, "name": "coordbot guest",
            "chatBarText": "เมนู", "areas": [area()], **overrides}


def png(width: int = 2500, height: int = 843) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
async def line(emu: EmulatorServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emu.url, headers={"Authorization": f"Bearer {LINE_TOKEN}"}) as client:
        yield client


async def created(line: httpx.AsyncClient, image: bool = True) -> str:
    response = await line.post("/line/v2/bot/richmenu", json=rich_menu())
    assert response.status_code == 200, response.text
    menu_id: str = response.json()["richMenuId"]
    if image:
        upload = await line.post(f"/line-data/v2/bot/richmenu/{menu_id}/content", content=png(),
                                 headers={"Content-Type": "image/png"})
        assert upload.status_code == 200, upload.text
    return menu_id


@pytest.mark.parametrize(("menu", "prop"), [
    (rich_menu(areas=[area(x=i * 125, width=125) for i in range(21)]), "areas"),  # at most 20 areas
    (rich_menu(chatBarText="เมนูของผู้ประสานงาน"), "chatBarText"),  # at most 14 characters
    (rich_menu(name="x" * 301), "name"),
    (rich_menu(size={"width": 2500, "height": 2000}), "size"),  # width / height must be at least 1.45
    (rich_menu(areas=[area(x=100)]), "areas[0].bounds"),  # outside the image
    (rich_menu(areas=[area(action={"type": "postback", "data": "x", "displayText": "ก" * 301})]),
     "areas[0].action.displayText"),
    (rich_menu(areas=[area(action={"type": "richmenuswitch", "data": "tab:1"})]), "areas[0].action.richMenuAliasId"),
])
async def test_validate_and_create_refuse_a_rich_menu_over_lines_limits(line: httpx.AsyncClient,
                                                                        menu: dict[str, Any], prop: str) -> None:
    for path in ("/line/v2/bot/richmenu/validate", "/line/v2/bot/richmenu"):
        response = await line.post(path, json=menu)
        assert response.status_code == 400
        assert prop in [d["property"] for d in response.json()["details"]]


async def test_the_image_must_match_the_size_be_small_enough_and_go_once(line: httpx.AsyncClient) -> None:
    menu_id = await created(line, image=False)
    content = f"/line-data/v2/bot/richmenu/{menu_id}/content"
    wrong = await line.post(content, content=png(2500, 1686), headers={"Content-Type": "image/png"})
    assert wrong.status_code == 400
    big = await line.post(content, content=b"\x89PNG" + b"0" * (1024 * 1024), headers={"Content-Type": "image/png"})
    assert big.status_code == 413
    gif = await line.post(content, content=png(), headers={"Content-Type": "image/gif"})
    assert gif.status_code == 415
    assert (await line.post(content, content=png(), headers={"Content-Type": "image/png"})).status_code == 200
    again = await line.post(content, content=png(), headers={"Content-Type": "image/png"})
    assert again.json() == {"message": "An image has already been uploaded to the richmenu"}
    assert (await line.get(content)).content == png()
    assert (await line.post(f"/line/v2/bot/richmenu/{menu_id}/content", content=png(),
                            headers={"Content-Type": "image/png"})).status_code == 404  # api-data host only


async def test_links_defaults_and_aliases(line: httpx.AsyncClient, state: EmulatorState) -> None:
    bare = await created(line, image=False)
    refused = await line.post(f"/line/v2/bot/user/{ALICE}/richmenu/{bare}")
    assert refused.json()["message"] == "must upload richmenu image before applying it to user"
    menu_id = await created(line)
    assert (await line.post(f"/line/v2/bot/user/all/richmenu/{menu_id}")).status_code == 200
    assert state.rich_menus.shown_to(BOB) is not None  # the default
    assert (await line.get(f"/line/v2/bot/user/{ALICE}/richmenu")).json() == {"message": "the user has no richmenu"}
    assert (await line.post(f"/line/v2/bot/user/{ALICE}/richmenu/{menu_id}")).status_code == 200
    assert (await line.get(f"/line/v2/bot/user/{ALICE}/richmenu")).json() == {"richMenuId": menu_id}

    too_many = await line.post("/line/v2/bot/richmenu/bulk/link",
                               json={"richMenuId": menu_id, "userIds": [ALICE] * 501})
    assert too_many.status_code == 400 and too_many.json()["details"][0]["property"] == "userIds"
    assert (await line.post("/line/v2/bot/richmenu/bulk/link",
                            json={"richMenuId": menu_id, "userIds": [ALICE, BOB]})).status_code == 202
    assert (await line.post("/line/v2/bot/richmenu/bulk/unlink", json={"userIds": [BOB]})).status_code == 202
    assert set(state.rich_menus.linked) == {ALICE}

    alias = {"richMenuAliasId": "coordbot-guest-th-0", "richMenuId": menu_id}
    assert (await line.post("/line/v2/bot/richmenu/alias", json=alias)).status_code == 200
    assert (await line.post("/line/v2/bot/richmenu/alias", json=alias)).json() == {
        "message": "conflict richmenu alias id"}
    bad = await line.post("/line/v2/bot/richmenu/alias", json={**alias, "richMenuAliasId": "Guest Menu"})
    assert bad.status_code == 400
    other = await created(line)
    assert (await line.post("/line/v2/bot/richmenu/alias/coordbot-guest-th-0",
                            json={"richMenuId": other})).status_code == 200
    assert (await line.get("/line/v2/bot/richmenu/alias/list")).json()["aliases"] == [
        {"richMenuAliasId": "coordbot-guest-th-0", "richMenuId": other}]

    batch = {"operations": [{"type": "link", "from": menu_id, "to": other}]}
    assert (await line.post("/line/v2/bot/richmenu/batch", json=batch)).status_code == 202
    assert state.rich_menus.linked[ALICE] == other
    assert (await line.delete(f"/line/v2/bot/richmenu/{other}")).status_code == 200
    assert ALICE not in state.rich_menus.linked and "coordbot-guest-th-0" not in state.rich_menus.aliases
    assert (await line.get(f"/line/v2/bot/richmenu/{other}")).status_code == 404


async def test_the_loading_animation_is_for_one_to_one_chats_and_multiples_of_five_seconds(
        line: httpx.AsyncClient, state: EmulatorState) -> None:
    assert (await line.post("/line/v2/bot/chat/loading/start",
                            json={"chatId": ALICE, "loadingSeconds": 20})).status_code == 202
    group = await line.post("/line/v2/bot/chat/loading/start", json={"chatId": "C" + "1" * 32})
    assert group.status_code == 400
    for seconds in (3, 7, 65):
        odd = await line.post("/line/v2/bot/chat/loading/start", json={"chatId": ALICE, "loadingSeconds": seconds})
        assert odd.json()["details"][0]["property"] == "loadingSeconds"
    assert state.rich_menus.loading == {ALICE: 20}


async def test_commands_per_scope_and_language_and_the_menu_button(bot: Bot, state: EmulatorState) -> None:
    state.add_user("telegram", CHAT)
    assert await bot.set_my_commands([("join", "ลงทะเบียน")], language_code="th")
    assert await bot.set_my_commands([("join", "Join")], language_code="en")
    assert await bot.set_my_commands([("deadlines", "กำหนดส่ง")], scope=BotCommandScopeChat(CHAT))
    assert [c.description for c in await bot.get_my_commands(language_code="en")] == ["Join"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(CHAT))] == ["deadlines"]
    assert await bot.get_my_commands() == ()
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(CHAT))
    assert await bot.get_my_commands(scope=BotCommandScopeChat(CHAT)) == ()
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([("help", "x")], scope=BotCommandScopeChat(999))
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_DESCRIPTION_INVALID"):
        await bot.set_my_commands([("help", "x" * 257)])
    with pytest.raises(BadRequest):
        await bot.set_my_commands([(f"c{i}", "x") for i in range(101)])
    assert (await bot.get_chat_menu_button()).type == "default"
    assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert (await bot.get_chat_menu_button(CHAT)).type == "commands"
    assert await bot.send_chat_action(CHAT, ChatAction.TYPING)
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(CHAT, "dancing")
    assert state.telegram_chat_actions == {str(CHAT): "typing"}
