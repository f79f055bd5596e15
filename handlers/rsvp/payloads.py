"""The RSVP buttons' data. Fields are typed (an enum, an int, a bool) and checked when a button comes back, so an
old or forged value is "bad button" (`bot.payloads.PayloadError`), never an exception; an enum field packs its
value, never its place in the enum's order, so reordering an enum cannot remap buttons already sent."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import ClassVar

from bot.payloads import Payload
from storage.rsvp import RsvpStatus


class Choice(StrEnum):
    """The three answers an invitee can give (the other statuses are the bot's to set)."""

    yes = "yes"
    no = "no"
    maybe = "maybe"

    @property
    def status(self) -> RsvpStatus:
        return RsvpStatus(self.value)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@dataclasses.dataclass(frozen=True)
class Answer(Payload):
    prefix: ClassVar[str] = "rv"
    workshop: int
    choice: Choice


@dataclasses.dataclass(frozen=True)
class Details(Payload):
    prefix: ClassVar[str] = "wsd"
    workshop: int


@dataclasses.dataclass(frozen=True)
class Offer(Payload):
    """The answer to "a seat has freed up for you": take it, or pass it on."""

    prefix: ClassVar[str] = "rvo"
    workshop: int
    accept: bool


@dataclasses.dataclass(frozen=True)
class MyQr(Payload):
    prefix: ClassVar[str] = "rvq"
    workshop: int


@dataclasses.dataclass(frozen=True)
class AdminView(Payload):
    prefix: ClassVar[str] = "wsa"
    workshop: int


@dataclasses.dataclass(frozen=True)
class LowerSeats(Payload):
    """An admin's confirmation of seats below those already taken; `per_province` 0 means no limit."""

    prefix: ClassVar[str] = "wsl"
    workshop: int
    capacity: int
    per_province: int = 0


@dataclasses.dataclass(frozen=True)
class NudgeSilent(Payload):
    prefix: ClassVar[str] = "wsn"
    workshop: int


@dataclasses.dataclass(frozen=True)
class Export(Payload):
    prefix: ClassVar[str] = "wse"
    workshop: int
    fmt: ExportFormat
    contacts: bool = False


@dataclasses.dataclass(frozen=True)
class CreateConfirm(Payload):
    """Create the workshop an admin's form previewed (the form waits as a draft until then)."""

    prefix: ClassVar[str] = "wsc"
    draft: int


@dataclasses.dataclass(frozen=True)
class CreateCancel(Payload):
    prefix: ClassVar[str] = "wsx"
    draft: int
