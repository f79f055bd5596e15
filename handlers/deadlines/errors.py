"""The deadlines feature's refusals. Their parameters are names (`Text`) and moments, rendered for the reader."""

from __future__ import annotations

from bot.errors import DomainError
from bot.i18n import Text


class WindowNotFound(DomainError):
    text = Text("ไม่พบรอบส่งแผน #{id}", "There is no submission window #{id}.")


class WindowClosed(DomainError):
    text = Text("รอบ \"{title}\" ปิดรับแล้ว จึงแจ้งส่งไม่ได้", "\"{title}\" has closed; it can no longer be marked.")


class NotConcerned(DomainError):
    text = Text("รอบนี้ไม่เกี่ยวกับจังหวัดของคุณ", "This window does not concern your province.")


class NoProvince(DomainError):
    text = Text("บัญชีของคุณยังไม่ผูกกับจังหวัด กรุณาติดต่อผู้ดูแล",
                "Your account is not tied to a province. Please contact an admin.")


class AlreadySubmitted(DomainError):
    text = Text("จังหวัด{province}แจ้งส่ง \"{title}\" ไว้แล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง",
                "{province} already submitted \"{title}\" at {when}; nothing changed.")


class BadDate(DomainError):
    text = Text("อ่านวันเวลา \"{text}\" ไม่ได้ ใช้รูปแบบ 2569-12-15 16:30", "Cannot read \"{text}\"; use 2026-12-15 16:30.")


class DateInPast(DomainError):
    text = Text("วันเวลา {when} ผ่านไปแล้ว กรุณาระบุเวลาในอนาคต", "{when} is in the past; please give a future time.")


class CloseBeforeOpen(DomainError):
    text = Text("รอบ #{id} เปิดรับเมื่อ {opens} จึงปิดก่อนหน้านั้นไม่ได้",
                "Window #{id} opened at {opens}; it cannot close before that.")


class BadYear(DomainError):
    text = Text("ปีงบประมาณ \"{text}\" ไม่ถูกต้อง ใช้ปี พ.ศ. เช่น 2571", "\"{text}\" is not a fiscal year; use e.g. 2571.")
