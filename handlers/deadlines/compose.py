"""Deadline results as the asker's answers, in their language: the countdown cards, the confirmation, the
window list and status, what a delete stops."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.i18n import Speaker
from bot.messages import Button, Card, Reply
from bot.payloads import Cmd
from handlers.deadlines.notices import submit_button, time_left, title
from handlers.deadlines.payloads import ConfirmDelete, SubmitWindow, WindowStatus
from handlers.deadlines.texts import (
    ASK_DELETE,
    CLOSES,
    CONFIRM,
    CONFIRM_NO,
    CONFIRM_YES,
    COUNT,
    DELETE_YES,
    NO_WINDOWS,
    NONE_FOR_PROVINCE,
    NONE_OPEN,
    PRESS_HINT,
    STATUS_BUTTON,
    STATUS_DONE,
    STATUS_MISSING,
    STATUS_VIEW,
    WINDOW_LINE,
    WINDOW_USAGE,
)
from storage.deadlines import Submission, SubmissionWindow
from storage.reference import province_name


def open_windows(progress: Sequence[tuple[SubmissionWindow, Mapping[str, Submission]]], reader: Speaker, now: datetime,
                 province_iso: str | None, only_province: str | None, may_submit: bool, may_see_status: bool) -> Reply:
    """The open windows (of `only_province`, when given) as cards with a countdown, the reader's province's status,
    and the buttons they may use."""
    if not progress:
        return Reply(text=reader.t(NONE_FOR_PROVINCE, province=province_name(only_province, reader.lang))
                     if only_province else reader.t(NONE_OPEN))
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
