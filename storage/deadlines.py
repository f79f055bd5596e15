"""Plan-submission windows and the provinces' submissions to them.

A window is data (created by the CLI or an admin in chat), never code: title, plan level, fiscal year, when it
opens and closes, which provinces it concerns, and the nudge schedule before the close.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import UniqueConstraint
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage import reference
from storage.models import OutboxMessage, OutboxStatus, Person, Role, json_field, utcnow, when
from storage.people import people_in
from storage.projects import PlanLevel

DEFAULT_NUDGES = ("14d", "7d", "3d", "1d", "3h")
ESCALATE_WITHIN = timedelta(days=1)
"""From one day before the close, the deputy governor is nudged too."""


class SubmissionWindow(SQLModel, table=True):
    """A period in which provinces must submit a plan; `provinces` lists the ISO codes it concerns."""

    __table_args__ = {"sqlite_autoincrement": True}  # a deleted window's id is never handed out again

    id: int | None = Field(default=None, primary_key=True)
    title_th: str
    title_en: str = ""
    plan_level: PlanLevel = PlanLevel.provincial
    fiscal_year: int
    """Buddhist Era, e.g. 2570."""
    opens_at: datetime = when()
    closes_at: datetime = when(index=True)
    provinces: list[str] = json_field([])
    scope: str = ""
    """How the provinces were chosen, for display: "all", cluster names, or a list."""
    description: str = ""
    link: str = ""
    nudges: list[str] = json_field(list(DEFAULT_NUDGES))
    """Offsets before the close, e.g. "14d", "3h", "30m"."""
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = when(default_factory=utcnow)


class Submission(SQLModel, table=True):
    """One province's submission to one window; at most one, so a repeat changes nothing."""

    __table_args__ = (UniqueConstraint("window_id", "province_iso"),)

    id: int | None = Field(default=None, primary_key=True)
    window_id: int = Field(foreign_key="submissionwindow.id", index=True)
    province_iso: str
    submitted_at: datetime = when()
    submitted_by: int | None = Field(default=None, foreign_key="person.id")
    reference: str = ""


OFFSET = re.compile(r"^(\d+)([dhms])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_offset(text: str) -> timedelta:
    """"14d" -> 14 days, "3h" -> 3 hours, "30m" -> 30 minutes."""
    match = OFFSET.match(text.strip().lower())
    if match is None:
        raise ValueError(f"not an offset like 14d, 3h or 30m: {text!r}")
    return timedelta(**{UNITS[match[2]]: int(match[1])})


def nudge_times(window: SubmissionWindow) -> list[tuple[str, datetime]]:
    """(stage, due) for each nudge that falls after the window opens, earliest first."""
    stages = [(stage, window.closes_at - parse_offset(stage)) for stage in window.nudges]
    return sorted((s for s in stages if s[1] >= window.opens_at), key=lambda s: s[1])


def fiscal_year_of(moment: datetime) -> int:
    """Thai fiscal years start on 1 October and are named in the Buddhist Era."""
    return moment.year + 543 + (1 if moment.month >= 10 else 0)


class UnknownPlace(ValueError):
    """A province or cluster name the reference data does not know."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"unknown {kind} {name!r}")
        self.kind = kind
        self.name = name


def resolve_scope(*, provinces: list[str], clusters: list[str]) -> tuple[list[str], str]:
    """ISO codes and a description of who a window concerns; every province when no name is given.

    The chat and the CLI both target windows by province and cluster names (Thai or English, forgiving) and
    cluster numbers.
    """
    isos: list[str] = []
    scope: list[str] = []
    for name in filter(None, (n.strip() for n in provinces)):
        province = reference.find_province(name)
        if province is None:
            raise UnknownPlace("province", name)
        isos.append(province.iso)
        scope.append(province.name_th)
    for name in filter(None, (n.strip() for n in clusters)):
        cluster = reference.find_cluster(name)
        if cluster is None:
            raise UnknownPlace("cluster", name)
        isos += cluster.members
        scope.append(cluster.name_th)
    if not isos:
        return [p.iso for p in reference.provinces()], "all"
    return sorted(set(isos)), ", ".join(scope)


YEAR_IN_TEXT = re.compile(r"(?<!\d)(25[5-9]\d|26\d\d)(?!\d)")


def default_fiscal_year(title: str, closes_at: datetime) -> int:
    """The fiscal year of the close, or the later one a title names ("... ปี 2571": plans for a year are
    submitted up to two years before it begins)."""
    closing = fiscal_year_of(closes_at)
    named = {int(year) for year in YEAR_IN_TEXT.findall(title)} & set(range(closing, closing + 3))
    return named.pop() if len(named) == 1 else closing


def create_window(
    *, session: Session, title_th: str, fiscal_year: int, opens_at: datetime, closes_at: datetime,
    provinces: list[str], scope: str, title_en: str = "", plan_level: PlanLevel = PlanLevel.provincial,
    description: str = "", link: str = "", nudges: list[str] | None = None, created_by: int | None = None,
) -> SubmissionWindow:
    if closes_at <= opens_at:
        raise ValueError("a window must close after it opens")
    if not provinces:
        raise ValueError("a window must concern at least one province")
    stages = list(nudges if nudges is not None else DEFAULT_NUDGES)
    for stage in stages:
        parse_offset(stage)
    window = SubmissionWindow(title_th=title_th, title_en=title_en, plan_level=plan_level, fiscal_year=fiscal_year,
                              opens_at=opens_at, closes_at=closes_at, provinces=sorted(set(provinces)), scope=scope,
                              description=description, link=link, nudges=stages, created_by=created_by)
    session.add(window)
    session.flush()
    return window


def get_window(*, session: Session, window_id: int, lock: bool = False) -> SubmissionWindow | None:
    """`lock`: FOR UPDATE on PostgreSQL, so a nudge job and a submission of the same window go one after the other
    (SQLite writers are serialized anyway)."""
    if not lock:
        return session.get(SubmissionWindow, window_id)
    return session.exec(select(SubmissionWindow).where(col(SubmissionWindow.id) == window_id)
                        .with_for_update()).first()


def all_windows(*, session: Session) -> list[SubmissionWindow]:
    return list(session.exec(select(SubmissionWindow).order_by(col(SubmissionWindow.closes_at))))


def open_windows(*, session: Session, now: datetime) -> list[SubmissionWindow]:
    """Windows open now, closing soonest first."""
    return list(session.exec(
        select(SubmissionWindow)
        .where(col(SubmissionWindow.opens_at) <= now, col(SubmissionWindow.closes_at) > now)
        .order_by(col(SubmissionWindow.closes_at))
    ))


def submissions(*, session: Session, window_id: int) -> dict[str, Submission]:
    """Province ISO -> its submission."""
    rows = session.exec(select(Submission).where(Submission.window_id == window_id))
    return {row.province_iso: row for row in rows}


def submission(*, session: Session, window_id: int, province_iso: str) -> Submission | None:
    return session.exec(select(Submission).where(
        Submission.window_id == window_id, Submission.province_iso == province_iso)).first()


def submit(
    *, session: Session, window: SubmissionWindow, province_iso: str, person_id: int | None, now: datetime,
    reference: str = "",
) -> Submission:
    """Record a province's submission and cancel its reminders still waiting in the outbox; the unique constraint
    keeps a concurrent repeat from counting twice. The window is locked first, as the nudge job locks it, so a
    nudge wave computed before the submission was queued before it (and is cancelled here) or sees it."""
    assert window.id is not None
    get_window(session=session, window_id=window.id, lock=True)
    row = Submission(window_id=window.id, province_iso=province_iso, submitted_at=now, submitted_by=person_id,
                     reference=reference)
    session.add(row)
    session.flush()
    _cancel_nudges(session=session, window_id=window.id, province_iso=province_iso)
    return row


def _cancel_nudges(*, session: Session, window_id: int, province_iso: str) -> int:
    """The province's nudges of the window not yet sent (keys `nudge:<window>:<stage>:<person>`); those being sent
    at this moment go out. What the kill scenario of a nudge wave found: without this, a nudge queued before the
    submission reached the province after it."""
    people = {str(pid) for pid in session.exec(select(Person.id).where(Person.province_iso == province_iso))}
    rows = session.exec(select(OutboxMessage).where(
        OutboxMessage.tag == f"window:{window_id}", OutboxMessage.status == OutboxStatus.pending,
        col(OutboxMessage.key).startswith(f"nudge:{window_id}:")).with_for_update()).all()
    cancelled = 0
    for row in rows:
        if row.key.rsplit(":", 1)[-1] in people:
            row.status, row.last_error = OutboxStatus.cancelled, "the province has submitted"
            session.add(row)
            cancelled += 1
    return cancelled


def missing_provinces(*, session: Session, window: SubmissionWindow) -> list[str]:
    assert window.id is not None
    done = submissions(session=session, window_id=window.id)
    return [iso for iso in window.provinces if iso not in done]


def nudge_roles(window: SubmissionWindow, due: datetime) -> list[Role]:
    """Coordinators; from a day before the close, their deputy governors too."""
    return [Role.coordinator, Role.deputy_governor] if window.closes_at - due <= ESCALATE_WITHIN else [Role.coordinator]


def windows_by_id(*, session: Session, ids: Iterable[int], lock: bool = False) -> dict[int, SubmissionWindow]:
    """Many windows in one query (a batch of nudge jobs); `lock` as in `get_window`, in id order (no deadlock
    between two batches)."""
    query = select(SubmissionWindow).where(col(SubmissionWindow.id).in_(sorted(set(ids))))
    rows = session.exec(query.order_by(col(SubmissionWindow.id)).with_for_update() if lock else query)
    return {row.id: row for row in rows if row.id is not None}


def submitted_provinces(*, session: Session, window_ids: Iterable[int]) -> dict[int, set[str]]:
    """Window id -> the provinces that have submitted, for many windows in one query."""
    done: dict[int, set[str]] = {}
    for window_id, iso in session.exec(select(Submission.window_id, Submission.province_iso)
                                       .where(col(Submission.window_id).in_(sorted(set(window_ids))))):
        done.setdefault(window_id, set()).add(iso)
    return done


def admins(*, session: Session) -> list[Person]:
    return people_in(session=session, roles=[Role.admin])


@dataclass(frozen=True)
class Nudge:
    """One reminder of a window to one person: the stage (`7d`, `snooze-…`), when it was queued and how it went."""

    stage: str
    person: Person | None
    queued_at: datetime
    status: OutboxStatus
    sent_at: datetime | None
    platform: str


def nudge_history(*, session: Session, window_id: int, limit: int = 200) -> list[Nudge]:
    """Who was nudged about a window, when and by which stage, newest first (read from the outbox rows, only the
    columns shown: a nudge's message bodies are not needed)."""
    prefix = f"nudge:{window_id}:"
    rows = session.execute(
        sa_select(col(OutboxMessage.key), col(OutboxMessage.created_at), col(OutboxMessage.status),
                  col(OutboxMessage.sent_at), col(OutboxMessage.platform))
        .where(col(OutboxMessage.tag) == f"window:{window_id}", col(OutboxMessage.key).startswith(prefix))
        .order_by(col(OutboxMessage.id).desc()).limit(limit)).all()
    stages = [key.removeprefix(prefix).rsplit(":", 1) for key, *_ in rows]
    ids = {int(person) for _, person in stages if person.isdecimal()}
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))} if ids else {}
    return [Nudge(stage, people.get(int(person)) if person.isdecimal() else None, queued, OutboxStatus(status),
                  sent, platform)
            for (_, queued, status, sent, platform), (stage, person) in zip(rows, stages, strict=True)]


def move_window(*, session: Session, window: SubmissionWindow, closes_at: datetime) -> None:
    if closes_at <= window.opens_at:
        raise ValueError("a window must close after it opens")
    window.closes_at = closes_at
    session.add(window)


def delete_window(*, session: Session, window: SubmissionWindow) -> None:
    for row in session.exec(select(Submission).where(Submission.window_id == window.id)):
        session.delete(row)
    session.delete(window)
