"""Every text of the broadcast feature, in Thai and English."""

from __future__ import annotations

from bot.i18n import Text
from storage.broadcast import BroadcastStatus

SUMMARY = Text("ส่งประกาศถึงกลุ่มเป้าหมาย (ผู้ดูแล)", "send an announcement to a segment (admins)")
USAGE = Text(
    "/ประกาศ จังหวัด=เชียงใหม่ บทบาท=ผู้ประสานงาน เวลา=2569-03-05 09:00 รับทราบ | ข้อความ\n"
    "ตัวเลือก: บทบาท= จังหวัด= กลุ่ม= ภาค= แพลตฟอร์ม= สัมมนา=ID ตอบรับ|ยังไม่ตอบ รอบ=ID ยังไม่ส่ง "
    "เวลา= รูป= ลิงก์= รับทราบ เวลาเงียบ\n"
    "/ประกาศ สถานะ ID | /ประกาศ ยกเลิก ID | /ประกาศ ผู้รับทราบ ID",
    "/broadcast province=Chiang Mai role=coordinator at=2026-03-05 09:00 ack | TEXT\n"
    "options: role= province= cluster= region= platform= workshop=ID attending|silent window=ID unsubmitted "
    "at= image= link= ack quiet\n"
    "/broadcast status ID | /broadcast cancel ID | /broadcast acks ID",
)
PREVIEW = Text("ตัวอย่างประกาศ #{id} (ยังไม่ได้ส่ง)", "Preview of announcement #{id} (not sent yet)")
TO = Text("ถึง: {segment}", "To: {segment}")
COUNTS = Text("ผู้รับ: LINE {line} · Telegram {telegram} · ติดต่อไม่ได้ {unreachable}",
              "Recipients: LINE {line} · Telegram {telegram} · unreachable {unreachable}")
CONSUMES = Text("ใช้โควตา LINE {n} ข้อความ (เหลือ {left})", "Uses {n} LINE messages (quota left: {left})")
UNLIMITED = Text("ไม่จำกัด", "unlimited")
QUOTA_UNKNOWN = Text("ตรวจสอบไม่ได้", "could not be checked")
OVER_QUOTA = Text("⚠️ เกินโควตา LINE ที่เหลือ กรุณาเลือก: ส่งเฉพาะ Telegram, ส่ง LINE บางส่วน ({left} คน) หรือยกเลิก",
                  "⚠️ Over LINE's remaining quota. Choose: Telegram only, LINE partially ({left:person|people}), "
                  "or cancel.")
WHEN_NOW = Text("ส่ง: ทันทีเมื่อยืนยัน", "Sends: as soon as you confirm")
WHEN_AT = Text("ส่ง: {when}", "Sends: {when}")
QUIET = Text("เลื่อนออกจากช่วงเวลาเงียบ", "moved out of quiet hours")
ASKS_ACK = Text("ขอให้กด \"รับทราบ\"", "Asks recipients to acknowledge")
CONFIRM = Text("ยืนยันส่ง", "Confirm and send")
CONFIRM_AT = Text("ยืนยันตั้งเวลา", "Confirm schedule")
TG_ONLY = Text("ส่งเฉพาะ Telegram", "Telegram only")
PARTIAL = Text("ส่งบางส่วน", "Send partially")
CANCEL = Text("ยกเลิก", "Cancel")
STATUS_BUTTON = Text("สถานะการส่ง", "Delivery status")
ACKS_BUTTON = Text("ใครรับทราบแล้ว", "Who acknowledged")
LINK = Text("เปิดลิงก์", "Open link")
ACK_LABEL = "รับทราบ"
SENDING = Text("กำลังส่งประกาศ #{id} ถึง {n} คน", "Sending announcement #{id} to {n:person|people}.")
SCHEDULED = Text("ตั้งเวลาส่งประกาศ #{id} แล้ว: {when} (ยกเลิกได้จนถึงเวลาส่ง)",
                 "Announcement #{id} is scheduled for {when} (cancellable until then).")
CANCELLED = Text("ยกเลิกประกาศ #{id} แล้ว ไม่มีการส่ง", "Announcement #{id} is cancelled; nothing was sent.")
STATE_NAMES = {
    "queued": Text("รอส่ง", "queued"), "sent": Text("ส่งแล้ว", "sent"), "failed": Text("ไม่สำเร็จ", "failed"),
    "unreachable": Text("ติดต่อไม่ได้", "unreachable"), "unknown": Text("ไม่ทราบผล", "unknown"),
    "skipped": Text("ข้าม (โควตา)", "skipped (quota)"),
}
STATUS_NAMES = {
    BroadcastStatus.draft: Text("รอยืนยัน", "awaiting confirmation"),
    BroadcastStatus.scheduled: Text("ตั้งเวลาไว้", "scheduled"),
    BroadcastStatus.sending: Text("กำลังส่ง", "sending"), BroadcastStatus.done: Text("ส่งเสร็จแล้ว", "finished"),
    BroadcastStatus.cancelled: Text("ยกเลิกแล้ว", "cancelled"),
}
REPORT_TITLE = Text("ประกาศ #{id}: {status}", "Announcement #{id}: {status}")
ACKED = Text("รับทราบแล้ว {n}/{total}: {names}", "Acknowledged {n}/{total}: {names}")
NOT_ACKED = Text("ยังไม่รับทราบ {n}: {names}", "Not yet {n}: {names}")
NOBODY = Text("-", "-")
THANKS = Text("บันทึกว่ารับทราบแล้ว ขอบคุณค่ะ", "Acknowledged, thank you.")
TYPED_ACK = Text("บันทึกว่ารับทราบประกาศ #{id} แล้ว ขอบคุณค่ะ: \"{text}\"",
                 "Acknowledged announcement #{id}, thank you: \"{text}\"")
NOTHING_TO_ACK = Text("ขอบคุณค่ะ 🙏 ตอนนี้ไม่มีประกาศที่รอให้รับทราบ",
                      "Thank you 🙏 No announcement is waiting for you to acknowledge.")
ACK_WHICH = Text("รับทราบประกาศ #{id} \"{text}\" ใช่ไหม? กดปุ่มเพื่อยืนยัน",
                 "Acknowledge announcement #{id} \"{text}\"? Press the button to confirm.")
ACK_CMD = Text("รับทราบประกาศล่าสุดที่ขอให้รับทราบ", "acknowledge the latest announcement that asks for it")
ALREADY_ACKED = Text("บันทึกไว้แล้วว่าคุณรับทราบ", "You had already acknowledged it.")
DONE_SUMMARY = Text("✅ ส่งประกาศ #{id} เสร็จแล้ว", "✅ Announcement #{id} has finished sending.")
LINE_STOPPED = Text("⚠️ ประกาศ #{id}: LINE แจ้งว่าโควตาข้อความประจำเดือนหมดแล้ว หยุดส่งทาง LINE (Telegram ส่งต่อ)",
                    "⚠️ Announcement #{id}: LINE's monthly message limit is reached; LINE sending stopped "
                    "(Telegram continues).")
RECENT = Text("ประกาศล่าสุด:", "Recent announcements:")
NONE_YET = Text("ยังไม่มีประกาศ", "No announcements yet.")
MAX_NAMES = 40
