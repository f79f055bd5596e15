"""`coordbot people ...`, `coordbot audit`, `coordbot invite revoke`, `coordbot window submit`: the admins' people
tools from the shell, on the same services as chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.cli import main
from storage.db import make_engine, transaction, utcnow
from storage.deadlines import create_window, submissions
from storage.migrations import upgrade
from storage.models import Account, Person, Role
from storage.people import create_invite, invite_by_code


@pytest.fixture
def shell_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as session:
        for n, (name, role, iso) in enumerate([("กนกพร คำดี", Role.coordinator, "TH-50"),
                                                ("กนกพร คำดี", Role.coordinator, "TH-40")], start=1):
            person = Person(name=name, role=role, province_iso=iso)
            session.add(person)
            session.flush()
            assert person.id is not None
            session.add(Account(person_id=person.id, platform="line", user_id=f"U{n:032x}", chat_id=f"U{n:032x}",
                                reachable=n == 1))
    engine.dispose()
    return database_url


def test_people_list_tells_two_namesakes_apart_by_province_and_reachability(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("TH-50" in line and "line:reachable" in line for line in out)
    assert any("TH-40" in line and "line:UNREACHABLE" in line for line in out)
    assert main(["people", "list", "--province", "ขอนแก่น"]) == 0
    assert capsys.readouterr().out.endswith("1 people\n")


def test_people_set_and_retire_from_the_shell_are_audited(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["people", "set", "1", "--role", "deputy_governor", "--province", "Songkhla"]) == 0
    assert "role coordinator → deputy_governor" in capsys.readouterr().out
    assert main(["people", "retire", "1"]) == 0
    assert "add --yes" in capsys.readouterr().out
    assert main(["people", "retire", "1", "--yes"]) == 0
    engine = make_engine(shell_env)
    with Session(engine) as session:
        person = session.get(Person, 1)
        assert person is not None and person.retired_at is not None and person.role == Role.guest
    engine.dispose()
    assert main(["audit", "--person", "1"]) == 0
    out = capsys.readouterr().out
    assert "person_retired" in out and "person_changed" in out
    assert main(["people", "set", "9", "--role", "admin"]) == 2


def test_invite_revoke_and_a_submission_recorded_for_a_province(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(shell_env)
    now = utcnow()
    with transaction(engine) as session:
        code = create_invite(session=session, role=Role.coordinator, province_iso="TH-50", now=now,
                             valid_for=timedelta(days=3)).code
        window = create_window(session=session, title_th="แผน", fiscal_year=2570, opens_at=now,
                               closes_at=now + timedelta(days=9), provinces=["TH-50"], scope="list")
    assert main(["invite", "revoke", code]) == 0
    assert main(["invite", "revoke", code]) == 0  # revoking twice is harmless: it is still unused and stopped
    assert main(["window", "submit", str(window.id), "--province", "เชียงใหม่", "--reason", "หนังสือ 3 ธ.ค."]) == 0
    assert main(["window", "submit", str(window.id), "--province", "ขอนแก่น", "--reason", "x"]) == 2
    with Session(engine) as session:
        invite = invite_by_code(session=session, code=code)
        assert invite is not None and invite.expires_at <= utcnow()
        assert list(submissions(session=session, window_id=window.id or 0)) == ["TH-50"]
    engine.dispose()


def test_an_unknown_province_is_refused_before_anything_runs(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main(["people", "list", "--province", "แอตแลนติส"])
    assert exit_code.value.code == 2 and "unknown province 'แอตแลนติส'" in capsys.readouterr().err


def test_listing_invites_when_there_are_none_says_so(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "list"]) == 0
    assert capsys.readouterr().out == "no unused invite codes (--all lists used ones too)\n"
    assert main(["invite", "list", "--all"]) == 0
    assert capsys.readouterr().out == "no invite codes\n"


def test_an_empty_audit_log_says_so(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit"]) == 0
    assert capsys.readouterr().out == "no audit entries\n"
    assert main(["audit", "--action", "refused"]) == 0
    assert capsys.readouterr().out == "no audit entries match\n"
