"""Import and export of projects as CSV or XLSX with the Thai headers of the ministry's spreadsheet.

An import is all or nothing: every row is checked first, and one bad row means nothing is written and the report
names each bad row (by its spreadsheet row number) and why. Valid files are upserted by code in one transaction;
changes to existing projects are kept as history (source "import"). CSV may be UTF-8 (with or without BOM) or
Windows Thai (cp874), as Excel on a Thai Windows saves it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text, update
from sqlmodel import Session, col, select

from storage import reference, tables
from storage.projects import (
    LEVEL_TH,
    LEVEL_WORDS,
    STATUS_TH,
    STATUS_WORDS,
    PlanLevel,
    Project,
    ProjectHistory,
    ProjectStatus,
    code_prefix,
    normalize_code,
)

Progress = Callable[[str, int, int], None]
"""(phase, done, total): called now and then, for a progress bar."""

COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "รหัสโครงการ"),
    ("title_th", "ชื่อโครงการ"),
    ("title_en", "ชื่อโครงการ (ภาษาอังกฤษ)"),
    ("province", "จังหวัด"),
    ("cluster", "กลุ่มจังหวัด"),
    ("plan_level", "ระดับแผน"),
    ("fiscal_year", "ปีงบประมาณ"),
    ("owner_agency", "หน่วยงานเจ้าของโครงการ"),
    ("budget", "งบประมาณ (บาท)"),
    ("status", "สถานะ"),
    ("progress", "ความก้าวหน้า (%)"),
    ("last_note", "หมายเหตุ"),
)
HEADER_ALIASES = {
    "รหัส": "code", "ชื่อโครงการภาษาไทย": "title_th", "ชื่อโครงการภาษาอังกฤษ": "title_en",
    "ชื่อโครงการ(ภาษาอังกฤษ)": "title_en", "ชื่อภาษาอังกฤษ": "title_en", "ระดับของแผน": "plan_level",
    "แผน": "plan_level", "ปีงบ": "fiscal_year", "ปีงบประมาณ(พ.ศ.)": "fiscal_year", "หน่วยงาน": "owner_agency",
    "หน่วยงานรับผิดชอบ": "owner_agency", "หน่วยงานเจ้าของ": "owner_agency", "งบประมาณ": "budget",
    "งบประมาณ(บาท)": "budget", "วงเงินงบประมาณ(บาท)": "budget", "สถานะโครงการ": "status",
    "ความก้าวหน้า": "progress", "ความก้าวหน้า(%)": "progress", "ความก้าวหน้า(ร้อยละ)": "progress",
    "ร้อยละความก้าวหน้า": "progress", "หมายเหตุล่าสุด": "last_note",
}
FIELDS = ("title_th", "title_en", "province_iso", "cluster_no", "plan_level", "fiscal_year", "owner_agency",
          "budget_satang", "status", "progress", "last_note")
MAX_BUDGET_SATANG = 10**15
CHUNK = 2000
MAX_REPORTED = 100
"""Invalid rows listed one by one; a 100,000-row file of garbage is answered with a report, not 100,000 lines."""
HEADER_SEARCH_ROWS = 10


class ImportFileError(ValueError):
    """The file itself cannot be read: unknown type, missing required columns, undecodable text."""


@dataclass
class RowError:
    row: int
    code: str
    reasons: list[str]

    def __str__(self) -> str:
        return f"row {self.row}" + (f" ({self.code})" if self.code else "") + ": " + "; ".join(self.reasons)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    """Existing projects this import changed (for telling their watchers)."""

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- reading -------------------------------------------------------------------------------------------------

def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", str(text or "").replace("\ufeff", "")).lower()


HEADERS = {**{_header_key(th): name for name, th in COLUMNS}, **{_header_key(name): name for name, _ in COLUMNS},
           **{_header_key(k): v for k, v in HEADER_ALIASES.items()}}


def read_table(path: Path) -> tuple[list[str | None], list[tuple[int, list[str]]]]:
    """The file's columns (mapped to field names, None for unknown ones) and its data rows with row numbers."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp874")
            except UnicodeDecodeError as exc:
                raise ImportFileError("the CSV is neither UTF-8 nor Windows Thai (cp874)") from exc
        try:  # newline="": a lone carriage return (old Mac Excel) ends a row, as the csv module wants it
            table: Iterator[Sequence[Any]] = iter(list(csv.reader(io.StringIO(text, newline=""))))
        except csv.Error as exc:
            raise ImportFileError(f"the CSV cannot be read: {exc}") from exc
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:  # not a workbook, or one with parts missing
            raise ImportFileError(f"the file is not a readable {suffix} workbook") from exc
        try:
            table = iter(list(book.worksheets[0].iter_rows(values_only=True)))
        finally:
            book.close()  # read-only workbooks keep the file open until closed
    else:
        raise ImportFileError(f"unknown file type {suffix!r}: use .csv or .xlsx")
    columns, first = _find_header(table)
    missing = [th for name, th in COLUMNS if name in ("code", "title_th", "fiscal_year") and name not in columns]
    if missing:
        raise ImportFileError(f"missing column(s): {', '.join(missing)}")
    if "province" not in columns and "cluster" not in columns:
        raise ImportFileError("missing column: จังหวัด or กลุ่มจังหวัด")
    rows = []
    for number, values in enumerate(table, start=first + 1):
        cells = ["" if v is None else _cell(v) for v in values]
        if any(cells):
            rows.append((number, cells))
    return columns, rows


def _find_header(table: Iterator[Sequence[Any]]) -> tuple[list[str | None], int]:
    """The header row and its row number: ministry sheets often open with a title or date rows above it."""
    first: list[str | None] | None = None
    for number, header in enumerate(table, start=1):
        columns = [HEADERS.get(_header_key(str(h or ""))) for h in header]
        if "code" in columns:
            return columns, number
        first = columns if first is None else first
        if number == HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ImportFileError("the file is empty")
    return first, 1  # no code column anywhere: the caller names what is missing


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return tables.unquote(str(value).strip())


# ---- checking ------------------------------------------------------------------------------------------------

class _Places:
    """Memoised forgiving look-ups: a 100,000-row file names the same few provinces over and over."""

    def __init__(self) -> None:
        self.provinces: dict[str, str | None] = {}
        self.clusters: dict[str, int | None] = {}

    def province(self, text: str) -> str | None:
        if text not in self.provinces:
            found = reference.find_province(text)
            self.provinces[text] = found.iso if found else None
        return self.provinces[text]

    def cluster(self, text: str) -> int | None:
        if text not in self.clusters:
            found = reference.find_cluster(text)
            self.clusters[text] = found.no if found else None
        return self.clusters[text]


def check_row(values: dict[str, str], places: _Places) -> tuple[dict[str, Any], list[str]]:
    """One row as project fields, or the reasons it is invalid (all of them, not just the first)."""
    reasons: list[str] = []
    out: dict[str, Any] = {}
    code = normalize_code(values.get("code", ""))
    if code is None:
        reasons.append(f"bad code {values.get('code', '')!r} (expected e.g. CMI-2569-0012)")
    out["code"] = code
    out["title_th"] = values.get("title_th", "")
    if not out["title_th"]:
        reasons.append("no Thai title")
    out["title_en"] = values.get("title_en", "")
    province_text, cluster_text = values.get("province", ""), values.get("cluster", "")
    out["province_iso"] = out["cluster_no"] = None
    if province_text:
        out["province_iso"] = places.province(province_text)
        if out["province_iso"] is None:
            reasons.append(f"unknown province {province_text!r}")
    elif cluster_text:
        out["cluster_no"] = places.cluster(cluster_text)
        if out["cluster_no"] is None:
            reasons.append(f"unknown cluster {cluster_text!r}")
    else:
        reasons.append("no province or cluster")
    level_text = values.get("plan_level", "")
    level = LEVEL_WORDS.get(level_text.lower()) if level_text else (
        PlanLevel.cluster if out["cluster_no"] else PlanLevel.provincial)
    if level is None:
        reasons.append(f"unknown plan level {level_text!r}")
    out["plan_level"] = level
    year = values.get("fiscal_year", "")
    out["fiscal_year"] = int(year) if year.isdecimal() and 2500 <= int(year) <= 2700 else None
    if out["fiscal_year"] is None:
        reasons.append(f"bad fiscal year {year!r} (Buddhist Era, e.g. 2569)")
    out["owner_agency"] = values.get("owner_agency", "")
    out["budget_satang"] = _budget(values.get("budget", ""), reasons)
    status_text = values.get("status", "")
    status = STATUS_WORDS.get(status_text.lower()) if status_text else ProjectStatus.proposed
    if status is None:
        reasons.append(f"unknown status {status_text!r}")
    out["status"] = status
    progress = values.get("progress", "").rstrip("%").strip() or "0"
    out["progress"] = int(float(progress)) if re.fullmatch(r"\d{1,3}(\.0+)?", progress) else -1
    if not 0 <= out["progress"] <= 100:
        reasons.append(f"progress {values.get('progress')!r} is not 0-100")
    out["last_note"] = values.get("last_note", "")
    if code and not reasons:
        prefix, code_year = code.split("-")[0], int(code.split("-")[1])
        expected = code_prefix(province_iso=out["province_iso"], cluster_no=out["cluster_no"])
        if prefix != expected:
            reasons.append(f"code starts with {prefix} but the project is in {expected}")
        if code_year != out["fiscal_year"]:
            reasons.append(f"code year {code_year} differs from fiscal year {out['fiscal_year']}")
    return out, reasons


def _budget(text: str, reasons: list[str]) -> int:
    cleaned = text.replace(",", "").replace("บาท", "").strip() or "0"
    try:
        amount = Decimal(cleaned)
        # "NaN" and "Infinity" are Decimals too, and "1e999999999" one whose int() would not finish.
        if not amount.is_finite() or amount.adjusted() > 20:
            raise InvalidOperation(cleaned)
        satang = int((amount * 100).to_integral_exact())
    except (InvalidOperation, ArithmeticError):
        reasons.append(f"bad budget {text!r}")
        return 0
    if not 0 <= satang < MAX_BUDGET_SATANG:
        reasons.append(f"bad budget {text!r}")
    return satang


# ---- importing -----------------------------------------------------------------------------------------------

def import_rows(
    *, session: Session, columns: Sequence[str | None], rows: Sequence[tuple[int, list[str]]],
    person_id: int | None, now: datetime, progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then (only if all are valid) upsert them by code in the caller's transaction."""
    report = progress or (lambda phase, done, total: None)
    result = ImportResult(rows=len(rows))
    places = _Places()
    checked: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for i, (number, cells) in enumerate(rows):
        values = {name: cells[j] for j, name in enumerate(columns) if name and j < len(cells)}
        fields, reasons = check_row(values, places)
        code = fields["code"] or values.get("code", "")
        if fields["code"] in first_row:
            reasons.append(f"code repeated (first on row {first_row[fields['code']]})")
        elif fields["code"]:
            first_row[fields["code"]] = number
        if reasons:
            result.errors.append(RowError(number, code, reasons))
        checked.append(fields)
        if i % CHUNK == 0:
            report("check", i, len(rows))
    report("check", len(rows), len(rows))
    if result.errors:
        return result
    _upsert(session=session, checked=checked, person_id=person_id, now=now, result=result, report=report)
    return result


def _upsert(*, session: Session, checked: list[dict[str, Any]], person_id: int | None, now: datetime,
            result: ImportResult, report: Progress) -> None:
    existing: dict[str, Any] = {}
    codes = [f["code"] for f in checked]
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start:start + CHUNK]
        query = select(Project.id, Project.code, Project.version, *(getattr(Project, n) for n in FIELDS))
        for row in session.execute(query.where(col(Project.code).in_(chunk))):
            existing[row.code] = row
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for fields in checked:
        old = existing.get(fields["code"])
        if old is None:
            fresh.append({**fields, "version": 1, "updated_at": now, "updated_by": person_id})
            continue
        diff = [name for name in FIELDS if getattr(old, name) != fields[name]]
        if not diff:
            result.unchanged += 1
            continue
        changed.append({"id": old.id, **{n: fields[n] for n in diff}, "version": old.version + 1,
                        "updated_at": now, "updated_by": person_id})
        history.append({"project_id": old.id, "at": now, "person_id": person_id, "source": "import",
                        "old": {n: _plain(getattr(old, n)) for n in diff},
                        "new": {n: _plain(fields[n]) for n in diff}})
    total = len(fresh) + len(changed)
    for start in range(0, len(fresh), CHUNK):
        # RETURNING makes SQLAlchemy send multi-row INSERTs ("insertmanyvalues") rather than a statement per
        # row: SQLite's title index (FTS5, filled by a trigger) writes its buffer out after every statement, so
        # fewer statements halve the time the index adds to a large import.
        session.execute(insert(Project).returning(col(Project.id)), fresh[start:start + CHUNK])
        report("save", start + len(fresh[start:start + CHUNK]), total)
    for start in range(0, len(changed), CHUNK):
        session.execute(update(Project), changed[start:start + CHUNK])
        report("save", len(fresh) + start + len(changed[start:start + CHUNK]), total)
    if history:
        session.execute(insert(ProjectHistory), history)
    if total > CHUNK and session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE project"))  # fresh statistics, or the planner guesses after a big load
    result.created, result.updated = len(fresh), len(changed)
    result.changed_ids = [c["id"] for c in changed]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, PlanLevel | ProjectStatus) else value


# ---- exporting -----------------------------------------------------------------------------------------------

def export_rows(*, session: Session, batch: int = CHUNK) -> Iterator[list[tables.Cell]]:
    """The header and one row per project, in code order, in the import's format (so it re-imports unchanged)."""
    yield [th for _, th in COLUMNS]
    last = ""
    while True:
        page = list(session.exec(select(Project).where(col(Project.code) > last)
                                 .order_by(col(Project.code)).limit(batch)))
        if not page:
            return
        for p in page:
            yield [p.code, p.title_th, p.title_en,
                   reference.province(p.province_iso).name_th if p.province_iso else "",
                   reference.cluster(p.cluster_no).name_th if p.cluster_no else "",
                   LEVEL_TH[p.plan_level], p.fiscal_year, p.owner_agency,
                   Decimal(p.budget_satang) / 100, STATUS_TH[p.status], p.progress, p.last_note]
        last = page[-1].code


def write_table(path: Path, rows: Iterable[list[tables.Cell]]) -> int:
    """Write CSV or XLSX as the file name says; returns the number of data rows."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in tables.FORMATS:
        raise ImportFileError(f"unknown file type {path.suffix!r}: use .csv or .xlsx")
    with path.open("wb") as out:
        return tables.write_table(out, rows, fmt=fmt, sheet="projects")
