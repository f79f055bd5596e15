"""Menus per role and language: LINE rich menus and Telegram command lists, kept in sync and linked per person."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import pytest
from PIL import Image

from bot import menus
from bot.config import Settings
from bot.emulator.control import menu_of, tap_event
from bot.emulator.state import EmulatorState
from bot.payloads import Cmd, PayloadError
from bot.service import Service
from storage import directory
from storage.db import transaction
from storage.models import Role
from storage.people import create_invite
from tests.helpers import Phone, Phones

README_ACTIONS = {
    # What the README lists for each role (its command tables), as the commands that start each action.
    Role.guest: {"join", "help", "lang"},
    Role.coordinator: {"deadlines", "submitted", "project", "summary", "workshops", "checkin", "help", "lang", "me"},
    Role.deputy_governor: {"deadlines", "submitted", "project", "summary", "workshops", "checkin", "delegate",
                           "help", "lang", "me"},
    Role.admin: {"broadcast", "attendees", "window", "newworkshop", "summary", "people", "project", "deadlines",
                 "workshops", "checkin", "help", "lang"},
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"menus": True})


async def join(phone: Phone, role: Role, province_iso: str | None = "TH-50") -> None:
    """Register through the chat, with an invite code, as a real person would."""
    with transaction(phone.phones.service.engine) as session:
        code = create_invite(session=session, role=role, province_iso=province_iso, now=phone.phones.clock(),
                             valid_for=timedelta(days=1)).code
    await phone.say(code)


def alias_menu(state: EmulatorState, role: Role, lang: str, tab: int = 0) -> str:
    return state.rich_menus.aliases[menus.build(role, lang).pages[tab].alias]


def command_of(data: str) -> str | None:
    if data.startswith("/"):
        return data[1:].split()[0]
    try:
        return Cmd.unpack(data).name
    except PayloadError:
        return None


async def tap(phone: Phone, number: int) -> list[str]:
    event = tap_event(phone.phones.state, phone.platform, phone.user_id, number)
    assert event is not None
    fresh = await phone.send(event)
    return [b for r in fresh for b in (d for _, d in r.buttons)]


def test_every_menu_fits_line_and_telegram_limits() -> None:
    for menu in menus.all_menus():
        for page in menu.pages:
            assert len(page.areas) <= 20 and 1 <= len(page.chat_bar) <= 14 and len(page.name) <= 300
            assert page.height in (menus.FULL_HEIGHT, menus.HALF_HEIGHT)
        names = [c.name for c in menus.commands(menu.role, menu.lang)]
        assert len(names) <= 100 and all(n.isascii() and n.islower() and 1 <= len(n) <= 32 for n in names)
    assert len(menus.build(Role.deputy_governor, "th").pages) == 2  # eight actions: two tabs
    assert len(menus.build(Role.coordinator, "th").pages) == 1


async def test_start_up_creates_the_menus_and_a_second_sync_changes_nothing(phones: Phones, service: Service) -> None:
    state = phones.state
    rich = state.rich_menus
    pages = [p for m in menus.all_menus() for p in m.pages]
    assert sorted(m["name"] for m in rich.menus.values()) == sorted(p.name for p in pages)
    for menu_id, menu in rich.menus.items():
        image, kind = rich.images[menu_id]
        with Image.open(io.BytesIO(image)) as picture:
            assert picture.size == (2500, menu["size"]["height"]) and kind == "image/png"
        assert len(image) <= 1024 * 1024
    assert rich.default == alias_menu(state, Role.guest, "th")
    assert [c["command"] for c in state.telegram_commands[("default", "en")]] == ["join", "lang", "help"]
    assert state.telegram_menu_buttons["default"] == {"type": "commands"}
    assert len(state.calls("line", "richmenu/validate")) == len(pages)

    calls = len(state.calls())
    assert await menus.sync(service.engine, service.adapters) == []
    writes = [c.endpoint for c in state.calls()[calls:] if not c.endpoint.endswith(("list", "get"))
              and c.endpoint not in ("getMyCommands", "getChatMenuButton", "getMe")]
    assert writes == []


async def test_changed_menus_are_replaced_and_stale_ones_deleted(phones: Phones, service: Service,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    state = phones.state
    coordinator, on_telegram = phones.line(1), phones.telegram(2)
    await join(coordinator, Role.coordinator)
    await join(on_telegram, Role.coordinator)
    old = alias_menu(state, Role.coordinator, "th")
    assert state.rich_menus.linked[coordinator.user_id] == old
    stale = "richmenu-" + "0" * 32
    state.rich_menus.menus[stale] = {**state.rich_menus.menus[old], "name": "coordbot coordbot-retired-th-0 x"}
    foreign = "richmenu-" + "1" * 32
    state.rich_menus.menus[foreign] = {**state.rich_menus.menus[old], "name": "campaign menu"}

    monkeypatch.setitem(menus.LAYOUT, Role.coordinator, [(menus.MAIN, [menus.DEADLINES, menus.HELP])])
    changes = await menus.sync(service.engine, service.adapters)

    new = alias_menu(state, Role.coordinator, "th")
    assert new != old and old not in state.rich_menus.menus and stale not in state.rich_menus.menus
    assert foreign in state.rich_menus.menus  # not ours: left alone
    assert "line: created coordbot-coord-th-0" in changes
    assert len(state.calls("line", "richmenu/batch")) == 1  # its users moved to the replacement at once
    assert state.rich_menus.linked[coordinator.user_id] == new
    assert [i["label"] for i in menu_of(state, "line", coordinator.user_id)] == ["กำหนดส่ง", "ช่วยเหลือ"]
    assert [i["data"] for i in menu_of(state, "telegram", on_telegram.user_id)] == ["/deadlines", "/help"]
    assert await menus.sync(service.engine, service.adapters) == []


async def test_registration_role_and_language_changes_relink_the_menu(phones: Phones, service: Service) -> None:
    state = phones.state
    line, telegram = phones.line(1), phones.telegram(1)
    assert menu_of(state, "line", line.user_id)[0]["label"] == "ลงทะเบียน"  # the guests' default
    await join(line, Role.coordinator)
    await join(telegram, Role.coordinator)
    assert state.rich_menus.linked[line.user_id] == alias_menu(state, Role.coordinator, "th")
    assert [c["command"] for c in state.telegram_commands[(f"chat:{telegram.user_id}", "")]] == [
        "deadlines", "submitted", "project", "workshops", "checkin", "help"]

    with transaction(service.engine) as session:
        for entry in directory.people(session=session, role=Role.coordinator):  # one person per phone
            directory.change(session=session, target=entry.person, by=None, role=Role.deputy_governor)
    await line.settle()
    assert state.rich_menus.linked[line.user_id] == alias_menu(state, Role.deputy_governor, "th")
    assert "delegate" in [c["command"] for c in state.telegram_commands[(f"chat:{telegram.user_id}", "")]]

    await line.say("/lang en")
    assert state.rich_menus.linked[line.user_id] == alias_menu(state, Role.deputy_governor, "en")
    assert menu_of(state, "line", line.user_id)[2]["label"] == "Deadlines"


async def test_many_people_changing_at_once_are_linked_in_bulk(phones: Phones, service: Service) -> None:
    state = phones.state
    people = [phones.line(n) for n in range(1, 5)]
    for phone in people:
        await phone.say("/help")
    with transaction(service.engine) as session:
        for entry in directory.people(session=session, role=Role.guest):
            directory.change(session=session, target=entry.person, by=None, role=Role.coordinator)
    before = len(state.calls("line", "richmenu/link"))
    await service.drain()
    assert len(state.calls("line", "richmenu/bulk/link")) == 1
    assert len(state.calls("line", "richmenu/link")) == before
    assert {state.rich_menus.linked[p.user_id] for p in people} == {alias_menu(state, Role.coordinator, "th")}


@pytest.mark.parametrize("platform", ["line", "telegram"])
@pytest.mark.parametrize("role", [Role.guest, Role.coordinator, Role.deputy_governor, Role.admin])
async def test_every_readme_action_is_within_two_taps(phones: Phones, role: Role, platform: str) -> None:
    """Tap 1: a menu area (or a tab, or a Telegram command); tap 2: an area of that tab or a button it answered."""
    phone = phones.line(1) if platform == "line" else phones.telegram(1)
    if role == Role.guest:
        await phone.say("สวัสดี")
    else:
        await join(phone, role)
    state = phones.state
    reached: set[str] = set()
    first = menu_of(state, platform, phone.user_id)
    for number, item in enumerate(first, start=1):
        if "switch" in item:
            await tap(phone, number)
            reached |= {c for i in menu_of(state, platform, phone.user_id) if "switch" not in i
                        and (c := command_of(i["data"]))}
            state.rich_menus.switched.pop(phone.user_id, None)
            continue
        reached.add(command_of(item["data"]) or "?")
        buttons = await tap(phone, number)
        reached |= {c for data in buttons if (c := command_of(data))}
    missing = README_ACTIONS[role] - reached
    assert not missing, f"{role} on {platform} must type {sorted(missing)}"


async def test_a_search_shows_the_loading_indicator_first(phones: Phones) -> None:
    line, telegram = phones.line(1), phones.telegram(1)
    for phone in (line, telegram):
        await join(phone, Role.coordinator)
        await phone.say("/project เชียงใหม่")
    assert phones.state.rich_menus.loading[line.user_id] == 20
    assert phones.state.telegram_chat_actions[telegram.user_id] == "typing"
    assert [c.target for c in phones.state.calls("line", "chat/loading/start")] == [line.user_id]


async def shown_by(service: Service) -> None:
    """Wait for the loading indicators the service is showing (each call may be over already)."""
    if service.working:
        await asyncio.wait(service.working)


async def test_a_message_that_arrives_while_the_worker_is_behind_shows_the_loading_indicator_as_it_waits(
        phones: Phones, service: Service) -> None:
    line, telegram = phones.line(1), phones.telegram(2)
    await line.say("/help")
    assert phones.state.calls("line", "chat/loading/start") == []  # answered at once: nothing to show
    assert (await line.post(line.event_for_text("/me"))).status_code == 200
    phones.clock.advance(seconds=3)  # the worker gets to it three seconds later: it is behind
    assert service.handle_batch(8) == 1
    assert phones.state.calls("line", "chat/loading/start") == []  # that answer goes now: too late to show
    for phone in (line, telegram):  # while it is behind, a message is shown the indicator as soon as it is stored
        assert (await phone.post(phone.event_for_text("/help"))).status_code == 200
    await shown_by(service)
    assert [c.target for c in phones.state.calls("line", "chat/loading/start")] == [line.user_id]
    assert phones.state.telegram_chat_actions[telegram.user_id] == "typing"
    await line.settle()  # caught up: the next message is answered at once, without it
    await line.say("/me")
    assert len(phones.state.calls("line", "chat/loading/start")) == 1


async def test_in_a_backlog_a_chat_is_shown_the_indicator_once_until_it_is_answered_or_the_indicator_ends(
        phones: Phones, service: Service) -> None:
    line = phones.line(1)
    assert (await line.post(line.event_for_text("/me"))).status_code == 200
    phones.clock.advance(seconds=3)
    assert service.handle_batch(8) == 1  # the worker is behind (its answer not sent yet)
    shown = lambda: len(phones.state.calls("line", "chat/loading/start"))  # noqa: E731
    for text in ("/help", "/me"):  # two messages before the first is answered: one indicator, still showing
        assert (await line.post(line.event_for_text(text))).status_code == 200
    await shown_by(service)
    assert shown() == 1
    phones.clock.advance(seconds=21)  # LINE's animation (20 s) is over by itself: the next message shows it again
    assert (await line.post(line.event_for_text("/help"))).status_code == 200
    await shown_by(service)
    assert shown() == 2
    assert service.handle_batch(8) == 1 and await service.outbox.dispatch_due() >= 1  # an answer ends it
    assert (await line.post(line.event_for_text("/me"))).status_code == 200
    await shown_by(service)
    assert shown() == 3


async def test_a_refused_link_is_tried_alone_marked_failed_and_retried_at_the_next_sync(
        phones: Phones, service: Service) -> None:
    state = phones.state
    people = [phones.telegram(n) for n in range(1, 4)]
    for phone in people:
        await phone.say("/help")
    with transaction(service.engine) as session:
        for entry in directory.people(session=session, role=Role.guest):
            directory.change(session=session, target=entry.person, by=None, role=Role.coordinator)
    # The first chat is refused twice: in the call for all three, and again on its own.
    state.inject_fault("telegram", "setMyCommands", status=400, count=2, message="Bad Request: chat not found")
    await service.drain()
    chats = {p.user_id: state.telegram_commands.get((f"chat:{p.user_id}", "")) for p in people}
    assert chats[people[0].user_id] is None and chats[people[1].user_id] and chats[people[2].user_id]
    before = len(state.calls("telegram", "setMyCommands"))
    await service.drain()
    assert len(state.calls("telegram", "setMyCommands")) == before  # not retried on every round

    await menus.sync(service.engine, service.adapters)
    assert state.telegram_commands[(f"chat:{people[0].user_id}", "")]
