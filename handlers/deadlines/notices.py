"""Deadline messages to people other than the one asking: the nudge a job sends, the admins' report when a
window closes, and their notice of a submission; and how a window is named and counted down everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import format_datetime
from bot.messages import Button, Reply
from handlers.deadlines.payloads import Snooze, SubmitWindow
from handlers.deadlines.texts import (
    ADMIN_TOLD,
    ALL_DONE,
    CLOSED_REPORT,
    LEFT_DAYS,
    LEFT_HOURS,
    NUDGE,
    SNOOZE_BUTTON,
    SUBMIT_BUTTON,
)
from storage.deadlines import SubmissionWindow, admins, submissions
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
