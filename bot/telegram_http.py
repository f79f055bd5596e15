"""python-telegram-bot's networking on aiohttp instead of httpx.

The SDK still builds every Bot API request and reads every answer (errors, `retry_after`); only the HTTP
round trip is aiohttp's, which costs about a third of httpx's per call. That is what lets one process keep up
with Telegram's broadcast limits. aiohttp is installed anyway: line-bot-sdk's async client uses it.

A call without a file goes as a JSON body, which the Bot API accepts ("application/json (except for uploading
files)", https://core.telegram.org/bots/api#making-requests): one `json.dumps` of the SDK's parameters instead of
one per parameter and then URL-quoting every byte, a fifth of a send's own CPU.
"""

from __future__ import annotations

import json

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    def __init__(self, *, pool_size: int, timeout: float, proxy: str | None = None) -> None:
        self.pool_size = pool_size
        self.timeout = timeout
        self.proxy = proxy
        self.session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self.timeout

    async def initialize(self) -> None:
        if self.session is None:
            self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.pool_size))

    async def shutdown(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(total=None, connect=self._given(connect_timeout),
                                        sock_read=self._given(read_timeout))
        body = _body(request_data)
        headers = {"User-Agent": self.USER_AGENT}
        if isinstance(body, bytes):
            headers["Content-Type"] = "application/json"
        try:
            async with self.session.request(method, url, data=body, timeout=timeout, headers=headers,
                                            proxy=self.proxy) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # before ClientError: aiohttp's timeouts are both
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _given(self, value: ODVInput[float]) -> float | None:
        return self.timeout if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> bytes | aiohttp.FormData | None:
    """The SDK's parameters as a JSON body; with uploads, multipart with the other fields as the SDK encodes form
    fields (JSON-encoded values)."""
    if request_data is None:
        return None
    if not request_data.multipart_data:
        return json.dumps(request_data.parameters, ensure_ascii=False).encode()
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
