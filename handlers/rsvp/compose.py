"""RSVP outcomes as replies to the person who asked, in their language: the domain results of
`handlers.rsvp.service`, `checkin`, `board` and `create` in, `Reply`s out. The chat routes call these; a web
console can render the same results its own way."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Settings
from bot.files import qr_url
from bot.i18n import format_datetime
from bot.messages import Button, Card, Reply
from bot.vocab import ROLES
from handlers.rsvp.board import Board, Exported, SeatsBelow, SeatsSet
from handlers.rsvp.cards import calendar_button, card, details_replies, invitation_replies
from handlers.rsvp.checkin import Arrival, Seat
from handlers.rsvp.create import Created, DraftClosed, Preview
from handlers.rsvp.payloads import (
    AdminView,
    CreateCancel,
    CreateConfirm,
    Details,
    Export,
    ExportFormat,
    LowerSeats,
    NudgeSilent,
)
from handlers.rsvp.service import Answered, DelegateConfirmed, DelegateNamed, OfferGone, Seen
from handlers.rsvp.texts import (
    ADMIN_VIEW,
    ALL_PROVINCES,
    ALREADY_CREATED,
    ALREADY_IN,
    ANSWERS_BUTTON,
    CANCEL_BUTTON,
    CHECKED_IN,
    CHECKIN_QR,
    CLUSTERS_HEAD,
    CREATE_BUTTON,
    CREATED,
    DELEGATE_CONFIRMED,
    DELEGATE_NAMED,
    DELEGATE_WAITLIST,
    DETAILS_BUTTON,
    EXPORT_CONTACTS,
    EXPORT_CSV,
    EXPORT_READY,
    EXPORT_XLSX,
    FORM_CANCELLED,
    FORM_INVITEES,
    FORM_PREVIEW,
    FORM_REMINDERS,
    FORM_SEATS,
    FORM_SUMMARY,
    FORM_USAGE,
    MY_WORKSHOPS,
    NO_CHANGE,
    NO_SEAT,
    NO_WORKSHOPS,
    NONE_INVITED,
    NUDGE_BUTTON,
    NUDGED,
    OFFER_GONE,
    POINT_RECEIVED,
    PROVINCES_HEAD,
    RECORDED,
    SEAT_WITH_DELEGATE,
    SEATS_BELOW,
    SEATS_BELOW_PROVINCE,
    SEATS_KEPT,
    SEATS_NO,
    SEATS_SET,
    SEATS_YES,
    SILENT_HEAD,
    STATUS_NAMES,
    STILL_WAITING,
    UNLIMITED,
    WAITLISTED,
    WORKSHOP_LINE,
)
from storage import reference
from storage.models import Role
from storage.reference import province_name
from storage.rsvp import Rsvp, RsvpStatus, Workshop


def _when(moment: datetime, lang: str, settings: Settings) -> str:
    return format_datetime(moment, lang, settings.tz)


def _day(workshop: Workshop, lang: str, settings: Settings) -> str:
    """`16 ธ.ค.` / `16 Dec`: the start date without the year."""
    return format_datetime(workshop.starts_at, lang, settings.tz, with_time=False).rsplit(" ", 1)[0]


def my_workshops(mine: list[tuple[Workshop, Rsvp]], lang: str, settings: Settings) -> list[Reply]:
    """Up to ten cards with the person's answers, and a details button for each."""
    if not mine:
        return [Reply(text=NONE_INVITED.render(lang))]
    cards = [card(w, r, lang, settings) for w, r in mine[:10]]
    buttons = [Button(label=DETAILS_BUTTON.render(lang, title=w.title(lang)[:24], day=_day(w, lang, settings)),
                      payload=Details(w.id).pack()) for w, _ in mine[:10] if w.id is not None]
    return [Reply(text=MY_WORKSHOPS.render(lang), cards=cards, buttons=buttons)]


def seen(result: Seen, lang: str, settings: Settings, now: datetime) -> list[Reply]:
    return details_replies(result.workshop, result.row, lang, settings, now, result.taken)


def answered(result: Answered | OfferGone, lang: str, settings: Settings) -> list[Reply]:
    """What an answer did: recorded, waitlisted, or nothing changed."""
    if isinstance(result, OfferGone):
        if result.seated:
            return [Reply(text=NO_CHANGE.render(lang, status=STATUS_NAMES[result.row.status].render(lang)))]
        return [Reply(text=OFFER_GONE.render(lang))]
    row, workshop, title = result.row, result.workshop, result.workshop.title(lang)
    if not result.changed:
        if result.waitlisted is not None:
            return [Reply(text=STILL_WAITING.render(lang, position=result.waitlisted))]
        return [Reply(text=NO_CHANGE.render(lang, status=STATUS_NAMES[row.status].render(lang)))]
    if result.waitlisted is not None:
        return [Reply(text=WAITLISTED.render(lang, title=title, position=result.waitlisted))]
    text = RECORDED[row.status].render(lang, title=title, when=_when(workshop.starts_at, lang, settings),
                                       deadline=_when(workshop.rsvp_deadline, lang, settings))
    buttons = [calendar_button(workshop, lang, settings)] if row.status == RsvpStatus.yes else []
    return [Reply(text=text, buttons=buttons)]


def delegate_named(result: DelegateNamed, lang: str) -> list[Reply]:
    row = result.row
    text = DELEGATE_NAMED.render(lang, name=row.delegate_name, position=row.delegate_position,
                                 province=province_name(row.province_iso, lang), code=row.code)
    if result.waitlisted is not None:
        text += "\n" + DELEGATE_WAITLIST.render(lang, position=result.waitlisted)
    return [Reply(text=text)]


def delegate_confirmed(result: DelegateConfirmed, lang: str, settings: Settings, now: datetime) -> list[Reply]:
    workshop = result.workshop
    text = DELEGATE_CONFIRMED.render(lang, principal=result.principal.name, title=workshop.title(lang),
                                     when=_when(workshop.starts_at, lang, settings))
    return [Reply(text=text), *details_replies(workshop, None, lang, settings, now)]


def no_seat(lang: str) -> list[Reply]:
    return [Reply(text=NO_SEAT.render(lang))]


def seat(result: Seat, lang: str, settings: Settings) -> list[Reply]:
    """The check-in QR code of the person who comes; a principal whose delegate holds the seat is told so."""
    workshop = result.workshop
    if result.mine is not None:
        text = CHECKIN_QR.render(lang, title=workshop.title(lang), code=result.mine.code)
        return [Reply(text=text, image_url=qr_url(settings, workshop, result.mine))]
    if result.delegated is not None:
        return [Reply(text=SEAT_WITH_DELEGATE.render(lang, title=workshop.title(lang),
                                                     delegate=result.delegated.delegate_name,
                                                     code=result.delegated.code))]
    return no_seat(lang)


def arrival(result: Arrival, lang: str, settings: Settings) -> list[Reply]:
    row = result.row
    if not result.arrived:
        assert row.checked_in_at is not None
        return [Reply(text=ALREADY_IN.render(lang, name=result.name, when=_when(row.checked_in_at, lang, settings)))]
    return [Reply(text=CHECKED_IN.render(lang, name=result.name, province=province_name(row.province_iso, lang),
                                         title=result.workshop.title(lang)))]


def upcoming(workshops: list[tuple[Workshop, int]], lang: str, settings: Settings) -> list[Reply]:
    """The next twenty workshops with their seats taken, and a board button for the first ten."""
    if not workshops:
        return [Reply(text=NO_WORKSHOPS.render(lang))]
    lines = [WORKSHOP_LINE.render(lang, id=w.id, title=w.title(lang), start=_when(w.starts_at, lang, settings),
                                  yes=yes) for w, yes in workshops[:20]]
    return [Reply(text="\n".join(lines), buttons=[Button(label=f"#{w.id} {w.title(lang)[:14]}",
                                                         payload=AdminView(w.id).pack())
                                                  for w, _ in workshops[:10] if w.id is not None])]


def board(result: Board, lang: str, settings: Settings) -> list[Reply]:
    """Answers overall, per cluster and per province, the provinces that are silent, and the admin's actions."""
    workshop, tally = result.workshop, result.counts
    o = tally.overall
    seats = f"{o[RsvpStatus.yes] + o[RsvpStatus.offered]}/{workshop.capacity}" if workshop.capacity else \
        UNLIMITED.render(lang)
    lines = [ADMIN_VIEW.render(
        lang, id=workshop.id, title=workshop.title(lang), start=_when(workshop.starts_at, lang, settings),
        yes=o[RsvpStatus.yes], offered=o[RsvpStatus.offered], waitlist=o[RsvpStatus.waitlist],
        maybe=o[RsvpStatus.maybe], no=o[RsvpStatus.no] + o[RsvpStatus.lapsed], invited=o[RsvpStatus.invited],
        delegates=tally.delegates, checked_in=tally.checked_in, seats=seats)]
    lines.append(CLUSTERS_HEAD.render(lang))
    for no in sorted(result.by_cluster):
        # Bangkok belongs to no cluster
        name = reference.cluster(no).name(lang) if no else province_name("TH-10", lang)
        c = result.by_cluster[no]
        lines.append(f"• {name}: {c[RsvpStatus.yes] + c[RsvpStatus.offered]}/{sum(c.values())}")
    lines.append(PROVINCES_HEAD.render(lang))
    for iso in sorted(k for k in tally.by_province if k != "-"):
        c = tally.by_province[iso]
        lines.append(f"• {province_name(iso, lang)}: {c[RsvpStatus.yes] + c[RsvpStatus.offered]}/"
                     f"{c[RsvpStatus.waitlist]}/{c[RsvpStatus.no] + c[RsvpStatus.lapsed]}/{c[RsvpStatus.invited]}")
    silent = [province_name(iso, lang) for iso in tally.silent]
    lines.append(SILENT_HEAD.render(lang, n=len(silent), names=", ".join(silent) or "-"))
    assert workshop.id is not None
    buttons = [Button(label=NUDGE_BUTTON.render(lang), payload=NudgeSilent(workshop.id).pack()),
               Button(label=EXPORT_CSV.render(lang), payload=Export(workshop.id, ExportFormat.csv).pack()),
               Button(label=EXPORT_XLSX.render(lang), payload=Export(workshop.id, ExportFormat.xlsx).pack()),
               Button(label=EXPORT_CONTACTS.render(lang), payload=Export(workshop.id, ExportFormat.csv, True).pack())]
    return [Reply(text="\n".join(lines), buttons=buttons)]


def seats(result: SeatsSet | SeatsBelow, lang: str) -> list[Reply]:
    """Seats set, or the warning that they are below those taken, with the buttons to confirm or go back."""
    assert result.workshop.id is not None
    if isinstance(result, SeatsSet):
        per_province = result.per_province if result.per_province is not None else UNLIMITED.render(lang)
        return [Reply(text=SEATS_SET.render(lang, capacity=result.capacity, per_province=per_province,
                                            n=result.offered))]
    warnings = []
    if result.over_total is not None:
        warnings.append(SEATS_BELOW.render(lang, taken=result.over_total, capacity=result.capacity))
    if result.over_province is not None:
        iso, most = result.over_province
        warnings.append(SEATS_BELOW_PROVINCE.render(lang, province=province_name(iso, lang), taken=most,
                                                    per_province=result.per_province))
    confirm = LowerSeats(result.workshop.id, result.capacity, result.per_province or 0)
    return [Reply(text="\n".join([*warnings, SEATS_KEPT.render(lang)]), buttons=[
        Button(label=SEATS_YES.render(lang), payload=confirm.pack()),
        Button(label=SEATS_NO.render(lang), payload=AdminView(result.workshop.id).pack())])]


def nudged(sent: int, lang: str) -> list[Reply]:
    return [Reply(text=NUDGED.render(lang, n=sent))]


def exported(result: Exported, lang: str) -> list[Reply]:
    workshop, fmt = result.workshop, result.fmt
    return [Reply(text=EXPORT_READY.render(lang, title=workshop.title(lang), fmt=fmt.upper()),
                  document_url=result.url, document_name=f"workshop-{workshop.id}-attendees.{fmt}")]


def form_example(lang: str, settings: Settings, now: datetime) -> list[Reply]:
    """The form to copy, its dates a month ahead and in the reader's era, so that a copied example works as it is."""
    start = (now + timedelta(days=30)).astimezone(settings.tz).replace(hour=9, minute=0)
    moments = {"start": start, "end": start + timedelta(days=1, hours=7, minutes=30),
               "deadline": start - timedelta(days=10) + timedelta(hours=7, minutes=30)}
    era = 543 if lang == "th" else 0
    dates = {name: f"{moment.year + era}{moment:-%m-%d %H:%M}" for name, moment in moments.items()}
    return [Reply(text=FORM_USAGE.render(lang, **dates))]


def preview(result: Preview, lang: str, settings: Settings) -> list[Reply]:
    """The invitation as invitees will see it, who it goes to, and (for a chat draft) the buttons to confirm."""
    workshop = result.workshop
    scope = ALL_PROVINCES.render(lang) if workshop.scope == "all" else \
        ", ".join(province_name(iso, lang) for iso in workshop.provinces)
    lines = [FORM_INVITEES.render(lang, n=result.invited, roles=", ".join(ROLES[Role(r)].render(lang)
                                                                            for r in workshop.roles),
                                  scope=scope if len(scope) <= 300 else scope[:299] + "…"),
             FORM_SEATS.render(lang, capacity=workshop.capacity or UNLIMITED.render(lang),
                               per_province=workshop.per_province or UNLIMITED.render(lang)),
             FORM_REMINDERS.render(lang, reminders=", ".join(workshop.reminders) or "-")]
    buttons = [] if result.draft is None else [
        Button(label=CREATE_BUTTON.render(lang), payload=CreateConfirm(result.draft).pack()),
        Button(label=CANCEL_BUTTON.render(lang), payload=CreateCancel(result.draft).pack())]
    return [Reply(text=FORM_PREVIEW.render(lang)), *invitation_replies(workshop, lang, settings, preview=True),
            Reply(cards=[Card(title=FORM_SUMMARY.render(lang), lines=lines)], buttons=buttons)]


def created(result: Created | DraftClosed, lang: str) -> list[Reply]:
    if isinstance(result, DraftClosed):
        return draft_closed(result, lang)
    workshop = result.workshop
    assert workshop.id is not None
    return [Reply(text=CREATED.render(lang, id=workshop.id, title=workshop.title(lang), n=result.invited,
                                      queued=result.queued),
                  buttons=[Button(label=ANSWERS_BUTTON.render(lang), payload=AdminView(workshop.id).pack())])]


def draft_closed(result: DraftClosed, lang: str) -> list[Reply]:
    if result.workshop_id is not None:
        return [Reply(text=ALREADY_CREATED.render(lang, id=result.workshop_id))]
    return [Reply(text=FORM_CANCELLED.render(lang))]


def point_received(point: str, lang: str) -> list[Reply]:
    return [Reply(text=POINT_RECEIVED.render(lang, point=point))]
