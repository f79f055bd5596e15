"""The demo data `make run` seeds: realistic, and seeding twice adds nothing."""

from __future__ import annotations

from sqlmodel import Session, func, select

from bot.run import demo_state
from storage.db import make_engine, transaction
from storage.deadlines import Submission, SubmissionWindow
from storage.demo import PERSONAS, persona, seed_all
from storage.migrations import upgrade
from storage.models import Person
from storage.people import account_for


def test_seeding_twice_adds_nothing_the_second_time(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    first = seed_all(engine)
    assert first.startswith("6 people added") and "3 submission windows added" in first
    assert seed_all(engine) == "0 people added, 0 workshops added, 0 projects added, 0 submission windows added"
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Person)).one() == 6
        assert session.exec(select(func.count()).select_from(SubmissionWindow)).one() == 3
        assert [s.province_iso for s in session.exec(select(Submission))] == ["TH-50"]
    engine.dispose()


def test_the_demo_emulator_knows_every_demo_phone_so_telegram_messages_reach_them() -> None:
    state = demo_state("http://127.0.0.1:8000")
    for person in PERSONAS:
        assert state.knows("telegram", person.telegram_id) and state.knows("line", person.line_user_id), person.key


def test_seeding_a_demo_database_from_before_moves_the_demo_telegram_ids_out_of_the_real_range(
    database_url: str
) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    seed_all(engine)
    admin = persona("admin")
    with transaction(engine) as session:
        old = account_for(session=session, platform="telegram", user_id=str(admin.telegram_id))
        assert old is not None
        old.user_id = old.chat_id = "7171695"  # the id earlier versions seeded: a real person could have it
    seed_all(engine)
    with Session(engine) as session:
        account = account_for(session=session, platform="telegram", user_id=str(admin.telegram_id))
        assert account is not None and account.chat_id == str(admin.telegram_id)
        assert account_for(session=session, platform="telegram", user_id="7171695") is None
    engine.dispose()
