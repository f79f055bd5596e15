"""The network's words, written once: roles as one person holds them and as a group, and a person's label.

Chat texts, exports and the CLI all take their role names from here, so an admin is never called by two Thai
words, and English reads "Role: deputy governor" but "only for deputy governors".
"""

from __future__ import annotations

from bot.i18n import Text
from storage.models import Person, Role
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


def person_label(person: Person, lang: str) -> str:
    """A name with its role and province, so two people of the same name can be told apart in a list."""
    where = f", {province_name(person.province_iso, lang)}" if person.province_iso else ""
    return f"{person.name or f'#{person.id}'} ({ROLE[person.role].render(lang)}{where})"
