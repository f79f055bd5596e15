"""Kill, in a bounded form (bench/faults.py runs the same with 5,000 recipients and 20 kills each): a real coordbot
SIGKILLed at seeded random moments during an announcement, a wave of deadline nudges and a waitlist promotion.

Everyone is told once by the same rule: LINE exactly once, Telegram at most the sends in flight at a kill (or
repeated after a timeout) twice; the ledger counts right; no nudge after a submission; no seat given twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.emulator import EmulatorServer
from tests.faults.announce import IN_FLIGHT, announcement_killed
from tests.faults.nudges import nudges_killed
from tests.faults.process import Outcome
from tests.faults.waitlist import waitlist_killed

pytestmark = pytest.mark.faults


def held(outcome: Outcome, name: str) -> None:
    print("\n" + outcome.line(name))
    assert outcome.wrong == []
    assert outcome.lost == 0 and outcome.doubled_line == 0
    assert outcome.doubled_telegram + outcome.unknown_telegram <= sum(outcome.in_flight) + outcome.resent
    assert max(outcome.in_flight) <= IN_FLIGHT


def test_an_announcement_killed_mid_way_reaches_everyone_once_on_line_and_the_ledger_counts_right(
    emulator: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    outcome = announcement_killed(emulator, database_url, tmp_path, people=600, kills=3, seed=16)
    held(outcome, "kill announcement")
    assert outcome.kills == 3 and outcome.delivered == 600
    assert outcome.notes["line_409"]  # the multicasts resent after the first kill were recognised


def test_a_nudge_wave_killed_mid_way_nudges_each_province_once_and_none_after_it_submitted(
    emulator: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    outcome = nudges_killed(emulator, database_url, tmp_path, people=300, windows=3, kills=3, seed_=16)
    held(outcome, "kill nudges")
    assert outcome.kills == 3 and outcome.events > 0


async def test_a_waitlist_promoted_while_killed_gives_no_seat_twice_and_offers_them_in_order(
    emulator: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    outcome = await waitlist_killed(emulator, database_url, tmp_path, seats=20, waiting=40, declines=15, kills=3,
                                    seed=16)
    held(outcome, "kill waitlist")
    assert outcome.kills == 3 and outcome.notes["offers"] >= 15
