"""A workshop as people see it, in one language: its card, its map, the answer buttons, and the invitation,
nudge and reminder built from them. Shared by the replies to the asker (`compose`) and the messages queued to
others (`notices`)."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.files import ics_url
from bot.i18n import Text, format_datetime
from bot.messages import Button, Card, Location, Reply
from handlers.rsvp.payloads import Answer, Choice, MyQr
from handlers.rsvp.texts import (
    AGENDA_LINE,
    ATTEND,
    CALENDAR_BUTTON,
    CONFIRMED_MARK,
    DAYS,
    DEADLINE_LINE,
    DECLINE,
    DELEGATE_LINE,
    HOURS,
    INVITATION,
    MAYBE,
    MY_STATUS,
    NUDGE,
    QR_BUTTON,
    REMINDER,
    SEATS_LINE,
    STATUS_NAMES,
    VENUE_LINE,
    WHEN_LINE,
)
from storage.models import Person
from storage.rsvp import Rsvp, RsvpStatus, Workshop


def when_range(workshop: Workshop, lang: str, settings: Settings) -> str:
    start = format_datetime(workshop.starts_at, lang, settings.tz)
    same_day = workshop.starts_at.astimezone(settings.tz).date() == workshop.ends_at.astimezone(settings.tz).date()
    end = workshop.ends_at.astimezone(settings.tz).strftime("%H:%M") if same_day else \
        format_datetime(workshop.ends_at, lang, settings.tz)
    return WHEN_LINE.render(lang, start=start, end=end)


def card(workshop: Workshop, row: Rsvp | None, lang: str, settings: Settings, taken: int | None = None) -> Card:
    lines = [when_range(workshop, lang, settings)]
    if workshop.venue:
        lines.append(VENUE_LINE.render(lang, venue=", ".join(x for x in (workshop.venue, workshop.address) if x)))
    lines.append(DEADLINE_LINE.render(lang, when=format_datetime(workshop.rsvp_deadline, lang, settings.tz)))
    if workshop.agenda:
        lines.append(AGENDA_LINE.render(lang, agenda=workshop.agenda))
    if workshop.capacity is not None and taken is not None:
        lines.append(SEATS_LINE.render(lang, taken=taken, capacity=workshop.capacity))
    if row is not None:
        lines.append(MY_STATUS.render(lang, status=STATUS_NAMES[row.status].render(lang)))
        if row.delegate_name:
            confirmed = CONFIRMED_MARK.render(lang) if row.delegate_confirmed_at else ""
            lines.append(DELEGATE_LINE.render(lang, name=row.delegate_name, position=row.delegate_position,
                                              confirmed=confirmed))
    return Card(title=workshop.title(lang), lines=lines)


def answer_buttons(workshop: Workshop, lang: str) -> list[Button]:
    assert workshop.id is not None
    return [Button(label=ATTEND.render(lang), payload=Answer(workshop.id, Choice.yes).pack()),
            Button(label=DECLINE.render(lang), payload=Answer(workshop.id, Choice.no).pack()),
            Button(label=MAYBE.render(lang), payload=Answer(workshop.id, Choice.maybe).pack())]


def calendar_button(workshop: Workshop, lang: str, settings: Settings) -> Button:
    return Button(label=CALENDAR_BUTTON.render(lang), url=ics_url(settings, workshop))


def location(workshop: Workshop) -> Location | None:
    if workshop.latitude is None or workshop.longitude is None:
        return None
    # Both platforms refuse a location without a title and an address; the coordinates stand in for a missing one.
    address = workshop.address or workshop.venue or f"{workshop.latitude:.5f}, {workshop.longitude:.5f}"
    return Location(title=workshop.venue or workshop.title_th, address=address,
                    latitude=workshop.latitude, longitude=workshop.longitude)


def with_map(workshop: Workshop, replies: list[Reply]) -> list[Reply]:
    """The replies, then the venue on a map when the workshop has a point."""
    where = location(workshop)
    return replies if where is None else [*replies, Reply(location=where)]


def details_replies(workshop: Workshop, row: Rsvp | None, lang: str, settings: Settings, now: datetime,
                    taken: int | None = None, intro: str = "") -> list[Reply]:
    """The workshop card with the person's answer, the answer buttons while answers are open, and the map."""
    buttons = answer_buttons(workshop, lang) if row is not None and now < workshop.rsvp_deadline else []
    if row is not None and row.status == RsvpStatus.yes and workshop.id is not None:
        buttons.append(Button(label=QR_BUTTON.render(lang), payload=MyQr(workshop.id).pack()))
    buttons.append(calendar_button(workshop, lang, settings))
    return with_map(workshop, [Reply(text=intro, cards=[card(workshop, row, lang, settings, taken)],
                                     buttons=buttons, keep_buttons=True)])


def invitation_replies(workshop: Workshop, lang: str, settings: Settings, text: Text = INVITATION,
                       preview: bool = False) -> list[Reply]:
    """What an invitee receives (and a nudge, with another opening line): the card, the answers, the map.

    The admin's `preview`, shown before the workshop exists, has no buttons: there is nothing to answer yet."""
    intro = text.render(lang, title=workshop.title(lang),
                        deadline=format_datetime(workshop.rsvp_deadline, lang, settings.tz))
    buttons = [] if preview else [*answer_buttons(workshop, lang), calendar_button(workshop, lang, settings)]
    return with_map(workshop, [Reply(text=intro, cards=[card(workshop, None, lang, settings)], buttons=buttons,
                                     keep_buttons=True)])


def nudge_replies(workshop: Workshop, lang: str, settings: Settings) -> list[Reply]:
    return invitation_replies(workshop, lang, settings, text=NUDGE)


def reminder_replies(workshop: Workshop, person: Person, settings: Settings, now: datetime) -> list[Reply]:
    lang = person.lang
    left = workshop.starts_at - now
    amount = DAYS.render(lang, n=round(left.total_seconds() / 86400)) if left.days >= 1 else \
        HOURS.render(lang, n=max(1, round(left.total_seconds() / 3600)))
    text = REMINDER.render(lang, left=amount, title=workshop.title(lang), start=when_range(workshop, lang, settings),
                           venue=", ".join(x for x in (workshop.venue, workshop.address) if x) or "-")
    return with_map(workshop, [Reply(text=text, buttons=[calendar_button(workshop, lang, settings)])])
