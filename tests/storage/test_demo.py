"""The demo data `make run` seeds: realistic, and seeding twice adds nothing."""

from __future__ import annotations

from sqlmodel import Session, func, select

from bot.run import demo_state
from storage.db import make_engine
from storage.deadlines import Submission, SubmissionWindow
from storage.demo import PERSONAS, seed_all
from storage.migrations import upgrade
from storage.models import Person


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
