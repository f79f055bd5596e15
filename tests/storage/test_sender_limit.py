"""The per-person limit on incoming events: a token bucket per platform and sender, spent at the time each
event was received (however late it is handled), refilled at the configured rate up to the burst; the sender is
asked to slow down once per flood."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from storage.inbox import Allowance, Limit, load_buckets, save_buckets, take_token

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
LIMIT = Limit(per_min=30, burst=3)  # a token every two seconds


def take(session: Session, seconds: float = 0, sender: str = "U1", platform: str = "line") -> Allowance:
    """One event handled in a batch of its own: the bucket read, spent from and stored."""
    buckets = load_buckets(session=session, senders=[(platform, sender)])
    allowance = take_token(platform=platform, sender=sender, at=T0 + timedelta(seconds=seconds), limit=LIMIT,
                           buckets=buckets)
    save_buckets(session=session, buckets=buckets)
    return allowance


def test_a_burst_is_allowed_then_the_sender_is_told_once_and_the_rest_is_excess(session: Session) -> None:
    assert [take(session) for _ in range(6)] == [Allowance.ok] * 3 + [Allowance.first_excess] + [Allowance.excess] * 2


def test_tokens_come_back_at_the_rate_but_a_flood_that_goes_on_is_not_told_again(session: Session) -> None:
    for _ in range(4):
        take(session)
    assert take(session, seconds=1) == Allowance.excess  # half a token
    assert take(session, seconds=2) == Allowance.ok  # one token back
    assert take(session, seconds=2) == Allowance.excess  # still the same flood: not asked twice
    assert [take(session, seconds=7) for _ in range(3)] == [Allowance.ok] * 2 + [Allowance.excess]  # 2.5 back


def test_once_the_bucket_has_refilled_a_new_flood_is_told_again(session: Session) -> None:
    for _ in range(4):
        take(session)
    assert [take(session, seconds=6) for _ in range(4)] == [Allowance.ok] * 3 + [Allowance.first_excess]


def test_each_sender_on_each_platform_has_a_bucket_of_their_own(session: Session) -> None:
    for _ in range(4):
        take(session, sender="U1")
    assert take(session, sender="U2") == Allowance.ok
    assert take(session, sender="U1", platform="telegram") == Allowance.ok


def test_the_rate_is_that_of_sending_not_of_handling(session: Session) -> None:
    """Events handled late, or out of their received order, are counted when they were sent."""
    assert [take(session, seconds=s) for s in (0, 0.1, 0.2)] == [Allowance.ok] * 3
    assert take(session, seconds=0.1) == Allowance.first_excess  # received earlier: no refill for it
    assert take(session, seconds=2.2) == Allowance.ok


def test_buckets_looked_up_ahead_for_a_batch_are_the_stored_ones(session: Session) -> None:
    """A batch of events (one per sender) reads its senders' buckets in one query and writes them back in one;
    spending from them is as spending from storage, and a sender without one gets a full bucket."""
    for _ in range(3):
        take(session)
    buckets = load_buckets(session=session, senders=[("line", "U1"), ("line", "U2")])
    assert buckets[("line", "U2")] is None
    spent = [take_token(platform="line", sender=sender, at=T0, limit=LIMIT, buckets=buckets)
             for sender in ("U1", "U2")]
    assert spent == [Allowance.first_excess, Allowance.ok]
    save_buckets(session=session, buckets=buckets)
    assert [take(session, sender="U2") for _ in range(3)] == [Allowance.ok] * 2 + [Allowance.first_excess]
    assert take(session, sender="U1") == Allowance.excess  # told once, stored with the batch
