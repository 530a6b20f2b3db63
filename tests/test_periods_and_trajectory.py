"""Financial quarters and target trajectories, against hand-worked values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from recruit.statistics.periods import FinancialYear, Quarter
from recruit.statistics.trajectory import planned_to_date, progress, projected_date, run_rate


def test_quarters_run_april_to_march():
    q1 = Quarter.parse("2025-Q1")
    assert (q1.starts_on, q1.ends_on) == (date(2025, 4, 1), date(2025, 6, 30))
    q4 = Quarter.parse("2025-Q4")
    assert (q4.starts_on, q4.ends_on) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Quarter.containing(date(2026, 2, 14)) == q4
    assert Quarter.containing(date(2025, 4, 1)) == q1
    assert q4.next() == Quarter.parse("2026-Q1") and q1.previous() == Quarter.parse("2024-Q4")
    assert [str(q) for q in q1.back(3)] == ["2024-Q3", "2024-Q4", "2025-Q1"]
    assert q1.label == "Q1 2025/26 (April to June 2025)"
    assert str(FinancialYear(2025)) == "2025/26" and FinancialYear(2025).quarters[3] == q4


@pytest.mark.parametrize("text", ["2025-Q5", "2025Q1", "Q1-2025", ""])
def test_bad_quarter_is_named(text):
    with pytest.raises(ValueError, match="not a financial quarter"):
        Quarter.parse(text)


def test_planned_is_a_straight_line_without_milestones():
    # 1,000 over 1 April 2024 to 31 March 2028 (1,460 days); 730 days in, exactly half.
    assert planned_to_date(1000, date(2024, 4, 1), date(2028, 3, 31), [], date(2026, 3, 31)) \
        == pytest.approx(1000 * 729 / 1460)


def test_planned_follows_milestones():
    milestones = [(date(2025, 3, 31), 100), (date(2026, 3, 31), 400)]
    start, deadline = date(2024, 4, 1), date(2027, 3, 31)
    assert planned_to_date(1000, start, deadline, milestones, date(2025, 3, 31)) == 100
    # halfway (182 of 365 days) between 100 and 400
    assert planned_to_date(1000, start, deadline, milestones, date(2025, 9, 29)) \
        == pytest.approx(100 + 300 * 182 / 365)
    assert planned_to_date(1000, start, deadline, milestones, date(2030, 1, 1)) == 1000


def test_run_rate_uses_the_last_four_quarters():
    assert run_rate([100, 10, 20, 30, 40]) == 25
    assert run_rate([]) == 0


def test_projection():
    # 10 quarters of 91.3125 days, rounded up to whole days
    assert projected_date(500, 1000, 50, date(2026, 3, 31)) == date(2026, 3, 31) + timedelta(914)
    assert projected_date(100, 1000, 0, date(2026, 3, 31)) is None
    assert projected_date(1000, 1000, 0, date(2026, 3, 31)) == date(2026, 3, 31)


def test_status_bands():
    common = dict(value=1000, starts_on=date(2024, 4, 1), deadline_on=date(2028, 3, 31),
                  as_of=date(2026, 3, 31))
    planned = 1000 * 729 / 1460  # 499.3
    on = progress(actual=480, achieved_per_quarter=[65, 70, 60, 65], **common)
    assert on.status == "on track" and on.planned == pytest.approx(planned)
    risk = progress(actual=400, achieved_per_quarter=[60, 60, 60, 60], **common)
    assert risk.status == "at risk"  # projection (10 quarters) misses the deadline slightly
    off = progress(actual=300, achieved_per_quarter=[20, 20, 20, 20], **common)
    assert off.status == "off track"
    stalled = progress(actual=300, achieved_per_quarter=[0, 0, 0, 0], **common)
    assert stalled.status == "off track" and stalled.projected_on is None
    done = progress(actual=1000, achieved_per_quarter=[0], **common)
    assert done.status == "achieved" and done.percent_of_target == 100
