"""Project status: look up, summarise, update (with a confirmation step) and watch plan projects.

Commands: /project [CODE | province | cluster | keyword] [status] [year] (projects, โครงการ, สถานะโครงการ),
/summary [province | cluster | ทั้งประเทศ] [year] (สรุป, สรุปโครงการ), /update CODE [status X] [progress N]
[note ...] (อัปเดต, อัพเดต, อัปเดตโครงการ), /watch [CODE | province] (ติดตาม, ติดตามโครงการ; no argument lists
what you watch), /unwatch CODE | province (เลิกติดตาม), /projecthistory CODE (ประวัติโครงการ);
buttons: more results (pjm), confirm/cancel an update (pjok/pjno). Watchers are told through the outbox.

`chat` holds the routes, `service` the use cases (callable without a chat message: by the CLI, a console),
`parsing` reads what was typed, `compose` the messages, `texts`, `payloads` and `errors` the rest.
"""
