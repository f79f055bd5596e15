"""Admin announcements: compose, preview with recipient counts and LINE quota, confirm, schedule, report.

Commands (admins): /broadcast (ประกาศ) `[options] | TEXT` composes and previews; options are `role=`,
`province=`, `cluster=`, `region=`, `platform=`, `workshop=ID attending|silent` (who said yes, who has not
answered), `window=ID` (provinces that have not submitted; `unsubmitted` may follow) (comma lists; kinds combine
with AND), `at=2569-03-05 09:00`, `image=URL`, `link=URL`, `ack` (ask for "รับทราบ") and `quiet` (respect quiet
hours); Thai keys work too (บทบาท= จังหวัด= กลุ่ม= ภาค= แพลตฟอร์ม= สัมมนา= ตอบรับ|ยังไม่ตอบ รอบ= ยังไม่ส่ง
เวลา= รูป= ลิงก์= รับทราบ เวลาเงียบ). `/broadcast status ID`,
`/broadcast cancel ID`, `/broadcast acks ID`, and `/broadcast` alone lists recent ones.
Buttons: confirm (all / Telegram only / partial when LINE's quota is short), cancel, status, who acknowledged;
for recipients, "รับทราบ" (acknowledge). Typed: รับทราบ (ทราบแล้ว, 👍, a sticker) acknowledges the latest
announcement still waiting for it.

`chat` holds the routes, `service` the use cases (callable without a chat message: by the CLI, the scheduled
job, a console), `drafts` reads what the author typed, `compose` the messages, `texts`, `payloads`, `errors`.
"""
