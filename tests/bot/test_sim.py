"""The chat simulator outside the browser: it exists only in demo mode, and it shows Telegram's formatting and
LINE's Flex styles faithfully without letting a message's content out of its place (tests/browser/ drive it)."""

from __future__ import annotations

import httpx

from bot.sim.views import flex_style, linkify, telegram_html


async def test_the_simulator_is_not_served_outside_demo_mode(client: httpx.AsyncClient) -> None:
    for path in ("/sim", "/sim?person=admin", "/sim/parts?person=admin", "/sim/static/sim.js"):
        assert (await client.get(path)).status_code == 404
    assert (await client.post("/sim/send", data={"person": "admin", "typed": "/help"})).status_code == 404


def test_telegram_entities_become_nested_html_at_their_utf16_offsets() -> None:
    text = "📅 สัมมนา <วันนี้> ดูที่นี่"
    # 📅 is two UTF-16 code units: "สัมมนา" starts at 3, the link covers "ดูที่นี่".
    entities = [{"type": "bold", "offset": 3, "length": 15}, {"type": "italic", "offset": 10, "length": 8},
                {"type": "text_link", "offset": 19, "length": 8, "url": "https://example.org/a?b=1&c=2"}]

    html = telegram_html(text, entities)

    assert html == ('📅 <b>สัมมนา <i>&lt;วันนี้&gt;</i></b> '
                    '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener">ดูที่นี่</a>')


def test_overlapping_telegram_entities_still_nest() -> None:
    html = telegram_html("abcd", [{"type": "bold", "offset": 0, "length": 3}, {"type": "italic", "offset": 1,
                                                                                "length": 3}])

    assert html == "<b>a<i>bc</i></b><i>d</i>"


def test_a_link_that_is_not_a_web_address_goes_nowhere() -> None:
    html = telegram_html("x", [{"type": "text_link", "offset": 0, "length": 1, "url": "javascript:alert(1)"}])

    assert 'href="#"' in html and "javascript" not in html


def test_flex_styles_become_css_and_a_value_that_could_break_out_is_dropped() -> None:
    node = {"type": "text", "size": "sm", "weight": "bold", "color": "#555555", "align": "end", "wrap": True}
    assert flex_style(node) == ("color: #555555; font-size: 13px; font-weight: bold; text-align: right; "
                                "white-space: pre-wrap")
    assert flex_style({"type": "box", "backgroundColor": "red;background:url(x)", "width": "40%"}) == "width: 40%"


def test_line_text_shows_web_addresses_as_links_and_nothing_else_as_markup() -> None:
    assert linkify("ดู <b> https://a.example/x?y=1") == (
        'ดู &lt;b&gt; <a href="https://a.example/x?y=1" target="_blank" rel="noopener">https://a.example/x?y=1</a>')
