"""Kill: a real `coordbot serve` receiving a webhook storm over both platforms, SIGKILLed five times at seeded
random moments and restarted each time, while the driver delivers again whatever was not acknowledged.

Afterwards every event is stored once and handled, and every answer is on its user's phone: on LINE exactly
once (a resent answer carries the same retry key); on Telegram, which has no retry key, only sends in flight at a
kill may be doubled or, recorded as of unknown outcome, not sent again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.emulator import EmulatorServer
from tests.faults.storm import Storm, serve_env

pytestmark = pytest.mark.faults  # minutes of real processes: `make faults`, not `make test`

EVENTS_PER_PLATFORM = 120
KILLS = 5


async def test_a_webhook_storm_killed_five_times_loses_nothing_and_doubles_nothing_on_line(
    emulator: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator.state.reset()
    storm = Storm(emulator, database_url, tmp_path, seed=16, per_platform=EVENTS_PER_PLATFORM, kills=KILLS,
                  env=serve_env(emulator, database_url, tmp_path))
    try:
        outcome = await storm.run()
    finally:
        storm.stop()
    print("\n" + outcome.line("kill storm"))
    assert outcome.kills == KILLS
    assert outcome.stored == outcome.handled == outcome.events == 2 * EVENTS_PER_PLATFORM
    assert outcome.lost == 0 and outcome.doubled_line == 0
    assert outcome.doubled_telegram + outcome.unknown_telegram <= sum(outcome.in_flight)
