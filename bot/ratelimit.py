"""Pacing for outgoing calls: a global rate per platform and, for Telegram, a gap per chat."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """Hands out send slots no faster than `rate_per_s` overall and `per_key_per_s` for one key."""

    def __init__(self, rate_per_s: float, per_key_per_s: float | None = None) -> None:
        self.interval = 1.0 / rate_per_s
        self.key_interval = 1.0 / per_key_per_s if per_key_per_s else 0.0
        self.next_slot = 0.0
        self.next_for_key: dict[str, float] = {}
        self.paused_until = 0.0

    def reserve(self, key: str) -> float:
        """Book the next slot for `key`; returns how long to wait before using it."""
        now = time.monotonic()
        slot = max(now, self.next_slot, self.paused_until, self.next_for_key.get(key, 0.0))
        self.next_slot = slot + self.interval
        if self.key_interval:
            self.next_for_key[key] = slot + self.key_interval
            if len(self.next_for_key) > 10_000:
                self.next_for_key = {k: t for k, t in self.next_for_key.items() if t > now}
        return slot - now

    async def acquire(self, key: str) -> None:
        delay = self.reserve(key)
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """The platform said slow down: nobody sends before `seconds` from now."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)
