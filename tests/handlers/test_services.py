"""The feature services without a chat message, as the CLI, the jobs and a web console call them: keyword
arguments in, domain results out, refusals whose parameters render in whichever language shows them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert
from sqlmodel import Session, select

from bot.config import Settings
from bot.errors import DomainError
from bot.i18n import localized
from bot.planner import NoPlanner
from bot.quota import LineQuota
from handlers.broadcast import service as broadcasts
from handlers.broadcast.drafts import Draft
from handlers.deadlines import service as deadlines
from handlers.projects import service as projects
from storage.broadcast import BroadcastStatus, LineMode, Segment
from storage.deadlines import SubmissionWindow
from storage.models import OutboxMessage, Person, Role
from storage.people import ensure_account
from storage.projects import Project, ProjectStatus
from tests.factories import project

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
BANGKOK = ZoneInfo("Asia/Bangkok")


class Planned(NoPlanner):
    """A planner that remembers what it was asked to plan."""

    def __init__(self) -> None:
        self.windows: list[int | None] = []
        self.broadcasts: list[tuple[int, datetime]] = []

    def window_changed(self, window: SubmissionWindow, now: datetime) -> None:
        self.windows.append(window.id)

    def broadcast_at(self, broadcast_id: int, at: datetime) -> None:
        self.broadcasts.append((broadcast_id, at))


def person(session: Session, n: int, role: Role, province: str | None = None, lang: str = "th") -> Person:
    _, who = ensure_account(session=session, platform="telegram", user_id=str(1000 + n), chat_id=str(1000 + n),
                            lang=lang)
    who.role, who.province_iso, who.name = role, province, f"person {n}"
    session.flush()
    return who


def shown(err: DomainError, lang: str) -> str:
    return err.text.render(lang, **localized(err.params, lang, BANGKOK))


def test_a_window_is_created_submitted_and_refused_twice_without_a_chat_message(session: Session) -> None:
    person(session, 1, Role.admin, lang="en")
    coordinator = person(session, 2, Role.coordinator, "TH-50")
    planner = Planned()
    window = deadlines.add(session=session, title="แผนพัฒนาจังหวัด 2570", closes_at=NOW + timedelta(days=10),
                           provinces=["เชียงใหม่", "ขอนแก่น"], clusters=[], year=None, by=None, now=NOW,
                           planner=planner)
    assert (window.provinces, window.fiscal_year, planner.windows) == (["TH-40", "TH-50"], 2570, [window.id])
    assert window.id is not None

    row = deadlines.record_submission(session=session, window_id=window.id, person=coordinator, now=NOW,
                                      planner=planner)
    assert row.province_iso == "TH-50"
    [told] = session.exec(select(OutboxMessage).where(OutboxMessage.user_id == "1001")).all()
    assert "Chiang Mai submitted" in str(told.messages)  # the admin is told in the admin's language

    with pytest.raises(DomainError) as again:
        deadlines.record_submission(session=session, window_id=window.id, person=coordinator, now=NOW,
                                    planner=planner)
    assert shown(again.value, "en") == ("Chiang Mai already submitted \"แผนพัฒนาจังหวัด 2570\" at 2 Mar 2026 10:00; "
                                        "nothing changed.")
    assert shown(again.value, "th").startswith("จังหวัดเชียงใหม่แจ้งส่ง")


def test_a_closed_project_is_changed_by_an_admin_only_whoever_calls(session: Session) -> None:
    session.execute(insert(Project), [project("CMI-2569-0001", status=ProjectStatus.completed)])
    done = projects.project(session=session, code="CMI-2569-0001")
    coordinator = person(session, 3, Role.coordinator, "TH-50")
    with pytest.raises(DomainError) as refused:
        projects.propose(session=session, person=coordinator, project=done, changes={"progress": 90}, now=NOW)
    assert shown(refused.value, "en") == "Project CMI-2569-0001 is completed; only an admin can change it now."
    draft, old = projects.propose(session=session, person=person(session, 4, Role.admin), project=done,
                                  changes={"progress": 90}, now=NOW)
    assert (draft.changes, old) == ({"progress": 90}, {"progress": 40})
    with pytest.raises(DomainError) as elsewhere:
        projects.propose(session=session, person=person(session, 5, Role.coordinator, "TH-40"), project=done,
                         changes={"progress": 90}, now=NOW)
    assert shown(elsewhere.value, "en") == ("Sorry, you may update only projects of your own province "
                                            "(CMI-2569-0001 belongs to Chiang Mai).")


def test_a_scheduled_broadcast_is_drafted_and_confirmed_without_a_chat_message(
    session: Session, settings: Settings
) -> None:
    author = person(session, 6, Role.admin)
    person(session, 7, Role.coordinator, "TH-50")
    planner = Planned()
    at = NOW + timedelta(days=1)
    draft, audience = broadcasts.draft(session=session, author_id=author.id or 0, now=NOW, link_label="",
                                       draft=Draft(text="ประชุม", segment=Segment(roles=("coordinator",)), send_at=at))
    assert (draft.status, audience.count("telegram")) == (BroadcastStatus.draft, 1)
    assert draft.id is not None
    done = broadcasts.confirm(session=session, broadcast_id=draft.id, mode=LineMode.all, quota=LineQuota(),
                              by=author.id, now=NOW, settings=settings, planner=planner)
    assert (done.broadcast.status, done.at, planner.broadcasts) == (BroadcastStatus.scheduled, at, [(draft.id, at)])
    with pytest.raises(DomainError) as twice:
        broadcasts.confirm(session=session, broadcast_id=draft.id, mode=LineMode.all, quota=LineQuota(),
                           by=author.id, now=NOW, settings=settings, planner=planner)
    assert shown(twice.value, "en") == f"Announcement #{draft.id} is scheduled; that cannot be done."
