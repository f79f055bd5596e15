"""The corpus of typed messages (tests/corpus/messages.tsv) through the real router and date reader."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import parse_datetime
from bot.understand import normalize, search_text
from handlers import routes
from tests.corpus import Case, load, run

TARGET = 0.97
TEXT_ROUTES = {"bare_code": "code"}


def understand(text: str, feature: str) -> tuple[str, str]:
    """What the bot makes of `text`: the route it reaches and the argument the handler reads."""
    if feature == "dates":
        try:
            return "date", parse_datetime(text, ZoneInfo("Asia/Bangkok")).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return "none", ""
    if feature == "search":
        return "search", search_text(text)
    table = routes()
    found = table.match(text)
    if found is not None:
        return found[0].words[0], found[1]
    typed = normalize(text)
    for router in table.routers:
        for matcher, handler in router.texts:
            if matcher(typed):
                return TEXT_ROUTES[handler.__name__], typed
    return "none", ""


def test_the_corpus_is_big_and_covers_every_feature() -> None:
    cases = load()
    assert len(cases) >= 400
    assert {c.feature for c in cases} >= {"help", "registration", "rsvp", "projects", "deadlines", "broadcast",
                                          "ack", "people", "none", "dates", "search"}


def test_typed_messages_reach_the_route_meant_and_never_a_wrong_write() -> None:
    cases = load()
    outcomes = [o for case in cases for o in run([case], lambda t, c=case: understand(t, c.feature))]
    wrong = [(o.case.text, o.case.route, o.case.args, o.route, o.args) for o in outcomes if not o.right]
    writes = [o.case.text for o in outcomes if o.wrong_write]
    assert writes == []
    assert 1 - len(wrong) / len(outcomes) >= TARGET, wrong


def test_a_wrong_route_to_a_write_is_counted() -> None:
    """The scorer itself: an answer sent where a lookup was meant is a wrong write."""
    [outcome] = run([Case("rsvp", "x", "workshops", "")], lambda _: ("rsvp", "3 yes"))
    assert outcome.wrong_write and not outcome.right
