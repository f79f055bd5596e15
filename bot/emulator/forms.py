"""Bot API request parameters from a query string, a urlencoded or multipart form, or a JSON body.

python-telegram-bot sends forms (multipart when it uploads a file) with complex fields JSON-encoded; other
clients send JSON. Parsed with the standard library, so the emulator needs no python-multipart.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request


@dataclass
class Upload:
    """A file sent in a multipart request."""

    filename: str
    content_type: str
    data: bytes


class FormError(ValueError):
    """The body could not be read."""


async def read_params(request: Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """The call's parameters (values as sent: strings from forms, any JSON type from JSON) and uploaded files."""
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, Upload] = {}
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if not body:
        return params, files
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise FormError("can't parse JSON encoded request body") from exc
        if not isinstance(data, dict):
            raise FormError("JSON object expected")
        params.update(data)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    elif content_type.startswith("multipart/form-data"):
        _multipart(content_type, body, params, files)
    else:
        raise FormError(f"unsupported content type {content_type!r}")
    return params, files


def _multipart(content_type: str, body: bytes, params: dict[str, Any], files: dict[str, Upload]) -> None:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise FormError("malformed multipart body")
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = Upload(filename, part.get_content_type(), data)
        else:
            params[name] = data.decode(part.get_content_charset() or "utf-8")
