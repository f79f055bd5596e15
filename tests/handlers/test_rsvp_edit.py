"""Editing a workshop below any chat or page: the same checks as creating one, the seats already given kept,
its reminders planned anew, and those who answered yes or maybe told of a new date or venue in their language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.planner import NoPlanner
from handlers.rsvp.create import edit_workshop
from handlers.rsvp.errors import BadEdit
from handlers.rsvp.notices import queue_reminders
from storage.models import OutboxMessage, Person, Role
from storage.people import audit_entries, ensure_account
from storage.rsvp import (
    RsvpStatus,
    Workshop,
    answer,
    create_workshop,
    get_workshop,
    invite,
    invitees,
    rsvp_of,
    set_capacity,
)

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


class Planned(NoPlanner):
    """A planner that remembers the workshops it was asked to plan."""

    def __init__(self) -> None:
        self.workshops: list[tuple[int | None, datetime]] = []

    def workshop_created(self, workshop: Workshop, now: datetime) -> None:
        self.workshops.append((workshop.id, workshop.starts_at))


def person(session: Session, n: int, lang: str = "th") -> Person:
    _, who = ensure_account(session=session, platform="telegram", user_id=str(2000 + n), chat_id=str(2000 + n),
                            lang=lang)
    who.role, who.province_iso, who.name = Role.coordinator, "TH-40" if n % 2 else "TH-50", f"person {n}"
    session.flush()
    return who


def workshop_with_answers(session: Session) -> tuple[Workshop, dict[str, Person]]:
    """Four invitees: two coming (one reads English), one maybe (English), one not coming."""
    people = {"yes_th": person(session, 1), "yes_en": person(session, 2, "en"), "maybe": person(session, 3, "en"),
              "no": person(session, 4)}
    workshop = create_workshop(
        session=session, title_th="ประชุมกลุ่มจังหวัด", title_en="Cluster meeting", starts_at=NOW + timedelta(days=10),
        ends_at=NOW + timedelta(days=10, hours=7), rsvp_deadline=NOW + timedelta(days=5), roles=[Role.coordinator],
        provinces=["TH-40", "TH-50"], scope="test", venue="ศาลากลางจังหวัดขอนแก่น", capacity=5)
    invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop))
    for key, choice in (("yes_th", RsvpStatus.yes), ("yes_en", RsvpStatus.yes), ("maybe", RsvpStatus.maybe),
                        ("no", RsvpStatus.no)):
        row = rsvp_of(session=session, workshop_id=workshop.id or 0, person_id=people[key].id or 0)
        assert row is not None
        answer(session=session, workshop=workshop, row=row, choice=choice, now=NOW)
    return workshop, people


def told(session: Session, who: Person) -> list[str]:
    """The texts of the change notices queued to a person."""
    rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.key).startswith("rv:changed:"),
                                                    col(OutboxMessage.key).endswith(f":{who.id}")))
    return [m["text"] for row in rows for m in row.messages]


def test_a_new_date_and_venue_are_planned_anew_and_told_to_those_coming_in_their_language(
    session: Session, settings: Settings
) -> None:
    workshop, people = workshop_with_answers(session)
    planner = Planned()
    edited = edit_workshop(session=session, workshop_id=workshop.id or 0, by=people["no"].id, settings=settings,
                           now=NOW, planner=planner, via="console",
                           values={"start": "2569-03-13 13:00", "end": "2569-03-13 16:00", "venue": "โรงแรมโฆษะ",
                                   "title_th": "ประชุมกลุ่มจังหวัด"})
    assert edited.changed == ["starts_at", "ends_at", "venue"]
    start = datetime(2026, 3, 13, 6, 0, tzinfo=UTC)
    assert planner.workshops == [(workshop.id, start)] and workshop.starts_at == start
    assert told(session, people["yes_th"]) == [
        "📢 \"ประชุมกลุ่มจังหวัด\" มีการเปลี่ยนแปลง\nวันเวลา: 13 มี.ค. 2569 13:00 น. ถึง 13 มี.ค. 2569 16:00 น.\n"
        "สถานที่: โรงแรมโฆษะ"]
    assert told(session, people["yes_en"]) == told(session, people["maybe"]) == [
        "📢 \"Cluster meeting\" has changed\nWhen: 13 Mar 2026 13:00 to 13 Mar 2026 16:00\nWhere: โรงแรมโฆษะ"]
    assert told(session, people["no"]) == []
    [entry] = audit_entries(session=session, action="workshop_edited")
    assert (entry.person_id, entry.detail["via"], entry.detail["told"]) == (people["no"].id, "console", 3)


def test_a_new_title_alone_tells_nobody_and_plans_nothing(session: Session, settings: Settings) -> None:
    workshop, people = workshop_with_answers(session)
    planner = Planned()
    edited = edit_workshop(session=session, workshop_id=workshop.id or 0, values={"title_en": "Cluster forum"},
                           by=None, settings=settings, now=NOW, planner=planner, via="cli")
    assert (edited.changed, edited.told, planner.workshops) == (["title_en"], 0, [])
    assert told(session, people["yes_en"]) == []


@pytest.mark.parametrize(("values", "reason"), [
    ({"capacity": "1", "venue": "ที่อื่น"}, "2 seats are already given; the seats cannot be fewer"),
    ({"per_province": "0"}, "seats and seats per province must be whole numbers of at least 1"),
    ({"deadline": "2569-03-20 09:00"}, "the RSVP deadline must not be after the start"),
    ({"deadline": "2569-03-01 09:00"}, "the RSVP deadline has already passed"),
    ({"end": "2569-03-01 09:00"}, "the end must be after the start"),
    ({"title_th": " "}, "the workshop needs a title"),
])
def test_a_wrong_edit_is_refused_saying_why_and_nothing_changes(
    session: Session, settings: Settings, values: dict[str, str], reason: str
) -> None:
    workshop, people = workshop_with_answers(session)
    before = workshop.model_dump()
    with pytest.raises(BadEdit) as refused:
        edit_workshop(session=session, workshop_id=workshop.id or 0, values=values, by=None, settings=settings,
                      now=NOW, planner=Planned(), via="console")
    assert str(refused.value) == f"Cannot change the workshop: {reason}. Nothing changed."
    kept = get_workshop(session=session, workshop_id=workshop.id or 0)
    assert kept is not None and kept.model_dump() == before
    assert told(session, people["yes_th"]) == [] and audit_entries(session=session, action="workshop_edited") == []


def test_a_workshop_that_has_started_cannot_be_changed(session: Session, settings: Settings) -> None:
    workshop, people = workshop_with_answers(session)
    with pytest.raises(BadEdit) as refused:
        edit_workshop(session=session, workshop_id=workshop.id or 0, values={"venue": "ห้องประชุม 2"}, by=None,
                      settings=settings, now=workshop.starts_at, planner=Planned(), via="console")
    assert str(refused.value) == "Cannot change the workshop: it has already started. Nothing changed."
    assert told(session, people["yes_th"]) == [] and audit_entries(session=session, action="workshop_edited") == []


def test_a_passed_deadline_kept_does_not_stop_an_edit(session: Session, settings: Settings) -> None:
    workshop, _ = workshop_with_answers(session)
    later = NOW + timedelta(days=6)  # answers closed a day ago
    edited = edit_workshop(session=session, workshop_id=workshop.id or 0, values={"venue": "ห้องประชุม 2"}, by=None,
                           settings=settings, now=later, planner=Planned(), via="console")
    assert edited.changed == ["venue"] and edited.told == 3


def test_a_workshop_moved_after_its_reminder_is_reminded_of_again(session: Session, settings: Settings) -> None:
    workshop, _ = workshop_with_answers(session)
    assert queue_reminders(session=session, workshop=workshop, stage="1d", settings=settings, now=NOW) == 2
    assert queue_reminders(session=session, workshop=workshop, stage="1d", settings=settings, now=NOW) == 0
    edit_workshop(session=session, workshop_id=workshop.id or 0, values={"start": "2569-03-12 08:00"}, by=None,
                  settings=settings, now=NOW, planner=Planned(), via="console")
    assert queue_reminders(session=session, workshop=workshop, stage="1d", settings=settings, now=NOW) == 2


def test_seats_already_set_below_those_given_do_not_stop_an_edit(session: Session, settings: Settings) -> None:
    workshop, _ = workshop_with_answers(session)
    set_capacity(session=session, workshop=workshop, capacity=1, per_province=None, now=NOW)  # confirmed in chat
    edited = edit_workshop(session=session, workshop_id=workshop.id or 0, values={"venue": "ห้องประชุม 2",
                           "capacity": "1"}, by=None, settings=settings, now=NOW, planner=Planned(), via="console")
    assert edited.changed == ["venue"]
