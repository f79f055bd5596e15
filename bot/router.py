"""Routes an `Incoming` to its handler: command words (Thai, English, slash), button payloads, events.

Each feature module owns a `Router`; `bot.app` includes them in one ordered list. Roles are declared
beside each command and checked here, once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.context import Context
from bot.errors import BadButton, DomainError, NotAllowed
from bot.i18n import Text
from bot.messages import Incoming, Kind, Reply
from bot.payloads import Cmd, Payload, PayloadError, prefix_of
from storage.models import Role
from storage.people import audit

log = logging.getLogger(__name__)

Handler = Callable[[Incoming, Context], list[Reply]]
P = TypeVar("P", bound=Payload)
ButtonHandler = Callable[[Incoming, Context, Any], list[Reply]]
TextMatcher = Callable[[str], bool]

ROLE_NAMES = {
    Role.admin: Text("ผู้ดูแลระบบ", "admins"),
    Role.deputy_governor: Text("รองผู้ว่าราชการจังหวัด", "deputy governors"),
    Role.coordinator: Text("ผู้ประสานงานจังหวัด", "provincial coordinators"),
    Role.guest: Text("ผู้ใช้ทั่วไป", "guests"),
}


@dataclass
class Command:
    words: tuple[str, ...]
    handler: Handler
    roles: frozenset[Role] | None
    summary: Text | None
    label: Text | None
    slow: bool = False


@dataclass
class Route:
    handler: ButtonHandler
    payload_type: type[Payload]
    roles: frozenset[Role] | None
    slow: bool = False


@dataclass
class Router:
    """Handlers of one feature, registered with decorators."""

    name: str
    commands: list[Command] = field(default_factory=list)
    buttons: dict[str, Route] = field(default_factory=dict)
    events: dict[Kind, Handler] = field(default_factory=dict)
    texts: list[tuple[TextMatcher, Handler]] = field(default_factory=list)

    def command(
        self, *words: str, roles: Iterable[Role] | None = None, summary: Text | None = None,
        label: Text | None = None, slow: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Register a command answered to `/word`, `word` and its Thai forms.

        `summary` lists it in the help menu; `label` (at most 20 characters, LINE's limit) gives it a menu button;
        `slow` (searches, exports) shows the platform's loading indicator before it is handled.
        """

        def decorate(handler: Handler) -> Handler:
            self.commands.append(Command(tuple(w.lower() for w in words), handler,
                                         frozenset(roles) if roles else None, summary, label, slow))
            return handler

        return decorate

    def button(
        self, payload_type: type[P], roles: Iterable[Role] | None = None, slow: bool = False
    ) -> Callable[[Callable[[Incoming, Context, P], list[Reply]]], Callable[[Incoming, Context, P], list[Reply]]]:
        def decorate(handler: Callable[[Incoming, Context, P], list[Reply]]) -> Any:
            self.buttons[payload_type.prefix] = Route(handler, payload_type, frozenset(roles) if roles else None,
                                                      slow)
            return handler

        return decorate

    def event(self, kind: Kind) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.events[kind] = handler
            return handler

        return decorate

    def text(self, matcher: TextMatcher) -> Callable[[Handler], Handler]:
        """Free text that is not a command but has a recognisable shape (e.g. an invite code)."""

        def decorate(handler: Handler) -> Handler:
            self.texts.append((matcher, handler))
            return handler

        return decorate


def command_word(text: str) -> str:
    """`/Help@coordbot now` -> `help`; `ลงทะเบียน ABC` -> `ลงทะเบียน`."""
    first = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    return first.removeprefix("/").split("@", 1)[0].lower()


class Routes:
    """All feature routers in order, plus the reply for anything nobody handles."""

    def __init__(self, routers: Iterable[Router], fallback: Handler) -> None:
        self.routers = list(routers)
        self.fallback = fallback
        self.by_word: dict[str, Command] = {}
        self.by_prefix: dict[str, Route] = {}
        self.by_event: dict[Kind, Handler] = {}
        for router in self.routers:
            for cmd in router.commands:
                for word in cmd.words:
                    if word in self.by_word:
                        raise ValueError(f"command {word!r} registered twice")
                    self.by_word[word] = cmd
            for prefix, route in router.buttons.items():
                if prefix in self.by_prefix:
                    raise ValueError(f"payload prefix {prefix!r} registered twice")
                self.by_prefix[prefix] = route
            self.by_event.update(router.events)

    def visible_commands(self, role: Role) -> list[Command]:
        """Commands this role may use, in registration order, for the help menu."""
        return [c for r in self.routers for c in r.commands if c.summary and _allowed(role, c.roles)]

    def is_slow(self, msg: Incoming) -> bool:
        """Whether the answer to this message may take long enough to show a loading indicator first."""
        if msg.kind == Kind.text:
            return getattr(self.by_word.get(command_word(msg.text)), "slow", False)
        if msg.kind != Kind.button:
            return False
        if prefix_of(msg.payload) == Cmd.prefix:
            try:
                return getattr(self.by_word.get(Cmd.unpack(msg.payload).name), "slow", False)
            except PayloadError:
                return False
        return getattr(self.by_prefix.get(prefix_of(msg.payload)), "slow", False)

    def dispatch(self, msg: Incoming, ctx: Context) -> list[Reply]:
        """Run the handler in a savepoint, so a refusal changes nothing (except the audit of it)."""
        try:
            with ctx.session.begin_nested():
                return self._route(msg, ctx)
        except NotAllowed as err:
            log.warning("refused %s to person %s (role %s)", err.command, ctx.person.id, ctx.person.role)
            audit(session=ctx.session, person_id=ctx.person.id, action="refused", command=err.command,
                  role=str(ctx.person.role), event_id=msg.event_id)
            return [Reply(text=ctx.t(err.text, **err.params))]
        except DomainError as err:
            return [Reply(text=ctx.t(err.text, **err.params))]

    def _route(self, msg: Incoming, ctx: Context) -> list[Reply]:
        if msg.kind == Kind.button:
            return self._button(msg, ctx)
        if msg.kind == Kind.text:
            cmd = self.by_word.get(command_word(msg.text))
            if cmd is not None:
                self._check(cmd.roles, ctx, cmd.words[0])
                return cmd.handler(msg, ctx)
            for router in self.routers:
                for matcher, handler in router.texts:
                    if matcher(msg.text):
                        return handler(msg, ctx)
            return self.fallback(msg, ctx)
        on_event = self.by_event.get(msg.kind)
        return on_event(msg, ctx) if on_event is not None else []

    def _button(self, msg: Incoming, ctx: Context) -> list[Reply]:
        prefix = prefix_of(msg.payload)
        payload_type = Cmd if prefix == Cmd.prefix else getattr(self.by_prefix.get(prefix), "payload_type", None)
        if payload_type is None:
            raise BadButton()
        try:
            data = payload_type.unpack(msg.payload)
        except PayloadError as exc:
            raise BadButton() from exc
        if isinstance(data, Cmd):
            cmd = self.by_word.get(data.name)
            if cmd is None:
                raise BadButton()
            self._check(cmd.roles, ctx, data.name)
            as_typed = msg.model_copy(update={"kind": Kind.text, "text": f"/{data.name} {data.arg}".strip()})
            return cmd.handler(as_typed, ctx)
        route = self.by_prefix[prefix]
        self._check(route.roles, ctx, prefix)
        return route.handler(msg, ctx, data)

    def _check(self, roles: frozenset[Role] | None, ctx: Context, what: str) -> None:
        if _allowed(ctx.person.role, roles):
            return
        assert roles is not None
        raise NotAllowed(what, roles=", ".join(ctx.t(ROLE_NAMES[r]) for r in sorted(roles)))


def _allowed(role: Role, roles: frozenset[Role] | None) -> bool:
    """Admins may do everything; `None` means everyone."""
    return roles is None or role == Role.admin or role in roles
