"""Every text the console shows, Thai first, English beside it (the same placeholders in both)."""

from __future__ import annotations

from bot.i18n import Text

CONSOLE = Text("คอนโซลผู้ดูแล coordbot", "coordbot admin console")
LANG_SWITCH = Text("English", "ภาษาไทย")
NAV_DASHBOARD = Text("ภาพรวม", "Dashboard")
NAV_WINDOWS = Text("รอบส่งแผน", "Windows")
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
TITLE_EN = Text("ชื่อ (อังกฤษ)", "Title (English)")
CLOSES_AT = Text("ปิดรับ (เวลาไทย)", "Closes (Bangkok time)")
PROVINCES = Text("จังหวัด (คั่นด้วยจุลภาค ว่าง = ทั้ง 77 จังหวัด)", "Provinces (comma-separated; empty = all 77)")
CLUSTERS = Text("กลุ่มจังหวัด (เลขหรือชื่อ คั่นด้วยจุลภาค)", "Province clusters (numbers or names, comma-separated)")
FISCAL_YEAR = Text("ปีงบประมาณ (พ.ศ. ว่าง = ตามชื่อหรือวันปิด)", "Fiscal year (BE; empty = from the title or close)")
NUDGES = Text("เตือนก่อนปิด", "Reminders before the close")
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
DATE_IN_PAST = Text("{when} ผ่านไปแล้ว", "{when} has already passed.")
CLOSE_BEFORE_OPEN = Text("วันปิดต้องหลังวันเปิด ({opens})", "The close must be after the opening ({opens}).")
UNKNOWN_PLACE = Text("ไม่พบจังหวัดหรือกลุ่มจังหวัด \"{name}\"", "No province or cluster matches \"{name}\".")
BAD_YEAR = Text("ปีงบประมาณ \"{text}\" ไม่ถูกต้อง (เช่น 2570)", "\"{text}\" is not a fiscal year (e.g. 2570).")
BAD_NUDGES = Text("การเตือน \"{text}\" ไม่ถูกต้อง (เช่น 14d,3d,3h)", "\"{text}\" are not reminders (e.g. 14d,3d,3h).")
REQUIRED = Text("กรุณากรอก {field}", "Please fill in {field}.")
NOT_CONCERNED = Text("รอบนี้ไม่เกี่ยวกับจังหวัดนี้", "This window does not concern that province.")
ALREADY_SUBMITTED = Text("จังหวัด{province}ส่งแล้วเมื่อ {when}", "{province} already submitted on {when}.")

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
