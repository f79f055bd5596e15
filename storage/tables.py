"""Spreadsheets people open in Excel: CSV as UTF-8 with a byte-order mark (without it Excel guesses the legacy
code page and garbles Thai), and XLSX. Project exports and workshop attendee lists are both written here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import BinaryIO

FORMATS = ("csv", "xlsx")


def write_table(out: BinaryIO, rows: Iterable[list[str]], *, fmt: str, sheet: str) -> int:
    """Write the rows, header first, as `fmt` ("csv" or "xlsx"); returns the number of data rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}")
    count = -1
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()  # the caller owns `out`
        return count
    from openpyxl import Workbook  # loaded on the first export rather than at every service start

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    for row in rows:
        worksheet.append(row)
        count += 1
    book.save(out)
    return count
