"""Button payloads pack small, ASCII and typed, and refuse what would break a platform limit."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from bot.payloads import Cmd, Payload, PayloadError


@dataclasses.dataclass(frozen=True)
class Answer(Payload):
    prefix: ClassVar[str] = "ans"
    workshop_id: int
    choice: str


def test_payload_round_trips_with_its_types() -> None:
    packed = Answer(12, "yes").pack()
    assert packed == "ans:12:yes"
    assert Answer.unpack(packed) == Answer(12, "yes")


def test_thai_text_cannot_go_into_a_payload() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        Answer(1, "ใช่").pack()


def test_payload_over_telegram_64_bytes_is_refused_when_packed() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Answer(1, "x" * 60).pack()


@pytest.mark.parametrize("forged", ["ans:abc:yes", "ans:1", "ans:1:yes:extra", "xyz:1:yes", ""])
def test_forged_or_old_payloads_do_not_unpack(forged: str) -> None:
    with pytest.raises(PayloadError):
        Answer.unpack(forged)


@dataclasses.dataclass(frozen=True)
class Flag(Payload):
    prefix: ClassVar[str] = "flg"
    on: bool


def test_a_flag_is_true_or_false_and_anything_else_does_not_unpack() -> None:
    assert Flag.unpack(Flag(True).pack()) == Flag(True)
    assert Flag.unpack(Flag(False).pack()) == Flag(False)
    for forged in ("flg:yes", "flg:1", "flg:", "flg:true"):
        with pytest.raises(PayloadError):
            Flag.unpack(forged)


def test_menu_command_payload_carries_an_argument() -> None:
    assert Cmd.unpack(Cmd("lang", "en").pack()) == Cmd("lang", "en")
