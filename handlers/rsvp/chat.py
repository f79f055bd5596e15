"""The RSVP chat routes: each reads what was typed or pressed, calls a use case and composes its reply. The
commands and buttons are listed in `handlers.rsvp`'s docstring."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UsageError
from bot.messages import Incoming, Kind, Reply
from bot.router import Router
from handlers.registration import code_lockout, wrong_code
from handlers.rsvp import board, checkin, compose, create, service
from handlers.rsvp.payloads import (
    AdminView,
    Answer,
    CreateCancel,
    CreateConfirm,
    Details,
    Export,
    LowerSeats,
    MyQr,
    NudgeSilent,
    Offer,
)
from handlers.rsvp.texts import (
    ATTENDEES_CMD,
    ATTENDEES_EXAMPLE,
    ATTENDEES_USAGE,
    CHECKIN_CMD,
    CHECKIN_EXAMPLE,
    CHOICES,
    DELEGATE_CMD,
    DELEGATE_EXAMPLE,
    DELEGATE_USAGE,
    MY_WORKSHOPS,
    NEW_WORKSHOP_CMD,
    NEW_WORKSHOP_EXAMPLE,
    RSVP_CMD,
    RSVP_EXAMPLE,
    WORKSHOPS_EXAMPLE,
    WORKSHOPS_LABEL,
)
from storage.db import whole_number
from storage.models import Role
from storage.rsvp import RsvpStatus

router = Router("rsvp")

RSVP_USAGE = "/rsvp ID [yes|no|maybe]"


def _me(ctx: Context) -> int:
    assert ctx.person.id is not None
    return ctx.person.id


@router.command("workshops", "สัมมนา", "myworkshops", summary=MY_WORKSHOPS, label=WORKSHOPS_LABEL,
                example=WORKSHOPS_EXAMPLE,
                aliases=("สัมนา", "สัมมณา", "สำมะนา", "สัมมนาของฉัน", "งานสัมมนา", "workshop", "การประชุม"),
                private=True)
def my_workshops(msg: Incoming, ctx: Context) -> list[Reply]:
    mine = service.my_workshops(session=ctx.session, person_id=_me(ctx), now=ctx.now)
    return compose.my_workshops(mine, ctx.lang, ctx.settings)


def _details(ctx: Context, workshop_id: int) -> list[Reply]:
    seen = service.see_workshop(session=ctx.session, person=ctx.person, workshop_id=workshop_id)
    return compose.seen(seen, ctx.lang, ctx.settings, ctx.now)


def _answer(ctx: Context, workshop_id: int, choice: RsvpStatus) -> list[Reply]:
    result = service.answer_invitation(session=ctx.session, person_id=_me(ctx), workshop_id=workshop_id,
                                       choice=choice, settings=ctx.settings, now=ctx.now, planner=ctx.planner)
    return compose.answered(result, ctx.lang, ctx.settings)


@router.button(Details, private=True)
def details(msg: Incoming, ctx: Context, data: Details) -> list[Reply]:
    return _details(ctx, data.workshop)


@router.command("rsvp", "ตอบรับ", summary=RSVP_CMD, example=RSVP_EXAMPLE,
                aliases=("rvsp", "ตอบรัป", "ตอบกลับ", "ตอบรับเชิญ"), private=True)
def rsvp_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/rsvp ID`: the details button's answer; `/rsvp ID yes`: the answer button's (the same use cases)."""
    words = msg.args.split()
    workshop_id = whole_number(words[0]) if words else None
    if workshop_id is None or len(words) > 2:
        raise UsageError(usage=RSVP_USAGE)
    if len(words) == 1:
        return _details(ctx, workshop_id)
    choice = CHOICES.get(words[1].lower())
    if choice is None:
        raise UsageError(usage=RSVP_USAGE)
    return _answer(ctx, workshop_id, choice.status)


@router.button(Answer, private=True)
def answer_button(msg: Incoming, ctx: Context, data: Answer) -> list[Reply]:
    return _answer(ctx, data.workshop, data.choice.status)


@router.button(Offer, private=True)
def offer_answer(msg: Incoming, ctx: Context, data: Offer) -> list[Reply]:
    result = service.answer_offer(session=ctx.session, person_id=_me(ctx), workshop_id=data.workshop,
                                  accept=data.accept, settings=ctx.settings, now=ctx.now, planner=ctx.planner)
    return compose.answered(result, ctx.lang, ctx.settings)


def _names_a_workshop(argument: str) -> bool:
    """`/delegate 2 …` names a delegate for workshop 2; any other argument is a delegate's code."""
    return whole_number((argument.split() or [""])[0]) is not None


@router.command("delegate", "ผู้แทน", summary=DELEGATE_CMD, example=DELEGATE_EXAMPLE,
                aliases=("ส่งผู้แทน", "ตัวแทน", "ผู้แทนเข้าร่วม"), verbatim=True, private=True)
def confirm_delegate(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/delegate CODE`: the delegate confirms. A code guessed, used or out of date gets the invite codes' answer
    and counts towards their lockout."""
    words = msg.args.split()
    if not words:
        raise UsageError(usage=DELEGATE_USAGE)
    if (locked := code_lockout(ctx)) is not None:
        return locked
    confirmed = service.confirm_delegate_code(session=ctx.session, person=ctx.person, account=ctx.account,
                                              code=words[0], now=ctx.now)
    if confirmed is None:
        return wrong_code(ctx, "delegate", words[0])
    return compose.delegate_confirmed(confirmed, ctx.lang, ctx.settings, ctx.now)


@router.command("delegate", "ผู้แทน", args=_names_a_workshop, roles={Role.deputy_governor}, private=True)
def name_delegate(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/delegate ID NAME | POSITION | CONTACT`: a deputy governor sends someone in their place."""
    first, rest = [*msg.args.split(maxsplit=1), ""][:2]
    workshop_id = whole_number(first)
    assert workshop_id is not None  # the variant's matcher
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1] or len(parts) > 3:
        raise UsageError(usage=DELEGATE_USAGE)
    named = service.appoint_delegate(session=ctx.session, person_id=_me(ctx), workshop_id=workshop_id,
                                     name=parts[0], position=parts[1], contact=parts[2] if len(parts) == 3 else "",
                                     settings=ctx.settings, now=ctx.now, planner=ctx.planner)
    return compose.delegate_named(named, ctx.lang)


def _has_code(argument: str) -> bool:
    """`/checkin CODE` is the staff's; `/checkin` alone, the attendee's."""
    return bool(argument.strip())


@router.command("checkin", "เช็คอิน", "check-in", summary=CHECKIN_CMD, example=CHECKIN_EXAMPLE,
                aliases=("เช็กอิน", "เชคอิน", "เช็คอิ้น", "ลงทะเบียนหน้างาน"), private=True)
def checkin_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/checkin`: my QR code, for the next workshop where I hold a seat."""
    workshop_id = checkin.next_seat(session=ctx.session, person_id=_me(ctx), now=ctx.now)
    if workshop_id is None:
        return compose.no_seat(ctx.lang)
    return _my_qr(ctx, workshop_id)


@router.command("checkin", "เช็คอิน", "check-in", args=_has_code, roles={Role.admin}, private=True)
def staff_checkin(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/checkin CODE`: staff (admins) mark that seat's arrival."""
    arrival = checkin.check_in_code(session=ctx.session, code=msg.args.split()[0], by=ctx.person.id,
                                    settings=ctx.settings, now=ctx.now, via="chat")
    return compose.arrival(arrival, ctx.lang, ctx.settings)


def _my_qr(ctx: Context, workshop_id: int) -> list[Reply]:
    seat = checkin.seat_at(session=ctx.session, person_id=_me(ctx), workshop_id=workshop_id)
    return compose.seat(seat, ctx.lang, ctx.settings)


@router.button(MyQr, private=True)
def my_qr(msg: Incoming, ctx: Context, data: MyQr) -> list[Reply]:
    return _my_qr(ctx, data.workshop)


@router.command("attendees", "ผู้เข้าร่วม", roles={Role.admin}, summary=ATTENDEES_CMD, example=ATTENDEES_EXAMPLE,
                aliases=("รายชื่อผู้เข้าร่วม", "ผู้เข้าร่วมสัมมนา"), private=True, slow=True)
def attendees_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """`/attendees`: the workshops ahead; `/attendees ID`: its board."""
    words = msg.args.split()
    if not words:
        return compose.upcoming(board.upcoming(session=ctx.session, now=ctx.now), ctx.lang, ctx.settings)
    workshop_id = whole_number(words[0])
    if workshop_id is None or len(words) > 1:
        raise UsageError(usage=ATTENDEES_USAGE)
    return _board(ctx, workshop_id)


def _sets_seats(argument: str) -> bool:
    """`/attendees ID seats N [PER_PROVINCE]` (or `ที่นั่ง`)."""
    words = argument.split()
    return len(words) >= 2 and whole_number(words[0]) is not None and words[1].lower() in ("seats", "ที่นั่ง")


@router.command("attendees", "ผู้เข้าร่วม", args=_sets_seats, roles={Role.admin}, private=True)
def set_seats_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """Seats below those already taken are asked about first (`LowerSeats`)."""
    first, _, *numbers = msg.args.split()
    workshop_id = whole_number(first)
    assert workshop_id is not None  # the variant's matcher
    seats = [whole_number(w) if w.isdecimal() else None for w in numbers]
    if not 1 <= len(seats) <= 2 or any(n is None or n < 1 for n in seats):
        raise UsageError(usage=ATTENDEES_USAGE)
    return _set_seats(ctx, workshop_id, seats[0] or 0, seats[1] if len(seats) == 2 else None, confirmed=False)


def _board(ctx: Context, workshop_id: int) -> list[Reply]:
    return compose.board(board.workshop_board(session=ctx.session, workshop_id=workshop_id), ctx.lang, ctx.settings)


def _set_seats(ctx: Context, workshop_id: int, capacity: int, per_province: int | None,
               confirmed: bool) -> list[Reply]:
    result = board.set_seats(session=ctx.session, workshop_id=workshop_id, capacity=capacity,
                             per_province=per_province, confirmed=confirmed, by=ctx.person.id,
                             settings=ctx.settings, now=ctx.now, planner=ctx.planner)
    return compose.seats(result, ctx.lang)


@router.button(LowerSeats, roles={Role.admin}, private=True)
def lower_seats(msg: Incoming, ctx: Context, data: LowerSeats) -> list[Reply]:
    return _set_seats(ctx, data.workshop, data.capacity, data.per_province or None, confirmed=True)


@router.button(AdminView, roles={Role.admin}, private=True)
def admin_view(msg: Incoming, ctx: Context, data: AdminView) -> list[Reply]:
    return _board(ctx, data.workshop)


@router.button(NudgeSilent, roles={Role.admin}, private=True)
def nudge_silent(msg: Incoming, ctx: Context, data: NudgeSilent) -> list[Reply]:
    sent = board.nudge_silent(session=ctx.session, workshop_id=data.workshop, by=ctx.person.id,
                              settings=ctx.settings, now=ctx.now)
    return compose.nudged(sent, ctx.lang)


@router.button(Export, roles={Role.admin}, private=True, slow=True)
def export(msg: Incoming, ctx: Context, data: Export) -> list[Reply]:
    result = board.export_link(session=ctx.session, workshop_id=data.workshop, fmt=data.fmt, contacts=data.contacts,
                               by=ctx.person, settings=ctx.settings, now=ctx.now, via="chat")
    return compose.exported(result, ctx.lang)


# Admins create a workshop in chat: one message, one `key=value` line per field; a preview with the number of
# invitees; a confirmation button. Only the typed form is kept (a draft) until the button is pressed.

@router.command("newworkshop", "สร้างสัมมนา", roles={Role.admin}, summary=NEW_WORKSHOP_CMD,
                example=NEW_WORKSHOP_EXAMPLE, aliases=("สร้างสัมนา", "เพิ่มสัมมนา"), verbatim=True, private=True)
def new_workshop_command(msg: Incoming, ctx: Context) -> list[Reply]:
    """Without a form: an example to copy. With one: the preview and the confirmation button."""
    if not msg.args:
        return compose.form_example(ctx.lang, ctx.settings, ctx.now)
    return _preview(ctx, msg.args)


def _preview(ctx: Context, form: str) -> list[Reply]:
    preview = create.preview_form(session=ctx.session, person_id=_me(ctx), form=form, settings=ctx.settings,
                                  now=ctx.now)
    return compose.preview(preview, ctx.lang, ctx.settings)


@router.event(Kind.location, private=True)
def shared_location(msg: Incoming, ctx: Context) -> list[Reply]:
    """A location shared in chat becomes the map point (and, if the form has none, the venue) of the person's
    workshop form waiting for confirmation, and the preview is shown again; otherwise its coordinates are echoed.
    Only admins have such forms (the command that makes them is theirs)."""
    assert msg.point is not None
    point = create.map_point(msg.point)
    form = create.form_with_point(session=ctx.session, person_id=_me(ctx), point=point, venue=msg.text, now=ctx.now)
    if form is None:
        return compose.point_received(point, ctx.lang)
    return _preview(ctx, form)


@router.button(CreateConfirm, roles={Role.admin}, private=True)
def confirm_workshop(msg: Incoming, ctx: Context, data: CreateConfirm) -> list[Reply]:
    result = create.confirm_draft(session=ctx.session, person_id=_me(ctx), draft_id=data.draft,
                                  settings=ctx.settings, now=ctx.now, planner=ctx.planner)
    return compose.created(result, ctx.lang)


@router.button(CreateCancel, roles={Role.admin}, private=True)
def cancel_workshop(msg: Incoming, ctx: Context, data: CreateCancel) -> list[Reply]:
    result = create.cancel_draft(session=ctx.session, person_id=_me(ctx), draft_id=data.draft, now=ctx.now)
    return compose.draft_closed(result, ctx.lang)
