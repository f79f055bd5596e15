"""Running the emulator: in a background thread for tests and demo mode, or in the foreground on its own."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn
from starlette.types import ASGIApp

from bot.emulator.app import create_emulator_app
from bot.emulator.state import EmulatorState

START_TIMEOUT_S = 10.0
LINE_PREFIX = "/line"


class BackgroundServer:
    """An ASGI app on 127.0.0.1 (a free port unless one is given), served by uvicorn in a daemon thread."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        # IPPROTO_TCP explicitly: asyncio turns Nagle off only on sockets that say so, and with Nagle on every
        # answer waits ~40 ms for the client's delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", loop="asyncio",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name=f"server:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Serve, and return once connections are accepted."""
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._socket.close()
                raise RuntimeError(f"the server did not start on {self.url}")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=START_TIMEOUT_S)
        self._socket.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class EmulatorServer(BackgroundServer):
    """The emulator over `state`, with the base URLs to give the SDKs."""

    def __init__(self, state: EmulatorState, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(create_emulator_app(state), host, port)
        self.state = state

    @property
    def line_base_url(self) -> str:
        """For line-bot-sdk's `Configuration(host=...)`."""
        return self.url + LINE_PREFIX

    @property
    def line_data_base_url(self) -> str:
        """For `MessagingApiBlob` (images), which LINE serves from its api-data host."""
        return f"{self.url}/line-data"

    @property
    def telegram_base_url(self) -> str:
        """For python-telegram-bot's `Bot(token, base_url=...)`."""
        return f"{self.url}/telegram/bot"


def emulator_url(line_base_url: str) -> str:
    """The emulator's own address (its control API is under `/_emulator`), from the LINE base URL it was given as
    (`EmulatorServer.line_base_url`), which is all the service's settings know of it."""
    return line_base_url.rstrip("/").removesuffix(LINE_PREFIX)


def serve_emulator(host: str, port: int, state: EmulatorState) -> None:
    """Run the emulator in the foreground until interrupted (`coordbot emulator`)."""
    uvicorn.run(create_emulator_app(state), host=host, port=port, log_level="info", ws="none",
                access_log=False)  # request paths carry the Telegram token; /_emulator/calls is the log
