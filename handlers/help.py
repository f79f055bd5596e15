"""Help, menu and language.

Commands: /help (ช่วยเหลือ, เมนู, menu), /lang th|en (ภาษา); anything not understood gets the menu.
"""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Text
from bot.messages import Button, Incoming, Reply
from bot.payloads import Cmd, Tab
from bot.router import Router
from storage.people import menu_due

router = Router("help")

MENU_TITLE = Text("เมนูคำสั่งของ coordbot (พิมพ์คำสั่งหรือกดปุ่ม):", "coordbot commands (type one or tap a button):")
NOT_UNDERSTOOD = Text("ขออภัย ไม่เข้าใจ \"{text}\"", "Sorry, I did not understand \"{text}\".")
LANG_SET = Text("เปลี่ยนภาษาเป็นภาษาไทยแล้ว", "Language set to English.")
LANG_USAGE = Text("พิมพ์ /lang th หรือ /lang en", "Type /lang th or /lang en")
HELP = Text("ความช่วยเหลือและเมนู", "help and menu")
LANG = Text("เปลี่ยนภาษา (th/en)", "change language (th/en)")

MAX_MENU_BUTTONS = 8


def menu(ctx: Context, intro: str = "") -> Reply:
    """The commands this person may use, one line each, with buttons for the first few."""
    commands = ctx.routes.visible_commands(ctx.person.role)
    lines = [intro, ctx.t(MENU_TITLE)] if intro else [ctx.t(MENU_TITLE)]
    for cmd in commands:
        thai = next((w for w in cmd.words if not w.isascii()), None)
        shown = f"/{cmd.words[0]}" + (f" ({thai})" if thai and ctx.lang == "th" else "")
        lines.append(f"• {shown} — {ctx.t(cmd.summary or HELP)}")
    buttons = [Button(label=ctx.t(cmd.label), payload=Cmd(cmd.words[0]).pack()) for cmd in commands if cmd.label]
    return Reply(text="\n".join(lines), buttons=buttons[:MAX_MENU_BUTTONS])


@router.command("help", "ช่วยเหลือ", "เมนู", "menu", summary=HELP)
def show_help(msg: Incoming, ctx: Context) -> list[Reply]:
    return [menu(ctx)]


@router.command("lang", "ภาษา", "language", summary=LANG, label=Text("ภาษา / Language", "ภาษา / Language"))
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
    """The fallback for text no router claims: say so, then show what is possible."""
    shown = msg.text.strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return [menu(ctx, intro=ctx.t(NOT_UNDERSTOOD, text=shown))]
