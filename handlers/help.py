"""Help, menu and language.

Commands: /help (ช่วยเหลือ, เมนู, menu), /lang th|en (ภาษา). Text nobody understood gets "did you mean …?" with up
to three buttons, and an emoji alone a short friendly answer, instead of the whole menu.
"""

from __future__ import annotations

from functools import lru_cache

from bot.context import Catalogue, Context, Entry
from bot.i18n import Text
from bot.messages import Button, Incoming, Reply
from bot.payloads import Cmd, Tab
from bot.router import Router
from bot.understand import normalize, only_symbols, strip_particles
from storage.models import Role
from storage.people import menu_due

router = Router("help")

MENU_TITLE = Text("เมนูคำสั่งของ coordbot (พิมพ์คำสั่งหรือกดปุ่ม):", "coordbot commands (type one or tap a button):")
NOT_UNDERSTOOD = Text("ขออภัย ไม่เข้าใจ \"{text}\"", "Sorry, I did not understand \"{text}\".")
DID_YOU_MEAN = Text("หมายถึงคำสั่งเหล่านี้ไหม?", "Did you mean one of these?")
HELP_HINT = Text("พิมพ์ \"ช่วยเหลือ\" เพื่อดูคำสั่งทั้งหมด", "Type /help for every command.")
FRIENDLY = Text("😊 ขอบคุณค่ะ พิมพ์ \"ช่วยเหลือ\" หากต้องการดูคำสั่ง", "😊 Thank you! Type /help to see what I can do.")
LANG_SET = Text("เปลี่ยนภาษาเป็นภาษาไทยแล้ว", "Language set to English.")
LANG_USAGE = Text("พิมพ์ /lang th หรือ /lang en", "Type /lang th or /lang en")
HELP = Text("ความช่วยเหลือและเมนู", "help and menu")
LANG = Text("เปลี่ยนภาษา (th/en)", "change language (th/en)")
EXAMPLE = Text("เช่น", "e.g.")
GROUPS = {
    "registration": Text("บัญชีและการลงทะเบียน", "Account"),
    "rsvp": Text("สัมมนา", "Workshops"),
    "projects": Text("โครงการ", "Projects"),
    "deadlines": Text("กำหนดส่งแผน", "Plan deadlines"),
    "broadcast": Text("ประกาศ", "Announcements"),
    "people": Text("ผู้ใช้และบันทึก (ผู้ดูแล)", "People and audit (admins)"),
    "console": Text("คอนโซลบนเว็บ (ผู้ดูแล)", "Web console (admins)"),
    "help": Text("ทั่วไป", "General"),
}

MAX_MENU_BUTTONS = 8
MAX_SUGGESTIONS = 3


def menu(ctx: Context, intro: str = "") -> Reply:
    """The commands this person may use, grouped by feature, one line and one example each, with buttons."""
    text, buttons = _menu(ctx.catalogue, ctx.person.role, ctx.lang)
    return Reply(text=f"{intro}\n{text}" if intro else text, buttons=list(buttons))


@lru_cache(maxsize=64)
def _menu(catalogue: Catalogue, role: Role, lang: str) -> tuple[str, tuple[Button, ...]]:
    """The menu of one role in one language, made once: the most sent answer of all (help, welcome, a language
    changed), and the same for everyone with that role and language."""
    lines = [MENU_TITLE.render(lang)]
    commands: list[Entry] = []
    for name, group in catalogue.visible_groups(role):
        lines.append(f"\n{GROUPS[name].render(lang) if name in GROUPS else name}")
        for cmd in group:
            thai = next((w for w in cmd.words if not w.isascii()), None)
            shown = f"/{cmd.words[0]}" + (f" ({thai})" if thai and lang == "th" else "")
            example = f" ({EXAMPLE.render(lang)} {cmd.example.render(lang)})" if cmd.example else ""
            lines.append(f"• {shown} — {(cmd.summary or HELP).render(lang)}{example}")
        commands += group
    buttons = [Button(label=cmd.label.render(lang), payload=Cmd(cmd.words[0]).pack()) for cmd in commands if cmd.label]
    return "\n".join(lines), tuple(buttons[:MAX_MENU_BUTTONS])


@router.command("help", "ช่วยเหลือ", "เมนู", "menu", summary=HELP, example=Text("ช่วยเหลือ", "/help"),
                aliases=("วิธีใช้", "คำสั่ง", "เมนูหลัก", "hlep", "ช่วยเหลอ"))
def show_help(msg: Incoming, ctx: Context) -> list[Reply]:
    return [menu(ctx)]


@router.command("lang", "ภาษา", "language", summary=LANG, label=Text("ภาษา / Language", "ภาษา / Language"),
                example=Text("ภาษา en", "/lang th"), aliases=("เปลี่ยนภาษา",),
                shortcuts={"english": "en", "ภาษาอังกฤษ": "en", "ภาษาไทย": "th"})
def set_language(msg: Incoming, ctx: Context) -> list[Reply]:
    choice = msg.args.lower()
    if choice in ("th", "ไทย", "thai"):
        ctx.person.lang = "th"
    elif choice in ("en", "english", "อังกฤษ"):
        ctx.person.lang = "en"
    else:
        return [Reply(text=ctx.t(LANG_USAGE), buttons=[Button(label="ไทย", payload=Cmd("lang", "th").pack()),
                                                       Button(label="English", payload=Cmd("lang", "en").pack())])]
    menu_due(session=ctx.session, person_id=ctx.person.id)
    return [Reply(text=ctx.t(LANG_SET))]


@router.button(Tab)
def switched_tab(msg: Incoming, ctx: Context, data: Tab) -> list[Reply]:
    """LINE switched the rich menu tab itself; nothing to answer."""
    return []


def not_understood(msg: Incoming, ctx: Context) -> list[Reply]:
    """The fallback for text no router claims: the nearest commands as buttons, or a pointer to /help."""
    if only_symbols(msg.text) or not strip_particles(normalize(msg.text)):
        return [Reply(text=ctx.t(FRIENDLY))]
    shown = msg.text.strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    near = ctx.catalogue.suggest(msg.text, ctx.person.role, limit=MAX_SUGGESTIONS)
    buttons = [Button(label=_name(cmd, ctx.lang), payload=Cmd(cmd.words[0]).pack()) for cmd in near]
    hint = ctx.t(DID_YOU_MEAN) if buttons else ctx.t(HELP_HINT)
    return [Reply(text=ctx.t(NOT_UNDERSTOOD, text=shown) + "\n" + hint, buttons=buttons)]


def _name(cmd: Entry, lang: str) -> str:
    """How a suggestion button names its command: the Thai word for Thai readers, else `/word`."""
    thai = next((w for w in cmd.words if not w.isascii()), None)
    return thai if thai and lang == "th" else f"/{cmd.words[0]}"
