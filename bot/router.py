"""Routes an `Incoming` to its handler: command words (Thai, English, slash), button payloads, events.

Each feature owns a `Router` (a feature package may compose sub-routers with `Router.include`); `bot.app`
includes them in one ordered list. Roles, and whether a command is answered only in a one-to-one chat
(`private=True`), are declared beside each command and checked here, once. One command word may be registered
again with an argument matcher (`args=`): `/window add …` and `/window delete …` are variants of `/window`, each
with its own handler, roles and privacy; the first variant whose matcher accepts the argument answers, else the
plain command does.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from bot.config import Settings
from bot.context import Context
from bot.errors import BadButton, DomainError, NotAllowed
from bot.i18n import Text
from bot.messages import Button, Incoming, Kind, Platform, Reply
from bot.payloads import Cmd, Payload, PayloadError, prefix_of
from bot.understand import Vocabulary, normalize
from bot.vocab import ROLES
from storage.models import Role
from storage.people import audit

log = logging.getLogger(__name__)

Handler = Callable[[Incoming, Context], list[Reply]]
P = TypeVar("P", bound=Payload)
ButtonHandler = Callable[[Incoming, Context, Any], list[Reply]]
TextMatcher = Callable[[str], bool]
ArgMatcher = re.Pattern[str] | Callable[[str], bool]
"""Which arguments a command variant answers: a compiled pattern matched at the argument's start, or a predicate."""

PRIVATE_ONLY = Text("เรื่องนี้ตอบเฉพาะในแชตส่วนตัวกับ coordbot เพื่อไม่ให้ข้อมูลส่วนตัวปรากฏในกลุ่ม "
                    "กรุณาส่งข้อความถึงบอตโดยตรง",
                    "I answer this only in a one-to-one chat, so that personal details stay out of the group. "
                    "Please message me directly.")
OPEN_PRIVATE_CHAT = Text("เปิดแชตส่วนตัว", "Open private chat")
HOW_TO_OPEN = {
    Platform.line: Text("(แตะชื่อบัญชีทางการ coordbot ในกลุ่ม แล้วเลือก \"แชต\")",
                        "(Tap the coordbot official account's name in the group, then \"Chat\".)"),
    Platform.telegram: Text("(แตะชื่อบอตในกลุ่ม แล้วเลือก \"ส่งข้อความ\")",
                            "(Tap the bot's name in the group, then \"Send message\".)"),
}


HOW_TO_JOIN = Text("หากคุณเป็นรองผู้ว่าราชการจังหวัดหรือผู้ประสานงานจังหวัด ขอรหัสเชิญจากผู้ดูแลระบบของกระทรวง "
                   "แล้วพิมพ์รหัสนั้นที่นี่ (เช่น K7Q4-M2XD)",
                   "If you are a deputy governor or a provincial coordinator, ask the ministry's admins for an invite "
                   "code and type it here (e.g. K7Q4-M2XD).")
"""What a guest refused a command needs to know: how to become a member."""


@dataclass
class Command:
    words: tuple[str, ...]
    handler: Handler
    roles: frozenset[Role] | None
    summary: Text | None
    label: Text | None
    private: bool | None = False
    """None only on a variant declared without it: as its plain command."""
    aliases: tuple[str, ...] = ()
    example: Text | None = None
    verbatim: bool = False
    shortcuts: dict[str, str] = field(default_factory=dict)
    slow: bool = False
    args: ArgMatcher | None = None
    refusal: Text | None = None
    line_quota: bool = False

    def accepts(self, argument: str) -> bool:
        """Whether this variant answers `argument` (a plain command answers anything)."""
        if self.args is None:
            return True
        if isinstance(self.args, re.Pattern):
            return self.args.match(argument) is not None
        return self.args(argument)


@dataclass
class Route:
    handler: ButtonHandler
    payload_type: type[Payload]
    roles: frozenset[Role] | None
    private: bool = False
    slow: bool = False
    line_quota: bool = False


def first_word(*words: str) -> Callable[[str], bool]:
    """A variant's matcher for arguments that start with one of these words, in any case (`/window add …`)."""
    wanted = {w.lower() for w in words}
    return lambda argument: (argument.split(maxsplit=1) or [""])[0].lower() in wanted


class PrivateOnly(Exception):
    """A private command or button used in a group or room: answered with a pointer to the one-to-one chat."""


class Reroute(Exception):
    """Raised by a command's handler: the message means the same command with `argument` (`/summary` from someone
    without a province means `/summary ทั้งประเทศ`). The router then picks that argument's variant and checks its
    roles, so the handler need not know who may see what."""

    def __init__(self, argument: str) -> None:
        super().__init__(argument)
        self.argument = argument


@dataclass
class Router:
    """Handlers of one feature, registered with decorators."""

    name: str
    commands: list[Command] = field(default_factory=list)
    buttons: dict[str, Route] = field(default_factory=dict)
    events: dict[Kind, Handler] = field(default_factory=dict)
    private_events: set[Kind] = field(default_factory=set)
    texts: list[tuple[TextMatcher, Handler, bool]] = field(default_factory=list)
    included: list[Router] = field(default_factory=list)

    def command(
        self, *words: str, args: ArgMatcher | None = None, roles: Iterable[Role] | None = None,
        summary: Text | None = None, label: Text | None = None, private: bool | None = None,
        aliases: Iterable[str] = (),
        example: Text | None = None, verbatim: bool = False, shortcuts: dict[str, str] | None = None,
        slow: bool = False, refusal: Text | None = None, line_quota: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Register a command answered to `/word`, `word` and its Thai forms.

        `summary` lists it in the help menu, with `example`; `label` (at most 20 characters, LINE's limit) gives
        it a menu button; `private` answers it only in a one-to-one chat (in a group, the reply says where to ask
        instead). `aliases` are synonyms and common misspellings, understood but not shown. `verbatim` hands the
        argument over exactly as typed (free text: an announcement, a name). `shortcuts` are words that mean this
        command with a first argument (`สถานะ 1` = `/broadcast status 1`). `slow` (searches, exports) shows the
        platform's loading indicator before it is handled. `line_quota` has the service read LINE's message quota
        before the handler's transaction begins (`ctx.line_quota`).

        With `args`, this is a variant of the command registered without it under the same first word: it answers
        the arguments `args` accepts (a pattern matched at the argument's start, or a predicate), with its own
        `roles` and `private` (a variant that names neither is as restricted as the plain command; one open to
        everyone says `roles=set(Role)`), and understands every form of that command (variants take no words,
        aliases, shortcuts or `verbatim` of their own). `refusal` replaces the router's "only for {roles}" text.
        """
        if args is not None and (aliases or shortcuts or verbatim or label):
            raise ValueError(f"variant of {words[0]!r}: aliases, shortcuts, verbatim and labels belong to the "
                             "plain command")

        def decorate(handler: Handler) -> Handler:
            self.commands.append(Command(tuple(w.lower() for w in words), handler,
                                         frozenset(roles) if roles else None, summary, label,
                                         private if args is not None else bool(private),
                                         tuple(aliases), example, verbatim, dict(shortcuts or {}), slow, args,
                                         refusal, line_quota))
            return handler

        return decorate

    def button(
        self, payload_type: type[P], roles: Iterable[Role] | None = None, private: bool = False, slow: bool = False,
        line_quota: bool = False,
    ) -> Callable[[Callable[[Incoming, Context, P], list[Reply]]], Callable[[Incoming, Context, P], list[Reply]]]:
        def decorate(handler: Callable[[Incoming, Context, P], list[Reply]]) -> Any:
            if payload_type.prefix in self.buttons:
                raise ValueError(f"payload prefix {payload_type.prefix!r} registered twice")
            self.buttons[payload_type.prefix] = Route(handler, payload_type, frozenset(roles) if roles else None,
                                                      private, slow, line_quota)
            return handler

        return decorate

    def event(self, kind: Kind, private: bool = False) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            if kind in self.events:
                raise ValueError(f"event {kind.value!r} registered twice")
            self.events[kind] = handler
            if private:
                self.private_events.add(kind)
            return handler

        return decorate

    def text(self, matcher: TextMatcher, private: bool = False) -> Callable[[Handler], Handler]:
        """Free text that is not a command but has a recognisable shape (e.g. an invite code)."""

        def decorate(handler: Handler) -> Handler:
            self.texts.append((matcher, handler, private))
            return handler

        return decorate

    def include(self, *routers: Router) -> None:
        """Compose a feature from sub-routers (aiogram's `include_routers`): their routes count as this router's,
        in the order included, and the help menu lists their commands under this router's name."""
        self.included.extend(routers)

    def tree(self) -> Iterator[Router]:
        """This router, then every router it includes, depth first; a router included twice is an error."""
        seen: set[int] = set()

        def walk(router: Router) -> Iterator[Router]:
            if id(router) in seen:
                raise ValueError(f"router {router.name!r} included twice")
            seen.add(id(router))
            yield router
            for child in router.included:
                yield from walk(child)

        return walk(self)


class Routes:
    """All feature routers in order, plus the reply for anything nobody handles."""

    def __init__(self, routers: Iterable[Router], fallback: Handler) -> None:
        self.routers = list(routers)
        self.fallback = fallback
        self.by_word: dict[str, Command] = {}
        self.plain: list[Command] = []
        self.variants: dict[str, list[Command]] = {}
        self.by_prefix: dict[str, Route] = {}
        self.by_event: dict[Kind, Handler] = {}
        self.private_events: set[Kind] = set()
        self.texts: list[tuple[TextMatcher, Handler, bool]] = []
        self.groups: list[tuple[str, list[Command]]] = []
        for top in self.routers:
            group: list[Command] = []
            for router in top.tree():
                self._register(router)
                group += router.commands
            self.groups.append((top.name, group))
        for _, group in self.groups:
            group[:] = [self._variant_of(c) if c.args is not None else c for c in group]
        self.vocabulary: Vocabulary[tuple[str, str]] = Vocabulary(
            (form, (cmd.words[0], first))
            for cmd in self.plain
            for form, first in [*((w, "") for w in (*cmd.words, *cmd.aliases)), *cmd.shortcuts.items()])

    def _variant_of(self, cmd: Command) -> Command:
        """A variant filed under its plain command, with the plain command's roles and privacy where it names
        none."""
        plain = self.by_word.get(cmd.words[0])
        if plain is None or any(self.by_word.get(w) is not plain for w in cmd.words):
            raise ValueError(f"variant of {cmd.words[0]!r} without a plain command of the same words")
        resolved = dataclasses.replace(cmd, roles=plain.roles if cmd.roles is None else cmd.roles,
                                       private=plain.private if cmd.private is None else cmd.private)
        self.variants.setdefault(plain.words[0], []).append(resolved)
        return resolved

    def _register(self, router: Router) -> None:
        """One router's routes; a command word, payload prefix or event kind registered twice is an error."""
        self.plain += [c for c in router.commands if c.args is None]
        for cmd in router.commands:
            for word in cmd.words if cmd.args is None else ():
                if word in self.by_word:
                    raise ValueError(f"command {word!r} registered twice")
                self.by_word[word] = cmd
        for prefix, route in router.buttons.items():
            if prefix in self.by_prefix:
                raise ValueError(f"payload prefix {prefix!r} registered twice")
            self.by_prefix[prefix] = route
        for kind, handler in router.events.items():
            if kind in self.by_event:
                raise ValueError(f"event {kind.value!r} registered twice")
            self.by_event[kind] = handler
        self.private_events |= router.private_events
        self.texts += router.texts

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

    def variant(self, cmd: Command, argument: str) -> Command:
        """The variant of the plain command `cmd` that answers `argument`: the first whose matcher accepts it,
        else the plain command itself."""
        return next((v for v in self.variants.get(cmd.words[0], ()) if v.accepts(argument)), cmd)

    def visible_groups(self, role: Role) -> list[tuple[str, list[Command]]]:
        """The help menu's commands for this role, grouped by feature (router name), in registration order."""
        groups = [(name, [c for c in group if c.summary and _allowed(role, c.roles)]) for name, group in self.groups]
        return [(name, group) for name, group in groups if group]

    def usable_commands(self, role: Role) -> list[Command]:
        """Every plain command this role may use in some form (itself or a variant), for "did you mean"."""
        return [c for c in self.plain if any(_allowed(role, v.roles) for v in (c, *self.variants.get(c.words[0], ())))]

    def suggest(self, text: str, role: Role, limit: int) -> list[Command]:
        """The plain commands nearest to `text` (by their words and aliases) that this role may use."""
        allowed = [(c.words[0], "") for c in self.usable_commands(role)]
        return [self.by_word[word] for _, (word, _) in self.vocabulary.suggest(text, allowed, limit=limit)]

    def may_press(self, role: Role, payload_type: type[Payload]) -> bool:
        route = self.by_prefix.get(payload_type.prefix)
        return route is not None and _allowed(role, route.roles)

    def is_slow(self, msg: Incoming) -> bool:
        """Whether the answer to this message may take long enough to show a loading indicator first."""
        return getattr(self._target(msg), "slow", False)

    def reads_line_quota(self, msg: Incoming) -> bool:
        """Whether the handler of this message shows or uses LINE's quota, to be read before it runs."""
        return getattr(self._target(msg), "line_quota", False)

    def _target(self, msg: Incoming) -> Command | Route | None:
        """The command variant or button route that will answer this message, if any (nothing is checked)."""
        if msg.kind == Kind.text:
            found = self.match(msg.text)
            return None if found is None else self.variant(*found)
        if msg.kind != Kind.button:
            return None
        if prefix_of(msg.payload) == Cmd.prefix:
            try:
                data = Cmd.unpack(msg.payload)
            except PayloadError:
                return None
            cmd = self.by_word.get(data.name)
            return None if cmd is None else self.variant(cmd, data.arg)
        return self.by_prefix.get(prefix_of(msg.payload))

    def dispatch(self, msg: Incoming, ctx: Context, undo: Callable[[], None]) -> list[Reply]:
        """Run the handler; a refusal changes nothing (except the audit of it): `undo` first takes back what the
        handler did (the caller's savepoint of this event, see `storage.db.Savepoint`)."""
        try:
            return self._route(msg, ctx)
        except NotAllowed as err:
            undo()
            log.warning("refused %s to person %s (role %s)", err.command, ctx.person.id, ctx.person.role)
            audit(session=ctx.session, person_id=ctx.person.id, action="refused", command=err.command,
                  role=str(ctx.person.role), event_id=msg.event_id)
            refusal = ctx.t(err.refusal or err.text, **err.params)
            return [Reply(text=refusal + "\n" + ctx.t(HOW_TO_JOIN) if ctx.person.role == Role.guest else refusal)]
        except PrivateOnly as err:
            undo()
            log.info("%s asked for in a group by person %s; pointed to the private chat", err, ctx.person.id)
            return [private_hint(msg.platform, ctx)]
        except DomainError as err:
            undo()
            return [Reply(text=ctx.t(err.text, **err.params))]

    def _route(self, msg: Incoming, ctx: Context) -> list[Reply]:
        if msg.kind == Kind.button:
            return self._button(msg, ctx)
        if msg.kind == Kind.text:
            found = self.match(msg.text)
            if found is not None:
                return self._command(*found, msg, ctx)
            typed = msg.model_copy(update={"text": normalize(msg.text)})
            for matcher, handler, private in self.texts:
                if matcher(typed.text):
                    self._check(None, private, typed, ctx, "text")
                    return handler(typed, ctx)
            return self.fallback(msg, ctx)
        on_event = self.by_event.get(msg.kind)
        if on_event is None:
            return []
        self._check(None, msg.kind in self.private_events, msg, ctx, str(msg.kind))
        return on_event(msg, ctx)

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
            return self._command(cmd, data.arg, msg.model_copy(update={"kind": Kind.text}), ctx)
        route = self.by_prefix[prefix]
        self._check(route.roles, route.private, msg, ctx, prefix)
        return route.handler(msg, ctx, data)

    def _command(self, cmd: Command, argument: str, msg: Incoming, ctx: Context, rerouted: bool = False
                 ) -> list[Reply]:
        """Run the variant of `cmd` that answers `argument`, once its roles and privacy allow it."""
        chosen = self.variant(cmd, argument)
        what = cmd.words[0] if chosen is cmd else f"{cmd.words[0]} {(argument.split() or [''])[0][:20]}"
        self._check(chosen.roles, chosen.private, msg, ctx, what, chosen.refusal)
        try:
            return chosen.handler(msg.model_copy(update={"text": f"/{cmd.words[0]} {argument}".strip()}), ctx)
        except Reroute as again:
            if rerouted:
                raise RuntimeError(f"/{cmd.words[0]} rerouted twice") from again
            return self._command(cmd, again.argument, msg, ctx, rerouted=True)

    def _check(self, roles: frozenset[Role] | None, private: bool | None, msg: Incoming, ctx: Context, what: str,
               refusal: Text | None = None) -> None:
        """Private first: in a group even a refusal by role would say more than "ask me privately"."""
        if private and not msg.private:
            raise PrivateOnly(what)
        if _allowed(ctx.person.role, roles):
            return
        assert roles is not None
        raise NotAllowed(what, refusal, roles=", ".join(ctx.t(ROLES[r]) for r in sorted(roles)))


def _allowed(role: Role, roles: frozenset[Role] | None) -> bool:
    """Admins may do everything; `None` means everyone."""
    return roles is None or role == Role.admin or role in roles


def private_chat_url(settings: Settings, platform: Platform) -> str | None:
    """A link that opens the one-to-one chat with the bot, when its LINE basic id or Telegram username is set."""
    if platform == Platform.line and settings.line_basic_id:
        # LINE's URL scheme page: the account id (with its @) is percent-encoded in the path.
        return f"https://line.me/R/oaMessage/{quote(settings.line_basic_id, safe='')}/"
    if platform == Platform.telegram and settings.telegram_bot_username:
        return f"https://t.me/{settings.telegram_bot_username.lstrip('@')}"
    return None


def private_hint(platform: Platform, ctx: Context) -> Reply:
    """"Please message me privately", in the asker's language, with a way to open that chat."""
    url = private_chat_url(ctx.settings, platform)
    if url is None:
        return Reply(text=f"{ctx.t(PRIVATE_ONLY)}\n{ctx.t(HOW_TO_OPEN[platform])}")
    return Reply(text=ctx.t(PRIVATE_ONLY), buttons=[Button(label=ctx.t(OPEN_PRIVATE_CHAT), url=url)])
