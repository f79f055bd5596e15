"""The projects feature's refusals. Their parameters are codes, numbers and `Text`s, rendered for the reader."""

from __future__ import annotations

from bot.errors import DomainError, NotAllowed
from bot.i18n import Text
from handlers.projects.texts import NOT_FOUND


class QueryTooLong(DomainError):
    text = Text("คำค้นยาวเกินไป (ไม่เกิน {max} ตัวอักษร)", "That search is too long (at most {max} characters).")


class NothingToSearch(DomainError):
    text = Text("กรุณาพิมพ์รหัสโครงการ ชื่อจังหวัด หรือคำในชื่อโครงการ เช่น /project เกษตร",
                "Please type a project code, a province or words from a title, e.g. /project agriculture")


class KeywordTooShort(DomainError):
    text = Text("คำค้น \"{query}\" สั้นเกินไป (อย่างน้อย {min} ตัวอักษร)",
                "The keyword \"{query}\" is too short (at least {min} characters).")


class KeywordNeedsPlace(DomainError):
    text = Text("คำค้น \"{query}\" สั้นเกินไปสำหรับค้นทั้งประเทศ (อย่างน้อย {min} ตัวอักษร) "
                "หรือระบุจังหวัดด้วย เช่น /project เชียงใหม่ {query}",
                "The keyword \"{query}\" is too short to search the whole country (at least {min} characters); "
                "or name a province, e.g. /project Chiang Mai {query}")


class UnknownCluster(DomainError):
    text = Text("ไม่พบกลุ่มจังหวัด \"{query}\" (พิมพ์หมายเลข 1-18 หรือชื่อกลุ่ม)",
                "No cluster matches \"{query}\" (type its number 1-18 or its name).")


class UnknownStatus(DomainError):
    text = Text("ไม่รู้จักสถานะ \"{word}\" ใช้ได้: {known}", "Unknown status \"{word}\". Use one of: {known}")


class BadProgress(DomainError):
    text = Text("ความก้าวหน้าต้องเป็นตัวเลข 0-100 (ได้รับ \"{value}\") ไม่มีการบันทึก",
                "Progress must be a number from 0 to 100 (got \"{value}\"); nothing was saved.")


class NoteTooLong(DomainError):
    text = Text("หมายเหตุยาวเกิน {max} ตัวอักษร", "The note is longer than {max} characters.")


class ProjectNotFound(DomainError):
    text = NOT_FOUND
    """`hint` names the nearest codes, when there are any."""


class ProjectClosed(DomainError):
    text = Text("โครงการ {code} {status}แล้ว ต้องให้ผู้ดูแลระบบเปลี่ยนสถานะ",
                "Project {code} is {status}; only an admin can change it now.")


class NotYourProject(NotAllowed):
    text = Text("ขออภัย คุณแก้ไขได้เฉพาะโครงการ{scope} (โครงการ {code} เป็นของ{owner})",
                "Sorry, you may update only projects {scope} ({code} belongs to {owner}).")


class StaleDraft(DomainError):
    text = Text("การยืนยันนี้ใช้ไม่ได้แล้ว (ยืนยันไปแล้ว ยกเลิก หรือโครงการถูกแก้ไขในระหว่างนี้) กรุณาสั่งอัปเดตใหม่",
                "This confirmation no longer applies (already used, cancelled, or the project changed "
                "meanwhile). Please send the update again.")
