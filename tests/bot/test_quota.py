"""LINE's quota as the service reads it: two calls to LINE per reading, so a reading is kept for a few seconds
(the console's segment form asks as an admin types), and a failed call is "unknown", never an error."""

from __future__ import annotations

from bot.quota import LineQuota, QuotaReader


class Line:
    """LINE's quota endpoints: how many times they were asked, what they answer."""

    def __init__(self, left: int | None) -> None:
        self.left, self.calls, self.failing = left, 0, False

    def quota_left(self) -> int | None:
        self.calls += 1
        if self.failing:
            raise ConnectionError("LINE did not answer")
        return self.left


def test_a_reading_is_kept_for_its_age_and_then_asked_again() -> None:
    line, now = Line(left=500), [0.0]
    reader = QuotaReader(line.quota_left, max_age_s=10, clock=lambda: now[0])
    assert reader.read() == LineQuota(500, known=True)
    line.left = 480
    now[0] = 9.9
    assert reader.read() == LineQuota(500, known=True) and line.calls == 1
    now[0] = 10.0
    assert reader.read() == LineQuota(480, known=True) and line.calls == 2


def test_a_failed_reading_is_unknown_and_not_kept() -> None:
    line, now = Line(left=500), [0.0]
    reader = QuotaReader(line.quota_left, max_age_s=10, clock=lambda: now[0])
    line.failing = True
    assert reader.read() == LineQuota(None, known=False)
    line.failing = False
    assert reader.read() == LineQuota(500, known=True) and line.calls == 2
