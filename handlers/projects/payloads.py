"""The projects feature's buttons: the next page of a listing, confirm or cancel an update."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from bot.payloads import Payload
from storage.projects import ProjectStatus

# Thai letters packed one ASCII character each, so a Thai keyword fits in a 64-byte "more" button.
_THAI = [chr(c) for c in (*range(0x0E01, 0x0E3B), *range(0x0E3F, 0x0E5C))]
_ASCII = [chr(c) for c in range(0x21, 0x7F) if chr(c) not in ':~\\"']
_PACK = dict(zip(_THAI, _ASCII, strict=False))
_UNPACK = {v: k for k, v in _PACK.items()}


def pack_keyword(text: str) -> str | None:
    """Thai letters become one ASCII character, other ASCII is escaped with `~`; None if neither."""
    out = []
    for ch in text:
        if ch in _PACK:
            out.append(_PACK[ch])
        elif ch.isascii() and ch.isprintable() and ch != ":":
            out.append("~" + ch)
        else:
            return None
    return "".join(out)


def unpack_keyword(packed: str) -> str:
    out, chars = [], iter(packed)
    for ch in chars:
        out.append(next(chars, "") if ch == "~" else _UNPACK.get(ch, ""))
    return "".join(out)


STATUS_CODES = {ProjectStatus.proposed: "p", ProjectStatus.in_plan: "i", ProjectStatus.approved: "a",
                ProjectStatus.funded: "f", ProjectStatus.in_progress: "g", ProjectStatus.completed: "c",
                ProjectStatus.on_hold: "h", ProjectStatus.cancelled: "x"}
"""One letter a status in a "more" button (Telegram's 64 bytes are short), fixed here rather than the enum's
order, so reordering the statuses never remaps buttons already sent."""
BY_STATUS_CODE = {code: status for status, code in STATUS_CODES.items()}


@dataclasses.dataclass(frozen=True)
class ProjectMore(Payload):
    """The next page of a listing: place (`TH-50`, `G7` or empty), packed keyword, filters, last row's cursor."""

    prefix: ClassVar[str] = "pjm"
    place: str
    keyword: str
    status: str
    year: int
    before: str


@dataclasses.dataclass(frozen=True)
class ProjectConfirm(Payload):
    prefix: ClassVar[str] = "pjok"
    draft: int


@dataclasses.dataclass(frozen=True)
class ProjectCancel(Payload):
    prefix: ClassVar[str] = "pjno"
    draft: int
