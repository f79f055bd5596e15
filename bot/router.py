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
from bot.understand import Vocabulary, normalize
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
    aliases: tuple[str, ...] = ()
    example: Text | None = None
    verbatim: bool = False
    shortcuts: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    handler: ButtonHandler
    payload_type: type[Payload]
    roles: frozenset[Role] | None


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
        label: Text | None = None, aliases: Iterable[str] = (), example: Text | None = None,
        verbatim: bool = False, shortcuts: dict[str, str] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Register a command answered to `/word`, `word` and its Thai forms.

        `summary` lists it in the help menu, with `example`; `label` (at most 20 characters, LINE's limit) gives
        it a menu button. `aliases` are synonyms and common misspellings, understood but not shown. `verbatim`
        hands the argument over exactly as typed (free text: an announcement, a name). `shortcuts` are words that
        mean this command with a first argument (`สถานะ 1` = `/broadcast status 1`).
        """

        def decorate(handler: Handler) -> Handler:
            self.commands.append(Command(tuple(w.lower() for w in words), handler,
                                         frozenset(roles) if roles else None, summary, label, tuple(aliases),
                                         example, verbatim, dict(shortcuts or {})))
            return handler

        return decorate

    def button(
        self, payload_type: type[P], roles: Iterable[Role] | None = None
    ) -> Callable[[Callable[[Incoming, Context, P], list[Reply]]], Callable[[Incoming, Context, P], list[Reply]]]:
        def decorate(handler: Callable[[Incoming, Context, P], list[Reply]]) -> Any:
            self.buttons[payload_type.prefix] = Route(handler, payload_type, frozenset(roles) if roles else None)
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
        self.vocabulary: Vocabulary[tuple[str, str]] = Vocabulary(
            (form, (cmd.words[0], first))
            for cmd in self.by_word.values()
            for form, first in [*((w, "") for w in (*cmd.words, *cmd.aliases)), *cmd.shortcuts.items()])

    def match(self, text: str) -> tuple[Command, str] | None:
        """The command typed at the start of `text` (longest word, alias or misspelling) and its argument."""
        found = self.vocabulary.match(text)
        if found is None:
            return None
        word, first = found.target
        cmd = self.by_word[word]
        args = found.args
        if cmd.verbatim and not first and args:
            if found.glued:
                return None  # free text must be set apart: "ประกาศนียบัตร" is a certificate, not an announcement
            args = found.as_typed
        return cmd, f"{first} {args}".strip()

    def visible_groups(self, role: Role) -> list[tuple[str, list[Command]]]:
        """The help menu's commands for this role, grouped by feature (router name), in registration order."""
        groups = [(r.name, [c for c in r.commands if c.summary and _allowed(role, c.roles)]) for r in self.routers]
        return [(name, group) for name, group in groups if group]

    def usable_commands(self, role: Role) -> list[Command]:
        """Every command this role may use, listed or not, for "did you mean"."""
        return [c for r in self.routers for c in r.commands if _allowed(role, c.roles)]

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
            found = self.match(msg.text)
            if found is not None:
                cmd, args = found
                self._check(cmd.roles, ctx, cmd.words[0])
                return cmd.handler(msg.model_copy(update={"text": f"/{cmd.words[0]} {args}".strip()}), ctx)
            typed = msg.model_copy(update={"text": normalize(msg.text)})
            for router in self.routers:
                for matcher, handler in router.texts:
                    if matcher(typed.text):
                        return handler(typed, ctx)
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
