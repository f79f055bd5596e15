"""Every user-visible RSVP text, Thai first, and the words people type for an answer or a form's fields."""

from __future__ import annotations

from bot.i18n import Text
from handlers.rsvp.payloads import Choice
from storage.rsvp import RsvpStatus, Workshop


def title(workshop: Workshop) -> Text:
    """A workshop's title as a text, for code that does not know the reader's language (English falls back to
    Thai, as `Workshop.title` does)."""
    return Text(workshop.title_th, workshop.title_en or workshop.title_th)


CHOICES: dict[str, Choice] = {"yes": Choice.yes, "no": Choice.no, "maybe": Choice.maybe,
           "ไป": Choice.yes, "เข้าร่วม": Choice.yes, "ไม่ไป": Choice.no, "ไม่เข้าร่วม": Choice.no,
           "ไม่แน่ใจ": Choice.maybe,
           # Synonyms and misspellings people type (tests/corpus/messages.tsv).
           "attend": Choice.yes, "going": Choice.yes, "accept": Choice.yes, "y": Choice.yes,
           "ไปค่ะ": Choice.yes, "ไปได้": Choice.yes, "เข้า": Choice.yes, "เข้าร่วมได้": Choice.yes,
           "decline": Choice.no, "n": Choice.no, "ไม่ว่าง": Choice.no, "ไม่สะดวก": Choice.no,
           "ไม่เข้า": Choice.no, "ไม่ได้": Choice.no, "ไปไม่ได้": Choice.no, "ไม่ร่วม": Choice.no,
           "อาจจะ": Choice.maybe, "ยังไม่แน่ใจ": Choice.maybe, "ไม่แน่ใจค่ะ": Choice.maybe,
           "ไม่แน่นอน": Choice.maybe, "perhaps": Choice.maybe, "ไม่เเน่ใจ": Choice.maybe}

MY_WORKSHOPS = Text("สัมมนาของฉัน", "my workshops")
ATTENDEES_CMD = Text("ผู้เข้าร่วมสัมมนา (ผู้ดูแล)", "workshop attendees (admins)")
NONE_INVITED = Text("ยังไม่มีสัมมนาที่คุณได้รับเชิญ", "You have not been invited to any workshop.")
INVITATION = Text("📩 ขอเชิญเข้าร่วม \"{title}\"\nกรุณาตอบรับภายใน {deadline}",
                  "📩 You are invited to \"{title}\".\nPlease answer by {deadline}.")
WHEN_LINE = Text("🗓 {start} – {end}", "🗓 {start} – {end}")
VENUE_LINE = Text("📍 {venue}", "📍 {venue}")
DEADLINE_LINE = Text("ตอบรับภายใน {when}", "Answer by {when}")
AGENDA_LINE = Text("กำหนดการ: {agenda}", "Agenda: {agenda}")
SEATS_LINE = Text("ที่นั่ง {taken}/{capacity}", "Seats {taken}/{capacity}")
MY_STATUS = Text("สถานะของคุณ: {status}", "Your answer: {status}")
DELEGATE_LINE = Text("ผู้แทน: {name} {position}{confirmed}", "Delegate: {name} {position}{confirmed}")
CONFIRMED_MARK = Text(" (ยืนยันแล้ว)", " (confirmed)")
STATUS_NAMES = {
    RsvpStatus.invited: Text("ยังไม่ตอบ", "not answered"),
    RsvpStatus.yes: Text("เข้าร่วม ✅", "attending ✅"),
    RsvpStatus.no: Text("ไม่เข้าร่วม", "not attending"),
    RsvpStatus.maybe: Text("ยังไม่แน่ใจ", "maybe"),
    RsvpStatus.waitlist: Text("รายชื่อสำรอง", "waitlist"),
    RsvpStatus.offered: Text("มีที่นั่งรอคุณยืนยัน", "a seat is waiting for your confirmation"),
    RsvpStatus.lapsed: Text("หมดเวลายืนยันที่นั่ง", "seat offer lapsed"),
}
ATTEND = Text("เข้าร่วม", "Attend")
DECLINE = Text("ไม่เข้าร่วม", "Decline")
MAYBE = Text("ไม่แน่ใจ", "Maybe")
DETAILS_BUTTON = Text("{day} {title}", "{day} {title}")
"""A workshop's details button: its day first, since LINE cuts a label at 20 characters and titles start alike."""
CALENDAR_BUTTON = Text("📅 ลงปฏิทิน", "📅 Add to calendar")
QR_BUTTON = Text("QR เช็คอิน", "Check-in QR")
RECORDED = {
    RsvpStatus.yes: Text("บันทึกแล้ว: คุณจะเข้าร่วม \"{title}\" ✅ แล้วพบกัน {when}",
                         "Recorded: you will attend \"{title}\" ✅ See you on {when}."),
    RsvpStatus.no: Text("บันทึกแล้ว: คุณจะไม่เข้าร่วม \"{title}\" เปลี่ยนคำตอบได้ถึง {deadline}",
                        "Recorded: you will not attend \"{title}\". You can change this until {deadline}."),
    RsvpStatus.maybe: Text("บันทึกแล้ว: ยังไม่แน่ใจ กรุณายืนยันก่อน {deadline}",
                           "Recorded: maybe. Please decide before {deadline}."),
}
WAITLISTED = Text("ที่นั่ง \"{title}\" เต็มแล้ว คุณอยู่ในรายชื่อสำรองลำดับที่ {position} "
                  "หากมีที่ว่างจะแจ้งให้ยืนยันทันที",
                  "\"{title}\" is full. You are number {position} on the waitlist; "
                  "if a seat frees up you will be asked to confirm.")
NO_CHANGE = Text("คำตอบของคุณคือ \"{status}\" อยู่แล้ว ไม่มีการเปลี่ยนแปลง",
                 "Your answer is already \"{status}\"; nothing changed.")
STILL_WAITING = Text("คุณอยู่ในรายชื่อสำรองลำดับที่ {position} อยู่แล้ว ไม่มีการเปลี่ยนแปลง",
                     "You are already number {position} on the waitlist; nothing changed.")
OFFERED = Text("🎉 มีที่นั่งว่างใน \"{title}\" สำหรับคุณ กรุณายืนยันภายใน {until} "
               "มิฉะนั้นที่นั่งจะส่งต่อให้ท่านถัดไป",
               "🎉 A seat in \"{title}\" has freed up for you. Please confirm by {until}, "
               "or it goes to the next person.")
TAKE_SEAT = Text("รับที่นั่ง", "Take the seat")
PASS_SEAT = Text("สละที่นั่ง", "Pass it on")
OFFER_GONE = Text("ข้อเสนอที่นั่งนี้หมดอายุหรือไม่มีแล้ว", "This seat offer has expired or no longer exists.")
LAPSED = Text("⌛ หมดเวลายืนยันที่นั่ง \"{title}\" แล้ว ที่นั่งส่งต่อให้ท่านถัดไป ตอบ \"เข้าร่วม\" อีกครั้งเพื่อต่อคิวใหม่",
              "⌛ The seat offer for \"{title}\" has lapsed and went to the next person. Answer \"Attend\" again "
              "to rejoin the waitlist.")
REMINDER = Text("⏰ อีก {left} จะถึง \"{title}\"\n{start}\n📍 {venue}",
                "⏰ \"{title}\" is in {left}.\n{start}\n📍 {venue}")
DAYS = Text("{n} วัน", "{n:day|days}")
HOURS = Text("{n} ชั่วโมง", "{n:hour|hours}")
NUDGE = Text("🔔 ยังไม่ได้ตอบรับ \"{title}\" ปิดรับคำตอบ {deadline} กรุณาเลือกด้านล่าง",
             "🔔 You have not answered for \"{title}\". Answers close {deadline}; please choose below.")
DELEGATE_USAGE = Text("/delegate รหัสสัมมนา ชื่อ | ตำแหน่ง | เบอร์ติดต่อ (ไม่บังคับ) หรือ /delegate รหัสยืนยัน",
                      "/delegate WORKSHOP_ID NAME | POSITION | CONTACT (optional), or /delegate CODE")
DELEGATE_NAMED = Text("บันทึกผู้แทนแล้ว: {name} ({position}) ที่นั่งยังเป็นของจังหวัด{province} "
                      "และคุณยังเป็นผู้รับผิดชอบ\nส่งรหัส {code} ให้ผู้แทน แล้วให้พิมพ์ \"ผู้แทน {code}\" ถึงบอตนี้เพื่อยืนยัน",
                      "Delegate recorded: {name} ({position}). The seat stays with {province} and you remain "
                      "accountable.\nGive your delegate the code {code}; they confirm by sending \"/delegate {code}\" "
                      "to this bot.")
DELEGATE_WAITLIST = Text("(ขณะนี้ที่นั่งเต็ม ผู้แทนอยู่ในรายชื่อสำรองลำดับที่ {position})",
                         "(The workshop is full; your delegate is number {position} on the waitlist.)")
DELEGATE_CONFIRMED = Text("ยืนยันแล้ว: คุณเป็นผู้แทนของ {principal} ใน \"{title}\" {when}",
                          "Confirmed: you represent {principal} at \"{title}\", {when}.")
PRINCIPAL_TOLD = Text("✅ ผู้แทนของคุณ {name} ยืนยันการเข้าร่วม \"{title}\" แล้ว (จากบัญชี {account})",
                      "✅ Your delegate {name} has confirmed for \"{title}\" (from the {account} account).")
CHECKIN_QR = Text("แสดง QR นี้ต่อเจ้าหน้าที่ที่จุดลงทะเบียน \"{title}\" (รหัส {code})",
                  "Show this QR code at the \"{title}\" registration desk (code {code}).")
NO_SEAT = Text("คุณยังไม่มีที่นั่งในสัมมนาที่กำลังจะมาถึง", "You have no seat at an upcoming workshop.")
SEAT_WITH_DELEGATE = Text("ที่นั่งของคุณใน \"{title}\" อยู่กับผู้แทน {delegate} ผู้แทนแสดงรหัส {code} ที่จุดลงทะเบียน",
                          "Your seat at \"{title}\" is with your delegate {delegate}, who shows the code {code} at the "
                          "registration desk.")
DELEGATE_ARRIVED = Text("ผู้แทนของคุณ {delegate} ลงทะเบียนที่ \"{title}\" แล้ว {when}",
                        "Your delegate {delegate} checked in at \"{title}\" ({when}).")
CHECKED_IN = Text("✅ ลงทะเบียนแล้ว: {name} ({province}) — {title}", "✅ Checked in: {name} ({province}), {title}")
ALREADY_IN = Text("{name} ลงทะเบียนไว้แล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง",
                  "{name} already checked in at {when}; nothing changed.")
WELCOME = Text("ยินดีต้อนรับสู่ \"{title}\" ✅ ลงทะเบียนเรียบร้อยแล้ว {when}",
               "Welcome to \"{title}\" ✅ You are checked in ({when}).")
ADMIN_VIEW = Text("#{id} {title}\n{start}\nเข้าร่วม {yes} | รอยืนยัน {offered} | สำรอง {waitlist} | ไม่แน่ใจ {maybe} | "
                  "ไม่เข้าร่วม {no} | ยังไม่ตอบ {invited}\nผู้แทน {delegates} | เช็คอินแล้ว {checked_in} | "
                  "ที่นั่ง {seats}",
                  "#{id} {title}\n{start}\nYes {yes} | offered {offered} | waitlist {waitlist} | maybe {maybe} | "
                  "no {no} | not answered {invited}\nDelegates {delegates} | checked in {checked_in} | seats {seats}")
CLUSTERS_HEAD = Text("ตามกลุ่มจังหวัด (เข้าร่วม/เชิญ):", "By cluster (attending/invited):")
PROVINCES_HEAD = Text("ตามจังหวัด (เข้าร่วม/สำรอง/ไม่เข้าร่วม/ยังไม่ตอบ):", "By province (yes/waitlist/no/silent):")
SILENT_HEAD = Text("จังหวัดที่ยังไม่ตอบ ({n}): {names}", "Provinces that have not answered ({n}): {names}")
NUDGE_BUTTON = Text("เตือนผู้ที่ยังไม่ตอบ", "Nudge the silent")
NUDGED = Text("ส่งการเตือนถึง {n} คนแล้ว", "Nudged {n:person|people}.")
EXPORT_CSV = Text("ส่งออก CSV", "Export CSV")
EXPORT_XLSX = Text("ส่งออก XLSX", "Export XLSX")
EXPORT_CONTACTS = Text("CSV พร้อมข้อมูลติดต่อ", "CSV with contacts")
EXPORT_READY = Text("รายชื่อผู้เข้าร่วม \"{title}\" ({fmt}) ลิงก์ใช้ได้ 24 ชั่วโมง",
                    "Attendees of \"{title}\" ({fmt}); the link works for 24 hours.")
CONTACTS_EXPORTED = Text("🔐 {who} ส่งออกรายชื่อผู้เข้าร่วม \"{title}\" พร้อมข้อมูลติดต่อ ({fmt}) {via}",
                         "🔐 {who} exported the attendee list of \"{title}\" with contacts ({fmt}) {via}.")
EXPORTED_VIA = {"chat": Text("ทางแชท", "in chat"),
                "cli": Text("ด้วยคำสั่ง coordbot บนเซิร์ฟเวอร์", "with the coordbot command on the server")}
EXPORTER_CLI = Text("ผู้ดูแลเซิร์ฟเวอร์", "A server administrator")
ATTENDEES_USAGE = Text("/attendees | /attendees ID | /attendees ID seats จำนวน [ต่อจังหวัด]",
                       "/attendees | /attendees ID | /attendees ID seats N [PER_PROVINCE]")
WORKSHOP_LINE = Text("#{id} {title} — {start} — เข้าร่วม {yes}", "#{id} {title}, {start}: {yes} attending")
NO_WORKSHOPS = Text("ยังไม่มีสัมมนา สร้างด้วย coordbot workshop create", "No workshops yet; create one with "
                    "coordbot workshop create.")
SEATS_SET = Text("ตั้งที่นั่ง {capacity} (ต่อจังหวัด {per_province}) แล้ว เสนอที่นั่งให้รายชื่อสำรอง {n} คน",
                 "Seats set to {capacity} ({per_province} per province); "
                 "{n:waitlisted person|waitlisted people} offered a seat.")
UNLIMITED = Text("ไม่จำกัด", "no limit")
SEATS_BELOW = Text("⚠️ ตอบรับแล้ว {taken} ที่นั่ง แต่ที่นั่งใหม่คือ {capacity}", "⚠️ {taken:seat is|seats are} taken, but the new "
                   "total is {capacity}.")
SEATS_BELOW_PROVINCE = Text("⚠️ จังหวัด{province}ตอบรับแล้ว {taken} ที่นั่ง แต่ที่นั่งต่อจังหวัดใหม่คือ {per_province}",
                            "⚠️ {province} has {taken:seat|seats}, but the new limit per province is {per_province}.")
SEATS_KEPT = Text("ผู้ที่ตอบรับแล้วยังคงมีที่นั่ง จะไม่มีการเสนอที่นั่งเพิ่มจนกว่าจำนวนจะลดลงต่ำกว่าที่กำหนด ยืนยัน?",
                  "Everyone who said yes keeps their seat; no new seat is offered until fewer are taken. Confirm?")
SEATS_YES = Text("ยืนยัน ตั้งที่นั่ง", "Yes, set the seats")
SEATS_NO = Text("ยกเลิก", "Cancel")

# Workshop creation in chat.
NEW_WORKSHOP_CMD = Text("สร้างสัมมนาและส่งคำเชิญ (ผู้ดูแล)", "create a workshop and invite (admins)")
FORM_KEYS = {
    "ชื่อ": "title_th", "ชื่อสัมมนา": "title_th", "title": "title_th", "title_th": "title_th",
    "ชื่ออังกฤษ": "title_en", "ชื่อภาษาอังกฤษ": "title_en", "title_en": "title_en",
    "เริ่ม": "start", "start": "start", "สิ้นสุด": "end", "จบ": "end", "end": "end",
    "ตอบรับภายใน": "deadline", "ปิดรับ": "deadline", "deadline": "deadline", "rsvp": "deadline",
    "สถานที่": "venue", "venue": "venue", "ที่อยู่": "address", "address": "address",
    "แผนที่": "map", "พิกัด": "map", "map": "map", "location": "map",
    "กำหนดการ": "agenda", "agenda": "agenda",
    "บทบาท": "role", "role": "role", "roles": "role",
    "จังหวัด": "province", "province": "province", "provinces": "province",
    "กลุ่ม": "cluster", "กลุ่มจังหวัด": "cluster", "cluster": "cluster", "clusters": "cluster",
    "ภาค": "region", "region": "region",
    "ที่นั่ง": "capacity", "capacity": "capacity", "seats": "capacity",
    "ต่อจังหวัด": "per_province", "ที่นั่งต่อจังหวัด": "per_province", "per_province": "per_province",
    "เตือน": "reminders", "reminders": "reminders",
}
FORM_USAGE = Text(
    "สร้างสัมมนา: ส่งข้อความเดียว บรรทัดละหนึ่งหัวข้อ เช่น\n"
    "สร้างสัมมนา\n"
    "ชื่อ=ประชุมเชิงปฏิบัติการกลุ่มจังหวัดภาคเหนือตอนบน 1\n"
    "ชื่ออังกฤษ=Upper North 1 cluster workshop\n"
    "เริ่ม={start}\nสิ้นสุด={end}\nตอบรับภายใน={deadline}\n"
    "สถานที่=ศาลากลางจังหวัดเชียงใหม่\nที่อยู่=ถนนโชตนา อำเภอเมือง เชียงใหม่ 50300\nแผนที่=18.8390,98.9660\n"
    "กำหนดการ=ทบทวนแผนพัฒนากลุ่มจังหวัด\nบทบาท=รองผู้ว่า,ผู้ประสานงาน\nกลุ่ม=1\nที่นั่ง=30\nต่อจังหวัด=2\n\n"
    "ต้องมี: ชื่อ เริ่ม สิ้นสุด ตอบรับภายใน (เวลากรุงเทพฯ ปี พ.ศ. หรือ ค.ศ.) ที่เหลือไม่บังคับ: "
    "จังหวัด= กลุ่ม= ภาค= (ไม่ใส่ = ทุกจังหวัด), บทบาท= (ไม่ใส่ = รองผู้ว่าฯ และผู้ประสานงาน), "
    "ที่นั่ง= ต่อจังหวัด= (ไม่ใส่ = ไม่จำกัด), เตือน=3d,1d (ก่อนเริ่ม) กำหนดการยาวต่อบรรทัดถัดไปได้ "
    "จะพิมพ์ในบรรทัดเดียวโดยคั่นหัวข้อด้วย | ก็ได้",
    "/newworkshop: send one message, one field a line, e.g.\n"
    "/newworkshop\n"
    "title=ประชุมเชิงปฏิบัติการกลุ่มจังหวัดภาคเหนือตอนบน 1\n"
    "title_en=Upper North 1 cluster workshop\n"
    "start={start}\nend={end}\ndeadline={deadline}\n"
    "venue=Chiang Mai City Hall\naddress=Chotana Road, Mueang, Chiang Mai 50300\nmap=18.8390,98.9660\n"
    "agenda=Review of the cluster development plan\nroles=deputy_governor,coordinator\ncluster=1\n"
    "capacity=30\nper_province=2\n\n"
    "Required: title, start, end, deadline (Bangkok time, Buddhist Era or Gregorian years). Optional: "
    "province= cluster= region= (none = every province), roles= (none = deputy governors and coordinators), "
    "capacity= per_province= (none = no limit), reminders=3d,1d (before the start). A long agenda may go on "
    "to the next lines. Fields may also be separated by | on one line.",
)
FORM_PREVIEW = Text("ตัวอย่างคำเชิญที่ผู้ได้รับเชิญจะเห็น (ยังไม่ได้บันทึกและยังไม่ได้ส่ง):",
                    "Preview of the invitation as invitees will see it (nothing stored or sent yet):")
FORM_SUMMARY = Text("สร้างสัมมนาใหม่?", "Create this workshop?")
FORM_INVITEES = Text("ผู้ได้รับเชิญ {n} คน: {roles} · {scope}", "Invitees: {n} ({roles} · {scope})")
ALL_PROVINCES = Text("ทุกจังหวัด", "every province")
FORM_SEATS = Text("ที่นั่ง {capacity} · ต่อจังหวัด {per_province}", "Seats {capacity} · per province {per_province}")
FORM_REMINDERS = Text("เตือนผู้เข้าร่วมก่อนเริ่ม {reminders} · ปุ่มคำเชิญ: เข้าร่วม / ไม่เข้าร่วม / ไม่แน่ใจ / ลงปฏิทิน",
                      "Reminders before the start: {reminders} · invitation buttons: Attend / Decline / Maybe / "
                      "Add to calendar")
CREATE_BUTTON = Text("ยืนยัน ส่งคำเชิญ", "Confirm and invite")
CANCEL_BUTTON = Text("ยกเลิก", "Cancel")
CREATED = Text("✅ สร้างสัมมนา #{id} \"{title}\" แล้ว เชิญ {n} คน (ส่งคำเชิญ {queued} ข้อความ) "
               "ดูคำตอบได้ด้วย /attendees {id}",
               "✅ Workshop #{id} \"{title}\" created: {n:person|people} invited "
               "({queued:invitation|invitations} queued). Follow the answers with /attendees {id}.")
ALREADY_CREATED = Text("สร้างสัมมนา #{id} จากแบบฟอร์มนี้ไปแล้ว ไม่มีการสร้างซ้ำ",
                       "This form already created workshop #{id}; nothing was created again.")
POINT_RECEIVED = Text("ได้รับตำแหน่ง {point} แล้ว (ใช้ในแบบฟอร์มสร้างสัมมนาได้ด้วย แผนที่={point})",
                      "Location received: {point} (for a workshop form: map={point})")
FORM_CANCELLED = Text("ยกเลิกแล้ว ไม่มีการบันทึกหรือส่งคำเชิญ", "Cancelled; nothing was stored or sent.")
ANSWERS_BUTTON = Text("ดูคำตอบ", "See the answers")
PROBLEMS = {
    "ends_before_start": Text("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม", "the end must be after the start"),
    "deadline_after_start": Text("วันปิดรับคำตอบต้องไม่อยู่หลังเวลาเริ่ม", "the RSVP deadline must not be after the start"),
    "nobody": Text("ต้องเชิญอย่างน้อยหนึ่งบทบาทในอย่างน้อยหนึ่งจังหวัด", "invite at least one role in one province"),
    "seats": Text("ที่นั่งและที่นั่งต่อจังหวัดต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป",
                  "seats and seats per province must be whole numbers of at least 1"),
    "offset": Text("เวลาเตือนต้องเป็นแบบ 3d, 1d หรือ 2h", "reminders must look like 3d, 1d or 2h"),
    "deadline_past": Text("วันปิดรับคำตอบผ่านไปแล้ว", "the RSVP deadline has already passed"),
    "no_title": Text("ต้องมีชื่อสัมมนา", "the workshop needs a title"),
    "started": Text("สัมมนาเริ่มไปแล้ว", "it has already started"),
}
# An edit's seats, checked against those already given (filled in before they become a `BadEdit`'s problem).
BELOW_SEATED = Text("ให้ที่นั่งไปแล้ว {seated} ที่ จำนวนที่นั่งต้องไม่น้อยกว่านั้น",
                    "{seated:seat is|seats are} already given; the seats cannot be fewer")
BELOW_PROVINCE = Text("{province} ได้ที่นั่งไปแล้ว {seated} ที่ ที่นั่งต่อจังหวัดต้องไม่น้อยกว่านั้น",
                      "{province} already has {seated:seat|seats}; seats per province cannot be fewer")
WORKSHOP_CHANGED = Text("📢 \"{title}\" มีการเปลี่ยนแปลง\nวันเวลา: {when} ถึง {ends}\nสถานที่: {venue}",
                        "📢 \"{title}\" has changed\nWhen: {when} to {ends}\nWhere: {venue}")
NO_VENUE = Text("ยังไม่ระบุ", "not given yet")


# The commands as the help menu lists them.
WORKSHOPS_LABEL = Text("สัมมนา", "Workshops")
WORKSHOPS_EXAMPLE = Text("สัมมนา", "/workshops")
RSVP_CMD = Text("ตอบรับหรือปฏิเสธคำเชิญสัมมนา", "answer a workshop invitation")
RSVP_EXAMPLE = Text("ตอบรับ 2 ไป", "/rsvp 2 yes")
DELEGATE_CMD = Text("ส่งผู้แทนเข้าร่วมสัมมนา", "send a delegate to a workshop")
DELEGATE_EXAMPLE = Text("ผู้แทน 2 มาลี ใจดี | ปลัดจังหวัด", "/delegate 2 Malee Jaidee | deputy")
CHECKIN_CMD = Text("QR สำหรับเช็คอินที่งานสัมมนา", "my check-in QR code")
CHECKIN_EXAMPLE = Text("เช็คอิน", "/checkin")
ATTENDEES_EXAMPLE = Text("ผู้เข้าร่วม 2", "/attendees 2")
NEW_WORKSHOP_EXAMPLE = Text("สร้างสัมมนา", "/newworkshop")
