"""`coordbot chat`: pushes are printed as they arrive, button numbers never move under the finger, link buttons
print their address, and a location can be shared."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from bot.chat import Phone, Screen, action_for, menu_lines, watch
from bot.cli import main
from bot.emulator import EmulatorServer
from bot.emulator.control import LineEventBody, TelegramUpdateBody, line_event_for, telegram_update_for

USER = "U" + "c" * 32


def deliver(emulator: EmulatorServer, text: str, buttons: list[tuple[str, str]]) -> None:
    emulator.state.deliver("line", USER, kind="text", text=text, buttons=buttons, raw={})


def test_a_push_is_printed_without_typing_anything(emulator: EmulatorServer) -> None:
    emulator.state.reset()
    printed: list[str] = []
    stop = threading.Event()
    phone, screen = Phone(emulator.url, "line", USER), Screen()
    watcher = threading.Thread(target=watch, args=(phone, screen, printed.extend, stop), daemon=True)
    watcher.start()
    try:
        deliver(emulator, "⏰ เตือนกำหนดส่ง", [("ส่งแล้ว", "dls:1:0")])
        deadline = time.monotonic() + 30  # at most; a loaded machine is slow
        while len(printed) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join()
        phone.close()
    assert printed == ["bot> ⏰ เตือนกำหนดส่ง", "   [1] ส่งแล้ว"]


def test_an_old_number_presses_the_old_button_never_a_new_one() -> None:
    screen = Screen()
    screen.render([{"text": "สัมมนา", "buttons": [{"label": "เข้าร่วม", "data": "rv:1:yes"}]}])
    lines = screen.render([{"text": "ประกาศ", "buttons": [{"label": "รับทราบ", "data": "bca:7"}]}])
    assert lines == ["bot> ประกาศ", "   [2] รับทราบ"]
    assert action_for("1", screen) == {"data": "rv:1:yes"}
    assert action_for("2", screen) == {"data": "bca:7"}
    assert action_for("3", screen) == "(there is no button [3])"


def test_a_link_button_prints_its_address_instead_of_pressing() -> None:
    screen = Screen()
    lines = screen.render([{"text": "", "kind": "template", "buttons": [
        {"label": "📅 ลงปฏิทิน", "data": "http://127.0.0.1:8000/files/ics/2?sig=x"}]}])
    assert lines[-1] == "   [1] 📅 ลงปฏิทิน  → http://127.0.0.1:8000/files/ics/2?sig=x"
    assert action_for("1", screen) == "open http://127.0.0.1:8000/files/ics/2?sig=x"


def test_sharing_a_location_sends_the_platforms_location_event(emulator: EmulatorServer) -> None:
    action = action_for(":location 18.7883, 98.9853 ศาลากลางจังหวัดเชียงใหม่", Screen())
    assert action == {"type": "location", "latitude": 18.7883, "longitude": 98.9853,
                      "title": "ศาลากลางจังหวัดเชียงใหม่"}
    assert isinstance(action, dict)
    line = line_event_for(emulator.state, LineEventBody(user_id=USER, **action))
    assert line["message"]["type"] == "location" and line["message"]["title"] == "ศาลากลางจังหวัดเชียงใหม่"
    tg = telegram_update_for(emulator.state, TelegramUpdateBody(user_id=42, **action))
    assert tg["message"]["location"] == {"latitude": 18.7883, "longitude": 98.9853}
    assert action_for(":location here", Screen()).startswith("(usage")  # type: ignore[union-attr]


def test_menu_lists_the_persons_rich_menu_and_m_numbers_tap_it(emulator: EmulatorServer) -> None:
    emulator.state.reset()
    rich = emulator.state.rich_menus
    areas = [{"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
              "action": {"type": "postback", "data": "cmd:join:", "displayText": "ลงทะเบียน"}},
             {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
              "action": {"type": "postback", "data": "cmd:help:", "displayText": "ช่วยเหลือ"}}]
    rich.menus["richmenu-" + "a" * 32] = {"size": {"width": 2500, "height": 843}, "selected": True,
                                          "name": "guests", "chatBarText": "เมนู", "areas": areas}
    rich.images["richmenu-" + "a" * 32] = (b"", "image/png")
    rich.default = "richmenu-" + "a" * 32
    phone = Phone(emulator.url, "line", USER)
    try:
        assert menu_lines(phone.menu()) == ["   m1 ลงทะเบียน", "   m2 ช่วยเหลือ"]
    finally:
        phone.close()
    assert action_for("m2", Screen()) == {"menu": 2}


def test_without_the_demo_running_chat_says_how_to_start_it(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    assert main(["chat", "--as", "guest", "--emulator", url]) == 1
    said = capsys.readouterr()
    assert f"nothing answers at {url}" in said.err and "make run" in said.err
    assert "Traceback" not in said.err + said.out
