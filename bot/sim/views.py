"""What the simulator's templates need beyond the emulator's record: its texts in both languages, Telegram's text
and entities as HTML, LINE Flex styles as CSS, and the people one can be."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.i18n import Text
from storage.demo import PERSONAS, Persona

PLATFORMS = {"line": "LINE", "telegram": "Telegram"}

TEXTS = {
    "title": Text("เครื่องจำลองแชต coordbot", "coordbot chat simulator"),
    "intro": Text("คุยกับบริการเดโมผ่านเว็บฮุกจริง: ข้อความถูกลงลายมือชื่อแบบที่ LINE หรือ Telegram ส่ง "
                  "แล้วแสดงสิ่งที่มาถึงโทรศัพท์ของผู้ใช้",
                  "Chat with the demo service over the real webhook path: each message is signed as LINE or "
                  "Telegram would sign it, and you see what reaches that person's phone"),
    "people": Text("ผู้ใช้เดโม", "Demo people"),
    "newcomer": Text("ผู้มาใหม่", "A newcomer"),
    "new_newcomer": Text("+ ผู้มาใหม่อีกคน", "+ another newcomer"),
    "guest": Text("ยังไม่ลงทะเบียน", "not registered yet"),
    "platform": Text("แอป", "App"),
    "type": Text("พิมพ์ข้อความ", "Type a message"),
    "send": Text("ส่ง", "Send"),
    "menu": Text("เมนู", "Menu"),
    "empty": Text("ยังไม่มีข้อความ ลองพิมพ์ \"ช่วยเหลือ\" หรือรหัสเชิญ", "No messages yet. Try /help, or an invite "
                  "code"),
    "unanswered": Text("บริการตอบเว็บฮุกด้วยรหัส {status}", "The service answered the webhook with {status}"),
    "no_item": Text("เมนูนี้เปลี่ยนไปแล้ว", "That menu has changed"),
    "unknown_person": Text("ไม่มีผู้ใช้เดโมชื่อนี้", "There is no demo person of that name"),
    "no_emulator": Text("ติดต่อโปรแกรมจำลองแพลตฟอร์มไม่ได้", "The platform emulator does not answer"),
    "cross_site": Text("ส่งจากหน้าอื่นไม่ได้", "Only this page may send"),
    "file": Text("ไฟล์", "file"),
    "language": Text("English", "ภาษาไทย"),
}


def texts(lang: str) -> dict[str, str]:
    return {key: text.render(lang) for key, text in TEXTS.items()}


@dataclass(frozen=True)
class Choice:
    """A person in the picker."""

    key: str
    name: str
    detail: str


def people(lang: str) -> list[Choice]:
    return [Choice(p.key, p.name or TEXTS["newcomer"].render(lang), p.position or TEXTS["guest"].render(lang))
            for p in PERSONAS]


def user_id(who: Persona, platform: str) -> str:
    return who.line_user_id if platform == "line" else str(who.telegram_id)


def clock(at: str, tz: ZoneInfo) -> str:
    """An entry's time as the phone shows it (HH:MM, local time)."""
    return datetime.fromisoformat(at).astimezone(tz).strftime("%H:%M")


# LINE Flex Message styles (developers.line.biz/en/reference/messaging-api, "Flex Message"): keywords to CSS.
FLEX_SIZES = {"xxs": "11px", "xs": "12px", "sm": "13px", "md": "15px", "lg": "17px", "xl": "19px", "xxl": "23px",
              "3xl": "28px", "4xl": "34px", "5xl": "40px"}
FLEX_SPACES = {"none": "0", "xs": "2px", "sm": "4px", "md": "8px", "lg": "12px", "xl": "16px", "xxl": "20px"}
SAFE_CSS_VALUE = re.compile(r"[#\w.%-]+")
"""A Flex value goes into a style attribute only if it cannot close the declaration."""


def _css(value: Any, keywords: dict[str, str] | None = None) -> str | None:
    text = str(value)
    if keywords and text in keywords:
        return keywords[text]
    return text if SAFE_CSS_VALUE.fullmatch(text) else None


def flex_style(node: dict[str, Any]) -> str:
    """The inline CSS of a Flex box, text or button: colours, sizes, spacing, alignment, weight."""
    rules = {
        "background": _css(node["backgroundColor"]) if "backgroundColor" in node else None,
        "color": _css(node["color"]) if "color" in node else None,
        "width": _css(node["width"]) if "width" in node else None,
        "height": _css(node["height"]) if "height" in node else None,
        "font-size": _css(node["size"], FLEX_SIZES) if "size" in node and node.get("type") == "text" else None,
        "font-weight": "bold" if node.get("weight") == "bold" else None,
        "text-align": {"start": "left", "end": "right", "center": "center"}.get(str(node.get("align"))),
        "gap": _css(node["spacing"], FLEX_SPACES) if "spacing" in node else None,
        "margin-top": _css(node["margin"], FLEX_SPACES) if "margin" in node else None,
        "padding": _css(node["paddingAll"], FLEX_SPACES) if "paddingAll" in node else None,
        "border-radius": _css(node["cornerRadius"], FLEX_SPACES) if "cornerRadius" in node else None,
        "flex": _css(node["flex"]) if "flex" in node else None,
        "white-space": "pre-wrap" if node.get("wrap") else None,
    }
    return "; ".join(f"{name}: {value}" for name, value in rules.items() if value)


def percent(part: float, whole: float) -> str:
    """A rich menu area's position as a share of the picture, for CSS."""
    return f"{100 * part / whole:.3f}%"


# Telegram entities (api.json MessageEntity.type) as the HTML a client shows them with.
ENTITY_TAGS = {"bold": "b", "italic": "i", "underline": "u", "strikethrough": "s", "code": "code", "pre": "pre",
               "blockquote": "blockquote", "expandable_blockquote": "blockquote", "spoiler": "span",
               "text_link": "a", "url": "a", "custom_emoji": "span", "date_time": "span"}
LINK_SCHEMES = ("http://", "https://", "tg://")


def _open_tag(entity: dict[str, Any], covered: str) -> str:
    kind = entity["type"]
    tag = ENTITY_TAGS[kind]
    if kind in ("text_link", "url"):
        url = str(entity.get("url") or covered)
        href = url if url.startswith(LINK_SCHEMES) else "#"
        return f'<a href="{escape(href)}" target="_blank" rel="noopener">'
    if kind == "spoiler":
        return '<span class="tg-spoiler">'
    return f"<{tag}>"


def telegram_html(text: str, entities: list[dict[str, Any]] | None) -> Markup:
    """A Telegram message's text with its entities (offsets in UTF-16 code units) as nested HTML."""
    starts: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    ends: dict[int, set[int]] = defaultdict(set)
    index, units = {}, 0
    for i, char in enumerate(text):
        index[units] = i
        units += 2 if ord(char) > 0xFFFF else 1
    index[units] = len(text)
    ordered = sorted(entities or [], key=lambda e: (e.get("offset", 0), -e.get("length", 0)))
    for number, entity in enumerate(ordered):
        start, end = index.get(entity.get("offset", -1)), index.get(entity.get("offset", 0) + entity.get("length", 0))
        if entity.get("type") in ENTITY_TAGS and start is not None and end is not None and end > start:
            starts[start].append((number, entity))
            ends[end].add(number)
    out: list[str] = []
    open_now: list[tuple[int, dict[str, Any]]] = []
    for i in range(len(text) + 1):
        closing = set(ends.get(i, ()))
        reopen = []
        while closing and open_now:  # close what ends here; anything opened inside it is closed and reopened
            number, entity = open_now.pop()
            out.append(f"</{ENTITY_TAGS[entity['type']]}>")
            if number in closing:
                closing.discard(number)
            else:
                reopen.append((number, entity))
        for number, entity in reversed(reopen):
            out.append(_open_tag(entity, ""))
            open_now.append((number, entity))
        for number, entity in starts.get(i, []):
            end = index[entity["offset"] + entity["length"]]
            out.append(_open_tag(entity, text[i:end]))
            open_now.append((number, entity))
        if i < len(text):
            out.append(str(escape(text[i])))
    return Markup("".join(out))


URL = re.compile(r"https?://[^\s<>\"']+")


def linkify(text: str) -> Markup:
    """Plain text with its web addresses as links, as LINE shows a text message."""
    out, last = [], 0
    for found in URL.finditer(text):
        out += [str(escape(text[last:found.start()])),
                f'<a href="{escape(found[0])}" target="_blank" rel="noopener">{escape(found[0])}</a>']
        last = found.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
