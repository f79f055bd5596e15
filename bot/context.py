"""What a handler gets besides the message: the session, who is asking, the time and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import Text, format_datetime
from bot.planner import NoPlanner, Planner
from storage.models import Account, Person

if TYPE_CHECKING:
    from bot.router import Routes


@dataclass
class Context:
    session: Session
    person: Person
    account: Account
    now: datetime
    settings: Settings
    routes: Routes
    planner: Planner = field(default_factory=NoPlanner)
    """Jobs to plan or cancel because of this change; carried out once the handler's transaction commits."""
    line_quota: Callable[[], int | None] = lambda: None
    """LINE messages left this month (None: no limit, or no LINE): a call to LINE through its adapter, given by
    the service, so a handler needs no platform code to show the quota."""

    @property
    def lang(self) -> str:
        return self.person.lang

    def t(self, message: Text, /, **params: object) -> str:
        """Render a text in the person's language."""
        return message.render(self.person.lang, **params)

    def when(self, moment: datetime, with_time: bool = True) -> str:
        return format_datetime(moment, self.person.lang, self.settings.tz, with_time)
