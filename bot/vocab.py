"""The network's words, written once: roles (as one person holds them, as a group, as people type them),
project statuses, plan levels, platforms, and a person's label.

Chat texts, exports and the CLI all take these names from here, so an admin is never called by two Thai
words, and English reads "Role: deputy governor" but "only for deputy governors". The Thai status and level
names are the ministry's own (`storage.projects`, which the spreadsheet import reads too).
"""

from __future__ import annotations

from bot.i18n import Text
from storage.models import Person, Role
from storage.projects import LEVEL_TH, STATUS_TH, PlanLevel, ProjectStatus
from storage.reference import province_name

ROLE = {
    Role.admin: Text("ผู้ดูแลระบบ", "admin"),
    Role.deputy_governor: Text("รองผู้ว่าราชการจังหวัด", "deputy governor"),
    Role.coordinator: Text("ผู้ประสานงานจังหวัด", "provincial coordinator"),
    Role.guest: Text("ผู้ใช้ทั่วไป", "guest"),
}
"""One person's role: "คุณลงทะเบียนเป็น…", "Role: …"."""

ROLES = {
    Role.admin: Text("ผู้ดูแลระบบ", "admins"),
    Role.deputy_governor: Text("รองผู้ว่าราชการจังหวัด", "deputy governors"),
    Role.coordinator: Text("ผู้ประสานงานจังหวัด", "provincial coordinators"),
    Role.guest: Text("ผู้ใช้ทั่วไป", "guests"),
}
"""People of a role: "only for …", "invited: …"."""

ROLE_WORDS = {
    "admin": Role.admin, "ผู้ดูแล": Role.admin, "ผู้ดูแลระบบ": Role.admin,
    "deputy_governor": Role.deputy_governor, "dg": Role.deputy_governor, "รองผู้ว่า": Role.deputy_governor,
    "รองผู้ว่าราชการจังหวัด": Role.deputy_governor,
    "coordinator": Role.coordinator, "ผู้ประสานงาน": Role.coordinator, "ผู้ประสานงานจังหวัด": Role.coordinator,
    "guest": Role.guest, "ทั่วไป": Role.guest,
}
"""A role as people type it (lower case): broadcast segments, invites, the people list."""
MEMBER_ROLE_WORDS = {word: role for word, role in ROLE_WORDS.items() if role != Role.guest}
"""The roles one can be invited to or given: a guest is who has none."""

PROJECT_STATUS = {s: Text(STATUS_TH[s], s.value.replace("_", " ")) for s in ProjectStatus}
PLAN_LEVEL = {level: Text(LEVEL_TH[level], f"{level.value} plan") for level in PlanLevel}

PLATFORM = {"line": "LINE", "telegram": "Telegram"}
"""A platform's name, the same in both languages."""
PLATFORM_WORDS = {"line": "line", "ไลน์": "line", "telegram": "telegram", "tg": "telegram", "เทเลแกรม": "telegram"}
"""A platform as people type it (lower case)."""


def person_label(person: Person, lang: str) -> str:
    """A name with its role and province, so two people of the same name can be told apart in a list."""
    where = f", {province_name(person.province_iso, lang)}" if person.province_iso else ""
    return f"{person.name or f'#{person.id}'} ({ROLE[person.role].render(lang)}{where})"
