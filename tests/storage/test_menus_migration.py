"""Migration 0014 on a database from before it: registered people are due to get their menu, Thai guests not."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import make_engine
from storage.migrations import upgrade


def test_upgrade_makes_everyone_but_thai_guests_due_for_a_menu(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        for pid, role, lang in ((1, "coordinator", "th"), (2, "guest", "th"), (3, "guest", "en")):
            conn.execute(text("INSERT INTO person (id, name, role, position, lang, created_at) "
                              "VALUES (:id, '', :role, '', :lang, '2026-01-01 00:00:00')"),
                         {"id": pid, "role": role, "lang": lang})
            conn.execute(text("INSERT INTO account (person_id, platform, user_id, chat_id, display_name, reachable, "
                              "unreachable_reason, created_at, last_seen_at) VALUES (:id, 'line', :user, :user, '', "
                              "true, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"),
                         {"id": pid, "user": f"U{pid:032x}"})
    upgrade(engine)
    with engine.connect() as conn:
        menus: dict[int, str | None] = dict(conn.execute(text("SELECT person_id, menu FROM account")).all())
    assert menus == {1: None, 2: "guest-th", 3: None}
    engine.dispose()
