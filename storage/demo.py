"""Demo people for `make run` and `coordbot chat --as ...`: fixed ids, so the terminal client can act as them.

Their credentials are public, so a database that holds them is served only in demo mode (`demo_people`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import and_, inspect, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from storage.db import transaction, utcnow
from storage.deadlines_demo import seed_windows
from storage.models import Account, Person, Role
from storage.people import account_for
from storage.projects_demo import seed_projects
from storage.rsvp_demo import seed_workshops

TELEGRAM_DEMO_IDS = 2**52
"""Telegram user ids have at most 52 significant bits (Bot API, `User.id`), so from 2**52 on no real person has
one; below 2**53 they are still exact as a double, as the Bot API promises clients."""


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    role: Role
    province_iso: str | None
    position: str

    @property
    def line_user_id(self) -> str:
        """LINE's form (U and 32 hex digits, which the emulator checks as LINE does); LINE issues random ones."""
        return "U" + hashlib.md5(self.key.encode()).hexdigest()

    @property
    def telegram_id(self) -> int:
        return TELEGRAM_DEMO_IDS + int(hashlib.md5(self.key.encode()).hexdigest()[:6], 16) % 1_000_000


PERSONAS = (
    Persona("admin", "สุนีย์ อินทรวงศ์", Role.admin, None, "นักวิเคราะห์นโยบาย สป.อว."),
    Persona("dg-cmi", "ประเสริฐ ศรีสุข", Role.deputy_governor, "TH-50", "รองผู้ว่าราชการจังหวัดเชียงใหม่"),
    Persona("coord-cmi", "กนกพร คำดี", Role.coordinator, "TH-50", "ผู้ประสานงาน จ.เชียงใหม่"),
    Persona("dg-kkn", "วิชัย พลเยี่ยม", Role.deputy_governor, "TH-40", "รองผู้ว่าราชการจังหวัดขอนแก่น"),
    Persona("coord-kkn", "อรทัย บุญมา", Role.coordinator, "TH-40", "ผู้ประสานงาน จ.ขอนแก่น"),
    Persona("coord-ska", "ฮาซัน ดอเลาะ", Role.coordinator, "TH-90", "ผู้ประสานงาน จ.สงขลา"),
    Persona("guest", "", Role.guest, None, ""),
)


def persona(key: str) -> Persona:
    for p in PERSONAS:
        if p.key == key:
            return p
    raise KeyError(f"no persona {key!r}; choose one of: {', '.join(p.key for p in PERSONAS)}")


NEWCOMER = re.compile(r"new-[a-z0-9]{1,16}")
"""Keys of people who are not in the demo data (`new-...`): guests with platform ids of their own."""


def newcomer_key() -> str:
    """A fresh newcomer key: someone the service has never seen, e.g. to join with an invite code."""
    return f"new-{secrets.token_hex(4)}"


def visitor(key: str) -> Persona:
    """A demo person by key, or a newcomer for a `new-...` key (ids derived from the key, like the demo people's)."""
    if NEWCOMER.fullmatch(key):
        return Persona(key, "", Role.guest, None, "")
    return persona(key)


def demo_people(engine: Engine) -> int:
    """How many demo people the database holds, found by their platform ids (0 before the first migration)."""
    if not inspect(engine).has_table("account"):
        return 0
    ids = {"line": [p.line_user_id for p in PERSONAS], "telegram": [str(p.telegram_id) for p in PERSONAS]}
    with Session(engine) as session:
        return session.exec(select(func.count(func.distinct(Account.person_id))).where(or_(*(
            and_(col(Account.platform) == platform, col(Account.user_id).in_(users))
            for platform, users in ids.items())))).one()


def seed_people(engine: Engine) -> int:
    """Create the demo people with a LINE and a Telegram account each (the guest has none); idempotent."""
    created = 0
    with transaction(engine) as session:
        for p in PERSONAS:
            if p.role == Role.guest:
                continue
            line = account_for(session=session, platform="line", user_id=p.line_user_id)
            if line is not None:
                # Demo databases seeded before the Telegram ids moved out of the real range.
                for old in session.exec(select(Account).where(Account.person_id == line.person_id,
                                                              Account.platform == "telegram")):
                    old.user_id = old.chat_id = str(p.telegram_id)
                continue
            person = Person(name=p.name, role=p.role, province_iso=p.province_iso, position=p.position)
            session.add(person)
            session.flush()
            assert person.id is not None
            session.add(Account(person_id=person.id, platform="line", user_id=p.line_user_id,
                                chat_id=p.line_user_id, display_name=p.name))
            session.add(Account(person_id=person.id, platform="telegram", user_id=str(p.telegram_id),
                                chat_id=str(p.telegram_id), display_name=p.name))
            created += 1
    return created


def seed_all(engine: Engine) -> str:
    """Every feature's demo data; returns a one-line summary."""
    people = seed_people(engine)
    with transaction(engine) as session:
        workshops = seed_workshops(session=session, now=utcnow())
    projects = seed_projects(engine)
    windows = seed_windows(engine)
    return (f"{people} people added, {workshops} workshops added, {projects} projects added, "
            f"{windows} submission windows added")
