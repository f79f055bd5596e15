"""Builders shared by the tests: workshops, projects, windows, phones in groups, and readers of what a phone shows.

Test modules import these from here, never from each other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.emulator import Received
from bot.emulator import events as ev
from bot.service import Service
from handlers.broadcast.service import start_sending
from handlers.rsvp.notices import send_invitations
from storage import reference
from storage.broadcast import Segment, create_broadcast
from storage.db import transaction, utcnow
from storage.deadlines import create_window
from storage.models import Account, OutboxMessage, Person, Role
from storage.people import create_invite
from storage.projects import PlanLevel, Project, ProjectStatus
from storage.projects_demo import demo_rows
from storage.rsvp import Rsvp, RsvpStatus, create_workshop, invite, invitees, rsvp_of
from tests.helpers import Phone, Phones, register

PROVINCES = ["TH-50", "TH-40", "TH-90"]


def make_workshop(service: Service, **overrides: Any) -> int:
    """A workshop ten days ahead, answers open for five, inviting deputy governors and coordinators."""
    now = service.clock()
    fields: dict[str, Any] = dict(
        title_th="สัมมนารองผู้ว่าฯ", title_en="Deputy governors' workshop", starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=11), rsvp_deadline=now + timedelta(days=5),
        roles=[Role.deputy_governor, Role.coordinator], provinces=PROVINCES, scope="test",
        venue="โรงแรมรามาการ์เด้นส์", address="ถนนวิภาวดีรังสิต กรุงเทพฯ", latitude=13.8663, longitude=100.5718,
        agenda="นโยบายและกลุ่มย่อย")
    fields.update(overrides)
    with transaction(service.engine) as session:
        workshop = create_workshop(session=session, **fields)
        rows = invite(session=session, workshop=workshop, people=invitees(session=session, workshop=workshop))
        send_invitations(session=session, workshop=workshop, rows=rows, settings=service.settings, now=now)
        assert workshop.id is not None
        return workshop.id


def shown(received: list[Received]) -> str:
    """Everything on the screen, including the text inside LINE Flex cards (whose `text` is only the alt text)."""
    return "\n".join(r.text + json.dumps(r.raw, ensure_ascii=False) if r.kind == "flex" else r.text
                     for r in received)


def phone_on(phones: Phones, platform: str, n: int = 1) -> Phone:
    return phones.line(n) if platform == "line" else phones.telegram(n)


def status_of(service: Service, workshop_id: int, person_id: int) -> RsvpStatus:
    with Session(service.engine) as session:
        row = rsvp_of(session=session, workshop_id=workshop_id, person_id=person_id)
        assert row is not None
        return row.status


def row_of(service: Service, workshop_id: int, person_id: int) -> Rsvp:
    with Session(service.engine) as session:
        row = rsvp_of(session=session, workshop_id=workshop_id, person_id=person_id)
        assert row is not None
        return row


def local_path(url: str) -> str:
    return urlsplit(url).path


def last_document(service: Service) -> str:
    """The path of the newest document link sent (Telegram's screen keeps only the file's name)."""
    with Session(service.engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id).desc())).all()
    urls = [m["document_url"] for row in rows for m in row.messages if m.get("document_url")]
    return local_path(urls[0])


async def export(admin: Phone, workshop: int, button: str) -> None:
    await admin.send(admin.event_for_text(f"/attendees {workshop}"))
    await admin.press(button)


def seed(service: Service, rows: list[dict[str, Any]] | None = None) -> None:
    with transaction(service.engine) as session:
        session.execute(insert(Project), rows if rows is not None else demo_rows())


def project(code: str, title: str = "โครงการพัฒนาเกษตรอัจฉริยะ", province: str | None = "TH-50",
            cluster: int | None = None, status: ProjectStatus = ProjectStatus.in_progress, progress: int = 40,
            year: int = 2569, **extra: Any) -> dict[str, Any]:
    return {"code": code, "title_th": title, "title_en": extra.pop("title_en", ""), "province_iso": province,
            "cluster_no": cluster, "plan_level": PlanLevel.cluster if cluster else PlanLevel.provincial,
            "fiscal_year": year, "owner_agency": "สำนักงานจังหวัดเชียงใหม่", "budget_satang": 1_250_000_00,
            "status": status, "progress": progress, "last_note": "",
            "updated_at": datetime(2026, 3, 1, 2, 0, tzinfo=UTC), **extra}


def _texts(raw: Any) -> list[str]:
    """Every text component of a message, including those inside a LINE Flex bubble or carousel."""
    if isinstance(raw, dict):
        own = [raw["text"]] if raw.get("type") == "text" and isinstance(raw.get("text"), str) else []
        return own + [t for key, value in raw.items() if key != "text" for t in _texts(value)]
    if isinstance(raw, list):
        return [t for item in raw for t in _texts(item)]
    return []


def readable(received: list[Received]) -> str:
    """What the user reads: texts, and on LINE the Flex cards' lines."""
    return "\n".join("\n".join(_texts(r.raw)) if r.kind == "flex" else r.text for r in received)


CHIANG_MAI, KHON_KAEN = "TH-50", "TH-40"


def bangkok(day: int, hour: int, minute: int = 0) -> datetime:
    """A March 2026 Bangkok wall-clock time, in UTC."""
    return datetime(2026, 3, day, hour - 7, minute, tzinfo=UTC) if hour >= 7 else \
        datetime(2026, 3, day - 1, hour + 17, minute, tzinfo=UTC)


def window_closing(service: Service, closes_at: datetime, nudges: list[str] | None = None,
                   provinces: tuple[str, ...] = (CHIANG_MAI, KHON_KAEN)) -> int:
    with transaction(service.engine) as session:
        window = create_window(session=session, title_th="แผนพัฒนาจังหวัด 2570", fiscal_year=2570,
                               opens_at=closes_at - timedelta(days=30), closes_at=closes_at,
                               provinces=list(provinces), scope="list", nudges=nudges)
        assert window.id is not None
        return window.id


def invite_code(service: Service, role: Role = Role.coordinator, province: str | None = "TH-50",
           days: float = 7, name: str = "กนกพร คำดี") -> str:
    with transaction(service.engine) as session:
        return create_invite(session=session, role=role, province_iso=province, now=service.clock(),
                             valid_for=timedelta(days=days), name=name).code


def person_of(service: Service, platform: str, user_id: str) -> Person:
    with Session(service.engine) as session:
        account = session.exec(select(Account).where(Account.platform == platform,
                                                     Account.user_id == user_id)).one()
        person = session.get(Person, account.person_id)
        assert person is not None
        return person


def admin_phone(phones: Phones, platform: str = "line") -> Phone:
    phone = phones.line(900) if platform == "line" else phones.telegram(900)
    register(phone, Role.admin, name="ผู้ดูแล")
    return phone


def members(phones: Phones) -> dict[str, Phone]:
    """Two coordinators in Chiang Mai (LINE, Telegram), one in Khon Kaen (Telegram), a DG in Songkhla (LINE)."""
    people = {"cmi-line": phones.line(1), "cmi-tg": phones.telegram(2), "kkn-tg": phones.telegram(3),
              "ska-dg": phones.line(4)}
    register(people["cmi-line"], Role.coordinator, "TH-50", name="สมชาย")
    register(people["cmi-tg"], Role.coordinator, "TH-50", name="สมหญิง")
    register(people["kkn-tg"], Role.coordinator, "TH-40", name="ขวัญใจ")
    register(people["ska-dg"], Role.deputy_governor, "TH-90", name="รองฯ สงขลา")
    return people


LINE_GROUP = "C" + "a1" * 16


class Group:
    """A group (LINE group or room, Telegram supergroup) one member talks in; its screen is the group's."""

    def __init__(self, phones: Phones, platform: str, chat: str) -> None:
        self.phones, self.platform, self.chat = phones, platform, chat
        self.seen = 0
        if platform == "telegram":
            phones.state.add_user("telegram", chat)  # the bot is a member of the group

    @property
    def screen(self) -> list[str]:
        return [r.text for r in self.phones.state.screen(self.platform, self.chat)]

    def _placed(self, event: dict[str, Any], member: Phone) -> dict[str, Any]:
        if self.platform == "line":
            kind, key = ("group", "groupId") if self.chat.startswith("C") else ("room", "roomId")
            event["source"] = {"type": kind, key: self.chat, "userId": member.user_id}
        else:
            message = event["message"] if "message" in event else event["callback_query"]["message"]
            message["chat"] = {"id": int(self.chat), "type": "supergroup", "title": "เครือข่ายเชียงใหม่"}
        return event

    async def _send(self, event: dict[str, Any]) -> list[str]:
        response = await self.phones.post(self.platform, event)
        assert response.status_code == 200, response.text
        await self.phones.service.drain()
        fresh = self.screen[self.seen:]
        self.seen = len(self.screen)
        return fresh

    async def say(self, member: Phone, text: str) -> list[str]:
        state = self.phones.state
        if self.platform == "line":
            event = ev.line_text_event(member.user_id, text, reply_token=state.issue_reply_token(self.chat))
        else:
            event = ev.tg_message_update(int(member.user_id), text, update_id=state.next_update_id())
        return await self._send(self._placed(event, member))

    async def press(self, member: Phone, data: str) -> list[str]:
        state = self.phones.state
        if self.platform == "line":
            event = ev.line_postback_event(member.user_id, data, reply_token=state.issue_reply_token(self.chat))
        else:
            event = ev.tg_callback_update(int(member.user_id), data, update_id=state.next_update_id(),
                                          callback_id=state.issue_callback_id(self.chat))
        return await self._send(self._placed(event, member))

    def buttons(self) -> list[tuple[str, str]]:
        return self.phones.state.screen(self.platform, self.chat)[-1].buttons


def seed_people(engine: Engine, accounts: Sequence[tuple[str, str]], *, admin: str | None = None,
                role: Role = Role.coordinator, provinces: Sequence[str] = ()) -> list[int]:
    """In bulk (thousands in a second): an admin on LINE with user id `admin` when given, and one person of `role`
    per (platform, user id) of `accounts`, in `provinces` (default: all 77) in turn. Returns their ids, in order."""
    isos = list(provinces) or [p.iso for p in reference.provinces()]
    now = utcnow()
    with transaction(engine) as session:
        if admin is not None:
            boss = Person(name="ผู้ดูแล", role=Role.admin, created_at=now)
            session.add(boss)
            session.flush()
            assert boss.id is not None
            session.add(Account(person_id=boss.id, platform="line", user_id=admin, chat_id=admin))
        session.execute(insert(Person), [{"name": f"seeded{n}", "role": role, "position": "", "lang": "th",
                                          "province_iso": isos[n % len(isos)], "created_at": now}
                                         for n in range(len(accounts))])
        ids = {name: id_ for name, id_ in session.execute(
            select(Person.name, Person.id).where(col(Person.name).startswith("seeded")))}
        session.execute(insert(Account), [
            {"person_id": ids[f"seeded{n}"], "platform": platform, "user_id": user, "chat_id": user,
             "display_name": "", "reachable": True, "unreachable_reason": "", "created_at": now, "last_seen_at": now}
            for n, (platform, user) in enumerate(accounts)])
    return [ids[f"seeded{n}"] for n in range(len(accounts))]


def confirm_broadcast(engine: Engine, settings: Settings, text: str, roles: tuple[str, ...] = ("coordinator",)) -> int:
    """What the confirm button does: the admin's announcement to `roles`, fanned out; returns the recipients queued."""
    now = utcnow()
    with transaction(engine) as session:
        admin = session.exec(select(Person).where(Person.role == Role.admin)).first()
        assert admin is not None and admin.id is not None
        broadcast = create_broadcast(session=session, author_id=admin.id, text=text, segment=Segment(roles=roles),
                                     now=now)
        assert broadcast.id is not None
        return start_sending(session=session, broadcast_id=broadcast.id, now=now, settings=settings) or 0
