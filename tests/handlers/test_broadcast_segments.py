"""Segment resolution: kinds combine with AND, values with OR; each person once, on one reachable account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from bot.config import Settings
from bot.errors import UnknownProvince
from handlers.broadcast.drafts import parse_draft
from handlers.segments import NoAnswerKind
from storage.broadcast import Segment, resolve
from storage.db import make_engine, transaction, utcnow
from storage.migrations import upgrade
from storage.models import Account, Role
from storage.people import ensure_account, set_reachable

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as session:
        for n, (name, role, province, platforms) in enumerate([
            ("cmi-coord", Role.coordinator, "TH-50", ["line"]),
            ("cmi-dg", Role.deputy_governor, "TH-50", ["telegram"]),
            ("cri-coord", Role.coordinator, "TH-57", ["line", "telegram"]),  # Chiang Rai: cluster 2, north
            ("kkn-coord", Role.coordinator, "TH-40", ["telegram"]),
            ("ska-coord", Role.coordinator, "TH-90", ["line"]),
            ("admin", Role.admin, None, ["telegram"]),
        ]):
            person_id = None
            for k, platform in enumerate(platforms):
                user = f"U{n:032x}" if platform == "line" else str(800 + n)
                if person_id is None:
                    _, person = ensure_account(session=session, platform=platform, user_id=user, chat_id=user)
                    person.name, person.role, person.province_iso = name, role, province
                    person_id = person.id
                else:  # a linked second account, used more recently
                    session.add(Account(person_id=person_id, platform=platform, user_id=user, chat_id=user,
                                        last_seen_at=utcnow() + timedelta(minutes=k)))
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def names(session: Session, segment: Segment) -> list[tuple[str, str]]:
    from storage.models import Person

    audience = resolve(session=session, segment=segment)
    found = [(session.get(Person, t.person_id).name, t.platform) for t in audience.targets]  # type: ignore[union-attr]
    return sorted(found)


def test_everyone_is_each_person_once_on_the_account_used_last(session: Session) -> None:
    got = names(session, Segment())
    assert [n for n, _ in got] == sorted(["cmi-coord", "cmi-dg", "cri-coord", "kkn-coord", "ska-coord", "admin"])
    assert ("cri-coord", "telegram") in got  # the Telegram account was linked (used) last


def test_role_and_places_combine_with_and(session: Session) -> None:
    assert [n for n, _ in names(session, Segment(roles=("coordinator",), regions=("ภาคเหนือ",)))] == [
        "cmi-coord", "cri-coord"]
    assert [n for n, _ in names(session, Segment(clusters=(1,)))] == ["cmi-coord", "cmi-dg"]
    assert [n for n, _ in names(session, Segment(provinces=("TH-40", "TH-90")))] == ["kkn-coord", "ska-coord"]
    assert [n for n, _ in names(session, Segment(roles=("deputy_governor", "admin")))] == ["admin", "cmi-dg"]


def test_platform_picks_the_account_on_that_platform(session: Session) -> None:
    assert names(session, Segment(platforms=("line",), regions=("ภาคเหนือ",))) == [
        ("cmi-coord", "line"), ("cri-coord", "line")]


def test_a_person_whose_last_account_is_unreachable_gets_it_on_the_other(session: Session) -> None:
    from sqlmodel import select


    tg = session.exec(select(Account).where(Account.platform == "telegram", Account.person_id == 3)).one()
    set_reachable(session=session, platform="telegram", user_id=tg.user_id, reachable=False, reason="blocked")
    assert ("cri-coord", "line") in names(session, Segment(provinces=("TH-57",)))
    line = session.exec(select(Account).where(Account.platform == "line", Account.person_id == 3)).one()
    set_reachable(session=session, platform="line", user_id=line.user_id, reachable=False, reason="unfollowed")
    audience = resolve(session=session, segment=Segment(provinces=("TH-57",)))
    assert audience.targets == [] and [p for p, _ in audience.unreachable] == [3]


def test_chat_options_in_thai_and_english_make_the_same_segment() -> None:
    settings = Settings(_env_file=None)
    thai = parse_draft("บทบาท=ผู้ประสานงาน จังหวัด=เชียงใหม่,ขอนแก่น กลุ่ม=1 ภาค=เหนือ แพลตฟอร์ม=ไลน์ รับทราบ | ข้อความ",
                       settings, NOW)
    english = parse_draft("role=coordinator province=ChiangMai,KhonKaen cluster=1 region=north platform=line ack "
                          "ข้อความ", settings, NOW)
    assert thai.segment == english.segment == Segment(roles=("coordinator",), provinces=("TH-50", "TH-40"),
                                                      clusters=(1,), regions=("ภาคเหนือ",), platforms=("line",))
    assert thai.ask_ack and english.ask_ack and thai.text == english.text == "ข้อความ"
    when = parse_draft("at=2569-03-05 09:00 | x", settings, NOW).send_at
    assert when == datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
    with pytest.raises(UnknownProvince):
        parse_draft("province=Atlantis | x", settings, NOW)


def workshop_and_window(session: Session) -> tuple[int, int]:
    """Workshop 1 invites the northern coordinators and Khon Kaen: cmi-coord says yes, cri-coord declines,
    kkn-coord has not answered. Window 1 waits for Chiang Mai, Chiang Rai and Khon Kaen; Chiang Rai submitted."""
    from sqlmodel import select

    from storage.deadlines import create_window, submit
    from storage.models import Person
    from storage.rsvp import RsvpStatus, create_workshop, invite

    people = {p.name: p for p in session.exec(select(Person))}
    workshop = create_workshop(session=session, title_th="สัมมนา", starts_at=NOW + timedelta(days=9),
                               ends_at=NOW + timedelta(days=10), rsvp_deadline=NOW + timedelta(days=5),
                               roles=[Role.coordinator], provinces=["TH-50", "TH-57", "TH-40"], scope="")
    rows = invite(session=session, workshop=workshop,
                  people=[people["cmi-coord"], people["cri-coord"], people["kkn-coord"]])
    rows[0].status, rows[1].status = RsvpStatus.yes, RsvpStatus.no
    window = create_window(session=session, title_th="แผน", fiscal_year=2569, opens_at=NOW,
                           closes_at=NOW + timedelta(days=30), provinces=["TH-50", "TH-57", "TH-40"], scope="")
    submit(session=session, window=window, province_iso="TH-57", person_id=None, now=NOW)
    session.flush()
    assert workshop.id is not None and window.id is not None
    return workshop.id, window.id


def test_attendees_and_non_responders_of_a_workshop(session: Session) -> None:
    workshop, _ = workshop_and_window(session)
    assert [n for n, _ in names(session, Segment(attending=(workshop,)))] == ["cmi-coord"]
    assert [n for n, _ in names(session, Segment(silent=(workshop,)))] == ["kkn-coord"]
    assert names(session, Segment(silent=(workshop,), regions=("ภาคเหนือ",))) == []


def test_provinces_that_have_not_submitted_combine_with_role_and_region(session: Session) -> None:
    _, window = workshop_and_window(session)
    assert [n for n, _ in names(session, Segment(unsubmitted=(window,)))] == ["cmi-coord", "cmi-dg", "kkn-coord"]
    # Coordinators in northern clusters who have not submitted (Chiang Rai has).
    northern = Segment(roles=("coordinator",), clusters=(1, 2), unsubmitted=(window,))
    assert [n for n, _ in names(session, northern)] == ["cmi-coord"]
    assert Segment.from_json(northern.to_json()) == northern


def test_workshop_and_window_options_in_thai_and_english() -> None:
    settings = Settings(_env_file=None)
    thai = parse_draft("สัมมนา=3 ตอบรับ รอบ=2 ยังไม่ส่ง บทบาท=ผู้ประสานงาน | ข้อความ", settings, NOW)
    english = parse_draft("workshop=3 attending window=#2 unsubmitted role=coordinator | ข้อความ", settings, NOW)
    assert thai.segment == english.segment == Segment(roles=("coordinator",), attending=(3,), unsubmitted=(2,))
    assert parse_draft("workshop=3 silent | x", settings, NOW).segment == Segment(silent=(3,))
    with pytest.raises(NoAnswerKind):
        parse_draft("workshop=3 | x", settings, NOW)


def test_before_a_bar_option_values_may_hold_spaces(settings: Settings) -> None:
    draft = parse_draft("บทบาท=ผู้ประสานงาน จังหวัด=Khon Kaen, เชียงใหม่ เวลา=15 ธ.ค. 2569 16:30 รับทราบ | ประชุม 09:00",
                        settings, NOW)
    assert draft.text == "ประชุม 09:00" and draft.ask_ack
    assert draft.segment.provinces == ("TH-40", "TH-50") and draft.segment.roles == ("coordinator",)
    assert draft.send_at == datetime(2026, 12, 15, 9, 30, tzinfo=UTC)  # 16:30 in Bangkok


def test_without_a_bar_words_after_the_options_are_the_text(settings: Settings) -> None:
    draft = parse_draft("จังหวัด=เชียงใหม่ ประชุมพรุ่งนี้ | ห้อง 2", settings, NOW)
    assert draft.segment.provinces == ("TH-50",)
    assert draft.text == "ประชุมพรุ่งนี้ | ห้อง 2"
    assert parse_draft("ประชุม | ห้อง 2", settings, NOW).text == "ประชุม | ห้อง 2"
