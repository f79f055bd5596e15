"""Deadline use cases: keyword arguments in, windows and submissions out; no reply and no language.

Chat, the CLI, jobs and a console call these. A refusal is a `DomainError` whose parameters are names (`Text`)
and moments, rendered in the reader's language by whoever shows it. Jobs to plan go to the `planner` given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.config import Settings
from bot.errors import UnknownProvince
from bot.i18n import Text, both
from bot.planner import Planner
from bot.understand import read_place
from handlers.deadlines import notices
from handlers.deadlines.errors import (
    AlreadySubmitted,
    BadYear,
    CloseBeforeOpen,
    DateInPast,
    NoProvince,
    NotConcerned,
    WindowClosed,
    WindowNotFound,
)
from handlers.timing import snooze_until
from storage import reference
from storage.deadlines import (
    Submission,
    SubmissionWindow,
    UnknownPlace,
    all_windows,
    create_window,
    default_fiscal_year,
    delete_window,
    get_window,
    move_window,
    nudge_times,
    open_windows,
    resolve_scope,
    submission,
    submissions,
    submit,
)
from storage.models import Person
from storage.people import audit


def title_of(window: SubmissionWindow) -> Text:
    """A window's title in both languages (the Thai one where there is no English one)."""
    return Text(window.title_th, window.title_en or window.title_th)


def province_of(iso: str) -> Text:
    return both(reference.province(iso).name)


@dataclass(frozen=True)
class Progress:
    """A window and the submissions recorded for it, by province."""

    window: SubmissionWindow
    done: dict[str, Submission]

    @property
    def missing(self) -> list[str]:
        return [iso for iso in self.window.provinces if iso not in self.done]


@dataclass(frozen=True)
class Deletion:
    """What deleting a window stops: reminders still to come, submissions recorded."""

    window: SubmissionWindow
    nudges_to_come: int
    submitted: int


def window(*, session: Session, window_id: int) -> SubmissionWindow:
    found = get_window(session=session, window_id=window_id)
    if found is None:
        raise WindowNotFound(id=window_id)
    return found


def progress(*, session: Session, window: SubmissionWindow) -> Progress:
    assert window.id is not None
    return Progress(window, submissions(session=session, window_id=window.id))


def open_progress(*, session: Session, now: datetime, province_iso: str | None = None,
                  limit: int = 10) -> list[Progress]:
    """The open windows (soonest close first) with what each has received; with a province, only the windows that
    concern it: a deputy governor asks what their province owes, and ten other provinces' windows would hide it."""
    concerned = [w for w in open_windows(session=session, now=now)
                 if province_iso is None or province_iso in w.provinces]
    return [progress(session=session, window=w) for w in concerned[:limit]]


def every_window(*, session: Session) -> list[Progress]:
    return [progress(session=session, window=w) for w in all_windows(session=session)]


def own_province(person: Person) -> str:
    if not person.province_iso:
        raise NoProvince()
    return person.province_iso


def owed(*, session: Session, person: Person, now: datetime) -> list[SubmissionWindow]:
    """The open windows the person's province still has to submit to."""
    iso = own_province(person)
    return [w for w in open_windows(session=session, now=now)
            if iso in w.provinces and w.id is not None
            and submission(session=session, window_id=w.id, province_iso=iso) is None]


def submittable(*, session: Session, window_id: int, person: Person, now: datetime) -> SubmissionWindow:
    """The window, if it is open, concerns the person's province, and that province has not submitted yet."""
    found = window(session=session, window_id=window_id)
    iso = own_province(person)
    if iso not in found.provinces:
        raise NotConcerned()
    if now >= found.closes_at:
        raise WindowClosed(title=title_of(found))
    done = submission(session=session, window_id=window_id, province_iso=iso)
    if done is not None:
        raise AlreadySubmitted(province=province_of(iso), title=title_of(found), when=done.submitted_at)
    return found


def record_submission(*, session: Session, window_id: int, person: Person, now: datetime,
                      planner: Planner) -> Submission:
    """The person's province has submitted: recorded, the admins told, the person's snoozed reminder dropped."""
    found = submittable(session=session, window_id=window_id, person=person, now=now)
    iso = own_province(person)
    row = submit(session=session, window=found, province_iso=iso, person_id=person.id, now=now)
    audit(session=session, person_id=person.id, action="window_submitted", window=window_id, province=iso)
    notices.tell_admins(session=session, window=found, province_iso=iso, by=person.id, now=now)
    assert person.id is not None
    planner.snooze_done(window_id, person.id)
    return row


def snooze(*, session: Session, window_id: int, person: Person, now: datetime, settings: Settings,
           planner: Planner) -> datetime | None:
    """Remind the person again tomorrow (None when the window closes too soon for that)."""
    found = submittable(session=session, window_id=window_id, person=person, now=now)
    remind_at = snooze_until(found, now, settings)
    if remind_at is not None:
        assert person.id is not None
        planner.snooze(window_id, person.id, remind_at)
    return remind_at


def deletion(*, session: Session, window_id: int, now: datetime) -> Deletion:
    found = window(session=session, window_id=window_id)
    return Deletion(found, sum(1 for _, due in nudge_times(found) if due > now),
                    len(submissions(session=session, window_id=window_id)))


def delete(*, session: Session, window_id: int, by: int | None, planner: Planner) -> None:
    found = window(session=session, window_id=window_id)
    delete_window(session=session, window=found)
    audit(session=session, person_id=by, action="window_deleted", window=window_id)
    planner.window_deleted(window_id)


def _unknown_province(name: str) -> UnknownProvince:
    hints = reference.suggest_provinces(name)
    hint = Text(f" ({', '.join(p.name_th for p in hints)}?)", f" ({', '.join(p.name_en for p in hints)}?)")
    return UnknownProvince(query=name.strip(), hint=hint if hints else "")


def add(*, session: Session, title: str, closes_at: datetime, provinces: list[str], clusters: list[str],
        year: str | None, by: int | None, now: datetime, planner: Planner) -> SubmissionWindow:
    """A new window for these provinces and clusters (all when none), its reminders planned."""
    if closes_at <= now:
        raise DateInPast(when=closes_at)
    for typed in filter(None, (n.strip() for n in provinces)):
        place = read_place(typed.split())
        if place is not None and place.corrected:  # a window reminds real people: ask, do not guess
            raise UnknownProvince(query=typed, hint=Text(f" ({place.province.name_th}?)",
                                                          f" ({place.province.name_en}?)"))
    try:
        isos, scope = resolve_scope(provinces=provinces, clusters=clusters)
    except UnknownPlace as exc:
        raise _unknown_province(exc.name) from exc
    created = create_window(session=session, title_th=title, title_en=title, fiscal_year=_fiscal_year(year, title,
                                                                                                      closes_at),
                            opens_at=now, closes_at=closes_at, provinces=isos, scope=scope, created_by=by)
    audit(session=session, person_id=by, action="window_created", window=created.id)
    planner.window_changed(created, now)
    return created


def _fiscal_year(text: str | None, name: str, closes_at: datetime) -> int:
    """The year the admin gave (Buddhist Era), else the one the title names, else that of the close."""
    if not text:
        return default_fiscal_year(name, closes_at)
    if not text.isdecimal() or not 2500 <= int(text) <= 2700:
        raise BadYear(text=text)
    return int(text)


def move(*, session: Session, window_id: int, closes_at: datetime, by: int | None, now: datetime,
         planner: Planner) -> SubmissionWindow:
    found = window(session=session, window_id=window_id)
    if closes_at <= now:
        raise DateInPast(when=closes_at)
    try:
        move_window(session=session, window=found, closes_at=closes_at)
    except ValueError as exc:
        raise CloseBeforeOpen(id=found.id, opens=found.opens_at) from exc
    audit(session=session, person_id=by, action="window_moved", window=found.id, closes_at=closes_at.isoformat())
    planner.window_changed(found, now)
    return found


def submit_for(*, session: Session, window_id: int, province: str, reason: str, by: int | None,
               now: datetime) -> tuple[SubmissionWindow, str]:
    """Record on a province's behalf a submission that arrived by e-mail or letter; returns the window and the
    province's code."""
    found = window(session=session, window_id=window_id)
    place = reference.find_province(province)
    if place is None:
        raise _unknown_province(province)
    if place.iso not in found.provinces:
        raise NotConcerned()
    done = submission(session=session, window_id=window_id, province_iso=place.iso)
    if done is not None:
        raise AlreadySubmitted(province=province_of(place.iso), title=title_of(found), when=done.submitted_at)
    submit(session=session, window=found, province_iso=place.iso, person_id=by, now=now, reference=reason)
    audit(session=session, person_id=by, action="window_submitted_for", window=found.id, province=place.iso,
          reason=reason)
    notices.tell_admins(session=session, window=found, province_iso=place.iso, by=by, now=now)
    return found, place.iso
