"""Deadline results as messages in a reader's language: the countdown cards, the nudge a job sends, the close
report, the admins' notice of a submission, and the answers to each chat command."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import Speaker, format_datetime
from bot.messages import Button, Card, Reply
from bot.payloads import Cmd
from handlers.deadlines.payloads import ConfirmDelete, Snooze, SubmitWindow, WindowStatus
from handlers.deadlines.texts import (
    ADMIN_TOLD,
    ALL_DONE,
    ASK_DELETE,
    CLOSED_REPORT,
    CLOSES,
    CONFIRM,
    CONFIRM_NO,
    CONFIRM_YES,
    COUNT,
    DELETE_YES,
    LEFT_DAYS,
    LEFT_HOURS,
    NO_WINDOWS,
    NONE_OPEN,
    NUDGE,
    PRESS_HINT,
    SNOOZE_BUTTON,
    STATUS_BUTTON,
    STATUS_DONE,
    STATUS_MISSING,
    STATUS_VIEW,
    SUBMIT_BUTTON,
    WINDOW_LINE,
    WINDOW_USAGE,
)
from storage.deadlines import Submission, SubmissionWindow, admins, submissions
from storage.models import Person
from storage.outbox import enqueue_to_person
from storage.reference import province_name


def title(window: SubmissionWindow, lang: str) -> str:
    return window.title_en if lang == "en" and window.title_en else window.title_th


def time_left(until: datetime, now: datetime, lang: str) -> str:
    left = max(until - now, timedelta(0))
    days, rest = divmod(int(left.total_seconds()), 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return LEFT_DAYS.render(lang, d=days, h=hours)
    return LEFT_HOURS.render(lang, h=hours, m=minutes)


def submit_button(window: SubmissionWindow, lang: str) -> Button:
    assert window.id is not None
    return Button(label=SUBMIT_BUTTON.render(lang, title=title(window, lang)[:30]),
                  payload=SubmitWindow(window.id).pack())


def nudge_reply(window: SubmissionWindow, person: Person, now: datetime, settings: Settings) -> Reply:
    """The reminder a job sends: countdown, the province's status, and the two buttons."""
    assert window.id is not None
    lang = person.lang
    link = f"\n{window.link}" if window.link else ""
    text = NUDGE.render(lang, title=title(window, lang), when=format_datetime(window.closes_at, lang, settings.tz),
                        left=time_left(window.closes_at, now, lang),
                        province=province_name(person.province_iso, lang) if person.province_iso else "",
                        link=link)
    return Reply(text=text, keep_buttons=True, buttons=[
        submit_button(window, lang), Button(label=SNOOZE_BUTTON.render(lang), payload=Snooze(window.id).pack()),
    ])


def closed_reply(window: SubmissionWindow, missing: list[str], admin: Person) -> Reply:
    lang = admin.lang
    names = ", ".join(province_name(iso, lang) for iso in missing) or ALL_DONE.render(lang)
    return Reply(text=CLOSED_REPORT.render(lang, title=title(window, lang), done=len(window.provinces) - len(missing),
                                           total=len(window.provinces), missing=names))


def tell_admins(*, session: Session, window: SubmissionWindow, province_iso: str, by: int | None,
                now: datetime) -> None:
    """Every admin but the one who recorded it hears that a province submitted, in their own language."""
    assert window.id is not None
    done = len(submissions(session=session, window_id=window.id))
    for admin in admins(session=session):
        assert admin.id is not None
        if admin.id == by:
            continue
        text = ADMIN_TOLD.render(admin.lang, province=province_name(province_iso, admin.lang),
                                 title=title(window, admin.lang), done=done, total=len(window.provinces))
        enqueue_to_person(session=session, person_id=admin.id, key=f"submitted:{window.id}:{province_iso}:{admin.id}",
                          replies=[Reply(text=text)], now=now, tag=f"window:{window.id}")


def open_windows(progress: Sequence[tuple[SubmissionWindow, Mapping[str, Submission]]], reader: Speaker, now: datetime,
                 province_iso: str | None, may_submit: bool, may_see_status: bool) -> Reply:
    """The open windows as cards with a countdown, the reader's province's status, and the buttons they may use."""
    if not progress:
        return Reply(text=reader.t(NONE_OPEN))
    cards, buttons = [], []
    for window, done in progress:
        assert window.id is not None
        lines = [reader.t(CLOSES, when=reader.when(window.closes_at), left=time_left(window.closes_at, now,
                                                                                     reader.lang))]
        if province_iso in window.provinces:
            mine = done.get(province_iso)
            province = province_name(province_iso, reader.lang)
            lines.append(reader.t(STATUS_DONE, province=province, when=reader.when(mine.submitted_at)) if mine
                         else reader.t(STATUS_MISSING, province=province))
            if mine is None and may_submit:
                buttons.append(submit_button(window, reader.lang))
        lines.append(reader.t(COUNT, done=len(done), total=len(window.provinces)))
        if may_see_status:
            buttons.append(Button(label=reader.t(STATUS_BUTTON, id=window.id), payload=WindowStatus(window.id).pack()))
        cards.append(Card(title=title(window, reader.lang), lines=lines,
                          progress=round(100 * len(done) / len(window.provinces))))
    return Reply(text=reader.t(PRESS_HINT) if buttons else "", cards=cards, buttons=buttons)


def confirm_submission(window: SubmissionWindow, province_iso: str, reader: Speaker) -> Reply:
    assert window.id is not None
    return Reply(text=reader.t(CONFIRM, province=province_name(province_iso, reader.lang),
                               title=title(window, reader.lang)),
                 buttons=[Button(label=reader.t(CONFIRM_YES), payload=SubmitWindow(window.id, True).pack()),
                          Button(label=reader.t(CONFIRM_NO), payload=Cmd("deadlines").pack())])


def window_list(windows: list[tuple[SubmissionWindow, int]], reader: Speaker) -> Reply:
    """The last 20 windows with their counts, and status buttons for the last five."""
    if not windows:
        return Reply(text=reader.t(NO_WINDOWS) + "\n" + reader.t(WINDOW_USAGE))
    lines = [reader.t(WINDOW_LINE, id=w.id, title=title(w, reader.lang), when=reader.when(w.closes_at), done=done,
                      total=len(w.provinces)) for w, done in windows[-20:]]
    buttons = [Button(label=reader.t(STATUS_BUTTON, id=w.id), payload=WindowStatus(w.id).pack())
               for w, _ in windows[-5:] if w.id is not None]
    return Reply(text="\n".join(lines), buttons=buttons)


def window_status(window: SubmissionWindow, done: list[str], missing: list[str], reader: Speaker) -> Reply:
    def names(isos: list[str]) -> str:
        return ", ".join(province_name(iso, reader.lang) for iso in isos) or "-"

    return Reply(text=reader.t(STATUS_VIEW, id=window.id, title=title(window, reader.lang),
                               when=reader.when(window.closes_at), done=len(done), left=len(missing),
                               submitted=names(done), missing=names(missing)))


def ask_delete(window: SubmissionWindow, nudges_to_come: int, submitted: int, reader: Speaker) -> Reply:
    """What a delete stops (reminders to come, submissions recorded), before it is done."""
    assert window.id is not None
    return Reply(text=reader.t(ASK_DELETE, id=window.id, title=title(window, reader.lang), nudges=nudges_to_come,
                               done=submitted),
                 buttons=[Button(label=reader.t(DELETE_YES), payload=ConfirmDelete(window.id).pack()),
                          Button(label=reader.t(CONFIRM_NO), payload=Cmd("window").pack())])
