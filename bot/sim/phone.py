"""One demo person's phone as the simulator drives it: the emulator's control API, asynchronously.

Every action goes the way a platform's would: the emulator builds the event, signs it with the channel secret (or
sends the webhook secret token) and posts it to the service's own webhook; what the bot sends is read back from the
emulator's record of the person's phone. The service answers that webhook while this request waits for it, so
the calls here must never block the event loop.
"""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT_S = 15.0


class EmulatorUnavailable(Exception):
    """The emulator did not answer (it runs beside the demo service; without it there is nothing to show)."""


class SimPhone:
    """The person's phone on one platform, through `http`, a client of the emulator's address."""

    def __init__(self, http: httpx.AsyncClient, platform: str, user_id: str) -> None:
        self.http, self.platform, self.user_id = http, platform, user_id

    async def conversation(self) -> list[dict[str, Any]]:
        """Both sides of the chat, oldest first (`from` is "bot" or "user")."""
        found: list[dict[str, Any]] = await self._get(f"/_emulator/conversation/{self.platform}/{self.user_id}")
        return found

    async def menu(self) -> list[dict[str, Any]]:
        """The person's menu items in tapping order (Telegram: their command list)."""
        found: list[dict[str, Any]] = await self._get(f"/_emulator/menu/{self.platform}/{self.user_id}")
        return found

    async def rich_menu(self) -> dict[str, Any] | None:
        """The LINE rich menu the person sees, with each area's bounds; None on Telegram or without one."""
        if self.platform != "line":
            return None
        found: dict[str, Any] | None = await self._get(f"/_emulator/line/richmenu/{self.user_id}")
        return found

    async def send(self, **action: Any) -> int:
        """The person types `text` or presses a button carrying `data`; the status the webhook was answered with."""
        path = "/_emulator/line/events" if self.platform == "line" else "/_emulator/telegram/updates"
        return await self._post(path, {"user_id": self.user_id, **action})

    async def tap(self, number: int) -> int:
        """The person taps menu item `number` (from 1); 404 when there is no such item any more."""
        return await self._post(f"/_emulator/menu/{self.platform}/{self.user_id}/{number}", None)

    async def _get(self, path: str) -> Any:
        try:
            response = await self.http.get(path)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise EmulatorUnavailable(str(exc)) from exc
        return response.json()

    async def _post(self, path: str, body: dict[str, Any] | None) -> int:
        try:
            response = await self.http.post(path, json=body)
        except httpx.HTTPError as exc:
            raise EmulatorUnavailable(str(exc)) from exc
        if response.status_code == 404:
            return 404
        if response.status_code != 200:
            raise EmulatorUnavailable(f"{response.status_code} {response.text}")
        status: int = response.json()["status"]
        return status


async def rich_menu_image(http: httpx.AsyncClient, menu_id: str) -> tuple[bytes, str] | None:
    """A rich menu's picture and its content type, or None if the emulator has none for it."""
    try:
        response = await http.get(f"/_emulator/line/richmenus/{menu_id}/image")
    except httpx.HTTPError as exc:
        raise EmulatorUnavailable(str(exc)) from exc
    if response.status_code != 200:
        return None
    return response.content, response.headers.get("content-type", "image/png")
