"""What a handler gets besides the message: the session, who is asking, the time and the settings."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from bot.config import Settings
from bot.i18n import Text, format_datetime, on_clock
from bot.payloads import Payload
from bot.planner import NoPlanner, Planner
from bot.quota import UNREAD, LineQuota
from storage.models import Account, Person, Role


class Entry(Protocol):
    """A command as the help menu shows it."""

    @property
    def words(self) -> tuple[str, ...]: ...
    @property
    def summary(self) -> Text | None: ...
    @property
    def label(self) -> Text | None: ...
    @property
    def example(self) -> Text | None: ...


class Catalogue(Hashable, Protocol):
    """What the routes tell the help menu and handlers about the commands and buttons a role may use (the
    router implements it; a handler never sees the routes themselves). Hashable, so what is made of it once (the
    help menu) is kept with it."""

    def visible_groups(self, role: Role) -> Sequence[tuple[str, Sequence[Entry]]]:
        """The commands listed in the help menu for this role, grouped by feature."""

    def suggest(self, text: str, role: Role, limit: int) -> Sequence[Entry]:
        """The commands nearest to `text` that this role may use, for "did you mean"."""

    def may_press(self, role: Role, payload_type: type[Payload]) -> bool:
        """Whether this role may press a button of this payload type (so a handler offers only those)."""


@dataclass
class Context:
    session: Session
    person: Person
    account: Account
    now: datetime
    settings: Settings
    catalogue: Catalogue
    planner: Planner = field(default_factory=NoPlanner)
    """Jobs to plan or cancel because of this change; carried out once the handler's transaction commits."""
    line_quota: LineQuota = UNREAD
    """LINE messages left this month, read by the service before this transaction began, for the routes that
    declare `line_quota=True` (others see it unknown)."""

    @property
    def lang(self) -> str:
        return self.person.lang

    def may_press(self, payload_type: type[Payload]) -> bool:
        """Whether this person may press a button of this type: a handler offers only buttons that work."""
        return self.catalogue.may_press(self.person.role, payload_type)

    def t(self, message: Text, /, **params: object) -> str:
        """Render a text in the person's language (a `Text` or a moment among the parameters too)."""
        if not params:  # most texts have none: no time zone to look up
            return message.render(self.person.lang)
        return message.render(self.person.lang, **on_clock(params, self.settings.tz))

    def when(self, moment: datetime, with_time: bool = True) -> str:
        return format_datetime(moment, self.person.lang, self.settings.tz, with_time)
