"""Projects benchmark: import 100,000 projects from a Thai-headed CSV, then time lookups by code, province and
Thai keyword, and keywords found nowhere on their own ("nowhere").

Latency is handler-side: each lookup opens a session, builds the handler's `Context` and calls the `/project`
handler itself (parsing, forgiving province match, paged query, cards), as the router would; no HTTP and no
sending. Keyword lookups mix common words with ones that match nothing (the worst case: every title is read).
The import is `coordbot projects import`'s path (read the file, check every row, upsert in one transaction).

Runs on a fresh SQLite file (the default database) and, when it answers, on PostgreSQL in a throwaway schema.

    .venv/bin/python bench/projects.py [--n 100000] [--lookups 400] [--pg-url URL | --no-pg]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import routes  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.context import Context  # noqa: E402
from bot.messages import Incoming, Kind, Platform  # noqa: E402
from handlers.projects import chat as projects  # noqa: E402
from storage import reference  # noqa: E402
from storage.db import make_engine, transaction  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from storage.models import Account, Person, Role  # noqa: E402
from storage.project_import import COLUMNS, import_rows, read_table  # noqa: E402
from storage.projects import LEVEL_TH, STATUS_TH, Project  # noqa: E402
from storage.projects_demo import generate  # noqa: E402

PG_URL = "postgresql://root@127.0.0.1:5432/test"
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
COMMON = ("เกษตร", "น้ำ", "กาแฟ", "ผ้าทอ", "สมุนไพร", "ท่องเที่ยว", "ขยะ", "ดิจิทัล", "พลังงาน", "ยางพารา")
RARE = ("ดาวเทียม", "หุ่นยนต์ใต้น้ำ", "ควอนตัม")
"""No generated title holds these: the search reads every title and finds nothing."""


@dataclass
class Figures:
    name: str
    n: int
    import_s: float
    timings: dict[str, list[float]]

    def p(self, kind: str, q: int) -> float:
        return statistics.quantiles(self.timings[kind], n=100, method="inclusive")[q - 1]

    def line(self) -> str:
        parts = [f"{k}_p50_ms={self.p(k, 50):.2f} {k}_p99_ms={self.p(k, 99):.2f}" for k in self.timings]
        return f"{self.name}: n={self.n} " + " ".join(parts) + f" import_s={self.import_s:.1f}"


def write_csv(path: Path, n: int) -> None:
    """The generated projects as the ministry's spreadsheet would hold them (Thai headers, Thai names)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([th for _, th in COLUMNS])
        for r in generate(n):
            writer.writerow([
                r["code"], r["title_th"], r["title_en"],
                reference.province(r["province_iso"]).name_th if r["province_iso"] else "",
                reference.cluster(r["cluster_no"]).name_th if r["cluster_no"] else "",
                LEVEL_TH[r["plan_level"]], r["fiscal_year"], r["owner_agency"],
                f"{r['budget_satang'] / 100:.2f}", STATUS_TH[r["status"]], r["progress"], r["last_note"],
            ])


def import_file(engine: Engine, path: Path) -> float:
    started = time.perf_counter()
    columns, rows = read_table(path)
    with transaction(engine) as session:
        result = import_rows(session=session, columns=columns, rows=rows, person_id=None, now=NOW)
    assert result.ok and result.created == len(rows), result.errors[:3]
    return time.perf_counter() - started


def coordinator(engine: Engine) -> tuple[int, int]:
    with transaction(engine) as session:
        person = Person(name="ผู้ทดสอบ", role=Role.coordinator, province_iso="TH-50")
        session.add(person)
        session.flush()
        assert person.id is not None
        account = Account(person_id=person.id, platform="line", user_id="Ubench", chat_id="Ubench")
        session.add(account)
        session.flush()
        assert account.id is not None
        return person.id, account.id


def timed_lookups(engine: Engine, queries: list[str], person_id: int, account_id: int) -> list[float]:
    """Milliseconds per `/project QUERY`, each in its own session, as the router runs a handler."""
    settings = Settings(database_url=str(engine.url), _env_file=None)  # type: ignore[call-arg]
    all_routes = routes()
    out = []
    for i, query in enumerate(queries):
        msg = Incoming(platform=Platform.line, event_id=f"b{i}", kind=Kind.text, user_id="Ubench", chat_id="Ubench",
                       text=f"/project {query}", received_at=NOW)
        started = time.perf_counter()
        with Session(engine) as session:
            person, account = session.get(Person, person_id), session.get(Account, account_id)
            assert person is not None and account is not None
            ctx = Context(session=session, person=person, account=account, now=NOW, settings=settings,
                          catalogue=all_routes)
            replies = projects.lookup(msg, ctx)
        out.append((time.perf_counter() - started) * 1000)
        assert replies
    return out


def run(name: str, engine: Engine, csv_path: Path, n: int, lookups: int,
        log: Callable[[str], None]) -> Figures:
    upgrade(engine)
    log(f"{name}: importing {n:,} rows")
    import_s = import_file(engine, csv_path)
    person_id, account_id = coordinator(engine)
    rng = random.Random(7)
    with Session(engine) as session:
        codes = list(session.exec(select(Project.code)))
    names = [p.name_th for p in reference.provinces()] + [f"จ.{p.name_th}" for p in reference.provinces()] + \
        [p.name_en for p in reference.provinces()]
    keywords = [rng.choice(COMMON) if i % 10 else rng.choice(RARE) for i in range(lookups)]
    timings = {}
    for kind, queries in (("code", [rng.choice(codes) for _ in range(lookups)]),
                          ("province", [rng.choice(names) for _ in range(lookups)]),
                          ("keyword", keywords),
                          ("nowhere", [rng.choice(RARE) for _ in range(lookups)])):
        timed_lookups(engine, queries[:20], person_id, account_id)  # warm caches, as a running service has
        timings[kind] = timed_lookups(engine, queries, person_id, account_id)
    figures = Figures(name, n, import_s, timings)
    log(figures.line())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()

    def log(line: str) -> None:
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="coordbot-bench-projects-") as tmp:
        csv_path = Path(tmp) / "projects.csv"
        write_csv(csv_path, args.n)
        sqlite_engine = make_engine(f"sqlite:///{tmp}/bench.db")
        sqlite = run("sqlite", sqlite_engine, csv_path, args.n, args.lookups, log)
        sqlite_engine.dispose()
        if not args.no_pg:
            run_pg(args.pg_url, csv_path, args.n, args.lookups, log)
    print(f"projects n={args.n} code_p99_ms={sqlite.p('code', 99):.2f} province_p99_ms={sqlite.p('province', 99):.2f} "
          f"keyword_p99_ms={sqlite.p('keyword', 99):.2f} nowhere_p50_ms={sqlite.p('nowhere', 50):.2f} "
          f"import_s={sqlite.import_s:.1f}")


def run_pg(url: str, csv_path: Path, n: int, lookups: int, log: Callable[[str], None]) -> None:
    """The same on PostgreSQL, in a schema dropped afterwards; skipped with a note if the server is not there."""
    admin = make_engine(url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:
        log(f"postgresql: skipped ({type(exc).__name__})")
        admin.dispose()
        return
    engine = make_engine(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")
    try:
        figures = run("postgresql", engine, csv_path, n, lookups, log)
        with engine.connect() as conn:
            trigram = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_project_title_trgm' "
                                        "AND schemaname = current_schema()")).scalar_one()
        log(f"postgresql title index: {'pg_trgm GIN' if 'gin' in trigram else 'plain (no pg_trgm)'}")
        print(f"projects-pg n={n} code_p99_ms={figures.p('code', 99):.2f} "
              f"province_p99_ms={figures.p('province', 99):.2f} keyword_p99_ms={figures.p('keyword', 99):.2f} "
              f"nowhere_p50_ms={figures.p('nowhere', 50):.2f} import_s={figures.import_s:.1f}")
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
