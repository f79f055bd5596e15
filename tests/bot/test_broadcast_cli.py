"""`coordbot broadcast send|status|cancel`: preview without --yes, queue or schedule with it, report, cancel."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.cli import main
from storage.db import make_engine, transaction
from storage.migrations import upgrade
from storage.models import Role
from storage.people import ensure_account


@pytest.fixture
def shell_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as session:
        for n, (platform, role, province) in enumerate([("line", Role.admin, None),
                                                        ("line", Role.coordinator, "TH-50"),
                                                        ("telegram", Role.coordinator, "TH-50"),
                                                        ("telegram", Role.coordinator, "TH-40")]):
            user = f"U{n:032x}" if platform == "line" else str(700 + n)
            _, person = ensure_account(session=session, platform=platform, user_id=user, chat_id=user)
            person.role, person.province_iso, person.name = role, province, f"คน {n}"
    engine.dispose()
    return database_url


def planned_jobs(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        jobs = [row[0] for row in conn.execute(text("SELECT id FROM apscheduler_jobs ORDER BY id"))]
    engine.dispose()
    return jobs


def test_send_previews_then_queues_and_status_shows_progress(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["broadcast", "send", "--text", "ประชุม", "--province", "เชียงใหม่", "--role", "coordinator"]) == 0
    out = capsys.readouterr().out
    assert "recipients: LINE 1, Telegram 1, unreachable 0" in out and "preview only" in out
    assert main(["broadcast", "status", "1"]) == 2
    capsys.readouterr()

    assert main(["broadcast", "send", "--text", "ประชุม", "--province", "Chiang Mai", "--yes"]) == 0
    assert "broadcast #1 queued for 2 people" in capsys.readouterr().out
    assert main(["broadcast", "status", "1"]) == 0
    status = capsys.readouterr().out
    assert "broadcast #1: sending" in status
    assert "line      queued 1, sent 0, failed 0, unreachable 0" in status
    assert "[..............................] 0% (0/2)" in status
    assert main(["broadcast", "cancel", "1"]) == 2
    assert "only a scheduled one can be cancelled" in capsys.readouterr().err


def test_a_scheduled_send_is_planned_and_cancel_removes_its_job(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["broadcast", "send", "--text", "ล่วงหน้า", "--at", "2580-01-05 09:00", "--ack", "--yes"]) == 0
    assert "broadcast #1 scheduled for 5 Jan 2037 09:00" in capsys.readouterr().out
    assert planned_jobs(shell_env) == ["bc:1"]
    assert main(["broadcast", "cancel", "1"]) == 0
    assert planned_jobs(shell_env) == []


def test_places_can_be_a_comma_list_or_repeated(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "send", "--text", "x", "--province", "เชียงใหม่,Khon Kaen"]) == 0
    assert "recipients: LINE 1, Telegram 2, unreachable 0" in capsys.readouterr().out
    assert main(["broadcast", "send", "--text", "x", "--province", "เชียงใหม่", "--province", "Khon Kaen"]) == 0
    assert "recipients: LINE 1, Telegram 2, unreachable 0" in capsys.readouterr().out


def test_unknown_places_are_refused(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "send", "--text", "x", "--province", "Atlantis", "--yes"]) == 2
    assert "Atlantis" in capsys.readouterr().err


def test_a_past_time_or_a_plain_http_image_is_refused(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "send", "--text", "x", "--at", "2020-01-01 09:00", "--yes"]) == 2
    assert "2020-01-01 09:00" in capsys.readouterr().err
    assert main(["broadcast", "send", "--text", "x", "--image", "http://example.org/a.png", "--yes"]) == 2
    assert "must start with https://" in capsys.readouterr().err


def test_workshop_answers_and_unsubmitted_windows_narrow_the_preview(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timedelta

    from sqlmodel import select

    from storage.db import utcnow
    from storage.deadlines import create_window, submit
    from storage.models import Person
    from storage.rsvp import RsvpStatus, create_workshop, invite

    engine = make_engine(shell_env)
    now = utcnow()
    with transaction(engine) as session:
        coordinators = list(session.exec(select(Person).where(Person.role == Role.coordinator)))
        workshop = create_workshop(session=session, title_th="สัมมนา", starts_at=now + timedelta(days=9),
                                   ends_at=now + timedelta(days=10), rsvp_deadline=now + timedelta(days=5),
                                   roles=[Role.coordinator], provinces=["TH-50", "TH-40"], scope="")
        invite(session=session, workshop=workshop, people=coordinators)[0].status = RsvpStatus.yes  # LINE, TH-50
        window = create_window(session=session, title_th="แผน", fiscal_year=2569, opens_at=now,
                               closes_at=now + timedelta(days=30), provinces=["TH-50", "TH-40"], scope="")
        submit(session=session, window=window, province_iso="TH-50", person_id=None, now=now)
    engine.dispose()

    assert main(["broadcast", "send", "--text", "x", "--workshop", "1", "--attending"]) == 0
    assert "recipients: LINE 1, Telegram 0" in capsys.readouterr().out
    assert main(["broadcast", "send", "--text", "x", "--workshop", "1", "--silent"]) == 0
    assert "recipients: LINE 0, Telegram 2" in capsys.readouterr().out
    assert main(["broadcast", "send", "--text", "x", "--window", "1", "--role", "coordinator"]) == 0
    out = capsys.readouterr().out
    assert "to: role provincial coordinators + provinces not yet submitted to window #1" in out
    assert "recipients: LINE 0, Telegram 1" in out
    assert main(["broadcast", "send", "--text", "x", "--window", "7"]) == 2
    assert "There is no submission window #7" in capsys.readouterr().err
