"""Domain errors: handlers raise them, the router turns them into a reply in the user's language."""

from __future__ import annotations

from typing import ClassVar

from bot.i18n import Text


class DomainError(Exception):
    """An expected refusal. `text` is what the user reads; `params` fill it in (a `Text` or a `When` among them
    is shown in the reader's language)."""

    text: ClassVar[Text] = Text("ขออภัย ทำรายการนี้ไม่ได้", "Sorry, that cannot be done.")

    def __init__(self, **params: object) -> None:
        super().__init__(self.text.render("en", **params))
        self.params = params


class NotAllowed(DomainError):
    """A refusal the router audits; `refusal` words it for one command variant instead of `text`."""

    text = Text("ขออภัย คำสั่งนี้สำหรับ {roles} เท่านั้น", "Sorry, this command is only for {roles}.")

    def __init__(self, command: str, refusal: Text | None = None, **params: object) -> None:
        super().__init__(**params)
        self.command = command
        self.refusal = refusal


class BadButton(DomainError):
    text = Text("ปุ่มนี้หมดอายุหรือไม่ถูกต้องแล้ว กรุณาเริ่มใหม่จากเมนู",
                "This button is out of date or invalid. Please start again from the menu.")


class UnknownProvince(DomainError):
    text = Text("ไม่พบจังหวัด \"{query}\"{hint}", "No province matches \"{query}\".{hint}")


class UsageError(DomainError):
    text = Text("วิธีใช้: {usage}", "Usage: {usage}")


APOLOGY = Text("ขออภัย ระบบขัดข้องชั่วคราว ทีมงานได้รับแจ้งแล้ว กรุณาลองอีกครั้ง",
               "Sorry, something went wrong on our side. The team has been told; please try again.")

SLOW_DOWN = Text("ข้อความเข้ามาเร็วเกินไป กรุณารอสักครู่แล้วส่งใหม่อีกครั้ง ข้อความที่ส่งมาในระหว่างนี้จะยังไม่ได้รับการตอบ",
                 "You are sending messages too fast. Please wait a minute and send again; "
                 "messages sent meanwhile are not answered.")
