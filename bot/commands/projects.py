"""`coordbot projects import FILE`, `coordbot projects export FILE`, `coordbot projects find QUERY...`."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from bot.commands import Add, Subparsers, open_database, with_database
from bot.config import Settings, load_settings
from bot.errors import DomainError
from bot.i18n import Text
from bot.vocab import PROJECT_STATUS
from handlers.projects.notices import notify_import
from handlers.projects.parsing import parse_query
from storage.db import transaction, utcnow
from storage.project_import import (
    MAX_REPORTED,
    ImportFileError,
    export_rows,
    import_rows,
    read_table,
    write_table,
)
from storage.projects import by_code, listing, nearest_codes

BAR = 30


class ProgressBar:
    """`checking [##########....................]  33% 33,000/100,000` on stderr, redrawn in place."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase and self.phase:
            self.stream.write("\n")
        self.phase = phase
        share = done / total if total else 1.0
        filled = int(share * BAR)
        label = {"check": "checking", "save": "saving"}.get(phase, phase)
        self.stream.write(f"\r{label:<8} [{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} {done:,}/{total:,}")
        self.stream.flush()

    def close(self) -> None:
        if self.phase:
            self.stream.write("\n")


def cmd_import(args: argparse.Namespace) -> int:

    path = Path(args.file)
    started = time.perf_counter()
    try:
        columns, rows = read_table(path)
    except (ImportFileError, OSError) as exc:
        print(f"cannot import {path}: {exc}", file=sys.stderr)
        return 2
    bar = ProgressBar()
    engine = open_database(load_settings())
    try:
        with transaction(engine) as session:
            now = utcnow()
            result = import_rows(session=session, columns=columns, rows=rows, person_id=None, now=now,
                                 progress=None if args.quiet else bar)
            bar.close()
            told = notify_import(session=session, project_ids=result.changed_ids, now=now) if result.ok else 0
    finally:
        engine.dispose()
    if not result.ok:
        print(f"nothing imported: {len(result.errors)} of {result.rows} rows are invalid", file=sys.stderr)
        for error in result.errors[:MAX_REPORTED]:
            print(f"  {error}", file=sys.stderr)
        if len(result.errors) > MAX_REPORTED:
            print(f"  … and {len(result.errors) - MAX_REPORTED:,} more invalid rows", file=sys.stderr)
        return 2
    print(f"imported {result.rows:,} rows in {time.perf_counter() - started:.1f} s: {result.created:,} new, "
          f"{result.updated:,} updated, {result.unchanged:,} unchanged" + (f"; {told} watcher(s) told" if told else ""))
    return 0


@with_database
def cmd_export(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    path = Path(args.file)
    try:
        with transaction(engine) as session:
            count = write_table(path, export_rows(session=session))
    except ImportFileError as exc:
        print(f"cannot export: {exc}", file=sys.stderr)
        return 2
    print(f"exported {count:,} projects to {path}")
    return 0


def cmd_find(args: argparse.Namespace) -> int:

    text = " ".join(args.query)
    try:
        query = parse_query(text)
    except DomainError as err:
        print(err.text.render("en", **err.params), file=sys.stderr)
        return 2
    engine = open_database(load_settings())
    try:
        with transaction(engine) as session:
            if query.code is not None:
                project = by_code(session=session, code=query.code)
                found = [project] if project else []
                if not found:
                    near = nearest_codes(session=session, code=query.code)
                    print(f"no project {query.code}" + (f"; nearest: {', '.join(near)}" if near else ""),
                          file=sys.stderr)
            else:
                found = listing(session=session, province_isos=[query.province_iso] if query.province_iso else None,
                                cluster_no=query.cluster_no, keyword=query.keyword, filters=query.filters,
                                limit=args.limit)[:args.limit]
            show: Callable[[Text], str] = (lambda t: t.en) if args.en else (lambda t: t.th)
            for p in found:
                print(f"{p.code}  {show(PROJECT_STATUS[p.status]):<16} {p.progress:>3}%  {p.title_th}")
    finally:
        engine.dispose()
    if not found:
        if query.code is None:
            print("no projects found", file=sys.stderr)
        return 2
    return 0


def register(sub: Subparsers, add: Add) -> None:
    """The `projects` command group."""
    group = add("projects", lambda a: 2).add_subparsers(
        dest="action", required=True)
    imp = add("import", cmd_import, "import projects from CSV/XLSX with Thai headers (all rows or none)", group)
    imp.add_argument("file")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    exp = add("export", cmd_export, "export every project to CSV/XLSX (re-importable)", group)
    exp.add_argument("file")
    find = add("find", cmd_find, "find projects by code, province, cluster or Thai keyword", group)
    find.add_argument("query", nargs="+")
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--en", action="store_true", help="status names in English")
