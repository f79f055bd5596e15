"""Telegram's `parse_mode=HTML`: the tags it allows, its entity decoding and its error messages.

Follows tdlib's parser (td/telegram/MessageEntity.cpp, `parse_html`): only `&lt; &gt; &amp; &quot;` and numeric
references are decoded, any other `&` is kept as text, every other `<` must start a supported tag, and tags must
nest. Entities nested against the Bot API's rules ("Formatting options": nothing inside `pre`/`code`, `blockquote`s
not nested, links and other whole entities not inside each other) are not an error: tdlib's `fix_entities` drops
them, and so does `parse_html` here.
"""

from __future__ import annotations

import re
from typing import Any

ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "span": "spoiler",
    "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji", "tg-time": "date_time",
}
# fix_entities' classes: formatting that is split around code, blocks that do not nest, and whole entities (links,
# custom emoji, and the "pre" class: code, pre, date-time) that cannot contain each other.
SPLITTABLE = frozenset(("bold", "italic", "underline", "strikethrough", "spoiler"))
BLOCKQUOTES = frozenset(("blockquote", "expandable_blockquote"))
PRE = frozenset(("code", "pre", "date_time"))
# MessageEntity::get_type_priority: among entities with the same span, the lower comes first (and is kept).
PRIORITY = {"blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "date_time": 30, "text_link": 49,
            "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93, "spoiler": 94, "custom_emoji": 99}
DATE_FORMAT = re.compile(r"[rR]|[tTdDwW]*")  # FormattedDate::get_date_flags (the page: `r|w?[dD]?[tT]?`)
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")
NUMERIC_REFERENCE = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);?")
NAMED_REFERENCE = re.compile(r"&([A-Za-z]*);?")


class EntityError(ValueError):
    """The markup cannot be parsed; the message is Telegram's, without "can't parse entities: "."""


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _offset(markup: str, pos: int) -> int:
    return len(markup[:pos].encode())


def _entity(markup: str, pos: int) -> tuple[str, int] | None:
    """The character an HTML entity at `pos` stands for and the position after it, or None to keep the `&`."""
    if markup.startswith("&#", pos):
        match = NUMERIC_REFERENCE.match(markup, pos)
        if match is None:
            return None
        digits = match.group(1)
        code = int(digits[1:], 16) if digits.startswith("x") else int(digits)
        return (chr(code), match.end()) if 0 < code < 0x10FFFF and match.end() - pos < 10 else None
    match = NAMED_REFERENCE.match(markup, pos)
    if match is None or match.group(1) not in NAMED:
        return None
    return NAMED[match.group(1)], match.end()


def _attributes(markup: str, pos: int, tag: str, start: int) -> tuple[dict[str, str], int]:
    """Parse `name=value` pairs up to the closing `>`; return them and the position after it."""
    attrs: dict[str, str] = {}
    n = len(markup)
    while True:
        while pos < n and markup[pos].isspace():
            pos += 1
        if pos >= n:
            raise EntityError(f"Unclosed start tag at byte offset {_offset(markup, start)}")
        if markup[pos] == ">":
            return attrs, pos + 1
        name_start = pos
        while pos < n and not markup[pos].isspace() and markup[pos] not in "=>/\"'":
            pos += 1
        name = markup[name_start:pos].lower()
        if not name:
            raise EntityError(f'Empty attribute name in the tag "{tag}" at byte offset {_offset(markup, start)}')
        while pos < n and markup[pos].isspace():
            pos += 1
        if pos >= n:
            raise EntityError(f'Unclosed start tag "{tag}" at byte offset {_offset(markup, start)}')
        if markup[pos] != "=":  # a name alone, as in <blockquote expandable>
            attrs[name] = ""
            continue
        pos += 1
        while pos < n and markup[pos].isspace():
            pos += 1
        if pos >= n:
            raise EntityError(f"Unclosed start tag at byte offset {_offset(markup, start)}")
        if markup[pos] in "'\"":
            quote, pos, value = markup[pos], pos + 1, []
            while pos < n and markup[pos] != quote:
                decoded = _entity(markup, pos) if markup[pos] == "&" else None
                if decoded:
                    value.append(decoded[0])
                    pos = decoded[1]
                else:
                    value.append(markup[pos])
                    pos += 1
            pos += 1
            attrs[name] = "".join(value)
        else:
            token = NAME_TOKEN.match(markup, pos)
            end = token.end() if token else pos
            if end < n and not markup[end].isspace() and markup[end] != ">":
                raise EntityError(f"Unexpected end of name token at byte offset {_offset(markup, pos)}")
            attrs[name] = markup[pos:end].lower()
            pos = end


def _make_entity(tag: str, attrs: dict[str, str], start: int, length: int, text: str) -> dict[str, Any] | None:
    entity: dict[str, Any] = {"type": ENTITY_TYPES[tag], "offset": start, "length": length}
    if tag == "a":
        entity["url"] = attrs.get("href") or text
    elif tag == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-time":  # <tg-time unix="1647531900" format="wDT">; without a time it is plain text
        unix, date_format = attrs.get("unix", ""), attrs.get("format", "")
        if not DATE_FORMAT.fullmatch(date_format):
            raise EntityError("Invalid date format used")
        if not unix.isdigit() or int(unix) == 0:
            return None
        entity["unix_time"] = int(unix)
        if date_format:
            entity["date_time_format"] = date_format
    return entity


def _inside(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    return outer["offset"] <= inner["offset"] and inner["offset"] + inner["length"] <= outer["offset"] + outer["length"]


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"]


def _outermost(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those not overlapping an earlier (outer) one: tdlib's remove_intersecting_entities."""
    kept: list[dict[str, Any]] = []
    for entity in entities:
        if not any(_overlap(entity, other) for other in kept):
            kept.append(entity)
    return kept


def _fix_nesting(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop what the nesting rules forbid, as tdlib's fix_entities does, instead of refusing the message."""
    entities.sort(key=_order)
    quotes = _outermost([e for e in entities if e["type"] in BLOCKQUOTES])
    whole = [e for e in _outermost([e for e in entities if e["type"] not in SPLITTABLE | BLOCKQUOTES])
             if all(_inside(e, q) or not _overlap(e, q) for q in quotes)]
    codes = [e for e in whole if e["type"] in PRE]
    styled = []
    for entity in (e for e in entities if e["type"] in SPLITTABLE):
        start, end = entity["offset"], entity["offset"] + entity["length"]
        for code in (c for c in codes if _overlap(entity, c)):  # formatting is cut around code and pre
            if code["offset"] > start:
                styled.append({**entity, "offset": start, "length": code["offset"] - start})
            start = max(start, code["offset"] + code["length"])
        if end > start:
            styled.append({**entity, "offset": start, "length": end - start})
    fixed = quotes + whole + styled
    fixed.sort(key=_order)
    return fixed


def _order(entity: dict[str, Any]) -> tuple[int, int, int]:
    """tdlib's order of entities: by offset, the longer first, then by type priority."""
    return entity["offset"], -entity["length"], PRIORITY[entity["type"]]


def parse_html(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and the message entities (UTF-16 offsets) of Telegram-flavoured HTML."""
    out: list[str] = []
    length = 0  # UTF-16 length of the text so far
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, dict[str, str], int, int]] = []  # tag, attributes, UTF-16 offset, index in `out`
    pos, n = 0, len(markup)
    while pos < n:
        char = markup[pos]
        if char == "&" and (decoded := _entity(markup, pos)):
            out.append(decoded[0])
            length += _utf16(decoded[0])
            pos = decoded[1]
            continue
        if char != "<":
            out.append(char)
            length += _utf16(char)
            pos += 1
            continue
        start = pos
        if markup.startswith("</", pos):
            end = markup.find(">", pos)
            if end < 0:
                raise EntityError(f"Unclosed end tag at byte offset {_offset(markup, start)}")
            name = markup[pos + 2:end].strip().lower()
            if not stack:
                raise EntityError(f"Unexpected end tag at byte offset {_offset(markup, start)}")
            tag, attrs, text_start, out_start = stack.pop()
            if name and name != tag:
                raise EntityError(f'Unmatched end tag at byte offset {_offset(markup, start)}, expected "</{tag}>", '
                                  f'found "</{name}>"')
            if length > text_start:
                entity = _make_entity(tag, attrs, text_start, length - text_start, "".join(out[out_start:]))
                if entity is not None:
                    entities.append(entity)
            pos = end + 1
            continue
        pos += 1
        while pos < n and not markup[pos].isspace() and markup[pos] != ">":
            pos += 1
        if pos >= n:
            raise EntityError(f"Unclosed start tag at byte offset {_offset(markup, start)}")
        tag = markup[start + 1:pos].lower()
        if tag not in ENTITY_TYPES:
            raise EntityError(f'Unsupported start tag "{tag}" at byte offset {_offset(markup, start)}')
        attrs, pos = _attributes(markup, pos, tag, start)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityError(f'Tag "span" must have class "tg-spoiler" at byte offset {_offset(markup, start)}')
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise EntityError(f'Custom emoji entity must contain a tag "emoji-id" at byte offset '
                              f"{_offset(markup, start)}")
        stack.append((tag, attrs, length, len(out)))
    if stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), _fix_nesting(entities)
