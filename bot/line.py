"""LINE adapter: webhook verification and parsing with `WebhookParser`, sending with `AsyncMessagingApi`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

import aiohttp
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    CreateRichMenuAliasRequest,
    FlexContainer,
    FlexMessage,
    ImageMessage,
    LocationMessage,
    Message,
    MessagingApi,
    MulticastRequest,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    RichMenuArea,
    RichMenuBatchLinkOperation,
    RichMenuBatchRequest,
    RichMenuBounds,
    RichMenuBulkLinkRequest,
    RichMenuBulkUnlinkRequest,
    RichMenuRequest,
    RichMenuSize,
    RichMenuSwitchAction,
    ShowLoadingAnimationRequest,
    TextMessage,
    UpdateRichMenuAliasRequest,
    URIAction,
)
from linebot.v3.models.events import UnknownEvent
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    JoinEvent,
    LeaveEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
)
from pydantic.v1 import BaseModel, PrivateAttr

from bot import menus, textsplit
from bot.config import Settings
from bot.messages import Button, Card, Incoming, Kind, Platform, Reply
from bot.platform import Failure, Read, SendFailed, WebhookRejected, env_proxy
from storage.models import Role

log = logging.getLogger(__name__)

# LINE's limits (developers.line.biz/en/reference/messaging-api), text counted as LINE counts it (bot/textsplit.py).
MAX_MESSAGES = 5
MAX_TEXT = 5000  # UTF-16 code units
MAX_ALT_TEXT = 1500  # UTF-16 code units
MAX_LOCATION_TEXT = 100  # title and address, UTF-16 code units
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20  # grapheme clusters
MAX_FLEX_LABEL = 40  # a Flex button's label, grapheme clusters
MAX_DISPLAY_TEXT = 300  # grapheme clusters
MAX_POSTBACK = 300  # UTF-16 code units
MAX_BUBBLES = 12
MAX_BUBBLE_BYTES = 30 * 1024  # "Max size: 30 KB" of a bubble's JSON
MAX_CAROUSEL_BYTES = 50 * 1024
MENU_PREFIX = "coordbot "
"""Rich menus whose name starts with this are ours: `sync_menus` may replace and delete them."""
ALIAS_PREFIX = "coordbot-"
MAX_BATCH_OPERATIONS = 1000  # messaging-api.yml RichMenuBatchRequest.operations maxItems
LOADING_SECONDS = 20  # a multiple of 5 from 5 to 60; the animation ends early when our reply arrives


def _without_env_lookups(client: AsyncApiClient) -> None:
    """The SDK's session reads the whole environment for a proxy, and looks for a ~/.netrc on a thread, on every
    request (`trust_env`): 5-10 % of a LINE answer's CPU. The same connector in a session that does not; the proxy
    the environment names is read once as the adapter starts (`env_proxy`), and LINE's auth is the bearer token."""
    rest = client.rest_client
    sdk_session = rest.pool_manager
    rest.pool_manager = aiohttp.ClientSession(connector=sdk_session.connector, trust_env=False)
    sdk_session.detach()


class LineAdapter:
    platform = Platform.line
    working_s = float(LOADING_SECONDS)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.parser = WebhookParser(settings.line_channel_secret.get_secret_value())
        self.client: AsyncApiClient | None = None
        self.api: AsyncMessagingApi | None = None
        self.data_client: AsyncApiClient | None = None
        self.menu_ids: dict[str, str] = {}
        """Rich menu ids by alias, as `sync_menus` left them."""

    async def start(self) -> None:
        """The SDK's aiohttp session must be made inside the running loop, so not at import time."""
        config = Configuration(access_token=self.settings.line_channel_access_token.get_secret_value(),
                               host=self.settings.line_api_base_url)
        config.proxy = env_proxy(config.host)
        self.client = AsyncApiClient(config)
        _without_env_lookups(self.client)
        self.api = AsyncMessagingApi(self.client)

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()
        if self.data_client is not None:
            await self.data_client.close()

    def check_headers(self, headers: Mapping[str, str]) -> None:
        if not headers.get("x-line-signature"):
            raise WebhookRejected(401, "missing X-Line-Signature")

    def read_webhook(self, body: bytes, headers: Mapping[str, str]) -> list[Read]:
        self.check_headers(headers)
        try:
            text = body.decode()
        except UnicodeDecodeError as exc:
            # LINE signs UTF-8 JSON and the SDK verifies text: bytes that are not UTF-8 are not from LINE, and are
            # refused as any forgery is, before anything about their content is answered.
            raise WebhookRejected(403, "bad signature") from exc
        try:
            parsed = self.parser.parse(text, headers["x-line-signature"])
            events = json.loads(text)["events"]
            # An event type this SDK does not know is not kept: `parse` then refuses it as it always would.
            return [Read(str(event["webhookEventId"]), event, None if isinstance(sdk, UnknownEvent) else sdk)
                    for event, sdk in zip(events, parsed, strict=True)]
        except InvalidSignatureError as exc:
            raise WebhookRejected(403, "bad signature") from exc
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise WebhookRejected(400, "malformed webhook body") from exc

    def sender(self, raw: dict[str, Any]) -> str:
        source = raw.get("source")
        return str(source.get("userId", "")) if isinstance(source, dict) else ""

    def waiting_chat(self, raw: dict[str, Any]) -> str | None:
        source = raw.get("source")
        if raw.get("type") not in ("message", "postback") or raw.get("mode") == "standby" or not isinstance(source,
                                                                                                       dict):
            return None
        chat = source.get("groupId") or source.get("roomId") or source.get("userId")
        return chat if isinstance(chat, str) else None

    def parse(self, raw: dict[str, Any], received_at: datetime, sdk: Any = None) -> Incoming | None:
        try:
            event = sdk if sdk is not None else Event.from_dict(raw)
        except (ValueError, KeyError, TypeError):
            return None  # an event type this SDK version does not know: stored, ignored
        source = getattr(event, "source", None)
        user_id = getattr(source, "user_id", None)
        if event is None or user_id is None:
            return None
        chat_id = getattr(source, "group_id", None) or getattr(source, "room_id", None) or user_id
        kind, text, payload = _kind_of(event)
        return Incoming(
            platform=Platform.line, event_id=raw["webhookEventId"], kind=kind, user_id=user_id,
            chat_id=chat_id, private=getattr(source, "type", None) == "user", text=text, payload=payload,
            reply_token=getattr(event, "reply_token", None),
            received_at=received_at, standby=raw.get("mode") == "standby", point=_point(event),
        )

    def render(self, replies: Sequence[Reply]) -> list[Any]:
        messages = [m for i, reply in enumerate(replies) for m in _messages(reply, last=i == len(replies) - 1)]
        return [Part(messages[i:i + MAX_MESSAGES]) for i in range(0, len(messages), MAX_MESSAGES)]

    async def send(self, chat_id: str, part: Any, *, first: bool, token: str | None, retry_key: str) -> None:
        """Sends call the SDK's `..._with_http_info` methods: `reply_message` and the others only validate their
        arguments (a pydantic model of them) and call these, which validate them again; that second validation was
        15 of the 39 us the SDK spent on a send before its HTTP call. The SDK checks the answer's status either way."""
        assert self.api is not None, "LineAdapter.start() was not called"
        try:
            if first and token:
                await self.api.reply_message_with_http_info(
                    carrying(PartReply(reply_token=token, messages=part), part),
                    _request_timeout=self.settings.send_timeout_s)
            else:
                await self.api.push_message_with_http_info(
                    carrying(PartPush(to=chat_id, messages=part), part), x_line_retry_key=retry_key,
                    _request_timeout=self.settings.send_timeout_s)
        except ApiException as exc:
            _classify(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            # The retry key makes a repeat safe, so an unknown outcome is simply retried.
            raise SendFailed(Failure.transient, type(exc).__name__) from exc


    async def multicast(self, user_ids: Sequence[str], part: Any, *, retry_key: str) -> None:
        """One multicast call (at most 500 users); billed per recipient, so it carries a retry key too."""
        assert self.api is not None, "LineAdapter.start() was not called"
        try:
            request = carrying(PartMulticast(to=list(user_ids), messages=part), part)
            await self.api.multicast_with_http_info(request, x_line_retry_key=retry_key,
                                                    _request_timeout=self.settings.send_timeout_s)
        except ApiException as exc:
            _classify(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise SendFailed(Failure.transient, type(exc).__name__) from exc


    async def sync_menus(self, wanted: Sequence[menus.Menu]) -> list[str]:
        """Create the rich menus that are missing (validated first), point the aliases at them, make the guests'
        Thai menu the default and delete our menus that are no longer wanted. A menu whose layout or image
        changed has a new fingerprint in its name, so it is created anew and the old one deleted."""
        from bot.menu_images import draw  # Pillow only where menus are drawn

        api = self._api()
        ours = {m.name: m.rich_menu_id for m in (await api.get_rich_menu_list()).richmenus
                if m.name.startswith(MENU_PREFIX)}
        changes: list[str] = []
        ids: dict[str, str] = {}
        for menu in wanted:
            for page in menu.pages:
                menu_id = ours.get(page.name)
                if menu_id is None:
                    menu_id = await self._create_menu(page, draw(page))
                    changes.append(f"created {page.alias}")
                ids[page.alias] = menu_id
        aliases = {a.rich_menu_alias_id: a.rich_menu_id for a in (await api.get_rich_menu_alias_list()).aliases}
        for alias, menu_id in ids.items():
            if alias not in aliases:
                await api.create_rich_menu_alias(CreateRichMenuAliasRequest(richMenuAliasId=alias, richMenuId=menu_id))
            elif aliases[alias] != menu_id:
                await api.update_rich_menu_alias(alias, UpdateRichMenuAliasRequest(richMenuId=menu_id))
        for alias in aliases.keys() - ids.keys():
            if alias.startswith(ALIAS_PREFIX):
                await api.delete_rich_menu_alias(alias)
        # Users of a replaced menu move to its replacement in one batch, before the old one is deleted (which
        # would show them the guests' default until they are linked again).
        moves = [RichMenuBatchLinkOperation(var_from=old, to=ids[name.split()[1]]) for name, old in ours.items()
                 if old not in ids.values() and len(name.split()) == 3 and name.split()[1] in ids]
        if moves:
            await api.rich_menu_batch(RichMenuBatchRequest(operations=moves[:MAX_BATCH_OPERATIONS]))
        default = ids[menus.build(Role.guest, "th").pages[0].alias]
        if await self._default_menu() != default:
            await api.set_default_rich_menu(default)
            changes.append("default set")
        for name, menu_id in ours.items():
            if menu_id not in ids.values():
                await api.delete_rich_menu(menu_id)  # LINE unlinks it from its users
                changes.append(f"deleted {name}")
        self.menu_ids = ids
        return changes

    async def link_menu(self, chat_ids: Sequence[str], role: Role, lang: str) -> None:
        """Link the users to their role's menu: one call for one user, a bulk call (at most 500) for more.
        Thai-speaking guests see the default menu, so they are unlinked instead."""
        api = self._api()
        users = [u for u in chat_ids if u.startswith("U")]
        if not users:
            return
        if role == Role.guest and lang == "th":
            if len(users) == 1:
                await api.unlink_rich_menu_id_from_user(users[0])
            else:
                await api.unlink_rich_menu_id_from_users(RichMenuBulkUnlinkRequest(userIds=users))
            return
        alias = menus.build(role, lang).pages[0].alias
        if alias not in self.menu_ids:
            self.menu_ids[alias] = (await api.get_rich_menu_alias(alias)).rich_menu_id
        if len(users) == 1:
            await api.link_rich_menu_id_to_user(users[0], self.menu_ids[alias])
        else:
            await api.link_rich_menu_id_to_users(RichMenuBulkLinkRequest(richMenuId=self.menu_ids[alias],
                                                                         userIds=users))

    async def show_working(self, chat_id: str) -> None:
        """LINE's loading animation, shown in one-to-one chats only (a user id, not a group or room)."""
        if chat_id.startswith("U"):
            await self._api().show_loading_animation(
                ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=LOADING_SECONDS))

    def _api(self) -> AsyncMessagingApi:
        assert self.api is not None, "LineAdapter.start() was not called"
        return self.api

    async def _create_menu(self, page: menus.Page, image: bytes) -> str:
        """Validate, create and give the menu its image; a menu left without an image is deleted again."""
        api = self._api()
        request = _rich_menu(page)
        await api.validate_rich_menu_object(request)
        menu_id: str = (await api.create_rich_menu(request)).rich_menu_id
        if self.data_client is None:
            self.data_client = AsyncApiClient(Configuration(
                access_token=self.settings.line_channel_access_token.get_secret_value(),
                host=self.settings.line_data_api_base_url))
        try:
            await AsyncMessagingApiBlob(self.data_client).set_rich_menu_image(
                menu_id, image, _headers={"Content-Type": "image/png"})  # the SDK ignores `_content_type` here
        except BaseException:
            await api.delete_rich_menu(menu_id)
            raise
        return menu_id

    async def _default_menu(self) -> str | None:
        try:
            return (await self._api().get_default_rich_menu_id()).rich_menu_id
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise


def _rich_menu(page: menus.Page) -> RichMenuRequest:
    """A page as LINE's rich menu object: each area a postback showing its label, or a tab switch (labels are
    what screen readers say)."""
    areas = []
    for area in page.areas:
        b = area.bounds
        label = textsplit.label(area.label, MAX_LABEL)
        action: PostbackAction | RichMenuSwitchAction
        if area.switch_to:
            action = RichMenuSwitchAction(label=label, richMenuAliasId=area.switch_to, data=area.payload)
        else:
            action = PostbackAction(label=label, data=area.payload,
                                    displayText=textsplit.label(area.label, MAX_DISPLAY_TEXT))
        areas.append(RichMenuArea(bounds=RichMenuBounds(x=b.x, y=b.y, width=b.width, height=b.height), action=action))
    return RichMenuRequest(size=RichMenuSize(width=menus.WIDTH, height=page.height), selected=True, name=page.name,
                           chatBarText=page.chat_bar, areas=areas)


def quota_left(settings: Settings) -> int | None:
    """LINE messages left this month (None: no limit, or LINE not set up), from the quota and consumption
    endpoints. Synchronous, for handlers, which run in a worker thread."""
    if not settings.line_enabled:
        return None
    config = Configuration(access_token=settings.line_channel_access_token.get_secret_value(),
                           host=settings.line_api_base_url)
    with ApiClient(config) as client:
        api = MessagingApi(client)
        quota = api.get_message_quota()
        if quota.type != "limited" or quota.value is None:
            return None
        used = api.get_message_quota_consumption().total_usage
        return max(0, quota.value - used)


def _kind_of(event: Event) -> tuple[Kind, str, str]:
    if isinstance(event, MessageEvent):
        if isinstance(event.message, TextMessageContent):
            return Kind.text, event.message.text, ""
        if isinstance(event.message, LocationMessageContent):
            return Kind.location, event.message.title or "", ""
        if isinstance(event.message, StickerMessageContent):
            return Kind.sticker, "", ""
        return Kind.other, "", ""
    if isinstance(event, PostbackEvent):
        return Kind.button, "", event.postback.data
    for event_type, kind in ((FollowEvent, Kind.follow), (UnfollowEvent, Kind.unfollow),
                             (JoinEvent, Kind.joined), (LeaveEvent, Kind.left)):
        if isinstance(event, event_type):
            return kind, "", ""
    return Kind.other, "", ""


def _point(event: Event) -> tuple[float, float] | None:
    message = getattr(event, "message", None)
    return (message.latitude, message.longitude) if isinstance(message, LocationMessageContent) else None


def _classify(exc: ApiException) -> None:
    body = str(exc.body or "")
    status = exc.status or 0
    if status == 409:
        return  # the retry key was already accepted: the message was delivered before
    if status == 429 and "monthly limit" in body:
        raise SendFailed(Failure.quota_exhausted, body)
    if status == 429:
        raise SendFailed(Failure.rate_limited, body)  # LINE sends no retry-after: back off
    if status == 400 and "reply token" in body.lower():
        raise SendFailed(Failure.invalid_reply_token, body)
    if status >= 500:
        raise SendFailed(Failure.transient, f"{status} {body}")
    raise SendFailed(Failure.rejected, f"{status} {body}")


def _action(button: Button) -> PostbackAction | URIAction:
    label = textsplit.label(button.label, MAX_LABEL)
    if button.url:
        return URIAction(label=label, uri=button.url)
    data = button.payload or ""
    if textsplit.utf16_len(data) > MAX_POSTBACK:
        raise ValueError(f"postback data over {MAX_POSTBACK} characters")
    return PostbackAction(label=label, data=data, displayText=textsplit.label(button.label, MAX_DISPLAY_TEXT))


class Part(list[Message]):
    """One API call's messages (at most five) and their JSON as the SDK writes it, made once: in a burst the same
    part goes to many people, and the SDK serializing each request's messages again (twice, in fact: pydantic's
    `dict()` and then each message's `to_dict()`) was half of a LINE send's CPU."""

    @cached_property
    def body(self) -> list[dict[str, Any]]:
        return [message.to_dict() for message in self]


class PartRequest(BaseModel):
    """A request whose messages' JSON is its part's (`Part.body`); the SDK still validates, sends and answers it."""

    _body: list[dict[str, Any]] = PrivateAttr(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        body = self.dict(by_alias=True, exclude={"messages"}, exclude_none=True)
        body["messages"] = self._body
        return body


R = TypeVar("R", bound=PartRequest)


def carrying(request: R, part: Part) -> R:
    """`request` (made with `messages=part`) with the part's JSON, so that it is written once for all its sends."""
    request._body = part.body
    return request


class PartReply(PartRequest, ReplyMessageRequest):
    pass


class PartPush(PartRequest, PushMessageRequest):
    pass


class PartMulticast(PartRequest, MulticastRequest):
    pass


def _messages(reply: Reply, last: bool = True) -> list[Message]:
    """One neutral reply as LINE messages. LINE shows quick replies only under the last message of a request
    and drops them when the next message arrives, so buttons become quick replies only for the immediate next
    step at the very end (`last`, nothing after them, not `keep_buttons`); otherwise they go into the message."""
    out: list[Message] = []
    if reply.cards:
        alt_text = _alt_text(reply)
        out += [FlexMessage(altText=alt_text, contents=FlexContainer.from_dict(flex)) for flex in _flex(reply.cards)]
    if reply.text:
        out += [TextMessage(text=chunk) for chunk in textsplit.split(reply.text, MAX_TEXT, textsplit.utf16_len)]
    after: list[Message] = []
    if reply.location:
        loc = reply.location
        after.append(LocationMessage(title=_short(loc.title), address=_short(loc.address), latitude=loc.latitude,
                                     longitude=loc.longitude))
    if reply.image_url and reply.image_url.startswith("https://"):
        after.append(ImageMessage(originalContentUrl=reply.image_url, previewImageUrl=reply.image_url))
    elif reply.image_url:  # LINE shows images from HTTPS addresses only (messaging-api.yml, ImageMessage)
        after.append(TextMessage(text=reply.image_url))
    if reply.document_url:
        after.append(TextMessage(text=f"{reply.document_name or ''} {reply.document_url}".strip()))
    if reply.buttons and (reply.keep_buttons or not last or (after and out)):
        out = _with_buttons(out, reply.buttons, _alt_text(reply))
        return out + after
    out += after
    if reply.buttons and out:
        if len(reply.buttons) > MAX_QUICK_REPLIES:
            log.warning("%d buttons; LINE shows only %d", len(reply.buttons), MAX_QUICK_REPLIES)
        items = [QuickReplyItem(action=_action(b)) for b in reply.buttons[:MAX_QUICK_REPLIES]]
        out[-1].quick_reply = QuickReply(items=items)
    return out


def _footer(buttons: Sequence[Button]) -> dict[str, Any]:
    """Flex buttons (labels up to 40 characters), which stay in the chat history with their message."""
    contents = []
    for button in buttons:
        action = _action(button).to_dict()
        action["label"] = textsplit.label(button.label, MAX_FLEX_LABEL)
        contents.append({"type": "button", "style": "link", "height": "sm", "action": action})
    return {"type": "box", "layout": "vertical", "spacing": "none", "contents": contents}


def _with_buttons(out: list[Message], buttons: Sequence[Button], alt_text: str) -> list[Message]:
    """Put the buttons into the reply's last message: the footer of its last bubble, or a bubble around its last
    text; a bubble of their own when neither fits."""
    footer = _footer(buttons)
    last = out[-1] if out else None
    if isinstance(last, FlexMessage):
        contents = last.contents.to_dict()
        bubble = contents["contents"][-1] if contents["type"] == "carousel" else contents
        bubble["footer"] = footer
        fits = _size(bubble) <= MAX_BUBBLE_BYTES and _size(contents) <= MAX_CAROUSEL_BYTES
        if fits:
            return [*out[:-1], FlexMessage(altText=last.alt_text, contents=FlexContainer.from_dict(contents))]
    if isinstance(last, TextMessage):
        bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical",
                                             "contents": [{"type": "text", "text": last.text, "wrap": True}]},
                  "footer": footer}
        if _size(bubble) <= MAX_BUBBLE_BYTES:
            alt = textsplit.cut(last.text, MAX_ALT_TEXT, textsplit.utf16_len)
            return [*out[:-1], FlexMessage(altText=alt, contents=FlexContainer.from_dict(bubble))]
    bubble = {"type": "bubble", "body": footer}
    return [*out, FlexMessage(altText=alt_text, contents=FlexContainer.from_dict(bubble))]


def _short(text: str) -> str:
    return textsplit.cut(text, MAX_LOCATION_TEXT, textsplit.utf16_len)


def _alt_text(reply: Reply) -> str:
    text = reply.text or " / ".join(card.title for card in reply.cards)
    return textsplit.cut(text, MAX_ALT_TEXT, textsplit.utf16_len) if text.strip() else "-"


def _progress_bar(percent: int) -> dict[str, Any]:
    width = max(1, min(100, percent))
    return {"type": "box", "layout": "vertical", "backgroundColor": "#E0E0E0", "height": "6px",
            "contents": [{"type": "box", "layout": "vertical", "contents": [], "width": f"{width}%",
                          "backgroundColor": "#1DB446", "height": "6px"}]}


def _size(node: Any) -> int:
    """Bytes of a Flex object's JSON, as LINE measures its 30 KB and 50 KB limits."""
    return len(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode())


def _line_text(line: str) -> dict[str, Any]:
    return {"type": "text", "text": line, "size": "sm", "wrap": True, "color": "#555555"}


def _bubble(title: str, lines: Sequence[str], progress: int | None) -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "text", "text": title, "weight": "bold", "wrap": True}]
    body += [_line_text(line) for line in lines]
    if progress is not None:
        body += [_progress_bar(progress), {"type": "text", "text": f"{progress}%", "size": "xs", "align": "end"}]
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}}


def _bubbles(card: Card) -> list[dict[str, Any]]:
    """A card as one bubble, or, past 30 KB, as several that each repeat its title (progress on the last)."""
    whole = _bubble(card.title, card.lines, card.progress)
    if _size(whole) <= MAX_BUBBLE_BYTES:
        return [whole]
    room = MAX_BUBBLE_BYTES - _size(_bubble(card.title, [], card.progress))
    line_room = room - _size(_line_text("")) - 1

    def text_bytes(text: str) -> int:
        return _size(text) - 2  # without the quotes

    lines = [piece for line in card.lines for piece in textsplit.split(line, line_room, text_bytes)]
    groups = textsplit.pack(lines, room, lambda line: _size(_line_text(line)), gap=1)
    return [_bubble(card.title, group, card.progress if i == len(groups) - 1 else None)
            for i, group in enumerate(groups)]


def _flex(cards: Sequence[Card]) -> list[dict[str, Any]]:
    """The cards' bubbles as Flex contents, one bubble or a carousel each, within LINE's count and size limits."""
    bubbles = [bubble for card in cards for bubble in _bubbles(card)]
    room = MAX_CAROUSEL_BYTES - _size({"type": "carousel", "contents": []})
    groups = textsplit.pack(bubbles, room, _size, most=MAX_BUBBLES, gap=1)
    return [group[0] if len(group) == 1 else {"type": "carousel", "contents": group} for group in groups]
