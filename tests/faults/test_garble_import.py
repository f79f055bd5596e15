"""Garble at scale: a 100,000-row import file full of garbage (formulas, mojibake, numbers in other scripts,
control characters, merged cells, every row in another encoding) given to `coordbot projects import`, as an
admin would: the answer is a file error or a report of the invalid rows, never a traceback, and the projects
already there are untouched (an import is all or nothing).
"""

from __future__ import annotations

import csv
import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.cli import main
from storage.db import make_engine, transaction
from storage.project_import import COLUMNS, MAX_REPORTED
from storage.projects import Project
from tests.factories import project

pytestmark = pytest.mark.faults  # 100,000 rows take a while: `make faults`

ROWS = 100_000
HEADER = [th for _, th in COLUMNS]
GARBAGE = [
    "=1+1", '=HYPERLINK("http://evil.example/","ดูรายละเอียด")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
    "à¸à¸£à¸¸à¸‡à¹€à¸—à¸ž", "\ufffd\ufffd\ufffd", "เชียงใหม", "Chiang Maii", "TH-99", "กลุ่มจังหวัดที่ ๙๙", "1e309", "NaN",
    "-0", "๒๕๖๙", "12,34,5", "9" * 40, "²", "፩", "100%%", "\x00", "\x1b[31m", "\u202eสถานะ", "ก" * 3000, "", " ",
    "CMI-2569-0001", "CMI-2569-0001", "แล้วเสร็จ", "ยกเลิก?", "ระดับแผน", "\n", '"', "'",
]


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The database the CLI opens, with two projects in it already."""
    monkeypatch.setenv("COORDBOT_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    with transaction(engine) as session:
        for row in (project("CMI-2569-0001"), project("KKN-2569-0002", province="TH-40")):
            session.add(Project(**row))
    yield engine
    engine.dispose()


def projects(engine: Engine) -> list[tuple[str, str, int, int]]:
    with Session(engine) as session:
        return sorted((p.code, p.title_th, p.progress, p.budget_satang) for p in session.exec(select(Project)))


def garbage(rng: random.Random) -> list[str]:
    return [rng.choice(GARBAGE) for _ in HEADER]


def imported(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["projects", "import", "--quiet", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_a_100000_row_csv_of_garbage_is_refused_with_a_short_report_and_nothing_written(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = projects(engine)
    rng = random.Random(16)
    path = tmp_path / "garbage.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([HEADER, *(garbage(rng) for _ in range(ROWS))])
    code, said = imported(path, capsys)
    assert code == 2 and f"of {ROWS} rows are invalid" in said
    assert len(said.splitlines()) <= MAX_REPORTED + 2 and "more invalid rows" in said  # a report, not 100,000 lines
    assert projects(engine) == before


def test_a_100000_row_csv_with_one_bad_row_writes_nothing(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = projects(engine)
    path = tmp_path / "almost.csv"
    years = [2560 + n // 10_000 for n in range(ROWS - 1)]  # a code's year is its fiscal year: 10,000 codes each
    good = [[f"CMI-{year}-{n % 10_000:04d}", "โครงการ", "", "เชียงใหม่", "", "", str(year), "", "1000", "", "10", ""]
            for n, year in enumerate(years)]
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([HEADER, *good[:50_000], ["CMI-2570-0001", "=1+1", "", "TH-99"], *good[50_000:]])
    code, said = imported(path, capsys)
    assert code == 2 and f"1 of {ROWS} rows are invalid" in said and "row 50002" in said
    assert projects(engine) == before


def test_a_100000_row_csv_in_a_different_encoding_on_every_row_is_refused_and_nothing_written(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = projects(engine)
    rng = random.Random(17)
    encodings = ["utf-8", "cp874", "latin-1", "utf-16-le", "shift_jis", "cp1252"]
    lines = [",".join(HEADER).encode()]
    for _ in range(ROWS):
        line = ",".join(cell.replace(",", " ").replace("\n", " ") for cell in garbage(rng))
        lines.append(line.encode(rng.choice(encodings), errors="replace"))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\r\n".join(lines) + bytes([0xFF, 0xFE, 0xDB]))
    code, said = imported(path, capsys)
    assert code == 2 and ("cannot import" in said or "rows are invalid" in said)
    assert projects(engine) == before


def xlsx(path: Path, rows: list[list[str]], merges: list[str]) -> Path:
    """A workbook as Excel saves one, written directly (openpyxl takes a minute for 100,000 rows): text cells as
    inline strings, a cell starting with "=" as a formula without a cached value (as from a program that does not
    calculate), and merged ranges."""

    def cell(ref: str, value: str) -> str:
        if value.startswith("="):
            return f'<c r="{ref}"><f>{escape(value[1:])}</f></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'

    def column(index: int) -> str:
        return chr(ord("A") + index)

    body = "".join(f'<row r="{r}">' + "".join(cell(f"{column(c)}{r}", ILLEGAL_CHARACTERS_RE.sub("", v))
                                            for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, start=1))
    merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    main_ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel_ns}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {main_ns} xmlns:r="{rel_ns}"><sheets>'
        '<sheet name="โครงการ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel_ns}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main_ns}><sheetData>{body}'
        f'</sheetData><mergeCells count="{len(merges)}">{merged}</mergeCells></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return path


def test_a_100000_row_xlsx_with_formulas_and_merged_cells_is_refused_and_nothing_written(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = projects(engine)
    rng = random.Random(18)
    short = [cell for cell in GARBAGE if len(cell) < 100]
    columns = [th for name, th in COLUMNS if name in ("code", "title_th", "province", "fiscal_year", "budget")]
    rows = [columns, *([rng.choice(short) for _ in columns] for _ in range(ROWS))]
    merges = [f"A{top}:C{top + 1}" for top in range(2, ROWS, 997)]
    code, said = imported(xlsx(tmp_path / "garbage.xlsx", rows, merges), capsys)
    every = re.search(r"nothing imported: (\d+) of \1 rows are invalid", said)  # rows left all empty are no rows
    assert code == 2 and every is not None and int(every.group(1)) > ROWS * 0.99
    assert projects(engine) == before
