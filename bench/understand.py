"""Understanding benchmark: the typed-message corpus (tests/corpus/messages.tsv) through the router's text
understanding, per feature: the share that reaches the route meant ("understood") and the route with the argument
meant ("right"), messages that would reach a write other than the one meant, and the time per message.

`--code DIR` imports the bot from another checkout (e.g. main before this change) and scores it with the same
corpus; code without `Routes.match` is read the old way (the first word, then a space). `--newmm` adds PyThaiNLP's
dictionary-based `newmm` word boundaries (the bot's vocabulary added to its dictionary): a command word must end
where a word ends. It reports the import time too; PyThaiNLP is not a dependency, install it to compare.

    .venv/bin/python bench/understand.py [--code DIR] [--newmm] [--repeat 20]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.router import Routes

ROOT = Path(__file__).resolve().parent.parent
Understand = Callable[[str, str], tuple[str, str]]


def load_corpus() -> ModuleType:
    """tests/corpus of this checkout, whichever checkout's bot is imported."""
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "tests" / "corpus" / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = module
    spec.loader.exec_module(module)
    return module


def _routes() -> Routes:
    """The bot's routes, wherever the checkout keeps them (`bot.app` now, `handlers` before)."""
    try:
        from bot.app import routes
    except ImportError:
        from handlers import routes  # type: ignore[attr-defined, no-redef]
    return routes()


def legacy(corpus: ModuleType) -> Understand:
    """The code as it was before `Routes.match`: the first word is the command, the rest after a space."""
    from zoneinfo import ZoneInfo

    from bot.i18n import parse_datetime
    from bot.router import command_word  # type: ignore[attr-defined]

    table = _routes()

    def understand(text: str, feature: str) -> tuple[str, str]:
        if feature == "dates":
            try:
                return "date", parse_datetime(text, ZoneInfo("Asia/Bangkok")).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return "none", ""
        if feature == "search":
            return "search", " ".join(text.split())
        cmd = table.by_word.get(command_word(text))
        if cmd is not None:
            parts = text.strip().split(maxsplit=1)
            return cmd.words[0], parts[1].strip() if len(parts) == 2 else ""
        for router in table.routers:
            for matcher, handler, *_ in router.texts:
                if matcher(text):
                    return corpus.TEXT_ROUTES[handler.__name__], text.strip()
        return "none", ""

    return understand


def with_newmm(base: Understand) -> tuple[Understand, float]:
    """`base`, but a command word that ends inside a newmm word is no command; and the import time (s)."""
    started = time.perf_counter()
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import dict_trie

    from bot.understand import normalize
    from storage import reference

    table = _routes()
    places = {p.name_th for p in reference.provinces()}
    trie = dict_trie(set(thai_words()) | set(table.vocabulary.forms) | places)
    word_tokenize("โครงการเชียงใหม่", custom_dict=trie, engine="newmm")
    imported = time.perf_counter() - started

    def understand(text: str, feature: str) -> tuple[str, str]:
        route, args = base(text, feature)
        if feature in ("dates", "search") or route in ("none", "code"):
            return route, args
        typed = normalize(text)
        found = table.vocabulary.prefix(typed)
        if found is None:
            return route, args  # matched after a filler word; left as prefixes read it
        ends, at = set(), 0
        for token in word_tokenize(typed, custom_dict=trie, engine="newmm", keep_whitespace=True):
            at += len(token)
            ends.add(at)
        return (route, args) if found[1] in ends else ("none", "")

    return understand, imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose bot to score (default: this one)")
    parser.add_argument("--newmm", action="store_true", help="add PyThaiNLP newmm word boundaries")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the corpus for the timing")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    corpus = load_corpus()
    started = time.perf_counter()
    from bot.router import Routes

    understand: Understand = corpus.understand if hasattr(Routes, "match") else legacy(corpus)
    understand("", "help")
    imported = time.perf_counter() - started
    if args.newmm:
        understand, imported = with_newmm(understand)
    cases = corpus.load()
    outcomes = corpus.run(cases, understand)
    started = time.perf_counter()
    for _ in range(args.repeat):
        corpus.run(cases, understand)
    us = (time.perf_counter() - started) / (args.repeat * len(cases)) * 1e6

    by_feature: dict[str, list] = defaultdict(list)
    for outcome in outcomes:
        by_feature[outcome.case.feature].append(outcome)
    print(f"{'feature':<14}{'messages':>9}{'understood':>12}{'right':>8}{'wrong writes':>14}")
    for feature, rows in by_feature.items():
        understood = sum(o.route == o.case.route for o in rows) / len(rows)
        right = sum(o.right for o in rows) / len(rows)
        print(f"{feature:<14}{len(rows):>9}{understood:>12.1%}{right:>8.1%}{sum(o.wrong_write for o in rows):>14}")
    right = sum(o.right for o in outcomes) / len(outcomes)
    understood = sum(o.route == o.case.route for o in outcomes) / len(outcomes)
    writes = sum(o.wrong_write for o in outcomes)
    print(f"{'all':<14}{len(outcomes):>9}{understood:>12.1%}{right:>8.1%}{writes:>14}")
    print(f"code: {args.code.resolve()}{' + newmm' if args.newmm else ''}; import and set-up {imported * 1000:.0f} ms")
    print(f"understand share_right={right:.3f} wrong_writes={writes} us_per_message={us:.0f}")


if __name__ == "__main__":
    main()
