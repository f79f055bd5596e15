"""LINE's rich menu endpoints and the loading animation, as strict as LINE, with per-user links recorded.

Limits cite /work/shared/specs/messaging-api.yml (line/line-openapi) and the Messaging API reference
(developers.line.biz/en/reference/messaging-api/#rich-menu). Images go to the api-data host, which the emulator
serves under `/line-data` (line-bot-sdk's `MessagingApiBlob` is given that host).
"""

from __future__ import annotations

import io
import re
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from PIL import Image, UnidentifiedImageError

from bot.emulator.line_api import CHAT_ID, LineError, _invalid, serve_line
from bot.emulator.line_messages import Errors, _length, check_action
from bot.emulator.state import Call, EmulatorState, RichMenus

MAX_MENUS = 1000  # reference, "Rich menu": "You can create up to 1000 rich menus for one LINE Official Account"
MAX_AREAS = 20  # RichMenuResponse.areas maxItems: 20
MAX_CHAT_BAR = 14  # RichMenuRequest.chatBarText maxLength: 14
MAX_NAME = 300  # RichMenuRequest.name maxLength: 300
MAX_BULK = 500  # RichMenuBulkLinkRequest / RichMenuBulkUnlinkRequest.userIds maxItems: 500
MAX_OPERATIONS = 1000  # RichMenuBatchRequest.operations maxItems: 1000
MAX_IMAGE_BYTES = 1024 * 1024  # reference, "Upload rich menu image": "Max file size: 1 MB"
IMAGE_TYPES = ("image/jpeg", "image/png")  # "Image format: JPEG or PNG"
ALIAS = re.compile(r"^[a-z0-9_-]{1,32}$")  # CreateRichMenuAliasRequest.richMenuAliasId pattern
RESUME_KEY = re.compile(r"^[a-zA-Z0-9_-]{1,100}$")  # RichMenuBatchRequest.resumeRequestKey pattern
# reference, "Rich menu object": width 800-2500, height at least 250, width / height at least 1.45
MIN_WIDTH, MAX_WIDTH, MIN_HEIGHT, MIN_RATIO = 800, 2500, 250, 1.45
LOADING_SECONDS = range(5, 61, 5)  # ShowLoadingAnimationRequest.loadingSeconds: 5-60, "a multiple of 5"


def _not_found() -> LineError:
    return LineError(404, "Not found")


def check_rich_menu(body: dict[str, Any]) -> Errors:
    """What is wrong with a rich menu object (RichMenuRequest)."""
    errors: Errors = []
    size = body.get("size")
    width: Any = size.get("width") if isinstance(size, dict) else None
    height: Any = size.get("height") if isinstance(size, dict) else None
    if not isinstance(width, int) or not isinstance(height, int):
        errors.append(("size", "must be specified"))
        width = height = 0
    elif not (MIN_WIDTH <= width <= MAX_WIDTH and height >= MIN_HEIGHT and width / height >= MIN_RATIO):
        errors.append(("size", "invalid rich menu size"))
    if not isinstance(body.get("selected"), bool):
        errors.append(("selected", "must be specified"))
    _length(errors, "name", body.get("name"), 1, MAX_NAME)
    _length(errors, "chatBarText", body.get("chatBarText"), 1, MAX_CHAT_BAR)
    areas = body.get("areas")
    if not isinstance(areas, list) or len(areas) > MAX_AREAS:
        errors.append(("areas", f"Size must be between 0 and {MAX_AREAS}"))
        return errors
    for i, area in enumerate(areas):
        bounds = area.get("bounds") if isinstance(area, dict) else None
        box: list[Any] = [bounds.get(k) for k in ("x", "y", "width", "height")] if isinstance(bounds, dict) else []
        if len(box) != 4 or not all(isinstance(v, int) and v >= 0 for v in box) or box[2] < 1 or box[3] < 1:
            errors.append((f"areas[{i}].bounds", "must be specified"))
        elif box[0] + box[2] > width or box[1] + box[3] > height:
            errors.append((f"areas[{i}].bounds", "must be within the rich menu"))
        action = area.get("action") if isinstance(area, dict) else None
        if isinstance(action, dict) and action.get("type") == "richmenuswitch":
            # RichMenuSwitchAction: richMenuAliasId (up to 32) and data (up to 300) are required
            _length(errors, f"areas[{i}].action.label", action.get("label"), 1, 20, required=False)
            _length(errors, f"areas[{i}].action.richMenuAliasId", action.get("richMenuAliasId"), 1, 32)
            _length(errors, f"areas[{i}].action.data", action.get("data"), 0, 300)
        else:
            check_action(errors, f"areas[{i}].action", action, label_required=False)
    return errors


def _user_ids(body: dict[str, Any]) -> list[str]:
    users = body.get("userIds")
    if not isinstance(users, list) or not 1 <= len(users) <= MAX_BULK:
        raise _invalid([("userIds", f"Size must be between 1 and {MAX_BULK}")])
    wrong = [(f"userIds[{i}]", "Invalid user ID") for i, u in enumerate(users)
             if not isinstance(u, str) or not CHAT_ID.match(u) or not u.startswith("U")]
    if wrong:
        raise _invalid(wrong)
    return users


def line_richmenu_routers(state: EmulatorState) -> list[APIRouter]:
    """The rich menu and loading endpoints under `/line`, and the image endpoints under `/line-data`."""
    api = APIRouter(prefix="/line")
    data = APIRouter(prefix="/line-data")

    def menus() -> RichMenus:
        return state.rich_menus

    def menu(menu_id: str) -> dict[str, Any]:
        found = menus().menus.get(menu_id)
        if found is None:
            raise _not_found()
        return found

    def usable(menu_id: str) -> None:
        """Linking or defaulting a menu needs the menu and its image."""
        menu(menu_id)
        if menu_id not in menus().images:
            raise LineError(400, "must upload richmenu image before applying it to user")

    async def create(body: dict[str, Any], call: Call) -> dict[str, Any]:
        errors = check_rich_menu(body)
        if errors:
            raise _invalid(errors)
        if len(menus().menus) >= MAX_MENUS:
            raise LineError(400, f"The number of rich menus has reached the upper limit ({MAX_MENUS})")
        menu_id = "richmenu-" + secrets.token_hex(16)
        menus().menus[menu_id] = {k: body[k] for k in ("size", "selected", "name", "chatBarText", "areas")}
        return {"richMenuId": menu_id}

    async def validate(body: dict[str, Any], call: Call) -> dict[str, Any]:
        errors = check_rich_menu(body)
        if errors:
            raise _invalid(errors)
        return {}

    @api.post("/v2/bot/richmenu")
    async def create_route(request: Request) -> Response:
        return await serve_line(state, request, "richmenu/create", create)

    @api.post("/v2/bot/richmenu/validate")
    async def validate_route(request: Request) -> Response:
        return await serve_line(state, request, "richmenu/validate", validate)

    @api.get("/v2/bot/richmenu/list")
    async def list_route(request: Request) -> Response:
        async def listing(body: dict[str, Any], call: Call) -> dict[str, Any]:
            return {"richmenus": [{"richMenuId": k, **v} for k, v in menus().menus.items()]}

        return await serve_line(state, request, "richmenu/list", listing)

    @api.get("/v2/bot/richmenu/alias/list")
    async def alias_list_route(request: Request) -> Response:
        async def listing(body: dict[str, Any], call: Call) -> dict[str, Any]:
            return {"aliases": [{"richMenuAliasId": k, "richMenuId": v} for k, v in menus().aliases.items()]}

        return await serve_line(state, request, "richmenu/alias/list", listing)

    @api.post("/v2/bot/richmenu/alias")
    async def alias_create_route(request: Request) -> Response:
        async def create_alias(body: dict[str, Any], call: Call) -> dict[str, Any]:
            alias, menu_id = body.get("richMenuAliasId"), body.get("richMenuId")
            if not isinstance(alias, str) or not ALIAS.match(alias):
                raise _invalid([("richMenuAliasId", "must match ^[a-z0-9_-]{1,32}$")])
            usable(str(menu_id))
            if alias in menus().aliases:
                raise LineError(400, "conflict richmenu alias id")
            menus().aliases[alias] = str(menu_id)
            return {}

        return await serve_line(state, request, "richmenu/alias/create", create_alias)

    @api.api_route("/v2/bot/richmenu/alias/{alias}", methods=["GET", "POST", "DELETE"])
    async def alias_route(request: Request, alias: str) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            if alias not in menus().aliases:
                raise LineError(400, "richmenu alias not found")
            if request.method == "GET":
                return {"richMenuAliasId": alias, "richMenuId": menus().aliases[alias]}
            if request.method == "DELETE":
                del menus().aliases[alias]
                return {}
            usable(str(body.get("richMenuId")))
            menus().aliases[alias] = str(body["richMenuId"])
            return {}

        return await serve_line(state, request, f"richmenu/alias/{request.method.lower()}", work)

    @api.api_route("/v2/bot/richmenu/{menu_id}", methods=["GET", "DELETE"])
    async def menu_route(request: Request, menu_id: str) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            found = menu(menu_id)
            if request.method == "GET":
                return {"richMenuId": menu_id, **found}
            # Deleting a menu drops it from the users it was linked to, its image, its aliases and the default.
            store = menus()
            del store.menus[menu_id]
            store.images.pop(menu_id, None)
            store.linked = {u: m for u, m in store.linked.items() if m != menu_id}
            store.switched = {u: m for u, m in store.switched.items() if m != menu_id}
            store.aliases = {a: m for a, m in store.aliases.items() if m != menu_id}
            if store.default == menu_id:
                store.default = None
            return {}

        return await serve_line(state, request, f"richmenu/{request.method.lower()}", work)

    @data.api_route("/v2/bot/richmenu/{menu_id}/content", methods=["GET", "POST"])
    async def content_route(request: Request, menu_id: str) -> Response:
        async def work(body: dict[str, Any], call: Call) -> Any:
            found = menu(menu_id)
            if request.method == "GET":
                if menu_id not in menus().images:
                    raise _not_found()
                image, kind = menus().images[menu_id]
                return Response(image, media_type=kind)
            kind = str(body.get("content_type", "")).split(";")[0].strip().lower()
            data: bytes = body.get("raw", b"")
            if kind not in IMAGE_TYPES:
                raise LineError(415, "Unsupported Media Type")
            if len(data) > MAX_IMAGE_BYTES:
                raise LineError(413, "Request Entity Too Large")
            if menu_id in menus().images:
                raise LineError(400, "An image has already been uploaded to the richmenu")
            try:
                with Image.open(io.BytesIO(data)) as picture:
                    size, fmt = picture.size, picture.format
            except (UnidentifiedImageError, OSError) as exc:
                raise LineError(400, "invalid image") from exc
            if fmt not in ("PNG", "JPEG") or size != (found["size"]["width"], found["size"]["height"]):
                raise LineError(400, "Image size does not match the rich menu size")
            menus().images[menu_id] = (data, kind)
            return {}

        return await serve_line(state, request, f"richmenu/content/{request.method.lower()}", work,
                                json_body=False)

    @api.api_route("/v2/bot/user/all/richmenu", methods=["GET", "DELETE"])
    async def default_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            if request.method == "DELETE":
                menus().default = None
                return {}
            if menus().default is None:
                raise LineError(404, "no default richmenu")
            return {"richMenuId": menus().default}

        return await serve_line(state, request, f"richmenu/default/{request.method.lower()}", work)

    @api.post("/v2/bot/user/all/richmenu/{menu_id}")
    async def set_default_route(request: Request, menu_id: str) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            usable(menu_id)
            menus().default = menu_id
            return {}

        return await serve_line(state, request, "richmenu/default/set", work)

    @api.api_route("/v2/bot/user/{user_id}/richmenu", methods=["GET", "DELETE"])
    async def user_route(request: Request, user_id: str) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            call.target = user_id
            if not CHAT_ID.match(user_id) or not user_id.startswith("U"):
                raise LineError(400, "The value for the 'userId' parameter is invalid")
            if request.method == "DELETE":
                menus().linked.pop(user_id, None)
                menus().switched.pop(user_id, None)
                return {}
            if user_id not in menus().linked:
                raise LineError(404, "the user has no richmenu")
            return {"richMenuId": menus().linked[user_id]}

        return await serve_line(state, request, f"richmenu/user/{request.method.lower()}", work)

    @api.post("/v2/bot/user/{user_id}/richmenu/{menu_id}")
    async def link_route(request: Request, user_id: str, menu_id: str) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            call.target = user_id
            if not CHAT_ID.match(user_id) or not user_id.startswith("U"):
                raise LineError(400, "The value for the 'userId' parameter is invalid")
            usable(menu_id)
            menus().linked[user_id] = menu_id
            menus().switched.pop(user_id, None)
            return {}

        return await serve_line(state, request, "richmenu/link", work)

    @api.post("/v2/bot/richmenu/bulk/link")
    async def bulk_link_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            users = _user_ids(body)
            usable(str(body.get("richMenuId")))
            for user in users:
                menus().linked[user] = str(body["richMenuId"])
                menus().switched.pop(user, None)
            return {}

        return await serve_line(state, request, "richmenu/bulk/link", work, status=202)

    @api.post("/v2/bot/richmenu/bulk/unlink")
    async def bulk_unlink_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            for user in _user_ids(body):
                menus().linked.pop(user, None)
                menus().switched.pop(user, None)
            return {}

        return await serve_line(state, request, "richmenu/bulk/unlink", work, status=202)

    def batch_operations(body: dict[str, Any]) -> list[dict[str, Any]]:
        operations = body.get("operations")
        if not isinstance(operations, list) or not 1 <= len(operations) <= MAX_OPERATIONS:
            raise _invalid([("operations", f"Size must be between 1 and {MAX_OPERATIONS}")])
        key = body.get("resumeRequestKey")
        if key is not None and (not isinstance(key, str) or not RESUME_KEY.match(key)):
            raise _invalid([("resumeRequestKey", "must match ^[a-zA-Z0-9_-]{1,100}$")])
        for i, op in enumerate(operations):
            kind = op.get("type") if isinstance(op, dict) else None
            if kind == "link":
                menu(str(op.get("from")))
                usable(str(op.get("to")))
            elif kind == "unlink":
                menu(str(op.get("from")))
            elif kind != "unlinkAll":
                raise _invalid([(f"operations[{i}].type", "Must be one of the following values: [link, unlink, "
                                                          "unlinkAll]")])
        return operations

    @api.post("/v2/bot/richmenu/validate/batch")
    async def validate_batch_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            batch_operations(body)
            return {}

        return await serve_line(state, request, "richmenu/validate/batch", work)

    @api.post("/v2/bot/richmenu/batch")
    async def batch_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            store = menus()
            for op in batch_operations(body):  # LINE runs these asynchronously; here they are done at once
                if op["type"] == "link":
                    store.linked = {u: (op["to"] if m == op["from"] else m) for u, m in store.linked.items()}
                elif op["type"] == "unlink":
                    store.linked = {u: m for u, m in store.linked.items() if m != op["from"]}
                else:
                    store.linked = {}
            return {}

        return await serve_line(state, request, "richmenu/batch", work, status=202)

    @api.get("/v2/bot/richmenu/progress/batch")
    async def progress_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            if not request.query_params.get("requestId"):
                raise _invalid([("requestId", "May not be empty")])
            return {"phase": "succeeded", "acceptedTime": "2026-01-01T00:00:00.000Z",
                    "completedTime": "2026-01-01T00:00:00.000Z"}

        return await serve_line(state, request, "richmenu/progress/batch", work)

    @api.post("/v2/bot/chat/loading/start")
    async def loading_route(request: Request) -> Response:
        async def work(body: dict[str, Any], call: Call) -> dict[str, Any]:
            chat, seconds = body.get("chatId"), body.get("loadingSeconds", 20)
            call.target = chat if isinstance(chat, str) else None
            # "Display a loading animation in one-on-one chats": a group or room id is refused.
            if not isinstance(chat, str) or not CHAT_ID.match(chat) or not chat.startswith("U"):
                raise _invalid([("chatId", "Invalid chat ID")])
            if seconds not in LOADING_SECONDS:
                raise _invalid([("loadingSeconds", "must be a multiple of 5 between 5 and 60")])
            menus().loading[chat] = seconds
            return {}

        return await serve_line(state, request, "chat/loading/start", work, status=202)

    return [api, data]
