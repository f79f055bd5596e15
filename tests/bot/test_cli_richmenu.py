"""`coordbot richmenu sync`: creates the menus and links the registered people once; a second run changes nothing."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.emulator import EmulatorServer
from storage.db import make_engine, transaction
from storage.migrations import upgrade
from storage.models import Account, Person, Role
from tests.conftest import platform_env

COORDINATOR = "U" + "c" * 32


def test_sync_twice_creates_links_and_then_changes_nothing(database_url: str, emulator: EmulatorServer,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    emulator.state.reset()
    for name, value in {**platform_env(emulator), "COORDBOT_DATABASE_URL": database_url}.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as session:
        person = Person(name="กนกพร", role=Role.coordinator, province_iso="TH-50")
        session.add(person)
        session.flush()
        assert person.id is not None
        session.add(Account(person_id=person.id, platform="line", user_id=COORDINATOR, chat_id=COORDINATOR,
                            menu=None))
    engine.dispose()

    assert main(["richmenu", "sync"]) == 0
    first = capsys.readouterr().out
    assert "line: created coordbot-coord-th-0" in first and "line: default set" in first
    linked = emulator.state.rich_menus.linked[COORDINATOR]
    assert emulator.state.rich_menus.menus[linked]["name"].startswith("coordbot coordbot-coord-th-0 ")

    assert main(["richmenu", "sync"]) == 0
    assert capsys.readouterr().out == "the menus are up to date\n"
    assert emulator.state.rich_menus.linked[COORDINATOR] == linked
