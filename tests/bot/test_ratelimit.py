"""Outgoing pacing: slots no faster than the platform's overall rate and, per chat, Telegram's gap; a 429 pauses
everyone. The clock is replaced, so these read slots, not real waits."""

from __future__ import annotations

import pytest

from bot import ratelimit
from bot.ratelimit import RateLimiter


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The monotonic clock the limiter reads, set by the test (`now[0] = …`)."""
    moment = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: moment[0])
    return moment


def test_slots_are_spaced_by_the_overall_rate(now: list[float]) -> None:
    limiter = RateLimiter(rate_per_s=10)
    assert [round(limiter.reserve(f"chat{i}"), 3) for i in range(4)] == [0, 0.1, 0.2, 0.3]


def test_one_chat_waits_its_own_gap_and_the_overall_rate_still_holds(now: list[float]) -> None:
    limiter = RateLimiter(rate_per_s=30, per_key_per_s=1)
    assert limiter.reserve("alice") == 0
    assert limiter.reserve("alice") == pytest.approx(1.0)  # Telegram: about one message a second to one chat
    assert limiter.reserve("bob") >= 1 / 30
    now[0] += 2
    assert limiter.reserve("alice") == 0


def test_unused_time_is_not_saved_up_for_a_burst(now: list[float]) -> None:
    limiter = RateLimiter(rate_per_s=10)
    limiter.reserve("a")
    now[0] += 60
    assert [round(limiter.reserve("a"), 3) for _ in range(3)] == [0, 0.1, 0.2]


def test_a_pause_holds_every_chat_until_it_ends_and_never_shortens_an_earlier_one(now: list[float]) -> None:
    limiter = RateLimiter(rate_per_s=100, per_key_per_s=1)
    limiter.pause(5)
    limiter.pause(2)  # a shorter retry-after later does not bring the first one forward
    assert limiter.reserve("alice") == pytest.approx(5)
    assert limiter.reserve("bob") == pytest.approx(5.01)


def test_the_per_chat_memory_forgets_chats_whose_gap_has_passed(now: list[float]) -> None:
    limiter = RateLimiter(rate_per_s=1e6, per_key_per_s=1)
    for i in range(10_001):
        limiter.reserve(f"chat{i}")
    now[0] += 5
    limiter.reserve("late")
    assert list(limiter.next_for_key) == ["late"]
