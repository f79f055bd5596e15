"""Reference data: Thailand's 77 provincial units, 18 provincial clusters and 6 area-based regions (ภาค).

`data/provinces.json` is a byte-for-byte copy of shared/reference/provinces.json (sources and caveats are in
provinces.md beside it), so the service does not depend on ../shared at run time. The clusters are the current
2017 grouping; Bangkok belongs to no cluster and to no area-based ภาค.

The find_* functions read what people type in chat. They prefer None to a wrong guess: the caller can then
ask again, offering `suggest_provinces` as "did you mean".
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA


@dataclass(frozen=True)
class Province:
    """One of the 77 provincial units (76 provinces plus Bangkok)."""

    iso: str  # ISO 3166-2:TH, e.g. "TH-50"
    code: str  # three letters used in project codes such as CMI-2569-0012
    name_th: str  # without the "จังหวัด" prefix
    name_en: str
    name_en_alt: tuple[str, ...]  # other English spellings, e.g. "Chonburi"
    region_th: str | None  # area-based ภาค; None for Bangkok
    region_en: str | None
    cluster: int | None  # cluster number; None for Bangkok

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_th


@dataclass(frozen=True)
class Cluster:
    """A provincial cluster (กลุ่มจังหวัด) of the 2017 grouping."""

    no: int  # 1-18, in the order of the announcement
    name_th: str  # with the "กลุ่มจังหวัด" prefix
    name_en: str
    region_th: str
    region_en: str
    members: tuple[str, ...]  # ISO codes
    operations_centre: str | None  # ISO code; None where no source names it

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_th


@dataclass(frozen=True)
class Region:
    """An area-based ภาค, the level above clusters."""

    name_th: str
    name_en: str
    clusters: tuple[int, ...]


# Short forms people type that are not prefixes or near-spellings of an official name.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "TH-10": ("กทม", "กรุงเทพ", "Krung Thep"),
    "TH-13": ("ปทุม",),
    "TH-14": ("อยุธยา", "กรุงเก่า"),
    "TH-24": ("แปดริ้ว",),
    "TH-30": ("โคราช", "Korat", "Khorat"),
    "TH-34": ("อุบล", "Ubon"),
    "TH-39": ("หนองบัวลำพู",),  # misspelling found even in Debian iso-codes
    "TH-41": ("อุดร", "Udon"),
    "TH-71": ("กาญจน์", "เมืองกาญจน์"),
    "TH-72": ("สุพรรณ", "Suphan"),
    "TH-77": ("ประจวบ", "Prachuap"),
    "TH-80": ("นครศรี", "Nakhon Si"),
    "TH-84": ("สุราษฎร์", "สุราษ", "Surat"),
}
CLUSTER_ALIASES: dict[int, tuple[str, ...]] = {
    11: ("ปริมณฑล", "Vicinity"),
    16: ("อ่าวไทย", "Gulf", "Gulf of Thailand"),
    17: ("อันดามัน", "Andaman"),
    18: ("ชายแดนใต้", "Deep South"),
}
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "ภาคเหนือ": ("North",),
    "ภาคตะวันออกเฉียงเหนือ": ("อีสาน", "Isan", "Isaan", "Northeast"),
    "ภาคกลาง": (),
    "ภาคตะวันออก": ("East",),
    "ภาคใต้": ("South",),
    "ภาคใต้ชายแดน": ("ชายแดนใต้", "Deep South"),
}

MAX_INPUT = 100  # longer text is a sentence, not a name; also bounds the fuzzy work
MIN_PREFIX = 4  # "อุบล", "chon": shorter prefixes are too often ambiguous
# OSA similarity needed for a typo to count as a match. Thai spells tone marks and vowels as separate characters,
# so one slip in a short name (ภูเกต, ชลบุลี) costs more; short English words (trans, saturn) sit one letter from
# short romanised names, so Latin text needs more.
CUTOFF_THAI = 0.8  # one typo in 5-9 characters, two in 10-14
CUTOFF_LATIN = 0.85  # one typo in 7-13 letters, two in 14-19
MARGIN = 0.1  # the runner-up must be clearly worse, or we cannot tell which was meant
SUGGEST_CUTOFF = 0.6

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@cache
def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("storage").joinpath("data/provinces.json").read_text("utf-8"))
    return data


@cache
def clusters() -> tuple[Cluster, ...]:
    """The 18 provincial clusters, by number."""
    return tuple(
        Cluster(no=c["no"], name_th=c["name_th"], name_en=c["name_en"], region_th=c["region"],
                region_en=c["region_en"], members=tuple(c["members_iso"]),
                operations_centre=c["operations_centre_iso"])
        for c in sorted(_raw()["clusters"], key=lambda c: c["no"])
    )


@cache
def provinces() -> tuple[Province, ...]:
    """The 77 provincial units, by ISO code."""
    numbers = {c.name_th: c.no for c in clusters()}
    return tuple(
        Province(iso=p["iso"], code=p["abbr3"], name_th=p["name_th"], name_en=p["name_en"],
                 name_en_alt=tuple(p["name_en_alt"]), region_th=p["region"], region_en=p["region_en"],
                 cluster=numbers[p["cluster"]] if p["cluster"] else None)
        for p in sorted(_raw()["provinces"], key=lambda p: p["iso"])
    )


@cache
def regions() -> tuple[Region, ...]:
    """The 6 area-based ภาค, north to south."""
    numbers = {c.name_th: c.no for c in clusters()}
    return tuple(
        Region(name_th=r["name_th"], name_en=r["name_en"], clusters=tuple(numbers[n] for n in r["clusters"]))
        for r in _raw()["meta"]["area_regions"]
    )


@cache
def _provinces_by_iso() -> dict[str, Province]:
    return {p.iso: p for p in provinces()}


def province(iso: str) -> Province:
    """The province with this ISO code (KeyError if unknown): stored ids are trusted, unlike typed text."""
    return _provinces_by_iso()[iso]


def province_name(iso: str | None, lang: str) -> str:
    """A stored province in the reader's language; "-" for a person or row with none."""
    return province(iso).name(lang) if iso else "-"


def cluster(no: int) -> Cluster:
    """The cluster with this number (KeyError if unknown)."""
    return {c.no: c for c in clusters()}[no]


def provinces_in_cluster(no: int) -> tuple[Province, ...]:
    """The members of a cluster, in the announcement's order (KeyError if unknown)."""
    return tuple(province(iso) for iso in cluster(no).members)


def provinces_in_region(name_th: str) -> tuple[Province, ...]:
    """The provinces of an area-based ภาค (KeyError if unknown); Bangkok is in none."""
    if name_th not in {r.name_th for r in regions()}:
        raise KeyError(name_th)
    return tuple(p for p in provinces() if p.region_th == name_th)


# --- forgiving matching ----------------------------------------------------------------------------------------


def _compact(text: str) -> str:
    """Fold case, digits and the two spellings of ำ, then keep only letters, marks and digits."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_THAI_DIGITS)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMN" and ch != "ฯ")


def _strip_prefix(key: str, *prefixes: str) -> str:
    for prefix in prefixes:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _strip_suffix(key: str, *suffixes: str) -> str:
    for suffix in suffixes:
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def _province_key(text: str) -> str:
    # "จ " and "จ." only before compacting: จันทบุรี itself starts with จ.
    text = unicodedata.normalize("NFKC", text).strip()
    text = _strip_prefix(text, "จังหวัด", "จ.", "จ ")
    return _strip_suffix(_compact(text), "province")


def _cluster_key(text: str) -> str:
    key = _compact(text)
    # The English names carry the word mid-name: "Upper Northern Provincial Cluster 1".
    for word in ("กลุ่มจังหวัด", "provincialcluster", "cluster"):
        key = key.replace(word, "")
    key = key.replace("อีสาน", "ตะวันออกเฉียงเหนือ")  # what the north-east calls itself
    return _strip_prefix(key, "กลุ่มที่", "กลุ่ม", "#")


def _region_key(text: str) -> str:
    return _strip_suffix(_strip_prefix(_compact(text), "ภาค"), "region", "thailand")


def _index(entries: list[tuple[str, object]]) -> dict[str, Any]:
    """Map each key to its target, refusing a key that would name two things."""
    index: dict[str, Any] = {}
    for key, target in entries:
        if key and index.setdefault(key, target) != target:
            raise ValueError(f"reference key {key!r} is ambiguous")
    return index


@cache
def _province_names() -> dict[str, Province]:
    """Names and spellings: used for exact, prefix and fuzzy matching."""
    entries: list[tuple[str, object]] = []
    for p in provinces():
        names = (p.name_th, p.name_en, *p.name_en_alt, *PROVINCE_ALIASES.get(p.iso, ()))
        entries += [(_province_key(n), p) for n in names]
    return _index(entries)


@cache
def _province_codes() -> dict[str, Province]:
    """ISO and three-letter codes: exact only, since a typo in a code is another code."""
    return _index([(_compact(c), p) for p in provinces() for c in (p.iso, p.code)])


@cache
def _cluster_names() -> dict[str, Cluster]:
    entries: list[tuple[str, object]] = []
    for c in clusters():
        names = (c.name_th, c.name_th.removeprefix("กลุ่มจังหวัดภาค"), c.name_en, *CLUSTER_ALIASES.get(c.no, ()))
        entries += [(_cluster_key(n), c) for n in names]
    return _index(entries)


@cache
def _region_names() -> dict[str, Region]:
    entries: list[tuple[str, object]] = []
    for r in regions():
        entries += [(_region_key(n), r) for n in (r.name_th, r.name_en, *REGION_ALIASES[r.name_th])]
    return _index(entries)


def _ranked(key: str, names: dict[str, Any]) -> list[tuple[Any, float]]:
    """Targets by their best OSA similarity to key; OSA counts a swapped pair ("Chaing") as one typo."""
    best: dict[Any, float] = {}
    for name, score, _ in process.extract(key, list(names), scorer=OSA.normalized_similarity, limit=None):
        target = names[name]
        best[target] = max(best.get(target, 0.0), score)
    return sorted(best.items(), key=lambda item: item[1], reverse=True)


def _match(key: str, names: dict[str, Any]) -> Any | None:
    """Exact name, else a unique prefix, else one clear fuzzy winner; otherwise None."""
    if not key or len(key) > MAX_INPUT:
        return None
    if key in names:
        return names[key]
    if len(key) >= MIN_PREFIX:
        hits = {target for name, target in names.items() if name.startswith(key)}
        if len(hits) == 1:
            return hits.pop()
    ranked = _ranked(key, names)
    cutoff = CUTOFF_THAI if any("\u0e00" <= ch <= "\u0e7f" for ch in key) else CUTOFF_LATIN
    if not ranked or ranked[0][1] < cutoff:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
        return None
    return ranked[0][0]


def find_province(text: str) -> Province | None:
    """The province meant by typed text (Thai or English name, code, short form, small typo), or None if unsure."""
    if len(text) > MAX_INPUT:
        return None
    key = _province_key(text)
    code = _province_codes().get(key)
    if code is not None:
        return code
    found: Province | None = _match(key, _province_names())
    return found


def suggest_provinces(text: str, limit: int = 3) -> list[Province]:
    """The nearest provinces for a "did you mean" reply; empty when nothing is close."""
    if len(text) > MAX_INPUT:
        return []
    key = _province_key(text)
    if not key:
        return []
    names = _province_names()
    scores = dict(_ranked(key, names))
    # A fragment such as "สมุทร" is far from every full name, yet plainly a start of some.
    for name, target in names.items():
        if len(key) >= 3 and name.startswith(key):
            scores[target] = max(scores[target], 0.9)
    found = find_province(text)
    if found is not None:
        scores[found] = 2.0
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return [p for p, score in ranked if score >= SUGGEST_CUTOFF][:limit]


def find_cluster(text: str) -> Cluster | None:
    """The cluster meant by its number or Thai/English name, with or without "กลุ่มจังหวัด"; None if unsure."""
    if len(text) > MAX_INPUT:
        return None
    key = _cluster_key(text)
    if key.isdecimal():
        return {c.no: c for c in clusters()}.get(int(key))
    found: Cluster | None = _match(key, _cluster_names())
    return found


def find_region(text: str) -> Region | None:
    """The area-based ภาค meant by its Thai or English name, with or without "ภาค"; None if unsure."""
    if len(text) > MAX_INPUT:
        return None
    found: Region | None = _match(_region_key(text), _region_names())
    return found


def exact_province(text: str) -> Province | None:
    """The province whose name, known spelling or code is exactly `text` (no typo, no prefix), or None."""
    key = _province_key(text)
    return _province_codes().get(key) or _province_names().get(key)
