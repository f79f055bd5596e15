"""Reads text as people type it on a phone, before the router looks for a command word.

Thai is written without spaces between words, ends with polite particles and arrives with copy-paste debris
(zero-width spaces, `ํา` typed as two characters, Thai digits, full-width letters). `normalize` undoes the
debris, `strip_particles` the politeness, and `Vocabulary.match` finds the longest command word (or alias, or
known misspelling) at the start of the text, space or no space, and returns what follows as the argument.

Prefix matching with the bot's own vocabulary is enough here: command words come first, and the argument
parsers after them already read provinces, codes and choices. PyThaiNLP's dictionary-based `newmm` tokenizer
(with the bot's words added) was measured against it on the 425-message corpus (`bench/understand.py --newmm`):
it routed fewer messages right (99.3 % against 99.8 %: it reads `โครงการเกษตร` as one word), added 0.9-2 s of
import and dictionary loading and half again the time per message, so it is not a dependency. The one thing a
tokenizer catches, a command word that starts a longer word (`ประกาศนียบัตร`), is handled by asking free-text
commands for a space after the word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from storage import reference
from storage.reference import Province

T = TypeVar("T")

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
TONES = "\u0e48-\u0e4b"
# Vowels written above or below the consonant; a tone mark belongs after them.
UPPER_LOWER = "\u0e31\u0e34-\u0e3a\u0e47"
MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
# A Thai word cannot start with these, so a command word followed by one is the start of a longer word.
NOT_A_START = re.compile(f"[{MARKS}\u0e30\u0e32\u0e33\u0e45]")

# Polite particles: glued to the last word or standing alone, possibly with the last letter repeated (ค่ะะ).
GLUED = ("นะคะ", "นะค่ะ", "นะครับ", "ครับผม", "ครับ", "คับ", "ค่ะ", "คะ", "จ้า", "จ้ะ", "จ๊ะ", "ฮะ", "ฮับ")
THANKS = ("ขอบคุณมาก", "ขอบคุณ", "ขอบใจ")
ALONE = (*GLUED, *THANKS, "ค่า", "นะ", "ด้วย", "หน่อย", "please", "pls", "thanks", "thx", "krub", "ka", "kha")
FINAL = (*GLUED, *THANKS, "ด้วย", "หน่อย")  # not "ค่า" glued: มูลค่า (value) ends with it
_GLUED_END = re.compile("(?:" + "|".join(f"{p}{p[-1]}*" for p in sorted(FINAL, key=len, reverse=True)) + ")$")
_ALONE = set(ALONE)
NUMBER_EDGE = re.compile("(?<=[0-9])(?=[\u0e01-\u0e4f])|(?<=[\u0e01-\u0e4f])(?=[0-9])")
# Words people put before a command ("ขอดูสรุป", "รบกวนตอบรับ"); tried only when nothing matched without them.
FILLERS = re.compile(r"^(?:(?:รบกวน|ช่วย|ขอ|อยากดู|อยากรู้|ดู|เปิด|แสดง|show|please|pls|check)\s*)+", re.IGNORECASE)


def normalize(text: str) -> str:
    """Undo what phones and copy-paste do to Thai text; the meaning is untouched.

    Full-width letters and non-breaking spaces (NFKC), zero-width characters and emoji variation selectors
    (removed), `ํา` typed as two characters (`ำ`), a tone mark typed before its vowel (`ก่ี` → `กี่`), a mark
    typed twice (`ก่่`), Thai digits (`๑๒` → `12`) and runs of spaces.
    """
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text))
    text = re.sub(f"\u0e4d([{TONES}])\u0e32", "\\1\u0e33", text)  # NFKC itself splits ำ; put it back
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    text = re.sub(f"([{TONES}])([{UPPER_LOWER}])", r"\2\1", text)
    text = re.sub(f"([{MARKS}])\\1+", r"\1", text)
    return " ".join(text.translate(THAI_DIGITS).split())


def strip_particles(text: str) -> str:
    """Drop polite particles and fillers at the end or standing between parts (`ตอบรับ 3 ไปค่ะ` → `ตอบรับ 3 ไป`)."""
    words = [w for w in text.split() if w.lower() not in _ALONE]
    while words:
        last = _GLUED_END.sub("", words[-1])
        if last == words[-1]:
            break
        if last:
            words[-1] = last
        else:
            words.pop()
        words = [w for w in words if w.lower() not in _ALONE]
    return " ".join(words)


def split_numbers(text: str) -> str:
    """A number glued to a Thai word is its own word (`3ไป` → `3 ไป`, `บ่าย3โมง` → `บ่าย 3 โมง`)."""
    return NUMBER_EDGE.sub(" ", text)


def compact(text: str) -> str:
    """The form words are compared in: normalised, lower case, without spaces."""
    return normalize(text).lower().replace(" ", "")


def _consume(text: str, form: str) -> int | None:
    """Where `form` ends if the text starts with it (spaces inside the text are skipped), else None."""
    i = 0
    for ch in form:
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i].lower() != ch:
            return None
        i += 1
    if i < len(text) and form[-1].isascii() and form[-1].isalpha() and text[i].isascii() and text[i].isalpha():
        return None  # "me" is not the start of "meeting"
    if i < len(text) and not form[-1].isascii() and NOT_A_START.match(text[i]):
        return None  # "สรุป" + a vowel sign would be another word
    return i


@dataclass(frozen=True)
class Match(Generic[T]):
    """A command found at the start of a text: what it is, and the argument after it."""

    target: T
    args: str
    """Normalised, without particles: what structured arguments are read from."""
    as_typed: str
    """The text after the command word exactly as typed, for free text (an announcement, a name)."""
    glued: bool = False
    """The argument followed the word without a space (`ประกาศนียบัตร` may be another word, not `ประกาศ`)."""


MATCHES_KEPT = 4096


class Vocabulary(Generic[T]):
    """Command words, aliases and misspellings, each pointing at its target."""

    def __init__(self, forms: Iterable[tuple[str, T]]) -> None:
        self.forms: dict[str, T] = {}
        for form, target in forms:
            key = compact(form)
            if key in self.forms and self.forms[key] != target:
                raise ValueError(f"command word {form!r} registered twice")
            self.forms[key] = target
        self._by_first: dict[str, list[str]] = {}
        for key in sorted(self.forms, key=len, reverse=True):
            self._by_first.setdefault(key[0], []).append(key)
        self._matched: dict[str, Match[T] | None] = {}

    def match(self, text: str) -> Match[T] | None:
        """The longest command word at the start (after `/`, before `@bot`), or None. Kept for the texts seen
        lately: one event's text is asked about several times (is it slow, does it read the quota, who answers),
        and in a burst many people type the same few words."""
        if text in self._matched:
            return self._matched[text]
        found = self._match(text)
        if len(self._matched) >= MATCHES_KEPT:
            self._matched.clear()
        self._matched[text] = found
        return found

    def _match(self, text: str) -> Match[T] | None:
        typed = normalize(text)
        found = self.prefix(typed)
        if found is None:
            without = FILLERS.sub("", typed)
            found = self.prefix(without) if without != typed else None
            typed = without
        if found is None:
            return None
        target, end = found
        rest = typed[end:]
        if rest.startswith("@"):  # Telegram's /command@botname
            rest = rest.split(maxsplit=1)[1] if " " in rest else ""
        glued = bool(rest) and not rest[0].isspace() and rest[0] not in "|="
        return Match(target, split_numbers(strip_particles(rest)), _as_typed(text, typed[:end]), glued)

    def prefix(self, typed: str) -> tuple[T, int] | None:
        """The longest form at the start of normalised text (after a `/`) and where it ends."""
        body = typed.removeprefix("/")
        if not body:
            return None
        for key in self._by_first.get(body[0].lower(), []):
            end = _consume(body, key)
            if end is not None:
                return self.forms[key], end + len(typed) - len(body)
        return None

    def suggest(self, text: str, allowed: Iterable[T], limit: int = 3) -> list[tuple[str, T]]:
        """The nearest command words for "did you mean", best first, one per target."""
        head = compact(strip_particles(normalize(text)).removeprefix("/"))
        if not head:
            return []
        wanted = set(allowed)
        scored: dict[T, tuple[float, str]] = {}
        for key, target in self.forms.items():
            if target not in wanted or len(key) < 2:
                continue
            score = max(fuzz.ratio(key, head[:n]) for n in range(max(1, len(key) - 1), len(key) + 2))
            if score >= 70 and score > scored.get(target, (0.0, ""))[0]:
                scored[target] = (score, key)
        best = sorted(scored.items(), key=lambda item: -item[1][0])[:limit]
        return [(key, target) for target, (_, key) in best]


def _as_typed(original: str, consumed: str) -> str:
    """The rest of the original text after the part that normalised to `consumed`."""
    goal = consumed.lower().replace(" ", "")
    for i in range(len(original) + 1):
        head = compact(original[:i])
        if head == goal and (i == len(original) or compact(original[: i + 1]) != goal):
            return original[i:].strip()
        if len(head) > len(goal) + 1:
            break
    return ""


def only_symbols(text: str) -> bool:
    """Emoji, stickers typed as text, punctuation: nothing to read a command from."""
    return bool(text.strip()) and not any(unicodedata.category(ch)[0] in "LN" for ch in normalize(text))


MAX_PLACE_WORDS = 4  # "Prachuap Khiri Khan", "จังหวัด พระนครศรีอยุธยา"


@dataclass(frozen=True)
class Place:
    """A province read from the first words of a text."""

    province: Province
    words: int
    """How many words it took (a name may have spaces: Khon Kaen, จ. เชียงใหม่)."""
    corrected: bool
    """Read through a typo or a prefix: a write should ask before using it."""


def read_place(words: list[str]) -> Place | None:
    """The province the first words name: the longest exact name first, then the longest with a typo."""
    heads = [(n, " ".join(words[:n])) for n in range(min(MAX_PLACE_WORDS, len(words)), 0, -1)]
    for n, head in heads:
        if (province := reference.exact_province(head)) is not None:
            return Place(province, n, corrected=False)
    for n, head in heads:
        if (province := reference.find_province(head)) is not None:
            return Place(province, n, corrected=True)
    return None


def search_text(query: str) -> str:
    """A keyword query as titles are written: particles dropped, and no spaces between Thai words
    (`พลังงาน ทดแทน` → `พลังงานทดแทน`); spaces between Latin words stay."""
    words = strip_particles(normalize(query)).split()
    joined = words[:1]
    for word in words[1:]:
        if _is_thai(joined[-1][-1]) and _is_thai(word[0]):
            joined[-1] += word
        else:
            joined.append(word)
    return " ".join(joined)


def whole_word(keyword: str, text: str) -> bool:
    """Whether `keyword` stands as a word of its own in `text` (set apart by spaces, punctuation or the ends),
    so such titles can be listed before ones where it is part of a longer word."""
    pattern = rf"(?<![\w\u0e00-\u0e7f]){re.escape(keyword)}(?![\w\u0e00-\u0e7f])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"
