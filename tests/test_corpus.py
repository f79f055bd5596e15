"""The corpus of typed messages (tests/corpus/messages.tsv) through the real router and date reader."""

from __future__ import annotations

from tests.corpus import Case, load, run, understand

TARGET = 0.97


def test_the_corpus_is_big_and_covers_every_feature() -> None:
    cases = load()
    assert len(cases) >= 400
    assert {c.feature for c in cases} >= {"help", "registration", "rsvp", "projects", "deadlines", "broadcast",
                                          "ack", "people", "none", "dates", "search"}


def test_typed_messages_reach_the_route_meant_and_never_a_wrong_write() -> None:
    outcomes = run(load(), understand)
    wrong = [(o.case.text, o.case.route, o.case.args, o.route, o.args) for o in outcomes if not o.right]
    assert [o.case.text for o in outcomes if o.wrong_write] == []
    assert 1 - len(wrong) / len(outcomes) >= TARGET, wrong


def test_a_wrong_route_to_a_write_is_counted() -> None:
    """The scorer itself: an answer sent where a lookup was meant is a wrong write."""
    [outcome] = run([Case("rsvp", "x", "workshops", "")], lambda text, feature: ("rsvp", "3 yes"))
    assert outcome.wrong_write and not outcome.right
