"""The broadcast feature's refusals."""

from __future__ import annotations

from bot.errors import DomainError
from bot.i18n import Text


class BroadcastNotFound(DomainError):
    text = Text("ไม่พบประกาศ #{id}", "There is no announcement #{id}.")


class NotADraft(DomainError):
    text = Text("ประกาศ #{id} {status} จึงทำรายการนี้ไม่ได้", "Announcement #{id} is {status}; that cannot be done.")


class BadWhen(DomainError):
    text = Text("เวลา \"{text}\" ใช้ไม่ได้: ใช้รูปแบบ 2569-03-05 09:00 และต้องเป็นเวลาในอนาคต",
                "\"{text}\" will not do: use 2026-03-05 09:00, in the future.")


class BadUrl(DomainError):
    text = Text("ลิงก์ \"{url}\" ต้องขึ้นต้นด้วย https://", "\"{url}\" must start with https://.")


class NotARecipient(DomainError):
    text = Text("ประกาศนี้ไม่ได้ส่งถึงคุณ", "This announcement was not sent to you.")
