"""Importing the ministry's CSV/XLSX (all or nothing, upsert by code, a report of bad rows) and exporting."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.cli import main
from storage.db import make_engine, transaction
from storage.migrations import upgrade
from storage.project_import import COLUMNS, export_rows, import_rows, read_table, write_table
from storage.projects import PlanLevel, Project, ProjectHistory, ProjectStatus

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
HEADER = [th for _, th in COLUMNS]
GOOD = [
    ["CMI-2569-0012", "โครงการพัฒนาเกษตรอัจฉริยะ", "Smart farming", "จ.เชียงใหม่", "", "แผนพัฒนาจังหวัด", "2569",
     "สำนักงานเกษตรจังหวัดเชียงใหม่", "12,500,000.50", "กำลังดำเนินการ", "45", "ติดตั้งเซนเซอร์แล้ว"],
    ["KKN-2569-0001", "โครงการระบบบริหารจัดการน้ำ", "", "Khon Kaen", "", "ท้องถิ่น", "2569",
     "องค์การบริหารส่วนจังหวัดขอนแก่น", "3000000", "อนุมัติแล้ว", "0", ""],
    ["G01-2568-0003", "โครงการยกระดับกาแฟพิเศษ", "", "", "กลุ่มจังหวัดภาคเหนือตอนบน 1", "", "2568",
     "สำนักงานจังหวัดเชียงใหม่", "800000", "แล้วเสร็จ", "100%", ""],
]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def run_import(engine: Engine, path: Path):  # type: ignore[no-untyped-def]
    columns, rows = read_table(path)
    with transaction(engine) as session:
        return import_rows(session=session, columns=columns, rows=rows, person_id=None, now=NOW)


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Project)).one()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp874"])
def test_a_good_csv_is_imported_whole(engine: Engine, tmp_path: Path, encoding: str) -> None:
    result = run_import(engine, write_csv(tmp_path / "p.csv", GOOD, encoding))
    assert result.ok and (result.created, result.updated) == (3, 0)
    with Session(engine) as session:
        cmi = session.exec(select(Project).where(Project.code == "CMI-2569-0012")).one()
        assert (cmi.province_iso, cmi.budget_satang, cmi.status, cmi.progress) == (
            "TH-50", 1_250_000_050, ProjectStatus.in_progress, 45)
        cluster = session.exec(select(Project).where(Project.code == "G01-2568-0003")).one()
        assert (cluster.cluster_no, cluster.plan_level, cluster.province_iso) == (1, PlanLevel.cluster, None)
        kkn = session.exec(select(Project).where(Project.code == "KKN-2569-0001")).one()
        assert kkn.plan_level == PlanLevel.local


def test_reimport_updates_by_code_and_keeps_history(engine: Engine, tmp_path: Path) -> None:
    run_import(engine, write_csv(tmp_path / "a.csv", GOOD))
    changed = [row[:] for row in GOOD]
    changed[0][10] = "60"
    changed[0][9] = "in_progress"
    result = run_import(engine, write_csv(tmp_path / "b.csv", changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    with Session(engine) as session:
        [row] = session.exec(select(ProjectHistory)).all()
        assert (row.source, row.old, row.new) == ("import", {"progress": 45}, {"progress": 60})
        assert session.exec(select(Project.version).where(Project.code == "CMI-2569-0012")).one() == 2


def test_one_bad_row_means_nothing_is_committed_and_every_bad_row_is_named(engine: Engine, tmp_path: Path) -> None:
    rows = [*GOOD,
            ["CMI-2569-0013", "โครงการ", "", "เชียงใหม่", "", "", "2569", "", "1000", "เสร็จเรียบร้อย", "150", ""],
            ["XYZ", "", "", "ดาวอังคาร", "", "", "69", "", "หนึ่งล้าน", "", "", ""],
            ["KKN-2569-0001", "ซ้ำ", "", "ขอนแก่น", "", "", "2569", "", "0", "", "", ""],
            ["CMI-2568-0001", "ผิดจังหวัด", "", "ขอนแก่น", "", "", "2569", "", "0", "", "", ""]]
    result = run_import(engine, write_csv(tmp_path / "bad.csv", rows))
    assert not result.ok and count(engine) == 0
    by_row = {e.row: str(e) for e in result.errors}
    assert set(by_row) == {5, 6, 7, 8}
    assert "unknown status" in by_row[5] and "progress '150'" in by_row[5]
    assert all(w in by_row[6] for w in ("bad code", "no Thai title", "unknown province", "bad fiscal year", "budget"))
    assert "repeated (first on row 3)" in by_row[7]
    assert "code starts with CMI but the project is in KKN" in by_row[8] and "year 2568" in by_row[8]


def test_export_then_import_xlsx_round_trips_unchanged(engine: Engine, tmp_path: Path) -> None:
    run_import(engine, write_csv(tmp_path / "a.csv", GOOD))
    with Session(engine) as session:
        assert write_table(tmp_path / "out.xlsx", export_rows(session=session, batch=2)) == 3
    result = run_import(engine, tmp_path / "out.xlsx")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formula_like_titles_and_notes_are_exported_quoted_and_reimport_unchanged(
    engine: Engine, tmp_path: Path, suffix: str
) -> None:
    """A note typed in chat as `=HYPERLINK(...)` must not become a live link in the admin's spreadsheet."""
    run_import(engine, write_csv(tmp_path / "a.csv", GOOD))
    texts = {"CMI-2569-0012": ("=1+1", '=HYPERLINK("http://x","y")'), "KKN-2569-0001": ("@SUM(A1)", "'-already"),
             "G01-2568-0003": ("+66", "'quoted'")}
    with transaction(engine) as session:
        for project in session.exec(select(Project)):
            project.title_en, project.last_note = texts[project.code]
    out = tmp_path / f"out.{suffix}"
    with Session(engine) as session:
        write_table(out, export_rows(session=session))
    if suffix == "csv":
        cells = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))[1:]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        assert sheet is not None
        types = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
        assert types == {"s", "n"}  # text and numbers; never "f", a formula
        cells = [[str(cell.value or "") for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[0]: (row[2], row[11]) for row in cells} == {
        "CMI-2569-0012": ("'=1+1", '\'=HYPERLINK("http://x","y")'), "KKN-2569-0001": ("'@SUM(A1)", "''-already"),
        "G01-2568-0003": ("'+66", "'quoted'")}
    result = run_import(engine, out)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_an_xlsx_export_has_numbers_an_admin_can_sum_and_a_header_that_stays_in_view(
    engine: Engine, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    run_import(engine, write_csv(tmp_path / "a.csv", GOOD))
    out = tmp_path / "out.xlsx"
    with Session(engine) as session:
        write_table(out, export_rows(session=session))
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    budget, year, progress = first["งบประมาณ (บาท)"], first["ปีงบประมาณ"], first["ความก้าวหน้า (%)"]
    assert isinstance(budget.value, int | float) and budget.number_format == "#,##0.00"
    assert isinstance(year.value, int) and year.value > 2500
    assert isinstance(progress.value, int)
    title_column = header.index("ชื่อโครงการ") + 1
    assert (sheet.column_dimensions[chr(ord("A") + title_column - 1)].width or 0) > 12  # fits the Thai titles
    result = run_import(engine, out)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_sheet_numbers(
    engine: Engine, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["บัญชีโครงการด้านวิทยาศาสตร์ เทคโนโลยีและนวัตกรรม ปีงบประมาณ 2569"])
    sheet.append(["ข้อมูล ณ วันที่ 1 มีนาคม 2569"])
    sheet.append(HEADER)
    sheet.append([*GOOD[0][:6], 2569, GOOD[0][7], 12500000.5, GOOD[0][9], 45.0, GOOD[0][11]])
    sheet.append([*GOOD[1][:6], 2569, GOOD[1][7], "ไม่ทราบ", *GOOD[1][9:]])
    book.save(tmp_path / "sheet.xlsx")
    result = run_import(engine, tmp_path / "sheet.xlsx")
    assert [str(e) for e in result.errors] == ["row 5 (KKN-2569-0001): bad budget 'ไม่ทราบ'"]
    sheet.delete_rows(5)
    book.save(tmp_path / "sheet.xlsx")
    assert run_import(engine, tmp_path / "sheet.xlsx").created == 1


def test_missing_columns_are_reported_before_reading_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("ชื่อโครงการ,จังหวัด\nก,เชียงใหม่\n", encoding="utf-8")
    with pytest.raises(ValueError, match="รหัสโครงการ"):
        read_table(path)


def test_cli_import_export_and_find(engine: Engine, database_url: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    assert main(["projects", "import", str(write_csv(tmp_path / "p.csv", GOOD))]) == 0
    out, err = capsys.readouterr()
    assert "3 new" in out and "100%" in err and "#" * 30 in err
    assert main(["projects", "find", "เกษตร"]) == 0
    assert "CMI-2569-0012" in capsys.readouterr().out
    assert main(["projects", "find", "CMI-2569-0021"]) == 2
    assert "nearest: CMI-2569-0012" in capsys.readouterr().err
    assert main(["projects", "export", str(tmp_path / "all.csv")]) == 0
    assert "exported 3" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [[*GOOD[0][:6], "25x9", *GOOD[0][7:]]])
    assert main(["projects", "import", "--quiet", str(bad)]) == 2
    assert "row 2 (CMI-2569-0012): bad fiscal year '25x9'" in capsys.readouterr().err
