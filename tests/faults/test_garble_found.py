"""What the garble tests found, each pinned by a plain test: digits int() cannot read, a CSV from an old Mac.

`str.isdigit()` is true for "²" and for the Ethiopic "፩", which `int()` refuses; NFKC (applied to every typed
message) turns "²" into "2" but leaves "፩". Every such check is `isdecimal()` now: Thai digits still count.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.errors import APOLOGY, UsageError
from bot.payloads import PayloadError
from handlers.rsvp.create import workshop_from_form
from handlers.rsvp.errors import BadForm
from handlers.rsvp.payloads import Details
from handlers.segments import parse_segment
from storage import reference
from storage.models import Role
from storage.project_import import ImportFileError, _Places, check_row, read_table
from tests.conftest import TG_SECRET
from tests.helpers import Phones, register

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
FORM = "ชื่อ=ประชุม\nเริ่ม=2569-03-19 09:00\nสิ้นสุด=2569-03-19 16:00\nปิดรับ=2569-03-10 09:00\n"


@pytest.mark.parametrize("command", ["/rsvp ፩", "/attendees ፩", "/audit ፩"])
async def test_a_number_in_a_script_int_cannot_read_is_answered_not_an_apology(phones: Phones, command: str) -> None:
    admin = phones.line(1)
    register(admin, Role.admin, name="ผู้ดูแล")
    texts = await admin.say(command)
    assert texts and APOLOGY.th not in texts[0] and APOLOGY.en not in texts[0]


@pytest.mark.parametrize("command", [
    "/rsvp 99999999999", "/rsvp 99999999999 yes", "/attendees 2147483648", "/attendees 1 seats 99999999999",
    "/people 99999999999", "/audit 99999999999", "/submitted 99999999999", "/window status 99999999999",
    "/broadcast status 99999999999",
])
async def test_an_id_or_count_past_the_database_integers_is_answered_not_an_apology(
    phones: Phones, command: str
) -> None:
    """Found on PostgreSQL, which refuses such a query with an error (SQLite just finds nothing)."""
    admin = phones.line(1)
    register(admin, Role.admin, name="ผู้ดูแล")
    texts = await admin.say(command)
    assert texts and APOLOGY.th not in texts[0] and APOLOGY.en not in texts[0]


def test_a_forged_button_with_an_id_past_the_database_integers_is_a_bad_button() -> None:
    with pytest.raises(PayloadError):
        Details.unpack(Details(workshop=1).pack().replace(":1", ":99999999999"))


def test_a_workshop_form_with_more_seats_than_a_column_holds_is_refused_with_a_reply() -> None:
    with pytest.raises(BadForm):
        workshop_from_form(FORM + "ที่นั่ง=99999999999", settings=Settings(_env_file=None), now=NOW, by=None)


@pytest.mark.parametrize("value", ["²", "፩"])
def test_a_segment_id_that_is_no_number_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError):
        parse_segment({"workshop": [value], "answer": ["attending"]})
    with pytest.raises(UsageError):
        parse_segment({"window": [value]})


def test_a_cluster_number_in_a_script_int_cannot_read_is_no_cluster() -> None:
    assert reference.find_cluster("፩") is None
    cluster = reference.find_cluster("๓")
    assert cluster is not None and cluster.no == 3


@pytest.mark.parametrize("field", ["ที่นั่ง", "ต่อจังหวัด"])
def test_a_workshop_form_with_seats_as_a_superscript_is_refused_with_a_reply(field: str) -> None:
    with pytest.raises(BadForm):
        workshop_from_form(FORM + f"{field}=²", settings=Settings(_env_file=None), now=NOW, by=None)


def test_an_import_row_with_a_superscript_year_is_a_row_error() -> None:
    fields, reasons = check_row({"code": "CMI-2569-0001", "title_th": "x", "province": "เชียงใหม่",
                                 "fiscal_year": "²"}, _Places())
    assert fields["fiscal_year"] is None and any("fiscal year" in r for r in reasons)


@pytest.mark.parametrize("budget", ["NaN", "-nan", "sNaN", "Infinity", "1e999999999"])
def test_a_budget_that_is_no_finite_amount_is_a_row_error(budget: str) -> None:
    """The 100,000-row garbage import (test_garble_import.py) found "NaN" ending the import in a traceback."""
    _, reasons = check_row({"code": "CMI-2569-0001", "title_th": "x", "province": "เชียงใหม่",
                            "fiscal_year": "2569", "budget": budget}, _Places())
    assert reasons == [f"bad budget {budget!r}"]


def test_a_csv_with_old_mac_line_ends_is_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_bytes("รหัสโครงการ,ชื่อโครงการ,จังหวัด,ปีงบประมาณ\rCMI-2569-0001,ก,เชียงใหม่,2569\r"
                     "CMI-2569-0002,ข,เชียงใหม่,2569\r".encode())
    columns, rows = read_table(path)
    assert [number for number, _ in rows] == [2, 3] and rows[1][1][0] == "CMI-2569-0002"
    assert columns[:2] == ["code", "title_th"]



async def test_a_content_length_of_a_superscript_digit_is_no_500(client: httpx.AsyncClient) -> None:
    response = await client.post("/webhooks/telegram", content=b'{"update_id": 1}', headers={
        b"X-Telegram-Bot-Api-Secret-Token": TG_SECRET.encode(), b"Content-Length": "²".encode("latin-1")})
    assert response.status_code == 200


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04" + b"\x00" * 40])
def test_an_xlsx_that_is_no_workbook_is_a_file_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "projects.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError):
        read_table(path)
