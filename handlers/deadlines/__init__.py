"""Plan-submission deadlines: open windows with a countdown, marking a province submitted, snoozing a nudge.

Commands: /deadlines (กำหนดส่ง) for everyone; /submitted [ID] (ส่งแล้ว) for coordinators and deputy governors;
/window (รอบส่ง) for admins: list, `status ID`, `add YYYY-MM-DD HH:MM TITLE`, `move ID YYYY-MM-DD HH:MM`,
`delete ID` (with a confirmation), `submit ID PROVINCE | REASON` (a submission that came by e-mail or letter).
`add` takes `| จังหวัด=… | กลุ่ม=… | ปี=…` after the title to target provinces or clusters and set the fiscal year.
Buttons: submitted (with a confirmation), remind me tomorrow, window status, delete (with a confirmation).

`chat` holds the routes, `service` the use cases (callable without a chat message: by the CLI, jobs, a console),
`compose` the messages, `texts`, `payloads` and `errors` the rest.
"""
