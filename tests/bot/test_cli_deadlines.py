"""`coordbot window ...`: windows created from the shell get their reminders planned in the shared job store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bot.cli import main
from storage.db import make_engine
from storage.deadlines import all_windows


@pytest.fixture
def shell_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    return database_url


def planned_jobs(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        jobs = [row[0] for row in conn.execute(text("SELECT id FROM apscheduler_jobs ORDER BY id"))]
    engine.dispose()
    return jobs


def test_create_move_and_delete_a_window_from_the_shell(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["window", "create", "--title-th", "แผนกลุ่มจังหวัด 2571", "--closes", "2580-12-15 16:30",
                 "--clusters", "1", "--nudges", "7d,1d"]) == 0
    assert "window #1 created: แผนกลุ่มจังหวัด 2571, fiscal year 2581" in capsys.readouterr().out
    assert planned_jobs(shell_env) == ["dl:1:closed", "dl:1:nudge:1d", "dl:1:nudge:7d"]
    engine = make_engine(shell_env)
    with Session(engine) as session:
        [window] = all_windows(session=session)
    engine.dispose()
    assert window.provinces == ["TH-50", "TH-51", "TH-52", "TH-58"] and window.fiscal_year == 2581

    assert main(["window", "move", "1", "--closes", "2580-12-20 16:30"]) == 0
    assert main(["window", "delete", "1"]) == 0
    assert planned_jobs(shell_env) == []


def test_the_fiscal_year_a_title_names_is_used_and_shown(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["window", "create", "--title-th", "เสนอโครงการเข้าแผน ปี 2571", "--closes", "2569-12-15 16:30"]) == 0
    assert "fiscal year 2571" in capsys.readouterr().out  # December 2569 is in fiscal year 2570


def test_an_unknown_province_is_refused_and_nothing_is_created(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["window", "create", "--title-th", "x", "--closes", "2580-12-15 16:30", "--provinces", "Atlantis"]) == 2
    assert "unknown province 'Atlantis'" in capsys.readouterr().err
    assert main(["window", "list"]) == 0
    assert capsys.readouterr().out == "no submission windows\n"


def test_the_shell_reads_dates_as_thai_people_write_them(shell_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["window", "create", "--title-th", "รอบทดสอบ", "--closes", "15 ธ.ค. 2580 16.30 น."]) == 0
    engine = make_engine(shell_env)
    with Session(engine) as session:
        [window] = all_windows(session=session)
    engine.dispose()
    assert window.closes_at.astimezone(UTC) == datetime(2037, 12, 15, 9, 30, tzinfo=UTC)  # 16:30 in Bangkok


def test_a_close_date_without_a_time_is_refused_with_what_to_add(
    shell_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["window", "create", "--title-th", "รอบทดสอบ", "--closes", "2580-12-15"]) == 2
    assert 'a date without a time: give both, like "2580-12-15 16:30"' in capsys.readouterr().err
    assert main(["window", "list"]) == 0
    assert capsys.readouterr().out == "no submission windows\n"
