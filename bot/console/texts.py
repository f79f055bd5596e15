"""Every text the console shows, Thai first, English beside it (the same placeholders in both)."""

from __future__ import annotations

from bot.i18n import Text

CONSOLE = Text("คอนโซลผู้ดูแล coordbot", "coordbot admin console")
LANG_SWITCH = Text("English", "ภาษาไทย")
NAV_DASHBOARD = Text("ภาพรวม", "Dashboard")
NAV_WINDOWS = Text("รอบส่งแผน", "Windows")
NAV_PROJECTS = Text("โครงการ", "Projects")
NAV_WORKSHOPS = Text("สัมมนา", "Workshops")
NAV_ANNOUNCEMENTS = Text("ประกาศ", "Announcements")
NAV_PEOPLE = Text("บุคลากร", "People")
NAV_AUDIT = Text("บันทึก", "Audit log")
SIGN_OUT = Text("ออกจากระบบ", "Sign out")
SIGNED_IN_AS = Text("เข้าสู่ระบบเป็น {name}", "Signed in as {name}")

# Sign-in
SIGN_IN = Text("เข้าสู่ระบบ", "Sign in")
SIGN_IN_BY_CHAT = Text("พิมพ์ /console (คอนโซล) ในแชตส่วนตัวกับ coordbot แล้วเปิดลิงก์ที่ได้รับ (ใช้ได้ครั้งเดียว)",
                       "Type /console in your one-to-one chat with coordbot and open the link it sends "
                       "(it works once).")
SIGN_IN_BY_PASSWORD = Text("หรือใช้รหัสผ่านที่ตั้งด้วย coordbot console set-password",
                           "Or use the password set with coordbot console set-password.")
LOGIN = Text("หมายเลขบุคลากร (#)", "Person number (#)")
PASSWORD = Text("รหัสผ่าน", "Password")
WRONG_PASSWORD = Text("หมายเลขหรือรหัสผ่านไม่ถูกต้อง", "Wrong number or password.")
LINK_CONFIRM = Text("เข้าสู่คอนโซลในชื่อ {name}?", "Sign in to the console as {name}?")
LINK_UNUSABLE = Text("ลิงก์นี้ใช้ไม่ได้ อาจหมดอายุหรือถูกใช้ไปแล้ว พิมพ์ /console ในแชตเพื่อขอลิงก์ใหม่",
                     "This link cannot be used: it may have expired or been used already. Type /console in the chat "
                     "for a new one.")
LOCKED_OUT = Text("ลองผิดหลายครั้งเกินไป กรุณาลองใหม่หลัง {until}",
                  "Too many failed attempts. Please try again after {until}.")
FORBIDDEN = Text("คอนโซลนี้สำหรับผู้ดูแลระบบเท่านั้น", "This console is for admins only.")
BAD_FORM = Text("แบบฟอร์มหมดอายุหรือไม่ได้ส่งจากหน้านี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                "The form has expired or did not come from this page. Reload the page and try again.")
NOT_FOUND = Text("ไม่พบหน้านี้", "Not found.")
SAVED = Text("บันทึกแล้ว", "Saved.")

# Dashboard
OPEN_WINDOWS = Text("รอบส่งแผนที่เปิดอยู่", "Open submission windows")
NO_OPEN_WINDOWS = Text("ไม่มีรอบส่งแผนที่เปิดอยู่", "No submission window is open.")
CLOSES = Text("ปิดรับ {when} ({left})", "Closes {when} ({left})")
SUBMITTED_COUNT = Text("ส่งแล้ว {done}/{total} จังหวัด", "{done}/{total} provinces submitted")
LEGEND_DONE = Text("ส่งแล้ว", "submitted")
LEGEND_DUE = Text("ยังไม่ส่ง", "not yet")
LEGEND_SOON = Text("ยังไม่ส่ง เหลือไม่ถึง 3 วัน", "not yet, under three days left")
LEGEND_URGENT = Text("ยังไม่ส่ง เหลือไม่ถึง 1 วัน", "not yet, under a day left")
LEGEND_NA = Text("ไม่เกี่ยวข้อง", "not concerned")
UPCOMING_WORKSHOPS = Text("สัมมนาที่กำลังจะมาถึง", "Upcoming workshops")
NO_WORKSHOPS = Text("ไม่มีสัมมนาที่กำลังจะมาถึง", "No upcoming workshop.")
ANSWERS = Text("เข้าร่วม {yes} · ไม่เข้าร่วม {no} · ไม่แน่ใจ {maybe} · ยังไม่ตอบ {invited} · สำรอง {waitlist}",
               "attending {yes} · declined {no} · maybe {maybe} · no answer {invited} · waitlist {waitlist}")
RECENT_BROADCASTS = Text("ประกาศล่าสุด", "Recent announcements")
NO_BROADCASTS = Text("ยังไม่มีประกาศ", "No announcement yet.")
DELIVERED = Text("ส่งถึง {pct}% ({sent}/{total})", "delivered {pct}% ({sent}/{total})")
ACKED = Text("รับทราบ {pct}% ({acked}/{total})", "acknowledged {pct}% ({acked}/{total})")

# Windows
WINDOWS = Text("รอบส่งแผน", "Submission windows")
NO_WINDOWS = Text("ยังไม่มีรอบส่งแผน", "No submission window yet.")
NEW_WINDOW = Text("สร้างรอบส่งแผน", "New window")
TITLE_TH = Text("ชื่อ (ไทย)", "Title (Thai)")
CLOSES_AT = Text("ปิดรับ (เวลาไทย)", "Closes (Bangkok time)")
PROVINCES = Text("จังหวัด (คั่นด้วยจุลภาค ว่าง = ทั้ง 77 จังหวัด)", "Provinces (comma-separated; empty = all 77)")
CLUSTERS = Text("กลุ่มจังหวัด (เลขหรือชื่อ คั่นด้วยจุลภาค)", "Province clusters (numbers or names, comma-separated)")
FISCAL_YEAR = Text("ปีงบประมาณ (พ.ศ. ว่าง = ตามชื่อหรือวันปิด)", "Fiscal year (BE; empty = from the title or close)")
CREATE = Text("สร้าง", "Create")
WINDOW_LINE = Text("#{id} {title} · ปิด {when} · ส่งแล้ว {done}/{total}", "#{id} {title} · closes {when} · {done}/{total}")
MOVE = Text("เลื่อนวันปิด", "Move the close")
DELETE = Text("ลบรอบนี้", "Delete this window")
DELETE_WARNING = Text("การลบจะหยุดการเตือนที่เหลือ {nudges} ครั้ง และลบการส่งที่บันทึกแล้ว {done} รายการ",
                      "Deleting stops the {nudges} reminders to come and removes the {done} submissions recorded.")
DELETE_CONFIRM = Text("ยืนยันว่าต้องการลบ", "Yes, delete it")
SUBMIT_FOR = Text("บันทึกว่าจังหวัดส่งแล้ว (แทนจังหวัด)", "Record a province as submitted (on its behalf)")
PROVINCE = Text("จังหวัด", "Province")
REASON = Text("เหตุผล (เช่น ได้รับทางอีเมลวันที่ 3 ธ.ค.)", "Reason (e.g. received by e-mail on 3 Dec)")
RECORD = Text("บันทึก", "Record")
SUBMISSIONS = Text("การส่งแผน", "Submissions")
SUBMITTED_AT = Text("ส่งเมื่อ {when}", "submitted {when}")
NUDGE_HISTORY = Text("ประวัติการเตือน", "Nudge history")
NO_NUDGES = Text("ยังไม่มีการเตือน", "Nobody has been nudged yet.")
STAGE = Text("รอบเตือน", "Stage")
WHO = Text("ผู้รับ", "Who")
WHEN = Text("เมื่อ", "When")
STATE = Text("สถานะ", "State")
WINDOW_GONE = Text("ไม่พบรอบส่งแผน #{id}", "There is no window #{id}.")
BAD_DATE = Text("อ่านวันเวลา \"{text}\" ไม่ได้", "Cannot read the date and time \"{text}\".")
REQUIRED = Text("กรุณากรอก {field}", "Please fill in {field}.")

# People
PEOPLE = Text("บุคลากร", "People")
ROLE = Text("บทบาท", "Role")
ALL = Text("ทั้งหมด", "all")
FILTER = Text("กรอง", "Filter")
ACCOUNTS = Text("บัญชี", "Accounts")
NO_ACCOUNT = Text("ไม่มีบัญชี", "no account")
UNREACHABLE = Text("ติดต่อไม่ได้", "unreachable")
ONLY_UNREACHABLE = Text("เฉพาะที่ติดต่อไม่ได้", "unreachable only")
NOBODY = Text("ไม่พบบุคลากรตามที่ระบุ", "Nobody matches.")
COUNTED = Text("{n} คน", "{n:person|people}")
CHANGE = Text("เปลี่ยน", "Change")
PERSON_GONE = Text("ไม่พบบุคลากร #{id}", "There is no person #{id}.")
INVITES = Text("รหัสเชิญที่ยังไม่ใช้", "Unused invite codes")
NO_INVITES = Text("ไม่มีรหัสเชิญที่ยังไม่ใช้", "No unused invite code.")
NEW_INVITE = Text("สร้างรหัสเชิญ", "New invite code")
NAME = Text("ชื่อ", "Name")
VALID_UNTIL = Text("ใช้ได้ถึง", "Valid until")
REVOKE = Text("ยกเลิก", "Revoke")
INVITE_MADE = Text("รหัสเชิญ {code} ใช้ได้ถึง {until}", "Invite code {code}, valid until {until}.")
ADMIN_INVITE_CLI = Text("รหัสเชิญผู้ดูแลระบบสร้างได้จากบรรทัดคำสั่งเท่านั้น: coordbot invite create --role admin",
                        "Admin invites are made only from the command line: coordbot invite create --role admin")
NOT_REVOCABLE = Text("ไม่พบรหัสเชิญ \"{code}\" ที่ยังไม่ได้ใช้", "There is no unused invite code \"{code}\".")
REVOKED = Text("ยกเลิกรหัสเชิญ {code} แล้ว", "Invite code {code} is revoked.")
UNCHANGED = Text("ไม่มีการเปลี่ยนแปลง", "Nothing changed.")

# Audit
AUDIT = Text("บันทึกการใช้งาน", "Audit log")
ACTION = Text("การกระทำ", "Action")
DETAIL = Text("รายละเอียด", "Detail")
PERSON_NO = Text("บุคลากร #", "Person #")
NO_AUDIT = Text("ไม่มีรายการในบันทึก", "The audit log has no such entries.")
SYSTEM = Text("ระบบ", "system")

# Projects
PROJECTS = Text("โครงการ", "Projects")
KEYWORD = Text("คำค้นหรือรหัสโครงการ", "Keyword or project code")
STATUS = Text("สถานะ", "Status")
YEAR = Text("ปีงบประมาณ", "Fiscal year")
SEARCH = Text("ค้นหา", "Search")
NEXT_PAGE = Text("หน้าถัดไป", "Next page")
NO_PROJECTS = Text("ไม่พบโครงการตามที่ระบุ", "No project matches.")
CODE = Text("รหัส", "Code")
PLACE = Text("พื้นที่", "Area")
BUDGET = Text("งบประมาณ (บาท)", "Budget (baht)")
PROGRESS = Text("ความก้าวหน้า (%)", "Progress (%)")
NOTE = Text("หมายเหตุ", "Note")
AGENCY = Text("หน่วยงาน", "Agency")
UPDATE = Text("ปรับปรุงข้อมูล", "Update")
HISTORY = Text("ประวัติการเปลี่ยนแปลง", "History")
NO_HISTORY = Text("ยังไม่มีการเปลี่ยนแปลง", "No change yet.")
SOURCE = Text("ช่องทาง", "Via")
CHANGED_FROM_TO = Text("{field}: {old} → {new}", "{field}: {old} → {new}")
PROJECT_GONE = Text("ไม่พบโครงการ \"{code}\"", "There is no project \"{code}\".")
STALE = Text("มีผู้แก้ไขโครงการนี้หลังจากเปิดแบบฟอร์ม กรุณาตรวจสอบข้อมูลล่าสุดแล้วบันทึกอีกครั้ง",
             "Someone changed this project after the form was opened. Check the latest data and save again.")
BAD_PROGRESS = Text("ความก้าวหน้าต้องเป็นตัวเลข 0 ถึง 100", "Progress must be a number from 0 to 100.")
NOTE_TOO_LONG = Text("หมายเหตุยาวเกิน {n} ตัวอักษร", "The note is longer than {n} characters.")
IMPORT = Text("นำเข้าไฟล์", "Import")
EXPORT = Text("ส่งออก", "Export")
IMPORT_HELP = Text("ไฟล์ CSV หรือ XLSX ในรูปแบบเดียวกับไฟล์ส่งออก หากมีแถวใดผิด จะไม่บันทึกอะไรเลย และแสดงรายการแถวที่ผิด",
                   "A CSV or XLSX file in the export's format. If any row is wrong, nothing is saved and the wrong "
                   "rows are listed.")
FILE = Text("ไฟล์", "File")
UPLOAD = Text("นำเข้า", "Import")
FILE_TOO_BIG = Text("ไฟล์ใหญ่เกิน 20 MB", "The file is larger than 20 MB.")
IMPORT_UNREADABLE = Text("อ่านไฟล์ไม่ได้: {reason}", "Cannot read the file: {reason}")
IMPORT_FAILED = Text("ไม่ได้นำเข้า: {bad} จาก {rows} แถวไม่ถูกต้อง ยังไม่มีการบันทึกใด ๆ",
                     "Nothing imported: {bad} of {rows} rows are wrong. Nothing was saved.")
IMPORT_DONE = Text("นำเข้า {rows} แถวแล้ว: ใหม่ {created} ปรับปรุง {updated} ไม่เปลี่ยน {unchanged}",
                   "Imported {rows} rows: {created} new, {updated} updated, {unchanged} unchanged.")
ROW = Text("แถว", "Row")
PROBLEMS = Text("ปัญหา", "Problems")

# Workshops
WORKSHOPS = Text("สัมมนา", "Workshops")
NEW_WORKSHOP = Text("สร้างสัมมนา", "New workshop")
WORKSHOP_FORM = Text("แบบฟอร์ม (เหมือนใน /newworkshop: หนึ่งบรรทัดต่อหนึ่งหัวข้อ)",
                     "The form (as in /newworkshop: one key=value a line)")
PREVIEW = Text("ดูตัวอย่าง", "Preview")
CONFIRM_SEND = Text("ยืนยัน สร้างและส่งคำเชิญ", "Confirm: create and invite")
SEATS_TAKEN = Text("ที่นั่ง {taken}/{capacity}", "seats {taken}/{capacity}")
UNLIMITED = Text("ไม่จำกัด", "unlimited")
BY_CLUSTER = Text("ตามกลุ่มจังหวัด", "By cluster")
BY_PROVINCE = Text("ตามจังหวัด", "By province")
ATTENDING = Text("เข้าร่วม", "Attending")
DECLINED = Text("ไม่เข้าร่วม", "Declined")
MAYBE = Text("ไม่แน่ใจ", "Maybe")
NO_ANSWER = Text("ยังไม่ตอบ", "No answer")
WAITLIST = Text("รายชื่อสำรอง", "Waitlist")
OFFERED = Text("เสนอที่นั่งแล้ว", "Offered a seat")
OFFER_UNTIL = Text("ถึง {when}", "until {when}")
NOBODY_WAITING = Text("ไม่มีผู้รอที่นั่ง", "Nobody is waiting for a seat.")
CHECKED_IN = Text("เช็คอินแล้ว {n}", "checked in: {n}")
SEATS = Text("จำนวนที่นั่ง", "Seats")
CAPACITY = Text("ที่นั่งทั้งหมด", "Seats in all")
PER_PROVINCE = Text("ต่อจังหวัด (ว่าง = ไม่จำกัด)", "Per province (empty = no limit)")
SET_SEATS = Text("บันทึกที่นั่ง", "Set the seats")
CONFIRM_BELOW = Text("ยืนยัน (ไม่มีใครเสียที่นั่ง จะไม่เสนอที่นั่งใหม่จนกว่าจะมีที่ว่าง)",
                     "Confirm (nobody loses a seat; no new seat is offered until fewer are taken)")
BAD_SEATS = Text("จำนวนที่นั่งต้องเป็นตัวเลขตั้งแต่ 1 ขึ้นไป", "Seats must be a number from 1 up.")
EDIT_WORKSHOP = Text("แก้ไขสัมมนา", "Edit the workshop")
EDIT_NOTE = Text("ผู้ที่ตอบว่าไปหรือไม่แน่ใจจะได้รับแจ้งเมื่อวันเวลาหรือสถานที่เปลี่ยน ผู้ได้รับเชิญคงเดิม",
                 "Those who answered yes or maybe are told of a new date, time or venue; who is invited stays.")
EDIT_FIELDS = {
    "title_th": Text("ชื่อสัมมนา", "Title (Thai)"), "title_en": Text("ชื่อภาษาอังกฤษ", "Title (English)"),
    "start": Text("เริ่ม", "Starts"), "end": Text("สิ้นสุด", "Ends"), "deadline": Text("ตอบรับภายใน", "Answer by"),
    "venue": Text("สถานที่", "Venue"), "address": Text("ที่อยู่", "Address"), "agenda": Text("กำหนดการ", "Agenda"),
    "capacity": Text("ที่นั่งทั้งหมด (ว่าง = ไม่จำกัด)", "Seats in all (empty = no limit)"),
    "per_province": PER_PROVINCE,
}
SAVE_CHANGES = Text("บันทึกการแก้ไข", "Save the changes")
CHANGES_TOLD = Text("บันทึกแล้ว แจ้งผู้ที่จะมา {n} คน", "Saved; {n:person|people} coming told.")
NUDGE_SILENT = Text("เตือนผู้ที่ยังไม่ตอบ", "Nudge those who have not answered")
EXPORTS = Text("ส่งออกรายชื่อ", "Attendee list")
WITH_CONTACTS = Text("พร้อมข้อมูลติดต่อ (ผู้ดูแลทุกคนจะได้รับแจ้ง)", "with contact details (every admin is told)")
DESK = Text("จุดลงทะเบียน (เช็คอิน)", "Check-in desk")
CHECKIN_CODE = Text("รหัสเช็คอิน (พิมพ์หรือสแกน)", "Check-in code (type or scan)")
CHECK_IN = Text("เช็คอิน", "Check in")
BACK_TO_BOARD = Text("กลับไปหน้าสัมมนา", "Back to the workshop")

# Announcements
ANNOUNCEMENTS = Text("ประกาศ", "Announcements")
NEW_ANNOUNCEMENT = Text("เขียนประกาศ", "New announcement")
ANNOUNCEMENT_FORM = Text("ผู้รับและตัวเลือก แล้ว | ตามด้วยข้อความ (เหมือน /broadcast ในแชต)",
                         "Who and options, then | and the text (as /broadcast in the chat)")
ANNOUNCEMENT_TEXT = Text("ข้อความ (ใส่ตัวเลือกแบบ /broadcast นำหน้าได้ เช่น รับทราบ |)",
                         "The text (/broadcast options may lead it, e.g. ack |)")
RECIPIENTS = Text("ผู้รับ (ว่างทุกช่อง = ทุกคน)", "Recipients (all empty = everyone)")
ANY = Text("ทั้งหมด", "any")
SEG_PROVINCES = Text("จังหวัด (คั่นด้วยจุลภาค)", "Provinces (comma-separated)")
SEG_REGIONS = Text("ภาค (คั่นด้วยจุลภาค)", "Regions (comma-separated)")
PLATFORM = Text("แพลตฟอร์ม", "Platform")
SEG_WORKSHOP = Text("สัมมนา #", "Workshop #")
SEG_ANSWER = Text("ผู้รับในสัมมนา", "Of that workshop")
SEG_ATTENDING = Text("ผู้ตอบรับ", "attending")
SEG_SILENT = Text("ผู้ยังไม่ตอบ", "not yet answered")
SEG_WINDOW = Text("จังหวัดที่ยังไม่ส่งรอบ #", "Provinces yet to submit to window #")
OVER_LINE_QUOTA = Text("⚠️ เกินโควตา LINE ที่เหลือ: ส่งได้เฉพาะ Telegram หรือ LINE บางส่วน",
                       "⚠️ Over LINE's remaining quota: Telegram only, or LINE partially")
AS_LINE = Text("ใน LINE", "On LINE")
AS_TELEGRAM = Text("ใน Telegram", "On Telegram")
SEND = Text("ยืนยันส่ง (หรือตั้งเวลาตามที่ระบุ)", "Send (or schedule, if a time is given)")
MODE_ALL = Text("ส่งทุกช่องทาง", "Both platforms")
MODE_TG_ONLY = Text("เฉพาะ Telegram (ไม่ใช้โควตา LINE)", "Telegram only (no LINE quota)")
MODE_PARTIAL = Text("LINE เท่าที่โควตาเหลือ", "LINE as far as the quota goes")
TO_SEGMENT = Text("ถึง: {segment}", "To: {segment}")
LEDGER = Text("รายผู้รับ", "Recipients")
ACKED_AT = Text("รับทราบ {when}", "acknowledged {when}")
CANCEL_BROADCAST = Text("ยกเลิกประกาศนี้", "Cancel this announcement")
