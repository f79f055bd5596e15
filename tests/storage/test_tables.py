"""Spreadsheets are safe to open: nothing a chat user typed becomes a formula in the reader's Excel."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from storage.tables import quote, unquote, write_table

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1", "\r=1"]


def csv_cells(rows: list[list[str]]) -> list[list[str]]:
    out = io.BytesIO()
    write_table(out, rows, fmt="csv", sheet="s")
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def xlsx_cells(rows: list[list[str]]) -> list[list[tuple[str, object]]]:
    out = io.BytesIO()
    write_table(out, rows, fmt="xlsx", sheet="s")
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    return [[(cell.data_type, cell.value) for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cells_a_spreadsheet_would_evaluate_start_with_a_quote(text: str) -> None:
    assert csv_cells([["ชื่อ"], [text]]) == [["ชื่อ"], ["'" + text]]


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_cells_are_text_with_the_same_quote_never_formulas(text: str) -> None:
    shown = "'" + text.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert xlsx_cells([["ชื่อ"], [text]]) == [[("s", "ชื่อ")], [("s", shown)]]


def test_ordinary_text_and_numbers_written_by_us_are_left_as_they_are() -> None:
    row = ["มาลี ใจดี", "081-234-5678", "", "12500000.50", "2026-03-02T10:00", "it's fine"]
    assert csv_cells([row]) == [row]
    assert [value or "" for _, value in xlsx_cells([row])[0]] == row


def test_xlsx_error_words_stay_text_and_control_characters_do_not_break_the_workbook() -> None:
    assert xlsx_cells([["#N/A", "a\x01b\x1f", "line\nbreak"]]) == [[("s", "#N/A"), ("s", "ab"), ("s", "line\nbreak")]]


@pytest.mark.parametrize("text", [*FORMULAS, "'=1", "''+x", "'quoted'", "plain", "", "'"])
def test_unquote_gives_back_exactly_what_was_quoted(text: str) -> None:
    """A text that already looked quoted is quoted once more, so importing an export changes nothing."""
    assert unquote(quote(text)) == text
