"""The calendar file's lines, as RFC 5545 (section 3.1) says: at most 75 octets each without the line break,
longer content lines folded by a line break followed by one space, folded in UTF-8 never inside a character."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.files import ics_text
from storage.rsvp import Workshop

STAMP = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def calendar(**fields: object) -> bytes:
    workshop = Workshop(id=7, starts_at=datetime(2026, 3, 19, 2, 0, tzinfo=UTC),
                        ends_at=datetime(2026, 3, 19, 9, 0, tzinfo=UTC),
                        rsvp_deadline=datetime(2026, 3, 12, 10, 0, tzinfo=UTC), **fields)  # type: ignore[arg-type]
    return ics_text(workshop, "https://coordbot.example.go.th", STAMP).encode()


def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def unfold(body: bytes) -> list[str]:
    """The content lines back: a line break followed by a space is removed (RFC 5545 3.1)."""
    return body.replace(b"\r\n ", b"").decode().split("\r\n")[:-1]


@pytest.mark.parametrize("title", [
    "สัมมนาเชิงปฏิบัติการการขับเคลื่อนแผนพัฒนาจังหวัดด้านวิทยาศาสตร์ เทคโนโลยี และนวัตกรรม ประจำปีงบประมาณ 2570",
    "Workshop " * 30,
    "ก" + "A" * 73 + "ขคง" * 40,  # a 3-octet Thai letter straddles the first fold, then the folds fall anywhere
    "🎓" + "สัมมนา🧪" * 30,  # 4-octet characters among 3-octet ones
])
def test_every_line_is_at_most_75_octets_and_folding_never_splits_a_character(title: str) -> None:
    body = calendar(title_th=title, venue="ห้องประชุมใหญ่ " * 10, agenda="เช้า: เปิดงาน\nบ่าย: กลุ่มย่อย " * 8)
    for line in physical_lines(body):
        assert len(line) <= 75
        line.decode()  # each line is whole UTF-8 on its own: no character was cut in two
    assert f"SUMMARY:{title}" in unfold(body)


def test_a_folded_line_is_as_long_as_allowed_before_it_folds() -> None:
    body = calendar(title_th="A" * 200)
    lines = physical_lines(body)
    summary = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    # "SUMMARY:" and 200 letters are 208 octets: 75 on the first line, then a space and 74, a space and the 59 left
    assert [len(line) for line in lines[summary:summary + 3]] == [75, 75, 1 + 208 - 75 - 74]
    assert all(line.startswith(b" ") for line in lines[summary + 1:summary + 3])
    assert not lines[summary + 3].startswith(b" ")


def test_short_lines_and_exactly_75_octets_are_not_folded() -> None:
    title = "A" * (75 - len("SUMMARY:"))
    body = calendar(title_th=title)
    assert f"SUMMARY:{title}".encode() in physical_lines(body)
    assert not any(line.startswith(b" ") for line in physical_lines(body))
