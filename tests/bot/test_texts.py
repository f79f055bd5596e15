"""Every text reads right in both languages: the same placeholders in Thai and English, and English counts its
nouns ("in 1 day", "1 person", not "1 days", "Nudged 1 people")."""

from __future__ import annotations

import importlib
import pkgutil
import string

import handlers
from bot.i18n import Text


def all_texts() -> list[tuple[str, Text]]:
    """Every `Text` at the top level of a feature module (a feature package's modules too) or an error class
    (with its name, for the report), each once however many modules import it."""
    found: dict[int, tuple[str, Text]] = {}
    modules = [importlib.import_module(m.name) for m in pkgutil.walk_packages(handlers.__path__, "handlers.")]
    modules += [importlib.import_module(name) for name in ("bot.router", "bot.errors", "bot.vocab", "bot.menus")]
    for module in modules:
        for name, value in vars(module).items():
            named: list[tuple[str, object]] = [(name, value)]
            if isinstance(value, type):
                named = [(name, getattr(value, "text", None))]
            elif isinstance(value, dict):
                named = [(f"{name}[{k}]", v) for k, v in value.items()]
            for label, text in named:
                if isinstance(text, Text):
                    found.setdefault(id(text), (f"{module.__name__}.{label}", text))
    return list(found.values())


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_thai_and_english_have_the_same_placeholders() -> None:
    texts = all_texts()
    assert len(texts) > 300
    assert [name for name, text in texts if placeholders(text.th) != placeholders(text.en)] == []


def test_english_counts_its_nouns_and_thai_keeps_its_own() -> None:
    left = Text("อีก {d} วัน {h} ชั่วโมง", "{d:day|days} {h:hour|hours} left")
    assert left.render("en", d=1, h=2) == "1 day 2 hours left"
    assert left.render("en", d=0, h=1) == "0 days 1 hour left"
    assert left.render("th", d=1, h=2) == "อีก 1 วัน 2 ชั่วโมง"


def test_no_english_text_counts_a_plural_noun_without_its_singular() -> None:
    """`{n} people`, `{n} days`: written before counting was possible; they read wrong for one."""
    plural_after_count = [name for name, text in all_texts()
                          for _, field, spec, _ in string.Formatter().parse(text.en)
                          if field and not spec and text.en.split("{" + field + "}", 1)[1].startswith(
                              (" people", " days", " hours", " minutes", " provinces", " seats", " projects"))]
    assert plural_after_count == []
