"""Button payloads: small typed records that pack into a button's data and unpack on the way back.

Telegram allows 64 bytes of callback data and Thai takes 3 bytes a character, so payloads are ASCII.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from typing import Any, ClassVar, Self

from storage.db import MAX_INTEGER

MAX_BYTES = 64
SEPARATOR = ":"


class PayloadError(ValueError):
    """Data from an old or forged button that does not unpack."""


@dataclasses.dataclass(frozen=True)
class Payload:
    """Base class; subclasses are frozen dataclasses with a unique `prefix`."""

    prefix: ClassVar[str] = ""

    def pack(self) -> str:
        fields = [getattr(self, name) for name, _ in _fields(type(self))]
        values = [str(v.value if isinstance(v, Enum) else v) for v in fields]
        for value in values:
            if SEPARATOR in value:
                raise ValueError(f"{SEPARATOR!r} inside a payload field: {value!r}")
        data = SEPARATOR.join([self.prefix, *values])
        if not data.isascii() or len(data.encode()) > MAX_BYTES:
            raise ValueError(f"payload must be ASCII and at most {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str) -> Self:
        prefix, *values = data.split(SEPARATOR)
        fields = _fields(cls)
        if prefix != cls.prefix or len(values) != len(fields):
            raise PayloadError(data)
        try:
            return cls(**{name: _convert(kind, v) for (name, kind), v in zip(fields, values, strict=True)})
        except (TypeError, ValueError) as exc:
            raise PayloadError(data) from exc


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """A payload type's fields (all flat: numbers, words, enums, bools) with their types, in order; looked up once
    per type, not on every button pressed."""
    if cls not in _FIELDS:
        hints = typing.get_type_hints(cls)
        _FIELDS[cls] = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
    return _FIELDS[cls]


def _convert(kind: Any, raw: str) -> Any:
    """A field's value from its packed form; anything a packed field could not have been is refused."""
    if kind is bool:
        if raw not in ("True", "False"):
            raise ValueError(raw)
        return raw == "True"
    value = kind(raw)
    if kind is int and not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
        raise ValueError(raw)  # no row has it, and PostgreSQL would refuse the query rather than find nothing
    return value


def prefix_of(data: str) -> str:
    return data.split(SEPARATOR, 1)[0]


@dataclasses.dataclass(frozen=True)
class Cmd(Payload):
    """A menu button that runs a command as if it had been typed, e.g. `Cmd("help")`."""

    prefix: ClassVar[str] = "cmd"
    name: str
    arg: str = ""


@dataclasses.dataclass(frozen=True)
class Tab(Payload):
    """A rich menu tab header: LINE switches the menu itself and sends this along, which needs no answer."""

    prefix: ClassVar[str] = "tab"
    index: int
