"""Measuring, cutting and splitting text as the platforms count it.

LINE counts text in UTF-16 code units, but action labels, `displayText` and template texts in grapheme clusters
(developers.line.biz/en/docs/messaging-api/text-character-count); Telegram counts message text in code points
(tdlib's `utf8_length` in MessageContent.cpp). Wherever text is cut or split it is between grapheme clusters
(UAX #29, `regex`'s `\\X`), so a Thai tone mark or vowel sign never starts a message; a split prefers a line
break, then a space, then a Thai syllable boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import regex

T = TypeVar("T")
Measure = Callable[[str], int]

GRAPHEME = regex.compile(r"\X")
ELLIPSIS = "…"
# Thai letters that cannot end a syllable (the vowels written before their consonant) and that cannot start one
# (vowels and signs written after it); tone marks and the other combining signs never separate from their letter.
THAI_LEADING = frozenset("เแโใไ")
THAI_FOLLOWING = frozenset("ะาำๅๆฯ")
THAI_SYLLABLE_END = frozenset("ะำๆฯ")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as LINE counts text (🍎 is 2)."""
    return len(text.encode("utf-16-le")) // 2


def graphemes(text: str) -> list[str]:
    return GRAPHEME.findall(text)


def grapheme_len(text: str) -> int:
    """Length in user-perceived characters, as LINE counts labels (น้ำ is 1)."""
    return len(graphemes(text))


def cut(text: str, limit: int, measure: Measure = grapheme_len, *, mark: str = ELLIPSIS) -> str:
    """`text` if it fits in `limit`, else its longest grapheme-whole prefix that fits with `mark` after it."""
    if measure(text) <= limit:
        return text
    room = limit - measure(mark)
    kept, used = [], 0
    for cluster in graphemes(text):
        used += measure(cluster)
        if used > room:
            break
        kept.append(cluster)
    return "".join(kept) + mark


def label(text: str, limit: int | None = None, measure: Measure = grapheme_len) -> str:
    """A button label on one line and never empty (both platforms refuse one), cut to `limit` with an ellipsis."""
    text = " ".join(text.split()) or ELLIPSIS
    return text if limit is None else cut(text, limit, measure)


def _thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def _is_line_break(cluster: str) -> bool:
    return cluster in ("\n", "\r\n")


def _is_space(cluster: str) -> bool:
    return cluster.isspace()


def _at_thai_syllable(before: str, after: str) -> bool:
    """Before a leading vowel or after a syllable-final sign: a syllable boundary for certain."""
    return _thai(after[0]) and (after[0] in THAI_LEADING or before[-1] in THAI_SYLLABLE_END)


def _at_thai_letter(before: str, after: str) -> bool:
    """Not inside a leading vowel + consonant pair and not before a following vowel: a likely boundary."""
    return before[-1] not in THAI_LEADING and after[0] not in THAI_FOLLOWING


# Where a split may fall, best first: on a separator (dropped from both pieces), else between two clusters.
SEPARATORS: tuple[Callable[[str], bool], ...] = (_is_line_break, _is_space)
BOUNDARIES: tuple[Callable[[str, str], bool], ...] = (_at_thai_syllable, _at_thai_letter)


def split(text: str, limit: int, measure: Measure = len) -> list[str]:
    """`text` in pieces of at most `limit`, each break between grapheme clusters at the best place in the second
    half of the piece (see SEPARATORS and BOUNDARIES); `[""]` for an empty text. `measure` adds up over clusters
    (as every length here does), so a text that fits is one piece without being cut into clusters first."""
    if measure(text) <= limit:
        return [text]
    clusters = graphemes(text)
    pieces: list[str] = []
    start = 0
    while start < len(clusters):
        end, used = start, 0
        while end < len(clusters) and used + measure(clusters[end]) <= limit:
            used += measure(clusters[end])
            end += 1
        if end == len(clusters):
            pieces.append("".join(clusters[start:]))
            break
        if end == start:  # one cluster longer than the limit (a pile of combining marks): cut inside it
            cluster = clusters[start]
            k = max([k for k in range(1, len(cluster)) if measure(cluster[:k]) <= limit], default=1)
            clusters[start:start + 1] = [cluster[:k], cluster[k:]]
            continue
        end, skip = _best_break(clusters, start, end)
        pieces.append("".join(clusters[start:end]))
        start = end + skip
    return pieces or [""]


def _best_break(clusters: list[str], start: int, end: int) -> tuple[int, int]:
    """Where to end a piece that could run from `start` to `end`, and how many separator clusters to drop after
    it: the last place of the best kind in the piece's second half (a separator may be the cluster at `end`)."""
    floor = start + max(1, (end - start) // 2)
    for is_separator in SEPARATORS:
        for at in range(end, floor - 1, -1):
            if is_separator(clusters[at]):
                return at, 1
    for fits in BOUNDARIES:
        for at in range(end, floor - 1, -1):
            if fits(clusters[at - 1], clusters[at]):
                return at, 0
    return end, 0


def pack(items: Sequence[T], limit: int, size: Callable[[T], int], *, most: int | None = None,
         gap: int = 0) -> list[list[T]]:
    """Consecutive items in groups whose sizes (plus `gap` between neighbours) add up to at most `limit`, with at
    most `most` items a group; an item too big on its own gets a group of its own."""
    groups: list[list[T]] = []
    used = 0
    for item in items:
        cost = size(item)
        if groups and used + gap + cost <= limit and (most is None or len(groups[-1]) < most):
            groups[-1].append(item)
            used += gap + cost
        else:
            groups.append([item])
            used = cost
    return groups
