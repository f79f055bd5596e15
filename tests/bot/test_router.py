"""The router: command variants chosen by their argument, roles and privacy per variant, composed routers, and
routes registered twice refused when the routes are built."""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar

import pytest
from sqlmodel import Session

from bot.config import Settings
from bot.context import Context
from bot.i18n import Text
from bot.messages import Incoming, Kind, Platform, Reply
from bot.payloads import Cmd, Payload
from bot.router import Handler, Reroute, Router, Routes
from storage.db import Savepoint, utcnow
from storage.models import Role
from storage.people import audit_entries, ensure_account

ADMINS = {Role.admin}
MEMBERS = {Role.coordinator, Role.deputy_governor}
NATIONAL_ONLY = Text("ขออภัย ภาพรวมทั้งประเทศสำหรับ{roles}เท่านั้น", "Sorry, the national picture is only for {roles}.")


@dataclasses.dataclass(frozen=True)
class Ping(Payload):
    prefix: ClassVar[str] = "tping"
    n: int


def echo(name: str) -> Handler:
    """A handler that says which handler answered and with what argument."""

    def handler(msg: Incoming, ctx: Context) -> list[Reply]:
        return [Reply(text=f"{name}:{msg.args}")]

    return handler


def window_router() -> Router:
    """`/window` as deadlines declares it: a list for members, `add` and `delete` for admins in private,
    `status` for members anywhere."""
    router = Router("deadlines")
    router.command("window", "รอบส่ง", roles=MEMBERS, summary=Text("รอบส่ง", "windows"),
                   shortcuts={"สถานะรอบ": "status"})(echo("list"))
    router.command("window", args=re.compile(r"(?:add|เพิ่ม)\b", re.IGNORECASE), roles=ADMINS, private=True,
                   summary=Text("เพิ่มรอบ", "add a window"))(echo("add"))
    router.command("window", args=lambda argument: argument.startswith("delete"), roles=ADMINS,
                   private=True)(echo("delete"))
    router.command("window", args=re.compile(r"status\b"), roles=MEMBERS, slow=True)(echo("status"))
    return router


def summary_router() -> Router:
    router = Router("projects")

    @router.command("summary", "สรุป", roles=MEMBERS, summary=Text("สรุป", "summary"))
    def own(msg: Incoming, ctx: Context) -> list[Reply]:
        if ctx.person.province_iso is None:
            raise Reroute(f"{msg.args} national".strip())
        return [Reply(text=f"own:{msg.args}")]

    router.command("summary", args=re.compile(r".*\bnational\b"), roles=ADMINS, refusal=NATIONAL_ONLY,
                   summary=Text("สรุปทั้งประเทศ", "national summary"))(echo("national"))
    return router


def fallback(msg: Incoming, ctx: Context) -> list[Reply]:
    return [Reply(text="fallback")]


class Desk:
    """One person talking to a set of routes, in a one-to-one chat unless `private=False`."""

    def __init__(self, routes: Routes, session: Session, settings: Settings, role: Role,
                 province_iso: str | None = "TH-50", lang: str = "th") -> None:
        self.routes, self.session, self.settings = routes, session, settings
        self.account, self.person = ensure_account(session=session, platform="line", user_id=f"U{role.value}",
                                                   chat_id=f"U{role.value}", lang=lang)
        self.person.role, self.person.province_iso = role, province_iso
        self.sent = 0

    def _send(self, private: bool, **fields: object) -> list[str]:
        self.sent += 1
        msg = Incoming(platform=Platform.line, event_id=f"e{self.sent}", user_id=self.person.name or "u",
                       chat_id="c", private=private, received_at=utcnow(), **fields)  # type: ignore[arg-type]
        ctx = Context(session=self.session, person=self.person, account=self.account, now=utcnow(),
                      settings=self.settings, catalogue=self.routes)
        savepoint = Savepoint(self.session)  # as the service handles each event
        replies = self.routes.dispatch(msg, ctx, savepoint.undo)
        savepoint.commit()
        return [r.text for r in replies]

    def say(self, text: str, private: bool = True) -> list[str]:
        return self._send(private, kind=Kind.text, text=text)

    def press(self, payload: Payload, private: bool = True) -> list[str]:
        return self._send(private, kind=Kind.button, payload=payload.pack())


def test_the_first_variant_whose_matcher_accepts_the_argument_answers_and_the_plain_command_the_rest(
    session: Session, settings: Settings
) -> None:
    admin = Desk(Routes([window_router()], fallback), session, settings, Role.admin)
    assert admin.say("/window add 2569-12-15 แผน") == ["add:add 2569-12-15 แผน"]
    assert admin.say("รอบส่ง เพิ่ม 2569-12-15") == ["add:เพิ่ม 2569-12-15"]
    assert admin.say("/window delete 3") == ["delete:delete 3"]
    assert admin.say("/window status 3") == ["status:status 3"]
    assert admin.say("สถานะรอบ 3") == ["status:status 3"]  # a shortcut names the variant's first word
    assert admin.say("/window") == ["list:"]
    assert admin.say("/window added") == ["list:added"]  # `add\b`: a longer word is not the variant's


def test_roles_are_checked_per_variant_and_the_refusal_names_them(session: Session, settings: Settings) -> None:
    routes = Routes([window_router()], fallback)
    coordinator = Desk(routes, session, settings, Role.coordinator)
    assert coordinator.say("/window status 3") == ["status:status 3"]
    assert coordinator.say("/window") == ["list:"]
    assert coordinator.say("/window add 2569-12-15") == ["ขออภัย คำสั่งนี้สำหรับ ผู้ดูแลระบบ เท่านั้น"]
    guest = Desk(routes, session, settings, Role.guest, lang="en")
    [refused] = guest.say("/window status 3")
    assert refused.startswith("Sorry, this command is only for provincial coordinators, deputy governors.")
    assert "invite code" in refused  # a guest is told how to become a member
    audited = audit_entries(session=session, action="refused")
    assert [entry.detail["command"] for entry in audited] == ["window add", "window status"]


def test_a_variant_that_names_no_roles_or_privacy_is_as_restricted_as_its_plain_command(
    session: Session, settings: Settings
) -> None:
    router = Router("people")
    router.command("people", roles=ADMINS, private=True)(echo("list"))
    router.command("people", args=re.compile("retire"))(echo("retire"))
    router.command("people", args=re.compile("count"), roles=set(Role), private=False)(echo("count"))
    routes = Routes([router], fallback)
    coordinator, admin = (Desk(routes, session, settings, role) for role in (Role.coordinator, Role.admin))
    assert coordinator.say("/people retire 3") == ["ขออภัย คำสั่งนี้สำหรับ ผู้ดูแลระบบ เท่านั้น"]
    assert "แชตส่วนตัว" in admin.say("/people retire 3", private=False)[0]
    assert coordinator.say("/people count", private=False) == ["count:count"]


def test_a_menu_button_runs_the_variant_its_argument_selects(session: Session, settings: Settings) -> None:
    coordinator = Desk(Routes([window_router()], fallback), session, settings, Role.coordinator)
    assert coordinator.press(Cmd("window", "status 4")) == ["status:status 4"]
    assert coordinator.press(Cmd("window", "add x")) == ["ขออภัย คำสั่งนี้สำหรับ ผู้ดูแลระบบ เท่านั้น"]


def test_privacy_is_checked_per_variant(session: Session, settings: Settings) -> None:
    admin = Desk(Routes([window_router()], fallback), session, settings, Role.admin)
    [hint] = admin.say("/window add 2569-12-15", private=False)
    assert "แชตส่วนตัว" in hint
    assert admin.say("/window status 3", private=False) == ["status:status 3"]


def test_a_variant_may_word_its_own_refusal_and_a_handler_may_reroute_to_a_variant(
    session: Session, settings: Settings
) -> None:
    routes = Routes([summary_router()], fallback)
    coordinator = Desk(routes, session, settings, Role.coordinator)
    assert coordinator.say("สรุป national") == ["ขออภัย ภาพรวมทั้งประเทศสำหรับผู้ดูแลระบบเท่านั้น"]
    assert coordinator.say("สรุป 2569") == ["own:2569"]
    no_province = Desk(routes, session, settings, Role.deputy_governor, province_iso=None)
    assert no_province.say("สรุป 2569") == ["ขออภัย ภาพรวมทั้งประเทศสำหรับผู้ดูแลระบบเท่านั้น"]
    admin = Desk(routes, session, settings, Role.admin, province_iso=None)
    assert admin.say("/summary 2569") == ["national:2569 national"]


def test_help_and_did_you_mean_show_only_what_a_role_may_use() -> None:
    routes = Routes([window_router(), summary_router()], fallback)
    menu = {role: [(name, [c.summary.en for c in group if c.summary]) for name, group in
                   routes.visible_groups(role)] for role in Role}
    assert menu[Role.coordinator] == [("deadlines", ["windows"]), ("projects", ["summary"])]
    assert menu[Role.admin] == [("deadlines", ["windows", "add a window"]),
                                ("projects", ["summary", "national summary"])]
    assert menu[Role.guest] == []
    assert [c.words[0] for c in routes.usable_commands(Role.coordinator)] == ["window", "summary"]
    assert routes.usable_commands(Role.guest) == []

    only_a_variant = Router("rsvp")
    only_a_variant.command("checkin", roles=ADMINS)(echo("desk"))
    only_a_variant.command("checkin", args=re.compile(r"\S"), roles=MEMBERS)(echo("own"))
    routes = Routes([only_a_variant], fallback)
    assert [c.words[0] for c in routes.usable_commands(Role.deputy_governor)] == ["checkin"]


def test_slowness_is_declared_per_variant(session: Session, settings: Settings) -> None:
    routes = Routes([window_router()], fallback)

    def typed(text: str) -> Incoming:
        return Incoming(platform=Platform.line, event_id="e", kind=Kind.text, user_id="u", chat_id="c", text=text,
                        received_at=utcnow())

    assert routes.is_slow(typed("/window status 3")) and not routes.is_slow(typed("/window add x"))
    pressed = typed("").model_copy(update={"kind": Kind.button, "payload": Cmd("window", "status 3").pack()})
    assert routes.is_slow(pressed)


def test_included_routers_are_routed_and_listed_under_the_feature_that_includes_them(
    session: Session, settings: Settings
) -> None:
    feature, lookups, pings = Router("projects"), Router("lookups"), Router("pings")
    lookups.command("find", summary=Text("ค้นหา", "find"))(echo("find"))
    pings.button(Ping)(lambda msg, ctx, data: [Reply(text=f"pong {data.n}")])
    pings.event(Kind.sticker)(echo("sticker"))
    feature.include(lookups, pings)
    routes = Routes([feature], fallback)
    guest = Desk(routes, session, settings, Role.guest)
    assert guest.say("/find x") == ["find:x"]
    assert guest.press(Ping(7)) == ["pong 7"]
    assert guest._send(True, kind=Kind.sticker) == ["sticker:"]
    assert [(name, [c.words[0] for c in group]) for name, group in routes.visible_groups(Role.guest)] == [
        ("projects", ["find"])]
    feature.include(lookups)
    with pytest.raises(ValueError, match="included twice"):
        Routes([feature], fallback)


def test_one_command_word_payload_prefix_or_event_kind_registered_twice_is_an_error() -> None:
    first, second = Router("a"), Router("b")
    first.command("window", "รอบส่ง")(echo("a"))
    second.command("รอบส่ง")(echo("b"))
    with pytest.raises(ValueError, match="command 'รอบส่ง' registered twice"):
        Routes([first, second], fallback)

    first, second = Router("a"), Router("b")
    first.button(Ping)(lambda msg, ctx, data: [])
    with pytest.raises(ValueError, match="payload prefix 'tping' registered twice"):
        first.button(Ping)(lambda msg, ctx, data: [])
    second.button(Ping)(lambda msg, ctx, data: [])
    with pytest.raises(ValueError, match="payload prefix 'tping' registered twice"):
        Routes([first, second], fallback)

    first, second = Router("a"), Router("b")
    first.event(Kind.sticker)(echo("a"))
    with pytest.raises(ValueError, match="event 'sticker' registered twice"):
        first.event(Kind.sticker)(echo("again"))
    second.event(Kind.sticker)(echo("b"))
    with pytest.raises(ValueError, match="event 'sticker' registered twice"):
        Routes([first, second], fallback)


def test_a_variant_needs_its_plain_command_and_leaves_the_forms_to_it() -> None:
    orphan = Router("a")
    orphan.command("window", args=re.compile("add"))(echo("add"))
    with pytest.raises(ValueError, match="variant of 'window' without a plain command"):
        Routes([orphan], fallback)
    other_words = Router("a")
    other_words.command("window")(echo("list"))
    other_words.command("windows", "window", args=re.compile("add"))(echo("add"))
    with pytest.raises(ValueError, match="variant of 'windows'"):
        Routes([other_words], fallback)
    with pytest.raises(ValueError, match="belong to the plain command"):
        Router("a").command("window", args=re.compile("add"), aliases=("wndow",))
