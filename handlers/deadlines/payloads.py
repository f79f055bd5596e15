"""The deadlines feature's buttons."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from bot.payloads import Payload


@dataclasses.dataclass(frozen=True)
class SubmitWindow(Payload):
    """"Our province has submitted" for a window; `confirmed` is the second press."""

    prefix: ClassVar[str] = "dls"
    window: int
    confirmed: bool = False


@dataclasses.dataclass(frozen=True)
class Snooze(Payload):
    prefix: ClassVar[str] = "dlz"
    window: int


@dataclasses.dataclass(frozen=True)
class WindowStatus(Payload):
    prefix: ClassVar[str] = "dlw"
    window: int


@dataclasses.dataclass(frozen=True)
class DeleteWindow(Payload):
    """Ask to delete a window, showing what stops."""

    prefix: ClassVar[str] = "dld"
    window: int


@dataclasses.dataclass(frozen=True)
class ConfirmDelete(Payload):
    prefix: ClassVar[str] = "dlx"
    window: int
