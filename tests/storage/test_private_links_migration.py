"""Migration 0009 on a database from before it: chats learned in groups and second accounts on one app."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from storage.db import make_engine
from storage.migrations import upgrade
from storage.models import Account, Person, Role


def test_upgrade_keeps_one_account_per_app_and_forgets_group_chats(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine, "0012_people_retired")  # the person table as the model writes it, before 0009
    upgrade(engine, "0014_menus")  # and the account table
    with Session(engine) as session:
        person = Person(name="กนกพร", role=Role.coordinator, province_iso="TH-50", lang="en")
        session.add(person)
        session.flush()
        assert person.id is not None
        old = datetime(2026, 1, 1, tzinfo=UTC)
        session.add_all([
            Account(person_id=person.id, platform="line", user_id="U" + "1" * 32, chat_id="C" + "9" * 32,
                    display_name="old phone", last_seen_at=old),
            Account(person_id=person.id, platform="line", user_id="U" + "2" * 32, chat_id="U" + "2" * 32,
                    display_name="new phone", last_seen_at=datetime(2026, 2, 1, tzinfo=UTC)),
            Account(person_id=person.id, platform="telegram", user_id="5001", chat_id="-1001234", last_seen_at=old),
        ])
        session.commit()
        person_id = person.id
    upgrade(engine)
    with Session(engine) as session:
        accounts = {a.user_id: a for a in session.exec(select(Account))}
        kept, moved, telegram = accounts["U" + "2" * 32], accounts["U" + "1" * 32], accounts["5001"]
        assert kept.person_id == telegram.person_id == person_id
        assert moved.person_id != person_id
        guest = session.get(Person, moved.person_id)
        assert guest is not None and (guest.role, guest.name, guest.lang) == (Role.guest, "old phone", "en")
        assert all(a.chat_id == a.user_id for a in accounts.values())
    engine.dispose()
