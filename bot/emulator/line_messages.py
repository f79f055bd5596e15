"""LINE message objects: the checks the Messaging API makes, and how each message looks on the phone.

Checks report `(property, message)` pairs in LINE's wording, e.g. `("messages[0].text", "Length must be
between 0 and 5000")`; the API wraps them in `{"message": "The request body has N error(s)", "details": [...]}`.
"""

from __future__ import annotations

import json
from typing import Any

from bot.textsplit import Measure, grapheme_len, utf16_len

# Limits from developers.line.biz/en/reference/messaging-api (the OpenAPI file, /work/shared/specs/messaging-api.yml,
# names the objects but gives few limits). Lengths are UTF-16 code units unless the "Character counting in a text"
# page (docs/messaging-api/text-character-count) lists the property as counted in grapheme clusters: action labels,
# postback displayText/fillInText/text, message action text, buttons/confirm/carousel template text and title.
MAX_MESSAGES = 5
MAX_TEXT = 5000  # text and textV2 "Max character limit: 5000"
MAX_ALT_TEXT = 1500  # flex and template altText "Max character limit: 1500"
MAX_QUICK_REPLY = 13
MAX_LABEL = 20  # quick reply and template action labels
MAX_FLEX_LABEL = 40  # "Max character limit: 40" for a Flex Message button's label
MAX_POSTBACK_DATA = 300  # messaging-api.yml PostbackAction.data maxLength
MAX_ACTION_TEXT = 300  # postback displayText/text/fillInText, message action text
MAX_URI = 1000  # uri action "Max character limit: 1000"
URI_SCHEMES = ("http://", "https://", "line://", "tel:")  # uri action: "schemes are http, https, line, and tel"
MAX_FLEX_BUBBLE_BYTES = 30 * 1024  # "Max size: 30 KB" (bubble), "50 KB" (carousel)
MAX_FLEX_CAROUSEL_BYTES = 50 * 1024
MAX_CAROUSEL_BUBBLES = 12
# messaging-api.yml Message.discriminator (the ones this emulator shows; coupon is left out)
MESSAGE_TYPES = ("text", "textV2", "image", "video", "audio", "location", "sticker", "template", "imagemap", "flex")
ACTION_TYPES = ("postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location", "richmenuswitch",
                "clipboard")
# messaging-api.yml FlexComponent.discriminator and FlexBox.layout
FLEX_COMPONENTS = ("box", "button", "image", "video", "icon", "text", "span", "separator", "filler")
FLEX_LAYOUTS = ("horizontal", "vertical", "baseline")

Errors = list[tuple[str, str]]


def _length(errors: Errors, prop: str, value: Any, low: int, high: int, *, required: bool = True,
            measure: Measure = utf16_len) -> None:
    if value is None:
        if required:
            errors.append((prop, "May not be empty"))
        return
    if not isinstance(value, str):
        errors.append((prop, "Must be a string"))
    elif not low <= measure(value) <= high:
        errors.append((prop, f"Length must be between {low} and {high}"))


def _https_url(errors: Errors, prop: str, value: Any, limit: int = 2000) -> None:
    _length(errors, prop, value, 1, limit)
    if isinstance(value, str) and value and not value.startswith("https://"):
        errors.append((prop, "Must be HTTPS URL"))


def check_action(errors: Errors, prop: str, action: Any, *, label_required: bool = True,
                 max_label: int = MAX_LABEL) -> None:
    if not isinstance(action, dict):
        errors.append((prop, "May not be empty"))
        return
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        errors.append((f"{prop}.type", f"Must be one of the following values: [{', '.join(ACTION_TYPES)}]"))
        return
    _length(errors, f"{prop}.label", action.get("label"), 1, max_label, required=label_required,
            measure=grapheme_len)
    if kind == "postback":
        _length(errors, f"{prop}.data", action.get("data"), 0, MAX_POSTBACK_DATA)
        for name in ("displayText", "text", "fillInText"):
            _length(errors, f"{prop}.{name}", action.get(name), 1, MAX_ACTION_TEXT, required=False,
                    measure=grapheme_len)
        if action.get("displayText") is not None and action.get("text") is not None:
            # postback action: "The displayText and text properties cannot both be used at the same time."
            errors.append((f"{prop}.displayText", "Cannot be specified together with text"))
    elif kind == "message":
        _length(errors, f"{prop}.text", action.get("text"), 1, MAX_ACTION_TEXT, measure=grapheme_len)
    elif kind == "uri":
        uri = action.get("uri")
        _length(errors, f"{prop}.uri", uri, 1, MAX_URI)
        if isinstance(uri, str) and not uri.startswith(URI_SCHEMES):
            errors.append((f"{prop}.uri", "invalid uri scheme"))
    elif kind == "richmenuswitch":
        # rich menu switch action: "This action can be configured only with rich menus."
        errors.append((f"{prop}.type", "The richmenuswitch action can be used only in rich menus"))


def _check_actions(errors: Errors, prop: str, actions: Any, low: int, high: int) -> None:
    if not isinstance(actions, list) or not low <= len(actions) <= high:
        errors.append((prop, f"Size must be between {low} and {high}"))
        return
    for i, action in enumerate(actions):
        check_action(errors, f"{prop}[{i}]", action)


def _template_text(errors: Errors, prop: str, node: dict[str, Any], *, title: bool, short: int, long: int) -> None:
    """A buttons template's or carousel column's title (40) and text (`short` with an image or title, else `long`),
    counted in grapheme clusters."""
    if title:
        _length(errors, f"{prop}.title", node.get("title"), 1, 40, required=False, measure=grapheme_len)
    limit = short if node.get("title") or node.get("thumbnailImageUrl") else long
    _length(errors, f"{prop}.text", node.get("text"), 1, limit, measure=grapheme_len)


def _check_template(errors: Errors, prop: str, template: Any) -> None:
    if not isinstance(template, dict):
        errors.append((prop, "May not be empty"))
        return
    kind = template.get("type")
    if kind == "buttons":
        _template_text(errors, prop, template, title=True, short=60, long=160)
        _check_actions(errors, f"{prop}.actions", template.get("actions"), 1, 4)
    elif kind == "confirm":
        _length(errors, f"{prop}.text", template.get("text"), 1, 240, measure=grapheme_len)
        _check_actions(errors, f"{prop}.actions", template.get("actions"), 2, 2)
    elif kind in ("carousel", "image_carousel"):
        columns = template.get("columns")
        if not isinstance(columns, list) or not 1 <= len(columns) <= 10:
            errors.append((f"{prop}.columns", "Size must be between 1 and 10"))
            return
        for i, column in enumerate(columns):
            where = f"{prop}.columns[{i}]"
            if kind == "carousel":
                _template_text(errors, where, column, title=True, short=60, long=120)
                _check_actions(errors, f"{where}.actions", column.get("actions"), 1, 3)
            else:
                check_action(errors, f"{where}.action", column.get("action"), label_required=False)
    else:
        errors.append((f"{prop}.type", "Must be one of the following values: [buttons, confirm, carousel, "
                                       "image_carousel]"))


def _check_component(errors: Errors, prop: str, node: Any) -> None:
    """One Flex component and what it contains (messaging-api.yml FlexComponent and its subtypes)."""
    if not isinstance(node, dict) or node.get("type") not in FLEX_COMPONENTS:
        errors.append((f"{prop}.type", f"Must be one of the following values: [{', '.join(FLEX_COMPONENTS)}]"))
        return
    kind = node["type"]
    if kind == "box":  # FlexBox: required layout, contents
        if node.get("layout") not in FLEX_LAYOUTS:
            errors.append((f"{prop}.layout", f"Must be one of the following values: [{', '.join(FLEX_LAYOUTS)}]"))
        contents = node.get("contents")
        if not isinstance(contents, list):
            errors.append((f"{prop}.contents", "May not be empty"))
        else:
            for i, child in enumerate(contents):
                _check_component(errors, f"{prop}.contents[{i}]", child)
    elif kind == "button":  # FlexButton: required action, its label up to 40
        check_action(errors, f"{prop}.action", node.get("action"), max_label=MAX_FLEX_LABEL)
    elif kind == "text" and isinstance(node.get("contents"), list):
        for i, child in enumerate(node["contents"]):
            if not isinstance(child, dict) or child.get("type") != "span":
                errors.append((f"{prop}.contents[{i}].type", "Must be one of the following values: [span]"))
    if kind != "button" and node.get("action") is not None:
        check_action(errors, f"{prop}.action", node["action"], label_required=False, max_label=MAX_FLEX_LABEL)


def _check_bubble(errors: Errors, prop: str, bubble: Any) -> None:
    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
        errors.append((f"{prop}.type", "Must be one of the following values: [bubble]"))
        return
    for block in ("header", "hero", "body", "footer"):
        if bubble.get(block) is not None:
            _check_component(errors, f"{prop}.{block}", bubble[block])


def _check_flex(errors: Errors, prop: str, contents: Any) -> None:
    if not isinstance(contents, dict) or contents.get("type") not in ("bubble", "carousel"):
        errors.append((f"{prop}.type", "Must be one of the following values: [bubble, carousel]"))
        return
    size = len(json.dumps(contents, ensure_ascii=False, separators=(",", ":")).encode())
    if contents["type"] == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
            errors.append((f"{prop}.contents", f"Size must be between 1 and {MAX_CAROUSEL_BUBBLES}"))
        else:
            for i, bubble in enumerate(bubbles):
                _check_bubble(errors, f"{prop}.contents[{i}]", bubble)
        if size > MAX_FLEX_CAROUSEL_BYTES:
            errors.append((prop, "Size must be less than or equal to 50KB"))
        return
    _check_bubble(errors, prop, contents)
    if size > MAX_FLEX_BUBBLE_BYTES:
        errors.append((prop, "Size must be less than or equal to 30KB"))


def check_message(errors: Errors, prop: str, message: Any) -> None:
    """Append what is wrong with one message object."""
    if not isinstance(message, dict):
        errors.append((prop, "May not be empty"))
        return
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        errors.append((f"{prop}.type", f"Must be one of the following values: [{', '.join(MESSAGE_TYPES)}]"))
        return
    if kind in ("text", "textV2"):
        _length(errors, f"{prop}.text", message.get("text"), 1, MAX_TEXT)
        substitution = message.get("substitution")
        if kind == "textV2" and substitution is not None and not isinstance(substitution, dict):
            errors.append((f"{prop}.substitution", "Must be an object"))
    elif kind == "location":
        _length(errors, f"{prop}.title", message.get("title"), 1, 100)
        _length(errors, f"{prop}.address", message.get("address"), 1, 100)
        for name in ("latitude", "longitude"):
            if not isinstance(message.get(name), int | float):
                errors.append((f"{prop}.{name}", "May not be empty"))
    elif kind in ("image", "video"):
        _https_url(errors, f"{prop}.originalContentUrl", message.get("originalContentUrl"))
        _https_url(errors, f"{prop}.previewImageUrl", message.get("previewImageUrl"))
    elif kind == "sticker":
        for name in ("packageId", "stickerId"):
            if not isinstance(message.get(name), str) or not message[name]:
                errors.append((f"{prop}.{name}", "May not be empty"))
    elif kind == "template":
        _length(errors, f"{prop}.altText", message.get("altText"), 1, MAX_ALT_TEXT)
        _check_template(errors, f"{prop}.template", message.get("template"))
    elif kind == "flex":
        _length(errors, f"{prop}.altText", message.get("altText"), 1, MAX_ALT_TEXT)
        _check_flex(errors, f"{prop}.contents", message.get("contents"))
    quick = message.get("quickReply")
    if quick is not None:
        items = quick.get("items") if isinstance(quick, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUICK_REPLY:
            errors.append((f"{prop}.quickReply.items", f"Size must be between 1 and {MAX_QUICK_REPLY}"))
        else:
            for i, item in enumerate(items):
                check_action(errors, f"{prop}.quickReply.items[{i}].action",
                             item.get("action") if isinstance(item, dict) else None)


def check_messages(messages: Any) -> Errors:
    """Everything wrong with a request's `messages` array."""
    errors: Errors = []
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return [("messages", f"Size must be between 1 and {MAX_MESSAGES}")]
    for i, message in enumerate(messages):
        check_message(errors, f"messages[{i}]", message)
    return errors


def _button(action: dict[str, Any]) -> tuple[str, str]:
    data = action.get("data") or action.get("uri") or action.get("text") or ""
    return str(action.get("label", "")), str(data)


def _flex_buttons(node: Any) -> list[tuple[str, str]]:
    if isinstance(node, list):
        return [b for child in node for b in _flex_buttons(child)]
    if not isinstance(node, dict):
        return []
    if node.get("type") == "button" and isinstance(node.get("action"), dict):
        return [_button(node["action"])]
    return [b for value in node.values() if isinstance(value, dict | list) for b in _flex_buttons(value)]


def _flex_texts(node: Any) -> list[str]:
    """The text components of a Flex message, in reading order: what the user actually sees."""
    if isinstance(node, list):
        return [t for child in node for t in _flex_texts(child)]
    if not isinstance(node, dict):
        return []
    if node.get("type") == "text" and isinstance(node.get("text"), str):
        return [node["text"]]
    return [t for value in node.values() if isinstance(value, dict | list) for t in _flex_texts(value)]


def quick_replies(message: dict[str, Any]) -> list[tuple[str, str]]:
    """The message's quick reply buttons (label, data)."""
    return [_button(item["action"]) for item in (message.get("quickReply") or {}).get("items", [])]


def on_screen(message: dict[str, Any]) -> tuple[str, str, list[tuple[str, str]]]:
    """How a valid message shows on the phone: its kind, its text and the buttons in it (label, data); quick
    replies are not part of it (see `quick_replies`)."""
    kind = message["type"]
    buttons: list[tuple[str, str]] = []
    text = ""
    if kind in ("text", "textV2"):
        kind, text = "text", message["text"]
    elif kind == "location":
        text = f"{message['title']}\n{message['address']}"
    elif kind in ("image", "video"):
        text = message["originalContentUrl"]
    elif kind == "template":
        template = message["template"]
        text = template.get("text") or message["altText"]
        actions = template.get("actions") or [a for c in template.get("columns", [])
                                              for a in c.get("actions", [c.get("action", {})])]
        buttons += [_button(a) for a in actions if a]
    elif kind == "flex":
        text = "\n".join(_flex_texts(message["contents"])) or message["altText"]
        buttons += _flex_buttons(message["contents"])
    return kind, text, buttons
