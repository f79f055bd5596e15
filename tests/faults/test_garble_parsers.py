"""Garble: whatever a person types (or uploads) into a parser ends in an answer, never in an exception.

Property tests (hypothesis) over text built from the words people use (Thai and English months, eras, digits in
both scripts, province names, `key=value` pairs) mixed with any Unicode; the only errors allowed are the parsers'
own: `ValueError` from the date readers, `DomainError` (which the router turns into a reply) from the command
parsers, `ImportFileError` from an import file, and row errors in the import report. Every command word with any
arguments, sent as an admin: an answer, never the apology. (100,000-row import files: test_garble_import.py.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from bot.app import routes
from bot.config import Settings
from bot.errors import APOLOGY, DomainError
from bot.i18n import ENGLISH_MONTHS, THAI_MONTH_NAMES, THAI_MONTHS, parse_datetime, read_datetime
from bot.understand import normalize, strip_particles
from handlers.broadcast.drafts import parse_draft
from handlers.rsvp.create import workshop_from_form
from storage import reference
from storage.db import make_engine, transaction
from storage.models import Role
from storage.project_import import ImportFileError, import_rows, read_table
from tests.helpers import Phones, register

TZ = ZoneInfo("Asia/Bangkok")
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
SETTINGS = Settings(_env_file=None)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from([
    *THAI_MONTHS, *THAI_MONTH_NAMES, *ENGLISH_MONTHS, "sept", "พ.ศ.", "ค.ศ.", "พศ", "BE", "CE", "AD", "วันที่", "เวลา",
    "at", "T", "น.", "นาฬิกา", "โมง", "ทุ่ม", "บ่าย", "เช้า", "เย็น", "ตี", "เที่ยง", "ครึ่ง", "pm", "a.m.", "ค่ะ", "ครับ",
    "สิบสอง", "เก้า", "/", "-", ".", ":", ",", "|", "=", "#", " ", "\n", "\u200b", "\ufe0f", "ํา", "๑๒", "๒๕๖๙", "²",
    "٣", "0", "29", "31", "2", "13", "2569", "2026", "69", "99", "0000", "24", "59", "60", "9999999999",
    "เชียงใหม่", "จ.", "จังหวัด", "กรุงเทพ", "bkk", "CMI", "กลุ่ม", "ภาคเหนือ", "1", "๑", "role=", "province=",
    "cluster=", "region=", "platform=", "workshop=", "window=", "at=", "image=", "link=", "ack", "silent",
    "attending", "https://", "ชื่อ=", "เริ่ม=", "สิ้นสุด=", "ปิดรับ=", "ที่นั่ง=", "ต่อจังหวัด=", "แผนที่=", "เตือน=",
    "กำหนดการ=", "3d", "2h",
])
NUMBERS = st.sampled_from(["3", "#3", "๓", "๒๕๖๙", "²", "½", "٣", "፩", "0", "-1", "1e9", "3.5", "99999999999999999999"])
"""Digits as people and other scripts write them: Thai and Arabic-Indic digits, superscripts, fractions."""
PIECE = st.one_of(NUMBERS, WORDS, st.text(max_size=4))
TYPED = st.one_of(st.lists(PIECE, max_size=12).map("".join), st.lists(WORDS, max_size=12).map(" ".join),
                  st.text(max_size=40))
KEYS = st.sampled_from(["role", "province", "cluster", "region", "platform", "workshop", "window", "at", "image",
                        "link", "ack", "quiet", "attending", "silent", "จังหวัด", "สัมมนา", "รอบ", "เวลา"])
OPTIONS = st.lists(st.tuples(KEYS, st.lists(PIECE, min_size=1, max_size=2).map("".join)), max_size=2).map(
    lambda pairs: " ".join(f"{k}={v}" if k not in ("ack", "quiet", "attending", "silent") else k for k, v in pairs))
FORM_KEYS = st.sampled_from(["ชื่อ", "title_en", "เริ่ม", "start", "end", "deadline", "venue", "map", "agenda",
                             "role", "province", "cluster", "region", "capacity", "per_province", "reminders"])


@FAST
@given(TYPED)
def test_dates_and_times_are_read_or_refused_with_a_value_error(text: str) -> None:
    for read in (lambda t: parse_datetime(t, TZ), lambda t: read_datetime(t, TZ)):
        with contextlib.suppress(ValueError):
            read(text)


@FAST
@given(TYPED)
def test_place_names_and_words_are_looked_up_without_an_error(text: str) -> None:
    reference.find_province(text)
    reference.find_cluster(text)
    reference.find_region(text)
    reference.suggest_provinces(text)
    strip_particles(normalize(text))
    routes().vocabulary.match(text)


@FAST
@given(OPTIONS, TYPED)
def test_an_announcement_draft_is_understood_or_refused_with_a_reply(options: str, text: str) -> None:
    with contextlib.suppress(DomainError):
        parse_draft(f"{options} {text}", SETTINGS, NOW)


@FAST
@given(st.lists(st.tuples(FORM_KEYS, st.lists(PIECE, max_size=2).map("".join)), max_size=3))
def test_a_workshop_form_is_understood_or_refused_with_a_reply(pairs: list[tuple[str, str]]) -> None:
    form = "\n".join(["ชื่อ=x", "เริ่ม=2569-03-19 09:00", "สิ้นสุด=2569-03-19 16:00", "ปิดรับ=2569-03-10 09:00"]
                     + [f"{key}={value}" for key, value in pairs])
    try:
        workshop_from_form(form, settings=SETTINGS, now=NOW, by=None)
    except DomainError as refusal:
        for lang in ("th", "en"):  # the refusal names the fields in the reader's language
            assert refusal.text.render(lang, **refusal.params)


CSV_HEAD = "รหัสโครงการ,ชื่อโครงการ,จังหวัด,ปีงบประมาณ,งบประมาณ,ความก้าวหน้า,สถานะ,ระดับแผน\n"
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp874", "utf-16", "latin-1", "shift_jis"])
CELLS = st.lists(st.lists(st.lists(PIECE, max_size=3).map("".join), max_size=9), max_size=6)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(CELLS, ENCODINGS, st.binary(max_size=30))
def test_an_import_file_in_any_encoding_is_imported_or_refused_with_a_report(
    tmp_path: Path, engine: Engine, cells: list[list[str]], encoding: str, junk: bytes
) -> None:
    path = tmp_path / "projects.csv"
    path.write_bytes((CSV_HEAD + "\n".join(",".join(row) for row in cells)).encode(encoding, errors="replace") + junk)
    try:
        columns, rows = read_table(path)
    except ImportFileError:
        return
    with transaction(engine) as session:
        import_rows(session=session, columns=columns, rows=rows, person_id=None, now=NOW)
        session.rollback()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(CELLS, st.lists(st.tuples(st.integers(1, 6), st.integers(1, 8)), max_size=2), st.booleans())
def test_an_xlsx_with_formulas_and_merged_cells_is_imported_or_refused_with_a_report(
    tmp_path: Path, engine: Engine, cells: list[list[str]], merges: list[tuple[int, int]], cut: bool
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(CSV_HEAD.strip().split(","))
    for row in cells:
        values = [ILLEGAL_CHARACTERS_RE.sub("", value) for value in row]  # what Excel cannot hold either
        sheet.append([f"={value}" if value.startswith("+") else value for value in values])  # "=…": a formula
    for top, column in merges:
        sheet.merge_cells(start_row=top + 1, start_column=column, end_row=top + 2, end_column=column + 1)
    path = tmp_path / "projects.xlsx"
    book.save(path)
    if cut:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    try:
        columns, rows = read_table(path)
    except ImportFileError:
        return
    with transaction(engine) as session:
        import_rows(session=session, columns=columns, rows=rows, person_id=None, now=NOW)
        session.rollback()


COMMANDS = sorted({cmd.words[0] for router in routes().routers for cmd in router.commands})


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(COMMANDS), st.one_of(TYPED, OPTIONS, NUMBERS), st.booleans())
async def test_every_command_with_any_arguments_is_answered_not_apologised_for(
    phones: Phones, command: str, arguments: str, slash: bool
) -> None:
    """Whatever an admin (who may use every command) types after a command word: an answer, never the apology
    of an unexpected error, and the event is not left failed."""
    admin = phones.line(1)
    if not admin.screen:
        register(admin, Role.admin, name="ผู้ดูแล")
    texts = await admin.say(f"{'/' if slash else ''}{command} {arguments}")
    assert texts and not any(APOLOGY.th in text or APOLOGY.en in text for text in texts), (command, arguments)
