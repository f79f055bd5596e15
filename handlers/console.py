"""The way into the admin console from chat.

Commands (admins, one-to-one chats only): /console (คอนโซล) answers with a one-time sign-in link for the browser.
The chat account is already verified by the platform, so the link needs no password; it is sent only to the
admin's own chat, works once, and lapses after `COORDBOT_CONSOLE_LINK_S`.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context
from bot.i18n import Text
from bot.messages import Button, Incoming, Reply
from bot.router import Router
from storage.console import create_link
from storage.models import Role
from storage.people import audit

router = Router("console")

CONSOLE_CMD = Text("ลิงก์เข้าสู่คอนโซลผู้ดูแลบนเว็บ (ผู้ดูแล)", "a sign-in link to the web console (admins)")
LINK_SENT = Text("ลิงก์เข้าสู่คอนโซลผู้ดูแล ใช้ได้ครั้งเดียวภายใน {minutes} นาที อย่าส่งต่อให้ผู้อื่น",
                 "Your console sign-in link: it works once, within {minutes:minute|minutes}. Do not forward it.")
OPEN = Text("เปิดคอนโซล", "Open the console")


def signin_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/console/signin/{token}"


@router.command("console", "คอนโซล", roles={Role.admin}, summary=CONSOLE_CMD,
                example=Text("คอนโซล", "/console"), aliases=("แอดมิน", "หน้าเว็บ"), private=True)
def console(msg: Incoming, ctx: Context) -> list[Reply]:
    assert ctx.person.id is not None
    valid = timedelta(seconds=ctx.settings.console_link_s)
    token = create_link(session=ctx.session, person_id=ctx.person.id, now=ctx.now, valid_for=valid)
    audit(session=ctx.session, person_id=ctx.person.id, action="console_link_sent", platform=ctx.account.platform)
    minutes = max(1, round(valid.total_seconds() / 60))
    return [Reply(text=ctx.t(LINK_SENT, minutes=minutes),
                  buttons=[Button(label=ctx.t(OPEN), url=signin_url(ctx.settings.public_url, token))])]
