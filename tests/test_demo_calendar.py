"""The demo always ends with the last complete financial quarter, so the dashboard opens on it."""

from __future__ import annotations

from datetime import date

import pytest

from recruit.demo.calendar import last_complete_quarter_end, shift


@pytest.mark.parametrize(("today", "end"), [
    (date(2026, 11, 24), date(2026, 9, 30)),
    (date(2026, 10, 1), date(2026, 9, 30)),
    (date(2026, 9, 30), date(2026, 6, 30)),
    (date(2027, 2, 14), date(2026, 12, 31)),
    (date(2026, 4, 1), date(2026, 3, 31)),
])
def test_the_last_complete_quarter(today, end):
    assert last_complete_quarter_end(today) == end


def test_dates_move_by_whole_quarters_and_month_ends_stay_month_ends():
    today = date(2026, 11, 24)  # the demo ends on 30 September 2026, two quarters later
    assert shift(date(2026, 3, 31), today) == date(2026, 9, 30)
    assert shift(date(2024, 4, 1), today) == date(2024, 10, 1)
    assert shift(date(2025, 8, 31), today) == date(2026, 2, 28)
    assert shift(date(2024, 5, 30), today) == date(2024, 11, 30)
    assert shift(date(2026, 3, 31), date(2026, 5, 1)) == date(2026, 3, 31)  # as written
    assert shift(date(2026, 3, 31), date(2025, 12, 1)) == date(2025, 9, 30)  # or earlier
