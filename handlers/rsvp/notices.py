"""Messages the RSVP use cases queue for other people, each in its recipient's language: invitations, nudges,
reminders, offers of a freed seat and their lapse, check-in welcomes, a delegate's confirmation, an export of
contacts. Every one goes through the outbox under an idempotency key, so a repeat sends nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import format_datetime
from bot.messages import Button, Reply
from handlers.registration import account_label
from handlers.rsvp.cards import invitation_replies, nudge_replies, reminder_replies
from handlers.rsvp.payloads import Offer
from handlers.rsvp.texts import (
    CONTACTS_EXPORTED,
    DELEGATE_ARRIVED,
    EXPORTED_VIA,
    EXPORTER_CLI,
    LAPSED,
    OFFERED,
    PASS_SEAT,
    PRINCIPAL_TOLD,
    TAKE_SEAT,
    WELCOME,
)
from storage.models import Account, Person, Role
from storage.outbox import enqueue_to_person
from storage.people import people_in
from storage.rsvp import Rsvp, RsvpStatus, Workshop, rsvps, silent_people


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    return person


def send_invitations(*, session: Session, workshop: Workshop, rows: list[Rsvp], settings: Settings,
                     now: datetime) -> int:
    """Queue the invitation to each new invitee; the key makes a repeat harmless."""
    sent = 0
    for row in rows:
        lang = _person(session, row.person_id).lang
        sent += enqueue_to_person(session=session, person_id=row.person_id, key=f"rv:inv:{workshop.id}:{row.person_id}",
                                  replies=invitation_replies(workshop, lang, settings), now=now,
                                  tag=f"workshop:{workshop.id}")
    return sent


def queue_nudges(*, session: Session, workshop: Workshop, stage: str, settings: Settings, now: datetime) -> int:
    """Nudge everyone still silent; the key (workshop, stage, person) makes a second run of one stage send nothing."""
    queued = 0
    for row, person in silent_people(session=session, workshop=workshop):
        queued += enqueue_to_person(session=session, person_id=row.person_id,
                                    key=f"rv:nudge:{workshop.id}:{stage}:{row.person_id}",
                                    replies=nudge_replies(workshop, person.lang, settings), now=now,
                                    tag=f"workshop:{workshop.id}")
    return queued


def queue_reminders(*, session: Session, workshop: Workshop, stage: str, settings: Settings, now: datetime) -> int:
    """Remind everyone holding a seat (the principal, and a confirmed delegate); returns messages queued."""
    queued = 0
    for row in rsvps(session=session, workshop_id=workshop.id or 0):
        if row.status != RsvpStatus.yes:
            continue
        for person_id in {row.person_id, row.delegate_person_id} - {None}:
            assert person_id is not None
            queued += enqueue_to_person(
                session=session, person_id=person_id, key=f"rv:remind:{workshop.id}:{stage}:{person_id}",
                replies=reminder_replies(workshop, _person(session, person_id), settings, now), now=now,
                tag=f"workshop:{workshop.id}")
    return queued


def send_offers(*, session: Session, workshop: Workshop, offered: list[Rsvp], settings: Settings,
                now: datetime) -> None:
    """Tell each person offered a freed seat, with the buttons to take it or pass it on."""
    assert workshop.id is not None
    for row in offered:
        lang = _person(session, row.person_id).lang
        assert row.offer_expires_at is not None
        text = OFFERED.render(lang, title=workshop.title(lang),
                              until=format_datetime(row.offer_expires_at, lang, settings.tz))
        enqueue_to_person(
            session=session, person_id=row.person_id,
            key=f"rv:offer:{workshop.id}:{row.id}:{int(row.offer_expires_at.timestamp())}",
            replies=[Reply(text=text, keep_buttons=True, buttons=[
                Button(label=TAKE_SEAT.render(lang), payload=Offer(workshop.id, True).pack()),
                Button(label=PASS_SEAT.render(lang), payload=Offer(workshop.id, False).pack())])],
            now=now, tag=f"workshop:{workshop.id}")


def send_lapsed(*, session: Session, workshop: Workshop, lapsed: list[Rsvp], now: datetime) -> None:
    for row in lapsed:
        lang = _person(session, row.person_id).lang
        enqueue_to_person(session=session, person_id=row.person_id,
                          key=f"rv:lapsed:{workshop.id}:{row.id}:{int(now.timestamp())}",
                          replies=[Reply(text=LAPSED.render(lang, title=workshop.title(lang)))], now=now,
                          tag=f"workshop:{workshop.id}")


def welcome(*, session: Session, workshop: Workshop, row: Rsvp, settings: Settings, now: datetime) -> None:
    """Confirm the check-in to whoever came (the delegate, when one holds the seat and has confirmed in chat), and
    tell a principal that their delegate arrived."""
    principal = _person(session, row.person_id)
    attendee = session.get(Person, row.delegate_person_id) if row.delegate_person_id is not None else None
    if attendee is None and not row.delegate_name:
        attendee = principal
    if attendee is not None and attendee.id is not None:
        text = WELCOME.render(attendee.lang, title=workshop.title(attendee.lang),
                              when=format_datetime(now, attendee.lang, settings.tz))
        enqueue_to_person(session=session, person_id=attendee.id, key=f"rv:checkin:{row.id}",
                          replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")
    if row.delegate_name and principal.id is not None:
        text = DELEGATE_ARRIVED.render(principal.lang, delegate=row.delegate_name, title=workshop.title(principal.lang),
                                       when=format_datetime(now, principal.lang, settings.tz))
        enqueue_to_person(session=session, person_id=principal.id, key=f"rv:checkin:{row.id}:principal",
                          replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")


def tell_principal(*, session: Session, workshop: Workshop, row: Rsvp, principal: Person, delegate: Person,
                   account: Account, now: datetime) -> None:
    """The principal learns that their delegate confirmed, and from which chat account."""
    text = PRINCIPAL_TOLD.render(principal.lang, name=row.delegate_name, title=workshop.title(principal.lang),
                                 account=account_label(principal.lang, account))
    enqueue_to_person(session=session, person_id=row.person_id, key=f"rv:delegate:{row.id}:{delegate.id}",
                      replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")


def tell_admins_of_export(*, session: Session, workshop: Workshop, by: Person | None, fmt: str, via: str,
                          now: datetime) -> int:
    """Every admin learns of an export with contacts, so that one of people's phone numbers never goes unseen.
    Returns the number of admins told."""
    told = 0
    export_key = f"rv:exported:{workshop.id}:{by.id if by else 'cli'}:{now.isoformat()}"
    for admin in people_in(session=session, roles=[Role.admin]):
        assert admin.id is not None
        who = f"{by.name or '?'} (#{by.id})" if by else EXPORTER_CLI.render(admin.lang)
        text = CONTACTS_EXPORTED.render(admin.lang, who=who, title=workshop.title(admin.lang), fmt=fmt.upper(),
                                        via=EXPORTED_VIA[via].render(admin.lang))
        told += enqueue_to_person(session=session, person_id=admin.id, key=f"{export_key}:{admin.id}",
                                  replies=[Reply(text=text)], now=now, tag=f"workshop:{workshop.id}")
    return told
