"""Every text of the deadlines feature, in Thai and English."""

from __future__ import annotations

from bot.i18n import Text

DEADLINES = Text("กำหนดส่งแผนที่เปิดอยู่", "open plan-submission deadlines")
SUBMITTED_CMD = Text("แจ้งว่าจังหวัดส่งแผนแล้ว", "tell us your province has submitted")
WINDOW_CMD = Text("จัดการรอบส่งแผน (ผู้ดูแล)", "manage submission windows (admins)")
PRESS_HINT = Text("กดปุ่มด้านล่างเมื่อจังหวัดส่งแผนแล้ว หรือเพื่อดูสถานะ",
                  "Press a button below when your province has submitted, or to see a status.")
NONE_OPEN = Text("ขณะนี้ไม่มีรอบส่งแผนที่เปิดอยู่", "No submission window is open now.")
NONE_FOR_PROVINCE = Text("ขณะนี้ไม่มีรอบส่งแผนที่เปิดอยู่ซึ่งเกี่ยวกับ{province}",
                         "No submission window open now concerns {province}.")
CLOSES = Text("ปิดรับ {when} ({left})", "Closes {when} ({left})")
LEFT_DAYS = Text("อีก {d} วัน {h} ชั่วโมง", "{d:day|days} {h:hour|hours} left")
LEFT_HOURS = Text("อีก {h} ชั่วโมง {m} นาที", "{h:hour|hours} {m:minute|minutes} left")
STATUS_DONE = Text("จังหวัด{province}: ส่งแล้ว {when} ✅", "{province}: submitted {when} ✅")
STATUS_MISSING = Text("จังหวัด{province}: ยังไม่ส่ง ⏳", "{province}: not yet submitted ⏳")
COUNT = Text("ส่งแล้ว {done}/{total} จังหวัด", "{done}/{total:province|provinces} submitted")
SUBMIT_BUTTON = Text("ส่งแล้ว: {title}", "Submitted: {title}")
STATUS_BUTTON = Text("สถานะ #{id}", "Status #{id}")
CONFIRM = Text("ยืนยันว่าจังหวัด{province}ส่ง \"{title}\" แล้ว? การแจ้งเตือนของรอบนี้จะหยุด",
               "Confirm that {province} has submitted \"{title}\"? Reminders for it will stop.")
CONFIRM_YES = Text("ยืนยัน ส่งแล้ว", "Yes, submitted")
CONFIRM_NO = Text("ยกเลิก", "Cancel")
RECORDED = Text("บันทึกแล้ว: จังหวัด{province}ส่ง \"{title}\" เมื่อ {when} ขอบคุณค่ะ",
                "Recorded: {province} submitted \"{title}\" at {when}. Thank you.")
ADMIN_TOLD = Text("📥 จังหวัด{province}ส่ง \"{title}\" แล้ว ({done}/{total})",
                  "📥 {province} submitted \"{title}\" ({done}/{total}).")
CHOOSE = Text("เลือกรอบที่จังหวัดของคุณส่งแล้ว:", "Choose the window your province has submitted to:")
NOTHING_TO_SUBMIT = Text("ไม่มีรอบส่งแผนที่เปิดอยู่ซึ่งจังหวัดของคุณยังไม่ได้ส่ง",
                         "There is no open window your province still has to submit to.")
NUDGE = Text("⏰ เตือนกำหนดส่ง: {title}\nปิดรับ {when} ({left})\nจังหวัด{province}ยังไม่ได้แจ้งส่ง{link}",
             "⏰ Deadline reminder: {title}\nCloses {when} ({left})\n{province} has not submitted yet.{link}")
SNOOZE_BUTTON = Text("เตือนอีกครั้งพรุ่งนี้", "Remind me tomorrow")
SNOOZED = Text("จะเตือนอีกครั้ง {when}", "I will remind you again at {when}.")
TOO_LATE_TO_SNOOZE = Text("รอบนี้ใกล้ปิดแล้ว จึงเลื่อนการเตือนไม่ได้", "This window closes too soon to snooze.")
CLOSED_REPORT = Text("🔒 ปิดรับ \"{title}\" แล้ว ส่ง {done}/{total} จังหวัด\nยังไม่ส่ง: {missing}",
                     "🔒 \"{title}\" has closed: {done}/{total:province|provinces} submitted.\nMissed: {missing}")
ALL_DONE = Text("ครบทุกจังหวัด", "none")
WINDOW_LINE = Text("#{id} {title} ปิด {when} — ส่งแล้ว {done}/{total}", "#{id} {title}, closes {when}: {done}/{total}")
NO_WINDOWS = Text("ยังไม่มีรอบส่งแผน", "There are no submission windows yet.")
WINDOW_USAGE = Text("/window | /window status ID | /window add 2569-12-15 16:30 ชื่อรอบ | "
                    "/window move ID 2569-12-20 16:30 | /window delete ID\n"
                    "เลือกจังหวัดหรือกลุ่มจังหวัด: /window add 2569-12-15 16:30 ชื่อรอบ | จังหวัด=เชียงใหม่,ขอนแก่น | "
                    "กลุ่ม=1 | ปี=2571",
                    "/window | /window status ID | /window add 2026-12-15 16:30 TITLE | "
                    "/window move ID 2026-12-20 16:30 | /window delete ID\n"
                    "To target provinces or clusters: /window add 2026-12-15 16:30 TITLE | "
                    "provinces=Chiang Mai,Khon Kaen | cluster=1 | year=2571")
CREATED = Text("สร้างรอบ #{id} \"{title}\" ปีงบประมาณ {year} ปิด {when} สำหรับ {scope} ({count} จังหวัด) "
               "แจ้งเตือน {nudges} ก่อนปิด",
               "Window #{id} \"{title}\" created for fiscal year {year}, closing {when}, for {scope} "
               "({count:province|provinces}); reminders {nudges} before.")
EVERY_PROVINCE = Text("ทุกจังหวัด", "every province")
ASK_DELETE = Text("ลบรอบ #{id} \"{title}\"? การเตือนที่ยังไม่ได้ส่ง {nudges} ครั้งจะหยุด และการส่งที่บันทึกไว้ "
                  "{done} จังหวัดจะถูกลบ",
                  "Delete window #{id} \"{title}\"? Reminders still to come will stop ({nudges}), and the "
                  "submissions recorded will be deleted ({done}).")
DELETE_YES = Text("ยืนยัน ลบรอบ", "Yes, delete it")
SUBMIT_FOR_USAGE = Text("/window submit ID จังหวัด | เหตุผล (เช่น ได้รับทางอีเมล 3 ธ.ค.)",
                        "/window submit ID PROVINCE | REASON (e.g. received by e-mail on 3 Dec)")
RECORDED_FOR = Text("บันทึกแล้ว: จังหวัด{province}ส่ง \"{title}\" ({reason}) การเตือนจังหวัดนี้หยุดแล้ว",
                    "Recorded: {province} submitted \"{title}\" ({reason}); its reminders stop.")
MOVED = Text("เลื่อนปิดรอบ #{id} เป็น {when} และวางแผนการเตือนใหม่แล้ว",
             "Window #{id} now closes {when}; reminders re-planned.")
DELETED = Text("ลบรอบ #{id} และการเตือนทั้งหมดแล้ว", "Window #{id} and its reminders are deleted.")
STATUS_VIEW = Text("#{id} {title}\nปิด {when}\nส่งแล้ว ({done}): {submitted}\nยังไม่ส่ง ({left}): {missing}",
                   "#{id} {title}\nCloses {when}\nSubmitted ({done}): {submitted}\nMissing ({left}): {missing}")
