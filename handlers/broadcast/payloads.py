"""The broadcast feature's buttons."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from bot.payloads import Payload
from storage.broadcast import LineMode


@dataclasses.dataclass(frozen=True)
class Confirm(Payload):
    """Send a previewed broadcast to LINE in this mode (all, Telegram only, partial)."""

    prefix: ClassVar[str] = "bcc"
    broadcast: int
    mode: LineMode = LineMode.all


@dataclasses.dataclass(frozen=True)
class Cancel(Payload):
    prefix: ClassVar[str] = "bcx"
    broadcast: int


@dataclasses.dataclass(frozen=True)
class Status(Payload):
    prefix: ClassVar[str] = "bcs"
    broadcast: int


@dataclasses.dataclass(frozen=True)
class Acks(Payload):
    prefix: ClassVar[str] = "bcw"
    broadcast: int


@dataclasses.dataclass(frozen=True)
class Ack(Payload):
    """The recipient's "รับทราบ"."""

    prefix: ClassVar[str] = "bca"
    broadcast: int
