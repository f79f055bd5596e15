"""Every text of the projects feature, in Thai and English."""

from __future__ import annotations

from bot.i18n import Text

LOOKUP = Text("ค้นหาโครงการ (รหัส จังหวัด กลุ่มจังหวัด หรือคำในชื่อ)", "find projects (code, province, cluster, keyword)")
SUMMARY = Text("สรุปสถานะโครงการ", "project status summary")
UPDATE = Text("อัปเดตสถานะ/ความก้าวหน้าโครงการ", "update a project's status or progress")
WATCH = Text("ติดตามโครงการหรือจังหวัด", "watch a project or a province")
FOUND = Text("โครงการ{where}{filters}: แสดง {shown} รายการ{more}", "Projects{where}{filters}: showing {shown}{more}")
MORE_HINT = Text(" (มีเพิ่มเติม)", " (more available)")
NONE_FOUND = Text("ไม่พบโครงการ{where}{filters}", "No projects{where}{filters}.")
NOT_FOUND = Text("ไม่พบโครงการรหัส {code}{hint}", "No project has the code {code}.{hint}")
NEAREST = Text(" รหัสที่ใกล้เคียง: {codes}", " Nearest codes: {codes}")
MORE = Text("ดูเพิ่มเติม", "More")
UPDATE_USAGE = Text("/update รหัส [สถานะ ...] [ความก้าวหน้า 0-100] [หมายเหตุ ...] "
                    "เช่น /update CMI-2569-0012 สถานะ กำลังดำเนินการ ความก้าวหน้า 45 หมายเหตุ ติดตั้งแล้ว",
                    "/update CODE [status ...] [progress 0-100] [note ...], "
                    "e.g. /update CMI-2569-0012 status in_progress progress 45 note sensors installed")
WATCH_USAGE = Text("/watch รหัสโครงการ หรือ ชื่อจังหวัด", "/watch PROJECT-CODE or a province")
CONFIRM_UPDATE = Text("ยืนยันการแก้ไขโครงการ {code}?\n{changes}", "Confirm the change to {code}?\n{changes}")
CONFIRM = Text("ยืนยัน", "Confirm")
CANCEL = Text("ยกเลิก", "Cancel")
UPDATED = Text("บันทึกแล้ว: {code}\n{changes}", "Saved: {code}\n{changes}")
UPDATE_CANCELLED = Text("ยกเลิกการแก้ไขแล้ว ไม่มีการเปลี่ยนแปลง", "Cancelled; nothing changed.")
CHANGED_FOR_WATCHER = Text("โครงการที่คุณติดตามมีการเปลี่ยนแปลง (โดย {who})\n{changes}",
                           "A project you watch has changed (by {who})\n{changes}")
WATCHING = Text("ติดตาม{what}แล้ว จะแจ้งเมื่อมีการเปลี่ยนแปลง", "Watching {what}; you will hear of changes.")
ALREADY_WATCHING = Text("คุณติดตาม{what}อยู่แล้ว", "You already watch {what}.")
UNWATCHED = Text("เลิกติดตาม{what}แล้ว", "Stopped watching {what}.")
NOT_WATCHING = Text("คุณไม่ได้ติดตาม{what}", "You do not watch {what}.")
HISTORY_TITLE = Text("ประวัติการแก้ไข {code}", "History of {code}")
NO_HISTORY = Text("ยังไม่มีการแก้ไข", "No changes yet.")
SUMMARY_TITLE = Text("สรุปโครงการ{where}{year}", "Project summary{where}{year}")
SUMMARY_TOTALS = Text("ทั้งหมด {total} โครงการ · งบประมาณรวม {budget} บาท · ความก้าวหน้าเฉลี่ย {progress}%",
                      "{total:project|projects} · total budget {budget} THB · average progress {progress}%")
NATIONAL = Text(" ทั้งประเทศ", " nationwide")
LIST = Text("ดูรายการ", "List")
DETAILS = Text("รายละเอียด", "Details")
UPDATE_BUTTON = Text("อัปเดต", "Update")
WATCH_BUTTON = Text("ติดตาม", "Watch")
HISTORY_BUTTON = Text("ประวัติ", "History")


NATIONAL_ONLY = Text("ขออภัย ภาพรวมทั้งประเทศสำหรับ{roles}เท่านั้น", "Sorry, the national picture is only for {roles}.")
