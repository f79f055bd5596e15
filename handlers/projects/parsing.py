"""What people type after /project, /summary and /update, understood: a code, a place, a keyword, filters;
the fields an update changes."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.understand import search_text
from bot.vocab import PROJECT_STATUS
from handlers.projects.errors import (
    BadProgress,
    KeywordNeedsPlace,
    KeywordTooShort,
    NoteTooLong,
    QueryTooLong,
    UnknownCluster,
    UnknownStatus,
)
from storage import reference
from storage.projects import STATUS_WORDS, TRIGRAM, Filters, ProjectStatus, normalize_code

PAGE = 5
MAX_QUERY = 100
MAX_NOTE = 500
MIN_KEYWORD = 2
MIN_JOINED_NAME = 5
NATIONAL_WORD = "ทั้งประเทศ"
NATIONAL_WORDS = {"ทั้งประเทศ", "ประเทศ", "national", "all", "ทั้งหมด", "country"}
STATUS_KEYS = {"status", "สถานะ"}
PROGRESS_KEYS = {"progress", "ความก้าวหน้า", "ความคืบหน้า", "คืบหน้า", "ก้าวหน้า"}
NOTE_KEYS = {"note", "หมายเหตุ", "บันทึก"}
YEAR_WORDS = {"ปี", "ปีงบ", "ปีงบประมาณ", "fy", "year"}


@dataclass(frozen=True)
class Query:
    """A parsed lookup: at most one of code / national; a place (province or cluster) and/or a keyword."""

    code: str | None = None
    province_iso: str | None = None
    cluster_no: int | None = None
    keyword: str | None = None
    national: bool = False
    filters: Filters = dataclasses.field(default_factory=Filters)


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def clean(text: str) -> str:
    """Drop emoji and other symbols (people paste them), keep letters, digits (Thai ones as 0-9), Thai marks and
    punctuation."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMNPZ" and ch not in "\u200b\u200d\ufe0f")
    return " ".join(kept.translate(THAI_DIGITS).split())


def _year(word: str) -> int | None:
    """`2569`, `ปี2569`, `fy2026`: a fiscal year in BE (Christian years are converted)."""
    m = re.fullmatch(r"(?:ปีงบประมาณ|ปีงบ|ปี|fy)?(\d{4})", word.lower())
    if m is None:
        return None
    year = int(m.group(1))
    if 2400 <= year <= 2700:
        return year
    if 1900 <= year <= 2150:
        return year + 543
    return None


def parse_query(text: str) -> Query:
    """Split what was typed into filters (status, year) and what to look for (code, place, keyword)."""
    if len(text) > MAX_QUERY:
        raise QueryTooLong(max=MAX_QUERY)
    status: ProjectStatus | None = None
    year: int | None = None
    rest: list[str] = []
    two_words = re.sub(r"\b(in|on)\s+(progress|hold|plan)\b", r"\1_\2", clean(text), flags=re.IGNORECASE)
    for word in two_words.split():
        lowered = word.lower()
        if lowered in STATUS_KEYS or lowered in YEAR_WORDS:
            continue
        if (found_year := _year(word)) is not None:
            year = found_year
        elif lowered in STATUS_WORDS:
            status = STATUS_WORDS[lowered]
        else:
            rest.append(word)
    filters = Filters(status=status, fiscal_year=year)
    target = " ".join(rest)
    if not target:
        return Query(filters=filters)
    if (code := normalize_code(target)) is not None:
        return Query(code=code, filters=filters)
    if target.lower() in NATIONAL_WORDS:
        return Query(national=True, filters=filters)
    if target.startswith("กลุ่ม") or target.lower().startswith("cluster"):
        cluster = reference.find_cluster(target)
        if cluster is None:
            raise UnknownCluster(query=target[:40])
        return Query(cluster_no=cluster.no, filters=filters)
    if (province := reference.find_province(target)) is not None:
        return Query(province_iso=province.iso, filters=filters)
    if len(rest) > 1 and (province := reference.find_province(rest[0])) is not None:
        return Query(province_iso=province.iso, keyword=_keyword(" ".join(rest[1:])), filters=filters)
    if (joined := _province_then_words(target)) is not None:
        return Query(province_iso=joined[0], keyword=_keyword(joined[1]), filters=filters)
    keyword = _keyword(target)
    if len(keyword) < TRIGRAM:  # no index finds it: only a place's projects are searched
        raise KeywordNeedsPlace(query=keyword, min=TRIGRAM)
    return Query(keyword=keyword, filters=filters)


def _province_then_words(text: str) -> tuple[str, str] | None:
    """Thai without spaces: "เชียงใหม่กาแฟ" (or "จ.เชียงใหม่กาแฟ") is a province followed by a keyword.

    Short names are left out: "ตาก" (Tak) is also "to dry", and "น่าน" starts "น่านน้ำ" (waters).
    """
    bare = text.removeprefix("จังหวัด").removeprefix("จ.").strip()
    for province in sorted(reference.provinces(), key=lambda p: -len(p.name_th)):
        name = province.name_th
        if len(name) >= MIN_JOINED_NAME and bare.startswith(name) and len(bare) - len(name) >= MIN_KEYWORD:
            return province.iso, bare[len(name):].strip()
    return None


def _keyword(text: str) -> str:
    """Every title starts with "โครงการ", so a leading "โครงการ" would only stop words inside from matching."""
    text = search_text(text)
    if text.startswith("โครงการ") and len(text) - len("โครงการ") >= MIN_KEYWORD:
        text = text.removeprefix("โครงการ").strip()
    if len(text) < MIN_KEYWORD:
        raise KeywordTooShort(query=text, min=MIN_KEYWORD)
    return text


def parse_changes(text: str) -> dict[str, Any]:
    """`status in progress progress 45 note ...` (Thai or English words) -> the fields to change."""
    changes: dict[str, Any] = {}
    words = text.split()
    i = 0
    while i < len(words):
        lowered = words[i].lower().rstrip(":=")
        if lowered in NOTE_KEYS:
            note = " ".join(words[i + 1:]).lstrip(":=").strip()
            if len(note) > MAX_NOTE:
                raise NoteTooLong(max=MAX_NOTE)
            changes["last_note"] = note
            break
        if lowered in STATUS_KEYS:
            i += 1
            changes["status"], used = _status_at(words, i)
            i += used
        elif lowered in PROGRESS_KEYS:
            changes["progress"] = _progress(words[i + 1] if i + 1 < len(words) else "")
            i += 2
        elif re.fullmatch(r"-?\d+(\.\d+)?%?", words[i]):
            changes["progress"] = _progress(words[i])
            i += 1
        else:
            changes["status"], used = _status_at(words, i)
            i += used
    if changes.get("status") == ProjectStatus.completed and "progress" not in changes:
        changes["progress"] = 100
    return {k: (str(v) if isinstance(v, ProjectStatus) else v) for k, v in changes.items()}


def _status_at(words: list[str], i: int) -> tuple[ProjectStatus, int]:
    """The status named at `words[i]`, in one word or two ("in progress", "on hold"), and how many words."""
    if i + 1 < len(words) and (found := STATUS_WORDS.get((words[i] + words[i + 1]).lower())) is not None:
        return found, 2
    if i < len(words) and (found := STATUS_WORDS.get(words[i].lower())) is not None:
        return found, 1
    raise UnknownStatus(word=words[i][:30] if i < len(words) else "", known=_known_statuses())


def _known_statuses() -> str:
    return ", ".join(f"{PROJECT_STATUS[s].th} ({s.value})" for s in ProjectStatus)


def _progress(word: str) -> int:
    raw = word.rstrip("%")
    if not re.fullmatch(r"-?\d{1,4}", raw) or not 0 <= int(raw) <= 100:
        raise BadProgress(value=word[:10])
    return int(raw)
