"""The menus every person sees at the bottom of the chat: which actions each role gets, in which order.

One neutral layout per role and language. The LINE adapter turns it into rich menus (more than six actions:
tabs, switched with rich menu aliases), the Telegram adapter into `setMyCommands` lists. Every area sends the
same `Cmd` payload as the help menu's buttons, so the router handles a tap exactly as the typed command.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.i18n import Text
from bot.messages import Platform
from bot.payloads import Cmd, Tab
from storage.db import transaction
from storage.models import Account, Person, Role

if TYPE_CHECKING:
    from bot.platform import Adapter

log = logging.getLogger(__name__)

LANGS = ("th", "en")
WIDTH = 2500
FULL_HEIGHT = 1686  # LINE's two rich menu heights for a 2500-wide image
HALF_HEIGHT = 843
TAB_BAR = 230
COLUMNS = 3
MAX_AREAS_PER_TAB = 6
FAILED = "!"
"""Prefix of an account's `menu` when its platform refused the link; `sync` tries those again."""
LINK_BATCH = 500
"""LINE's bulk link and unlink take at most 500 user ids (messaging-api.yml RichMenuBulkLinkRequest)."""
ART_VERSION = "3"
"""Change when `bot.menu_images` draws or the adapters render areas differently, so the menus are replaced."""

CHAT_BAR = Text("เมนู", "Menu")  # chatBarText: at most 14 characters


@dataclass(frozen=True)
class Action:
    """One tappable action: the command it runs, its label and the icon drawn beside it."""

    command: str
    label: Text
    icon: str
    arg: str = ""

    @property
    def payload(self) -> str:
        return Cmd(self.command, self.arg).pack()


JOIN = Action("join", Text("ลงทะเบียน", "Join"), "key")
HELP = Action("help", Text("ช่วยเหลือ", "Help"), "help")
LANGUAGE = Action("lang", Text("ภาษา / Language", "ภาษา / Language"), "globe")
DEADLINES = Action("deadlines", Text("กำหนดส่ง", "Deadlines"), "clock")
SUBMITTED = Action("submitted", Text("ส่งแผนแล้ว", "Submitted"), "check")
PROJECTS = Action("project", Text("โครงการจังหวัด", "Projects"), "folder")
WORKSHOPS = Action("workshops", Text("สัมมนา", "Workshops"), "calendar")
CHECKIN = Action("checkin", Text("QR เช็คอิน", "Check-in QR"), "qr")
DELEGATE = Action("delegate", Text("ส่งผู้แทน", "Delegate"), "people")
SUMMARY = Action("summary", Text("สรุปจังหวัด", "Summary"), "chart")
BROADCAST = Action("broadcast", Text("ประกาศ", "Broadcast"), "megaphone")
ATTENDEES = Action("attendees", Text("ผู้เข้าร่วม", "Attendees"), "people")
WINDOWS = Action("window", Text("รอบส่งแผน", "Windows"), "clock")
NEW_WORKSHOP = Action("newworkshop", Text("สร้างสัมมนา", "New workshop"), "plus")
PEOPLE = Action("people", Text("รายชื่อ", "People"), "card")
ALL_SUMMARY = Action("summary", Text("สรุปภาพรวม", "Summaries"), "chart")

MAIN = Text("หลัก", "Main")
MORE = Text("เพิ่มเติม", "More")
ADMIN = Text("ผู้ดูแล", "Admin")

LAYOUT: dict[Role, list[tuple[Text, list[Action]]]] = {
    Role.guest: [(MAIN, [JOIN, LANGUAGE, HELP])],
    Role.coordinator: [(MAIN, [DEADLINES, SUBMITTED, PROJECTS, WORKSHOPS, CHECKIN, HELP])],
    Role.deputy_governor: [(MAIN, [DEADLINES, SUBMITTED, PROJECTS, WORKSHOPS, DELEGATE, HELP]),
                           (MORE, [SUMMARY, CHECKIN, LANGUAGE])],
    Role.admin: [(ADMIN, [BROADCAST, ATTENDEES, WINDOWS, NEW_WORKSHOP, ALL_SUMMARY, PEOPLE]),
                 (MORE, [PROJECTS, DEADLINES, WORKSHOPS, CHECKIN, HELP, LANGUAGE])],
}
"""Each role's tabs, the first shown first; every tab has at most six actions."""

ROLE_SLUG = {Role.guest: "guest", Role.coordinator: "coord", Role.deputy_governor: "dg", Role.admin: "admin"}


@dataclass(frozen=True)
class Bounds:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Area:
    """A tappable rectangle: an action (`payload`), or a tab header (`switch_to`, an alias)."""

    bounds: Bounds
    label: str
    payload: str
    icon: str = ""
    switch_to: str | None = None
    current: bool = False


@dataclass(frozen=True)
class Page:
    """One rich menu: a tab of a role's menu in one language."""

    key: str
    alias: str
    height: int
    chat_bar: str
    areas: tuple[Area, ...]

    @property
    def fingerprint(self) -> str:
        """A hash of the layout and of how it is drawn: a menu whose fingerprint changed is replaced."""
        from bot.menu_images import font_digest  # here, since bot.menu_images imports this module

        layout = json.dumps(dataclasses.asdict(self), ensure_ascii=False)
        return hashlib.sha256(f"{layout}|{ART_VERSION}|{font_digest()}".encode()).hexdigest()[:16]

    @property
    def name(self) -> str:
        """The rich menu's name (at most 300 characters), which carries the fingerprint."""
        return f"coordbot {self.alias} {self.fingerprint}"


@dataclass(frozen=True)
class Menu:
    """A role's menu in one language: its pages (tabs), the first one linked."""

    role: Role
    lang: str
    pages: tuple[Page, ...]

    @property
    def key(self) -> str:
        """What an account given this menu records: role, language and the layout's fingerprint, so an account
        given an older layout is linked again."""
        pages = hashlib.sha256("".join(p.fingerprint for p in self.pages).encode()).hexdigest()[:8]
        return f"{page_prefix(self.role, self.lang)}-{pages}"


def page_prefix(role: Role, lang: str) -> str:
    return f"{role.value}-{lang}"


def actions(role: Role) -> list[Action]:
    """Every action of a role's menu, each once, in menu order."""
    seen: dict[str, Action] = {}
    for _, tab in LAYOUT[role]:
        for action in tab:
            seen.setdefault(action.payload, action)
    return list(seen.values())


def _grid(actions: Sequence[Action], lang: str, top: int, height: int) -> list[Area]:
    rows = max(1, -(-len(actions) // COLUMNS))
    row_height = height // rows
    width = WIDTH // COLUMNS
    areas = []
    for i, action in enumerate(actions):
        row, column = divmod(i, COLUMNS)
        last_column = column == COLUMNS - 1
        bounds = Bounds(column * width, top + row * row_height, WIDTH - column * width if last_column else width,
                        height - row * row_height if row == rows - 1 else row_height)
        areas.append(Area(bounds, action.label.render(lang), action.payload, action.icon))
    return areas


def build(role: Role, lang: str) -> Menu:
    """A role's menu in one language, laid out: three actions fit a half-height menu, six a full one, more
    become tabs with a tab bar on top."""
    tabs = LAYOUT[role]
    slug = ROLE_SLUG[role]
    aliases = [f"coordbot-{slug}-{lang}-{i}" for i in range(len(tabs))]
    pages = []
    for i, (_, tab) in enumerate(tabs):
        assert len(tab) <= MAX_AREAS_PER_TAB, f"{role} tab {i} has more than {MAX_AREAS_PER_TAB} actions"
        areas: list[Area] = []
        top = 0
        if len(tabs) > 1:
            width = WIDTH // len(tabs)
            for j, (other, _) in enumerate(tabs):
                bounds = Bounds(j * width, 0, WIDTH - j * width if j == len(tabs) - 1 else width, TAB_BAR)
                areas.append(Area(bounds, other.render(lang), Tab(j).pack(), switch_to=aliases[j], current=i == j))
            top = TAB_BAR
        height = HALF_HEIGHT if len(tabs) == 1 and len(tab) <= COLUMNS else FULL_HEIGHT
        areas += _grid(tab, lang, top, height - top)
        pages.append(Page(f"{page_prefix(role, lang)}-{i}", aliases[i], height, CHAT_BAR.render(lang), tuple(areas)))
    return Menu(role, lang, tuple(pages))


def all_menus() -> list[Menu]:
    return [build(role, lang) for role in LAYOUT for lang in LANGS]


@dataclass(frozen=True)
class Command:
    """A Telegram command: name (1-32 of a-z, 0-9, _) and description (1-256 characters)."""

    name: str
    description: str


def commands(role: Role, lang: str) -> list[Command]:
    """The `/` list for a role: the menu's actions, in menu order."""
    return [Command(a.command, a.label.render(lang)) for a in actions(role)]


# Linking each person's account to their role's menu


def mark_stale(*, session: Session) -> int:
    """Accounts given an older layout of their menu, or refused before, are due again. Thai-speaking guests see
    the default menu, which needs no link, so they are due only when a change marks them
    (`storage.people.menu_due`)."""
    keys = {(m.role, m.lang): m.key for m in all_menus()}
    due = 0
    rows = session.exec(select(Account, Person).join(Person, col(Person.id) == col(Account.person_id))
                        .where(col(Account.menu).is_not(None)))
    for account, person in rows:
        stale = (person.role, person.lang) != (Role.guest, "th") and account.menu != keys[(person.role, person.lang)]
        if stale or str(account.menu).startswith(FAILED):
            account.menu = None
            session.add(account)
            due += 1
    return due


def _due(session: Session, platforms: Sequence[str], limit: int) -> list[tuple[Account, Person]]:
    rows = session.exec(
        select(Account, Person).join(Person, col(Person.id) == col(Account.person_id))
        .where(col(Account.menu).is_(None), col(Account.reachable).is_(True), col(Account.platform).in_(platforms))
        .order_by(col(Account.platform), col(Person.role), col(Person.lang), col(Account.id)).limit(limit))
    return list(rows)


async def link_due(engine: Engine, linkers: Mapping[Platform, Adapter]) -> int:
    """Give every account marked due its role's menu: one call for one account, bulk calls for many.

    If a bulk call is refused, its accounts are tried one by one; an account its platform still refuses (e.g. a
    Telegram chat the bot cannot reach) is marked failed, and tried again at the next `sync`."""
    with transaction(engine) as session:
        rows = [(a.id or 0, a.platform, a.user_id, p.role, p.lang)
                for a, p in _due(session, [str(p) for p in linkers], 10 * LINK_BATCH)]
    done: list[tuple[int, str]] = []
    for (platform, role, lang), group in groupby(rows, key=lambda r: (r[1], r[3], r[4])):
        members = list(group)
        key = build(Role(role), lang).key
        linker = linkers[Platform(platform)]
        for start in range(0, len(members), LINK_BATCH):
            batch = members[start:start + LINK_BATCH]
            if await _linked(linker, [m[2] for m in batch], Role(role), lang):
                done += [(m[0], key) for m in batch]
            elif len(batch) == 1:
                done.append((batch[0][0], FAILED + key))
            else:  # one refused id fails a whole bulk call: try each on its own
                for member in batch:
                    ok = await _linked(linker, [member[2]], Role(role), lang)
                    done.append((member[0], key if ok else FAILED + key))
    if done:
        with transaction(engine) as session:
            for account_id, key in done:
                account = session.get(Account, account_id)
                if account is not None and account.menu is None:
                    account.menu = key
    return sum(1 for _, key in done if not key.startswith(FAILED))


async def _linked(linker: Adapter, user_ids: list[str], role: Role, lang: str) -> bool:
    try:
        await linker.link_menu(user_ids, role, lang)
    except Exception as exc:
        log.warning("linking %d %s accounts to the %s menu failed: %r", len(user_ids), linker.platform,
                    page_prefix(role, lang), exc)
        return False
    return True


async def sync(engine: Engine, linkers: Mapping[Platform, Adapter]) -> list[str]:
    """Bring the platforms' menus up to date and give every account whose menu changed its new one."""
    menus = all_menus()
    changes = []
    for platform, linker in linkers.items():
        changes += [f"{platform}: {change}" for change in await linker.sync_menus(menus)]
    with transaction(engine) as session:
        relinked = mark_stale(session=session)
    if relinked:
        changes.append(f"{relinked} accounts to relink")
    await link_due(engine, linkers)
    return changes


async def sync_at_start(engine: Engine, adapters: Mapping[Platform, Adapter]) -> None:
    """`sync` when the service starts; a platform that cannot be reached then must not stop the service."""
    try:
        changes = await sync(engine, adapters)
    except Exception:
        log.exception("the menus could not be brought up to date; `coordbot richmenu sync` tries again")
        return
    if changes:
        log.info("menus brought up to date: %s", ", ".join(changes))
