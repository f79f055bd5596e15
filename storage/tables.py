"""Spreadsheets people open in Excel: CSV as UTF-8 with a byte-order mark (without it Excel guesses the legacy
code page and garbles Thai), and XLSX. Project exports and workshop attendee lists are both written here.

Every cell is text someone typed into a chat or a file, so none may become a formula in the reader's
spreadsheet (OWASP's "CSV injection"): text that a spreadsheet would read as a formula gets a leading `'`, and
XLSX cells are written as strings. `unquote` undoes `quote` for the project importer, so exports re-import
unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import BinaryIO

FORMATS = ("csv", "xlsx")

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


def write_table(out: BinaryIO, rows: Iterable[list[str]], *, fmt: str, sheet: str) -> int:
    """Write the rows, header first, as `fmt` ("csv" or "xlsx"); returns the number of data rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}")
    count = -1
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([quote(value) for value in row])
            count += 1
        text.flush()
        text.detach()  # the caller owns `out`
        return count
    from openpyxl import Workbook  # loaded on the first export rather than at every service start
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)

    def text_cell(value: str) -> WriteOnlyCell | None:
        """A string cell: openpyxl would make a formula of "=..." and an error cell of "#N/A"."""
        if not value:
            return None
        cell = WriteOnlyCell(worksheet, quote(_NOT_XML.sub("", value)))
        cell.data_type = "s"
        return cell

    for row in rows:
        worksheet.append([text_cell(value) for value in row])
        count += 1
    book.save(out)
    return count
