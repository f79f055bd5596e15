"""Workshop RSVP: invitations, answers, the waitlist and offers of freed seats, delegates, check-in, admin views.

Commands: /workshops (สัมมนา) my workshops; /rsvp ID [yes|no|maybe] (ตอบรับ) details or an answer;
/delegate ID NAME | POSITION | CONTACT (ผู้แทน) a deputy governor names a delegate, /delegate CODE the delegate
confirms; /checkin (เช็คอิน) my QR code, /checkin CODE staff (admins) mark an arrival; /attendees ID
(ผู้เข้าร่วม) admins: counts per province and cluster, silent provinces, nudge, exports, `seats N [PER_PROVINCE]`;
/newworkshop (สร้างสัมมนา) admins: a `key=value` form, a preview with the number of invitees, then confirm.
Buttons: attend / decline / maybe, details, accept or pass on an offered seat, my QR, nudge the silent, export,
create or cancel a previewed workshop.

The package, from the top down (an import-linter contract keeps it so):
- `chat`: the routes; each reads what was typed or pressed, calls one use case and one composer.
- `compose`: use cases' results as replies to the asker, in their language.
- `board` (admins' board, seats, nudges, exports), `checkin` (the door), `create` (new workshops): use cases.
- `service`: the invitees' use cases (answers, offers, delegates) and what the others share.
- `notices`: messages queued to other people; `cards`: a workshop as people see it.
- `texts`, `payloads`, `errors`.
Jobs (`scheduler.rsvp`), the CLI (`bot.commands.rsvp`) and the web console call the use cases and composers,
never `chat`.
"""
