"""Engine and sessions. One place owns the transaction: `transaction()` commits or rolls back."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, event, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_S = 30


def ids_by_platform(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """These (platform, id) pairs as each platform's ids: the parameters of a `pairs_in` statement."""
    grouped: dict[str, list[str]] = {}
    for platform, id_ in sorted(set(pairs)):
        grouped.setdefault(platform, []).append(id_)
    return grouped


def pairs_in(platform: Any, id_: Any, platforms: tuple[str, ...]) -> ColumnElement[bool]:
    """`(platform, id)` among pairs given when the statement runs (`ids_by_platform`), each platform's ids bound
    as one list named after it: a statement built with it once per set of platforms is not built and keyed again
    for every batch, which cost more than the query."""
    return or_(*(and_(platform == name, id_.in_(bindparam(name, expanding=True))) for name in platforms))


def insert_into(dialect_name: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with ON CONFLICT, in the dialect of the database (`Connection.dialect.name`): both dialects
    spell it the same way, but SQLAlchemy has one insert construct each."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str) -> Engine:
    """An engine tuned for the backend: SQLite in WAL mode with writers queued, PostgreSQL pooled."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 0})
        event.listen(engine, "connect", _sqlite_pragmas)
        _serialize_writers(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # let the "begin" listener above control transactions
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")  # opening may wait for another process
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=0")  # from now on only BEGIN waits, in `_begin_immediate`
    cur.close()


def _serialize_writers(engine: Engine) -> None:
    """SQLite has one writer at a time, and a writer waiting in SQLite's own busy handler sleeps in growing steps
    (up to 100 ms), which made webhooks wait far longer than the transaction ahead of them. So this process's
    writers queue on a lock, and BEGIN waits for other processes (a `coordbot work` beside the web server) in
    short steps."""
    lock = threading.RLock()

    def begin(conn: Any) -> None:
        lock.acquire()
        conn.info["holds_write_lock"] = True
        try:
            _begin_immediate(conn.connection.driver_connection)
        except sqlite3.OperationalError as exc:
            end(conn)
            # Raised from an event hook, the driver's error would reach callers unwrapped; they catch SQLAlchemy's
            # (a webhook answers 503 so the platform delivers it again, /healthz says the database is unavailable).
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
        except BaseException:
            end(conn)
            raise

    def end(conn: Any) -> None:
        if conn.info.pop("holds_write_lock", False):
            lock.release()

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE (the driver opens transactions lazily; reads inside a write must stay consistent),
    retried every 0.2 ms while another process writes, for up to SQLITE_BUSY_TIMEOUT_S. Every statement runs
    inside such a transaction, and in WAL mode only BEGIN waits for a lock, so SQLite's own busy timeout is 0."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.0002)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class Savepoint:
    """The savepoint of one event's handling, which a refusal can undo mid-way: what the handler did is rolled back
    and a fresh savepoint begun for what follows (the refusal's audit, the reply). One per event, not one for the
    event and another for its handler: each costs statements and bookkeeping on every event."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.nested = session.begin_nested()

    def undo(self) -> None:
        self.nested.rollback()
        self.nested = self.session.begin_nested()

    def commit(self) -> None:
        self.nested.commit()

    def rollback(self) -> None:
        """After an exception, including one raised by `commit`'s flush."""
        self.nested.rollback()


@contextmanager
def one_at_a_time(engine: Engine, name: str) -> Iterator[None]:
    """Processes sharing a PostgreSQL database do `name` one after another (a session advisory lock, released
    with its connection even if the process dies); on SQLite there is only one process."""
    if is_sqlite(engine):
        yield
        return
    with engine.connect() as conn:
        key = text("hashtext(:name || '.' || current_database() || '.' || current_schema())")
        conn.execute(select(func.pg_advisory_lock(key)), {"name": name})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(select(func.pg_advisory_unlock(key)), {"name": name})
            conn.commit()


MAX_INTEGER = 2**31 - 1
"""The largest id or count a column holds (PostgreSQL's INTEGER). A larger one, typed or forged, names nothing;
PostgreSQL would refuse the query with an error rather than find nothing, so such input is refused before it."""


def whole_number(text: str) -> int | None:
    """A whole number as typed, `12` or `#12` (Thai digits too), that a column can hold; None for anything else."""
    digits = text.strip().lstrip("#")
    if not digits.isdecimal() or len(digits) > 10:  # isdecimal: not "²", which int() refuses
        return None
    number = int(digits)
    return number if number <= MAX_INTEGER else None


def utcnow() -> datetime:
    return datetime.now(UTC)
