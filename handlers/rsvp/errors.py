"""The RSVP refusals. Use cases raise them with `Text` and `When` parameters (a workshop's title, a deadline), so
the router, the CLI or a console shows each in its reader's language (`bot.i18n.Text.render`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import DomainError
from bot.i18n import Text, When


class WorkshopNotFound(DomainError):
    text = Text("ไม่พบสัมมนา #{id}", "There is no workshop #{id}.")


class NotInvited(DomainError):
    text = Text("คุณไม่ได้อยู่ในรายชื่อผู้ได้รับเชิญของ \"{title}\"", "You are not on the invitation list of \"{title}\".")


class DeadlinePassed(DomainError):
    text = Text("ปิดรับคำตอบ \"{title}\" แล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง กรุณาติดต่อผู้จัด",
                "Answers for \"{title}\" closed at {when}; nothing changed. Please contact the organisers.")


class Started(DomainError):
    text = Text("\"{title}\" เริ่มไปแล้ว จึงเปลี่ยนคำตอบไม่ได้", "\"{title}\" has already started; answers can no "
                "longer change.")


class UnknownCode(DomainError):
    text = Text("ไม่พบรหัส \"{code}\" กรุณาตรวจสอบอีกครั้ง", "No seat has the code \"{code}\"; please check it.")


class DeskNotOpen(DomainError):
    """Check-in outside the desk's hours; `opens` and `closes` stay readable for the CLI's own wording."""

    text = Text("ยังเช็คอิน \"{title}\" ไม่ได้ จุดลงทะเบียนเปิด {opens} ถึง {closes}",
                "Check-in for \"{title}\" is not open now: the desk is open from {opens} to {closes}.")

    def __init__(self, *, title: Text, opens: datetime, closes: datetime, tz: ZoneInfo) -> None:
        super().__init__(title=title, opens=When(opens, tz), closes=When(closes, tz))
        self.opens, self.closes = opens, closes


class NotSeated(DomainError):
    text = Text("{name} ไม่มีที่นั่งยืนยันใน \"{title}\" (สถานะ: {status})",
                "{name} has no confirmed seat at \"{title}\" (status: {status}).")


class BadSeats(DomainError):
    text = Text("ที่นั่งและที่นั่งต่อจังหวัดต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป ไม่มีการเปลี่ยนแปลง",
                "Seats and seats per province must be whole numbers of at least 1; nothing changed.")

# Workshop creation in chat.

class BadForm(DomainError):
    text = Text("สร้างสัมมนาไม่ได้: {problem} ไม่มีการบันทึกใด ๆ", "Cannot create the workshop: {problem}. Nothing "
                "was stored.")


class UnknownField(DomainError):
    text = Text("ไม่รู้จักหัวข้อ \"{key}\" ใช้ได้: {keys}", "Unknown field \"{key}\"; use: {keys}")


class FormLine(DomainError):
    text = Text("ไม่เข้าใจบรรทัด \"{line}\" (บรรทัดละหนึ่งหัวข้อ แบบ หัวข้อ=ค่า)",
                "Cannot read the line \"{line}\" (one field a line, as key=value).")


class MissingFields(DomainError):
    text = Text("ยังขาด: {names} (พิมพ์ สร้างสัมมนา เพื่อดูตัวอย่าง)", "Missing: {names} (send /newworkshop for an "
                "example).")


class BadFormDate(DomainError):
    text = Text("อ่านวันเวลา {key}=\"{value}\" ไม่ได้ ใช้รูปแบบ 2569-03-19 09:00",
                "Cannot read {key}=\"{value}\"; use 2026-03-19 09:00.")


class BadMapPoint(DomainError):
    text = Text("แผนที่=\"{value}\" ต้องเป็น ละติจูด,ลองจิจูด เช่น 13.8663,100.5718",
                "map=\"{value}\" must be latitude,longitude, e.g. 13.8663,100.5718.")
