"""Pure time rules, shared by the features and their jobs: quiet hours, and when a snoozed reminder comes back.

No scheduler here: handlers decide *when*, `bot.planner.Planner` plans it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.config import Settings
from storage.deadlines import SubmissionWindow


def _clock(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def quiet_shift(due: datetime, closes_at: datetime | None, settings: Settings) -> datetime:
    """Move a nudge out of quiet hours: to their end, or to their start when the end is not before the close
    (a send with no close, e.g. an announcement, always waits for the end)."""
    start, end = _clock(settings.quiet_start), _clock(settings.quiet_end)
    if start == end:
        return due
    tz = settings.tz
    local = due.astimezone(tz)
    day = local.date()
    if start > end:  # the quiet time spans midnight, e.g. 21:00-07:00
        if local.time() >= start:
            quiet_from, quiet_to = datetime.combine(day, start, tz), datetime.combine(day + timedelta(days=1), end, tz)
        elif local.time() < end:
            quiet_from, quiet_to = datetime.combine(day - timedelta(days=1), start, tz), datetime.combine(day, end, tz)
        else:
            return due
    elif start <= local.time() < end:
        quiet_from, quiet_to = datetime.combine(day, start, tz), datetime.combine(day, end, tz)
    else:
        return due
    return quiet_to if closes_at is None or quiet_to < closes_at else quiet_from


def snooze_until(window: SubmissionWindow, now: datetime, settings: Settings) -> datetime | None:
    """A day later, but never past the close nor in quiet hours; None when the close is too near."""
    remind_at = min(now + timedelta(days=1), window.closes_at - timedelta(hours=1))
    remind_at = quiet_shift(remind_at, window.closes_at, settings)
    return remind_at if remind_at > now else None
