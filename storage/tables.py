"""Spreadsheets people open in Excel: CSV as UTF-8 with a byte-order mark (without it Excel guesses the legacy
code page and garbles Thai), and XLSX. Project exports and workshop attendee lists are both written here.

Text cells hold what someone typed into a chat or a file, so none may become a formula in the reader's
spreadsheet (OWASP's "CSV injection"): text that a spreadsheet would read as a formula gets a leading `'`, and
XLSX text cells are written as strings. `unquote` undoes `quote` for the project importer, so exports re-import
unchanged. Numbers, amounts and local times are real XLSX number and date cells, so an admin can sum and sort
them; columns are as wide as their content and the header row stays in view.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

FORMATS = ("csv", "xlsx")
Cell = str | int | Decimal | datetime | None
"""Text, a whole number, an amount (two decimals), or a local wall-clock time (naive: the caller's time zone)."""
WIDTH_SAMPLE = 500
"""Rows read ahead to size the columns (a 100,000-row export is streamed, not held)."""
MAX_WIDTH = 60

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
"""Text a spreadsheet may evaluate, behind any number of quotes: quoting those as well keeps `unquote` exact."""
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 cannot carry; openpyxl refuses the whole workbook over one of them."""


def quote(text: str) -> str:
    """The text as a spreadsheet shows it but never evaluates it."""
    return "'" + text if _FORMULA.match(text) else text


def unquote(text: str) -> str:
    """The text `quote` was given."""
    return text[1:] if _QUOTED.match(text) else text


def as_text(value: Cell) -> str:
    """A cell as CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def write_table(out: BinaryIO, rows: Iterable[Sequence[Cell]], *, fmt: str, sheet: str) -> int:
    """Write the rows, header first, as `fmt` ("csv" or "xlsx"); returns the number of data rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}")
    count = -1
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([as_text(value) for value in row])
            count += 1
        text.flush()
        text.detach()  # the caller owns `out`
        return count
    from openpyxl import Workbook  # loaded on the first export rather than at every service start
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    rows = iter(rows)
    ahead = list(itertools.islice(rows, WIDTH_SAMPLE))
    widths: dict[int, int] = {}
    for row in ahead:
        for i, value in enumerate(row):
            widths[i] = max(widths.get(i, 0), len(as_text(value)))
    for i, width in widths.items():
        worksheet.column_dimensions[get_column_letter(i + 1)].width = min(MAX_WIDTH, width + 2)
    worksheet.freeze_panes = "A2"

    def cell(value: Cell) -> WriteOnlyCell | None:
        """A string cell for text (openpyxl would make a formula of "=..." and an error cell of "#N/A"), a number
        or date cell for the rest."""
        if value is None or value == "":
            return None
        made: Any
        if isinstance(value, str):
            made = WriteOnlyCell(worksheet, quote(_NOT_XML.sub("", value)))
            made.data_type = "s"
            return made
        made = WriteOnlyCell(worksheet, value)
        if isinstance(value, Decimal):
            made.number_format = "#,##0.00"
        elif isinstance(value, datetime):
            made.number_format = "yyyy-mm-dd hh:mm"
        return made

    for row in itertools.chain(ahead, rows):
        worksheet.append([cell(value) for value in row])
        count += 1
    book.save(out)
    return count
