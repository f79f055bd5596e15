"""RSVP use cases for creating a workshop: who it invites, the checks every way of creating one shares (chat
form, CLI, web console), the preview count of invitees, and creation itself (store, invite, queue the invitations,
plan the reminders). Editing one (console, CLI) goes through the same checks, re-plans and tells those coming.
The chat's `key=value` form and its drafts, waiting for the confirmation button, live here too.
Keyword arguments in, domain results out, as in `handlers.rsvp.service`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.errors import BadButton
from bot.i18n import Text, parse_datetime
from bot.planner import Planner
from handlers.rsvp.errors import BadEdit, BadForm, BadFormDate, BadMapPoint, FormLine, MissingFields, UnknownField
from handlers.rsvp.notices import send_invitations, tell_changed
from handlers.rsvp.service import offer_seats, workshop_or_refuse
from handlers.rsvp.texts import BELOW_PROVINCE, BELOW_SEATED, FORM_KEYS, PROBLEMS
from handlers.segments import describe, parse_segment
from storage import reference
from storage.db import whole_number
from storage.models import Role
from storage.people import audit
from storage.rsvp import (
    DEFAULT_OFFER_HOURS,
    BadWorkshop,
    Workshop,
    WorkshopDraft,
    invite,
    invitees,
    latest_open_draft,
    most_seated_province,
    new_workshop,
    seats_taken,
    set_capacity,
)

DEFAULT_ROLES = (Role.deputy_governor, Role.coordinator)
REQUIRED = ("title_th", "start", "end", "deadline")
DRAFT_FRESH = timedelta(hours=1)
"""How long after typing a workshop form a shared location is taken as its map point."""


@dataclass(frozen=True)
class Preview:
    """A checked workshop, not stored, with the number it would invite; `draft` is the chat form kept for the
    confirmation button."""

    workshop: Workshop
    invited: int
    draft: int | None = None


@dataclass(frozen=True)
class Created:
    workshop: Workshop
    invited: int
    queued: int


@dataclass(frozen=True)
class DraftClosed:
    """The form's buttons were used before: it created `workshop_id`, or (None) it was cancelled or replaced."""

    workshop_id: int | None


def invited_places(*, roles: list[str], provinces: list[str], clusters: list[str], regions: list[str]
                   ) -> tuple[list[Role], list[str], str]:
    """Who a workshop invites, from names typed in chat or on the command line (Thai or English):
    (roles, province ISO codes, scope for display). No role means deputy governors and coordinators; no place,
    every province. Unknown names are refused with the same errors as a broadcast's segment."""
    everywhere = ("all", "ทั้งหมด", "ทุกจังหวัด")
    places = {"province": provinces, "cluster": clusters, "region": regions}
    options = {k: [v.strip() for v in values if v.strip() and v.strip().lower() not in everywhere]
               for k, values in places.items()}
    segment = parse_segment({"role": [r for r in roles if r.strip()], **options})
    chosen = [Role(r) for r in segment.roles] or list(DEFAULT_ROLES)
    isos = segment.province_isos()
    if isos is None:
        return chosen, [p.iso for p in reference.provinces()], "all"
    return chosen, sorted(isos), describe(dataclasses.replace(segment, roles=()), "th")


Places = tuple[list[Role], list[str], str]
"""(roles, province ISO codes, scope for display), as `invited_places` reads them."""


def checked_workshop(
    *, title_th: str, title_en: str = "", starts_at: datetime, ends_at: datetime, rsvp_deadline: datetime,
    places: Places, venue: str = "", address: str = "", latitude: float | None = None,
    longitude: float | None = None, agenda: str = "", capacity: int | None = None, per_province: int | None = None,
    reminders: list[str] | None = None, nudges: list[str] | None = None, offer_hours: int = DEFAULT_OFFER_HOURS,
    now: datetime, by: int | None, kept_deadline: datetime | None = None,
) -> Workshop:
    """A workshop from its fields, checked and not stored (for a preview, `create` or `edit_workshop`); a mistake
    is a `BadForm` saying which. An edit keeping its deadline (`kept_deadline`) may keep one already passed."""
    roles, provinces, scope = places
    try:
        if rsvp_deadline <= now and rsvp_deadline != kept_deadline:
            raise BadWorkshop("deadline_past", "the RSVP deadline has already passed")
        return new_workshop(
            title_th=title_th, title_en=title_en, starts_at=starts_at, ends_at=ends_at, rsvp_deadline=rsvp_deadline,
            roles=roles, provinces=provinces, scope=scope, venue=venue, address=address, latitude=latitude,
            longitude=longitude, agenda=agenda, capacity=capacity, per_province=per_province, reminders=reminders,
            nudges=nudges, offer_hours=offer_hours, created_by=by)
    except BadWorkshop as exc:
        raise BadForm(problem=PROBLEMS[exc.reason]) from exc


def invited_count(*, session: Session, workshop: Workshop) -> int:
    """How many people a checked workshop would invite now."""
    return len(invitees(session=session, workshop=workshop))


def open_workshop(*, session: Session, workshop: Workshop, settings: Settings, now: datetime, by: int | None,
                  via: str, invite_now: bool = True) -> tuple[int, int]:
    """Store a checked workshop, invite everyone it selects and queue their invitations. Returns (invited,
    invitations queued); the caller plans the reminders once this is committed (see `create`)."""
    session.add(workshop)
    session.flush()
    invited = queued = 0
    if invite_now:
        rows = invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop))
        invited = len(rows)
        queued = send_invitations(session=session, workshop=workshop, rows=rows, settings=settings, now=now)
    audit(session=session, person_id=by, action="workshop_created", workshop=workshop.id, via=via, invited=invited)
    return invited, queued


def invite_more(*, session: Session, workshop: Workshop, settings: Settings, now: datetime) -> tuple[int, int]:
    """Invite those the workshop selects who were not invited yet (people registered since). Returns (invited,
    invitations queued)."""
    rows = invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop))
    return len(rows), send_invitations(session=session, workshop=workshop, rows=rows, settings=settings, now=now)


def create(*, session: Session, workshop: Workshop, settings: Settings, now: datetime, by: int | None, via: str,
           planner: Planner) -> Created:
    """Create a checked workshop: store it, invite, queue the invitations, plan its reminders and nudges."""
    invited, queued = open_workshop(session=session, workshop=workshop, settings=settings, now=now, by=by, via=via)
    planner.workshop_created(workshop, now)
    return Created(workshop, invited, queued)


EDITABLE = ("title_th", "title_en", "start", "end", "deadline", "venue", "address", "agenda", "capacity",
            "per_province")
"""The fields an edit may change, named as in the chat's form; who is invited stays as created."""
TOLD_OF = ("starts_at", "ends_at", "venue", "address")
"""The changes those coming are told of."""


@dataclass(frozen=True)
class Edited:
    """What an edit changed (the workshop's attribute names), and how many were told or offered a seat."""

    workshop: Workshop
    changed: list[str]
    told: int
    offered: int


def _edited(workshop: Workshop, values: dict[str, str], settings: Settings, now: datetime) -> Workshop:
    """The workshop with `values` over its fields, checked as a new one is; not stored."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise UnknownField(key=sorted(unknown)[0][:40], keys=Text(", ".join(EDITABLE), ", ".join(EDITABLE)))

    def text(field: str) -> str:
        return values[field].strip() if field in values else str(getattr(workshop, field))

    def date(field: str, kept: datetime) -> datetime:
        return _form_date(values, field, settings) if field in values else kept

    def seats(field: str) -> int | None:
        return _form_seats(values[field].strip()) if field in values else getattr(workshop, field)

    if not text("title_th"):
        raise BadForm(problem=PROBLEMS["no_title"])
    return checked_workshop(
        title_th=text("title_th"), title_en=text("title_en"), starts_at=date("start", workshop.starts_at),
        ends_at=date("end", workshop.ends_at), rsvp_deadline=date("deadline", workshop.rsvp_deadline),
        places=([Role(r) for r in workshop.roles], workshop.provinces, workshop.scope), venue=text("venue"),
        address=text("address"), latitude=workshop.latitude, longitude=workshop.longitude, agenda=text("agenda"),
        capacity=seats("capacity"), per_province=seats("per_province"), reminders=workshop.reminders,
        nudges=workshop.nudges, offer_hours=workshop.offer_hours, now=now, by=workshop.created_by,
        kept_deadline=workshop.rsvp_deadline)


def _check_seats(session: Session, workshop: Workshop, checked: Workshop) -> None:
    """New seats fewer than are already given are refused: an edit takes nobody's seat. Limits kept as they are
    pass, even below the seats given (`set_seats` allows that when asked)."""
    assert workshop.id is not None
    seated = seats_taken(session=session, workshop_id=workshop.id)
    if checked.capacity not in (None, workshop.capacity) and seated > checked.capacity:
        raise BadForm(problem=Text(*(BELOW_SEATED.render(lang, seated=seated) for lang in ("th", "en"))))
    iso, most = most_seated_province(session=session, workshop_id=workshop.id)
    if checked.per_province not in (None, workshop.per_province) and iso is not None and most > checked.per_province:
        raise BadForm(problem=Text(*(BELOW_PROVINCE.render(lang, province=reference.province_name(iso, lang),
                                                           seated=most) for lang in ("th", "en"))))


def edit_workshop(*, session: Session, workshop_id: int, values: dict[str, str], by: int | None,
                  settings: Settings, now: datetime, planner: Planner, via: str) -> Edited:
    """Change a workshop's fields (`EDITABLE`, typed as in the chat's form; those not given stay), checked as a
    new workshop is and against the seats already given; re-plan its reminders and nudges, offer any seats freed
    to the waitlist, and tell those coming of a new date or venue. A mistake is a `BadEdit`, nothing changed."""
    workshop = workshop_or_refuse(session=session, workshop_id=workshop_id, lock=True)
    if now >= workshop.starts_at:  # its invitees are there or were: a new date or venue would only confuse them
        raise BadEdit(problem=PROBLEMS["started"])
    try:
        checked = _edited(workshop, values, settings, now)
        _check_seats(session, workshop, checked)
    except BadForm as err:
        raise BadEdit(**err.params) from err
    fields = ("title_th", "title_en", "starts_at", "ends_at", "rsvp_deadline", "venue", "address", "agenda")
    changed = [f for f in (*fields, "capacity", "per_province") if getattr(checked, f) != getattr(workshop, f)]
    for field in fields:
        setattr(workshop, field, getattr(checked, field))
    offered = set_capacity(session=session, workshop=workshop, capacity=checked.capacity,
                           per_province=checked.per_province, now=now)
    offer_seats(session=session, workshop=workshop, offered=offered, settings=settings, now=now, planner=planner)
    told = tell_changed(session=session, workshop=workshop, settings=settings, now=now) \
        if set(changed) & set(TOLD_OF) else 0
    audit(session=session, person_id=by, action="workshop_edited", workshop=workshop_id, via=via, changed=changed,
          told=told)
    if {"starts_at", "rsvp_deadline"} & set(changed):
        planner.workshop_created(workshop, now)  # plans anew: the jobs planned before are replaced
    return Edited(workshop, changed, told, len(offered))


# The chat's form: one message, one `key=value` line per field.

def key_name(field: str) -> Text:
    """A field's first key in each language: `ชื่อ` / `title`."""
    th, en = (next(k for k, f in FORM_KEYS.items() if f == field and k.isascii() == ascii) for ascii in (False, True))
    return Text(th, en)


def form_fields(form: str) -> dict[str, str]:
    """`key=value` lines (or parts between `|`, as in /delegate) into fields; parts without `=` continue the
    agenda."""
    values: dict[str, str] = {}
    last = ""
    for raw in form.replace("|", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep:
            if last != "agenda":
                raise FormLine(line=line[:60])
            values["agenda"] += "\n" + line
            continue
        field = FORM_KEYS.get(key.strip().lower())
        if field is None:
            keys = Text(*(", ".join(k for k in FORM_KEYS if k.isascii() == ascii) for ascii in (False, True)))
            raise UnknownField(key=key.strip()[:40], keys=keys)
        values[field], last = value.strip(), field
    missing = [key_name(f) for f in REQUIRED if not values.get(f)]
    if missing:
        raise MissingFields(names=Text(", ".join(k.th for k in missing), ", ".join(k.en for k in missing)))
    return values


def _form_date(values: dict[str, str], field: str, settings: Settings) -> datetime:
    try:
        return parse_datetime(values[field], settings.tz)
    except ValueError as exc:
        raise BadFormDate(key=key_name(field), value=values[field][:40]) from exc


def _form_seats(value: str | None) -> int | None:
    if not value:
        return None
    seats = whole_number(value) if value.isdecimal() else None  # Thai digits count too: int("๓๐") == 30
    if seats is None:
        raise BadForm(problem=PROBLEMS["seats"])
    return seats


def _form_point(value: str) -> tuple[float | None, float | None]:
    if not value:
        return None, None
    try:
        lat, lon = (float(part) for part in value.replace(" ", "").split(","))
    except ValueError as exc:
        raise BadMapPoint(value=value[:40]) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadMapPoint(value=value[:40])
    return lat, lon


def workshop_from_form(form: str, *, settings: Settings, now: datetime, by: int | None) -> Workshop:
    """The admin's chat form as a checked workshop, not stored; every mistake is a clear refusal."""
    values = form_fields(form)

    def listed(field: str) -> list[str]:
        return values.get(field, "").split(",")

    places = invited_places(roles=listed("role"), provinces=listed("province"), clusters=listed("cluster"),
                            regions=listed("region"))
    starts, ends, deadline = (_form_date(values, f, settings) for f in ("start", "end", "deadline"))
    latitude, longitude = _form_point(values.get("map", ""))
    return checked_workshop(
        title_th=values["title_th"], title_en=values.get("title_en", ""), starts_at=starts, ends_at=ends,
        rsvp_deadline=deadline, places=places, venue=values.get("venue", ""), address=values.get("address", ""),
        latitude=latitude, longitude=longitude, agenda=values.get("agenda", ""),
        capacity=_form_seats(values.get("capacity")), per_province=_form_seats(values.get("per_province")),
        reminders=[r.strip() for r in listed("reminders") if r.strip()] or None, now=now, by=by)


def preview_form(*, session: Session, person_id: int, form: str, settings: Settings, now: datetime) -> Preview:
    """Check a typed form and keep it as a draft for its confirmation button; nothing else is stored."""
    workshop = workshop_from_form(form, settings=settings, now=now, by=person_id)
    draft = WorkshopDraft(person_id=person_id, form=form, created_at=now)
    session.add(draft)
    session.flush()
    return Preview(workshop, invited_count(session=session, workshop=workshop), draft.id)


def _draft(session: Session, person_id: int, draft_id: int) -> WorkshopDraft:
    """A person's own draft only: another's, or none, is a bad button."""
    draft = session.get(WorkshopDraft, draft_id, with_for_update=True)
    if draft is None or draft.person_id != person_id:
        raise BadButton()
    return draft


def confirm_draft(*, session: Session, person_id: int, draft_id: int, settings: Settings, now: datetime,
                  planner: Planner) -> Created | DraftClosed:
    """Create the workshop a draft describes, once: a second press, or one after a cancel, creates nothing."""
    draft = _draft(session, person_id, draft_id)
    if draft.workshop_id is not None or draft.done_at is not None:
        return DraftClosed(draft.workshop_id)
    workshop = workshop_from_form(draft.form, settings=settings, now=now, by=person_id)
    created = create(session=session, workshop=workshop, settings=settings, now=now, by=person_id, via="chat",
                     planner=planner)
    draft.done_at, draft.workshop_id = now, workshop.id
    return created


def cancel_draft(*, session: Session, person_id: int, draft_id: int, now: datetime) -> DraftClosed:
    draft = _draft(session, person_id, draft_id)
    if draft.workshop_id is None:
        draft.done_at = draft.done_at or now
    return DraftClosed(draft.workshop_id)


def map_point(point: tuple[float, float]) -> str:
    """`18.839000,98.966000`: a shared location as a form's `map=` value."""
    return ",".join(f"{x:.6f}" for x in point)


def form_with_point(*, session: Session, person_id: int, point: str, venue: str, now: datetime) -> str | None:
    """The person's form waiting for confirmation (typed within `DRAFT_FRESH`), with this map point and, if it
    has none, this venue; that draft is closed, as the new form replaces it. None if there is no such form."""
    draft = latest_open_draft(session=session, person_id=person_id, since=now - DRAFT_FRESH)
    if draft is None:
        return None
    form = f"{draft.form}\nmap={point}"
    if venue and not form_fields(draft.form).get("venue"):
        form += f"\nvenue={venue}"
    draft.done_at = now  # replaced by the form with the map point; its buttons now say so
    return form
