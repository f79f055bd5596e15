"""What a handler gets besides the message: the session, who is asking, the time and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import Text, format_datetime
from storage.models import Account, Person

if TYPE_CHECKING:
    from bot.router import Routes
    from scheduler import Scheduler


@dataclass
class Context:
    session: Session
    person: Person
    account: Account
    now: datetime
    settings: Settings
    routes: Routes
    scheduler: Scheduler | None = None
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    line_quota: Callable[[], int | None] = lambda: None
    """LINE messages left this month (None: no limit, or no LINE): a call to LINE through its adapter, given by
    the service, so a handler needs no platform code to show the quota."""
    """Work that must wait for the handler's transaction, e.g. planning jobs (the job store commits on its own)."""

    @property
    def lang(self) -> str:
        return self.person.lang

    def t(self, message: Text, /, **params: object) -> str:
        """Render a text in the person's language."""
        return message.render(self.person.lang, **params)

    def when(self, moment: datetime, with_time: bool = True) -> str:
        return format_datetime(moment, self.person.lang, self.settings.tz, with_time)
