"""Drawing the rich menu images from the layout in `bot.menus`: tiles with an icon and a label, tab headers.

Thai needs complex-text layout to sit its vowels and tone marks above and below their consonants, so labels
are shaped with libraqm (`ImageFont.Layout.RAQM`); the font is Garuda from Debian's fonts-thai-tlwg.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from bot.menus import WIDTH, Area, Page

FONT_DIRS = (Path("/usr/share/fonts/truetype/tlwg"), Path("/usr/share/fonts/opentype/tlwg"))
FONT_FILE = "Garuda-Bold.ttf"
MAX_BYTES = 1024 * 1024  # LINE: "Max file size: 1 MB"

BACKGROUND = (246, 248, 250)
TILE = (255, 255, 255)
INK = (31, 54, 84)  # a dark slate blue: no ministry's colours, readable on white
ACCENT = (0, 122, 135)
TAB_OFF = (218, 226, 234)
LINE_COLOUR = (214, 221, 228)


class NoThaiLayout(RuntimeError):
    """Pillow without libraqm, or no Thai font: Thai would be drawn with its marks misplaced."""


@functools.cache
def font_path() -> Path:
    for folder in FONT_DIRS:
        if (folder / FONT_FILE).exists():
            return folder / FONT_FILE
    raise NoThaiLayout(f"{FONT_FILE} not found: install fonts-thai-tlwg (make install does)")


@functools.cache
def font_digest() -> str:
    """Part of each menu's fingerprint: another font draws another image."""
    try:
        return hashlib.sha256(font_path().read_bytes()).hexdigest()[:12]
    except NoThaiLayout:
        return "no-font"


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    if not features.check("raqm"):
        raise NoThaiLayout("Pillow has no libraqm: install libraqm0 (make install does)")
    return ImageFont.truetype(str(font_path()), size, layout_engine=ImageFont.Layout.RAQM)


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, size: int) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` at which `text` fits in `width`."""
    while size > 24:
        font = _font(size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 6
    return _font(size)


Icon = Callable[[ImageDraw.ImageDraw, int, int, int], None]


def _key(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.ellipse((x - r, y - r // 2, x - r // 3, y + r // 3 - r // 6), outline=ACCENT, width=r // 6)
    d.line((x - r // 3, y - r // 12, x + r, y - r // 12), fill=ACCENT, width=r // 6)
    d.line((x + r * 2 // 3, y, x + r * 2 // 3, y + r // 3), fill=ACCENT, width=r // 6)


def _help(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.ellipse((x - r, y - r, x + r, y + r), outline=ACCENT, width=r // 7)
    d.text((x, y), "?", fill=ACCENT, font=_font(int(r * 1.3)), anchor="mm")


def _globe(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    w = r // 8
    d.ellipse((x - r, y - r, x + r, y + r), outline=ACCENT, width=w)
    d.ellipse((x - r // 2, y - r, x + r // 2, y + r), outline=ACCENT, width=w)
    d.line((x - r, y, x + r, y), fill=ACCENT, width=w)


def _clock(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    w = r // 7
    d.ellipse((x - r, y - r, x + r, y + r), outline=ACCENT, width=w)
    d.line((x, y, x, y - r * 2 // 3), fill=ACCENT, width=w)
    d.line((x, y, x + r // 2, y), fill=ACCENT, width=w)


def _check(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.ellipse((x - r, y - r, x + r, y + r), fill=ACCENT)
    d.line((x - r // 2, y, x - r // 8, y + r // 2.5, x + r // 2, y - r // 3), fill=TILE, width=r // 5, joint="curve")


def _folder(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.rounded_rectangle((x - r, y - r * 2 // 3, x - r // 5, y - r // 3), radius=r // 10, fill=ACCENT)
    d.rounded_rectangle((x - r, y - r // 2, x + r, y + r * 2 // 3), radius=r // 8, fill=ACCENT)


def _calendar(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.rounded_rectangle((x - r, y - r * 3 // 4, x + r, y + r * 3 // 4), radius=r // 8, outline=ACCENT, width=r // 8)
    d.rectangle((x - r, y - r * 3 // 4, x + r, y - r // 3), fill=ACCENT)
    for i in range(3):
        for j in range(2):
            cx, cy = x - r // 2 + i * r // 2, y + j * r // 3
            d.rectangle((cx - r // 10, cy - r // 12, cx + r // 10, cy + r // 12), fill=ACCENT)


def _qr(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    s = r * 2 // 5
    for cx, cy in ((x - r, y - r), (x + r - s * 2, y - r), (x - r, y + r - s * 2)):
        d.rectangle((cx, cy, cx + s * 2, cy + s * 2), outline=ACCENT, width=r // 9)
        d.rectangle((cx + s // 2, cy + s // 2, cx + s * 3 // 2, cy + s * 3 // 2), fill=ACCENT)
    d.rectangle((x + r // 5, y + r // 5, x + r // 2, y + r // 2), fill=ACCENT)
    d.rectangle((x + r * 2 // 3, y + r * 2 // 3, x + r, y + r), fill=ACCENT)


def _people(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    for dx, scale in ((-r // 2, 0.75), (r // 2, 0.75), (0, 1.0)):
        h = int(r * scale)
        d.ellipse((x + dx - h // 3, y - h, x + dx + h // 3, y - h // 3), fill=ACCENT)
        d.pieslice((x + dx - h * 2 // 3, y - h // 5, x + dx + h * 2 // 3, y + h), 180, 360, fill=ACCENT)


def _chart(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    for i, h in enumerate((0.6, 1.2, 0.9, 1.6)):
        left = x - r + i * r // 2
        d.rectangle((left, y + r * 0.8 - r * h, left + r // 3, y + r * 0.8), fill=ACCENT)
    d.line((x - r, y + r * 0.85, x + r, y + r * 0.85), fill=INK, width=r // 12)


def _megaphone(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.polygon(((x - r, y - r // 4), (x + r * 2 // 3, y - r), (x + r * 2 // 3, y + r), (x - r, y + r // 4)),
              fill=ACCENT)
    d.rectangle((x - r, y - r // 4, x - r // 2, y + r // 2), fill=ACCENT)


def _card(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    w = r // 8
    d.rounded_rectangle((x - r, y - r * 2 // 3, x + r, y + r * 2 // 3), radius=r // 6, outline=ACCENT, width=w)
    d.ellipse((x - r * 2 // 3, y - r // 3, x - r // 6, y + r // 6), fill=ACCENT)
    for i in range(3):
        d.line((x + r // 10, y - r // 3 + i * r // 3, x + r * 2 // 3, y - r // 3 + i * r // 3), fill=ACCENT, width=w)


def _plus(d: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    d.ellipse((x - r, y - r, x + r, y + r), fill=ACCENT)
    d.line((x - r // 2, y, x + r // 2, y), fill=TILE, width=r // 5)
    d.line((x, y - r // 2, x, y + r // 2), fill=TILE, width=r // 5)


ICONS: dict[str, Icon] = {"key": _key, "help": _help, "globe": _globe, "clock": _clock, "check": _check,
                          "folder": _folder, "calendar": _calendar, "qr": _qr, "people": _people, "chart": _chart,
                          "megaphone": _megaphone, "plus": _plus, "card": _card}


def _tile(draw: ImageDraw.ImageDraw, area: Area) -> None:
    b = area.bounds
    pad = 18
    draw.rounded_rectangle((b.x + pad, b.y + pad, b.x + b.width - pad, b.y + b.height - pad), radius=40, fill=TILE,
                           outline=LINE_COLOUR, width=4)
    icon_r = min(b.width, b.height) // 6
    cx, cy = b.x + b.width // 2, b.y + b.height * 2 // 5
    ICONS[area.icon](draw, cx, cy, icon_r)
    font = _fit(draw, area.label, b.width - 120, 110 if b.height > 500 else 96)
    draw.text((cx, b.y + b.height * 3 // 4), area.label, fill=INK, font=font, anchor="mm")


def _tab(draw: ImageDraw.ImageDraw, area: Area) -> None:
    b = area.bounds
    fill = ACCENT if area.current else TAB_OFF
    draw.rectangle((b.x, b.y, b.x + b.width, b.y + b.height), fill=fill)
    font = _fit(draw, area.label, b.width - 80, 100)
    draw.text((b.x + b.width // 2, b.y + b.height // 2), area.label, fill=TILE if area.current else INK, font=font,
              anchor="mm")


@functools.cache
def draw(page: Page) -> bytes:
    """The page's image as PNG, under LINE's 1 MB."""
    image = Image.new("RGB", (WIDTH, page.height), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    for area in page.areas:
        (_tab if area.switch_to else _tile)(canvas, area)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(f"{page.alias}: the image is {len(data)} bytes, over LINE's 1 MB")
    return data
