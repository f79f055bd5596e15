"""Files for workshops: the `.ics` calendar entry, each attendee's check-in QR code, and attendee exports (CSV
with a BOM so Excel reads the Thai, and XLSX), and the signed links to them (`bot.downloads` serves them).

Chat platforms can only show a file by URL, so the URLs are built on `settings.public_url` and carry a token
signed with the workshop's own secret: nobody can guess a link they were not given. Export links also name who
asked and expire.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.vocab import ROLE
from storage import reference
from storage.people import accounts_of
from storage.rsvp import Rsvp, Workshop, attendees
from storage.tables import Cell, write_table

EXPORT_VALID = timedelta(hours=24)
"""Each link is a bearer credential for personal data: no browser or proxy cache may keep a copy."""
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
HEADER = ["จังหวัด", "กลุ่มจังหวัด", "ชื่อ", "ตำแหน่ง", "บทบาท", "สถานะ", "ผู้แทน", "ตำแหน่งผู้แทน", "ลงทะเบียนหน้างาน"]
CONTACT_HEADER = ["ติดต่อผู้แทน", "บัญชีแชท"]
STATUS_TH = {"yes": "เข้าร่วม", "offered": "รอยืนยันที่นั่ง", "waitlist": "รายชื่อสำรอง"}


def _url(settings: Settings, path: str) -> str:
    return settings.public_url.rstrip("/") + path


def ics_url(settings: Settings, workshop: Workshop) -> str:
    return _url(settings, f"/files/ws/{workshop.id}/{workshop.sign('ics')}.ics")


def qr_url(settings: Settings, workshop: Workshop, row: Rsvp) -> str:
    # The code is part of what is signed, so a new delegate's code makes the old picture's link stop working.
    return _url(settings, f"/files/ws/{workshop.id}/qr/{row.id}/{workshop.sign(f'qr:{row.id}:{row.code}')}.png")


def export_url(settings: Settings, workshop: Workshop, *, fmt: str, contacts: bool, person_id: int,
               now: datetime) -> str:
    expires = int((now + EXPORT_VALID).timestamp())
    what = f"export:{fmt}:{int(contacts)}:{person_id}:{expires}"
    return _url(settings, f"/files/ws/{workshop.id}/export/{person_id}/{expires}/{int(contacts)}/"
                          f"{workshop.sign(what)}.{fmt}")


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""RFC 5545 3.3.11: TEXT may not carry control characters other than tab; a line break is written `\\n`."""


def _ics_escape(text: str) -> str:
    text = re.sub(r"\r\n?|\n", r"\\n", text.replace("\\", "\\\\"))  # a bare CR is a line break too
    return _CONTROL.sub("", text).replace(";", "\\;").replace(",", "\\,")


def _fold(line: str) -> list[str]:
    """RFC 5545: lines of at most 75 octets, continued with a space; never split inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode()) > limit:
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def ics_text(workshop: Workshop, public_url: str, stamp: datetime) -> str:
    def utc(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//coordbot//workshops//TH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:workshop-{workshop.id}@{public_url.split('//')[-1].split('/')[0]}",
             f"DTSTAMP:{utc(stamp)}",
             f"DTSTART:{utc(workshop.starts_at)}",
             f"DTEND:{utc(workshop.ends_at)}",
             f"SUMMARY:{_ics_escape(workshop.title_th + (f' / {workshop.title_en}' if workshop.title_en else ''))}",
             f"LOCATION:{_ics_escape(', '.join(x for x in (workshop.venue, workshop.address) if x))}"]
    if workshop.latitude is not None and workshop.longitude is not None:
        lines.append(f"GEO:{workshop.latitude:.6f};{workshop.longitude:.6f}")
    if workshop.agenda:
        lines.append(f"DESCRIPTION:{_ics_escape(workshop.agenda)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def qr_png(code: str) -> bytes:
    import segno  # loaded on the first picture rather than at every service start

    buffer = io.BytesIO()
    # A regular QR code (segno would pick a Micro QR for data this short, which many phone scanners cannot read),
    # with the standard quiet zone, about 300 pixels wide: easy to scan from a phone screen held at the desk.
    segno.make_qr(code, error="m").save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue()


def export_rows(*, session: Session, workshop: Workshop, contacts: bool, tz: ZoneInfo) -> list[list[Cell]]:
    """The attendee list (seated, then offered, then the waitlist), header first; contacts only when asked.
    Check-in times are the local wall clock, as the desk saw them."""
    rows: list[list[Cell]] = [[*HEADER, *(CONTACT_HEADER if contacts else [])]]
    for rsvp, person in attendees(session=session, workshop=workshop):
        province = reference.province(rsvp.province_iso) if rsvp.province_iso else None
        cluster = reference.cluster(province.cluster).name_th if province and province.cluster else ""
        arrived = rsvp.checked_in_at.astimezone(tz).replace(tzinfo=None) if rsvp.checked_in_at else None
        row: list[Cell] = [province.name_th if province else "", cluster, person.name, person.position,
                           ROLE[person.role].th, STATUS_TH.get(rsvp.status, rsvp.status), rsvp.delegate_name,
                           rsvp.delegate_position, arrived]
        if contacts:
            assert person.id is not None
            chats = ", ".join(f"{a.platform}:{a.display_name or a.user_id}"
                              for a in accounts_of(session=session, person_id=person.id))
            row += [rsvp.delegate_contact, chats]
        rows.append(row)
    return rows


def render_export(*, session: Session, workshop: Workshop, fmt: str, contacts: bool, tz: ZoneInfo) -> bytes:
    buffer = io.BytesIO()
    write_table(buffer, export_rows(session=session, workshop=workshop, contacts=contacts, tz=tz), fmt=fmt,
                sheet="attendees")
    return buffer.getvalue()
