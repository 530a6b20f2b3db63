"""Targets against their trajectory (local method; label it so in reports).

* **planned to date**: the milestones' cumulative values, joined by straight lines from 0 at the
  start to the full value at the deadline; without milestones, a straight line.
* **run rate**: the mean number achieved per quarter over the last four complete quarters.
* **projected date**: the date the run rate reaches the target from today's actual.
* **status**: *achieved* once reached; *on track* when the projection meets the deadline and the
  actual is at least 90% of plan; *off track* when there is no progress, or the projection misses
  the deadline by more than a quarter and the actual is below 75% of plan; otherwise *at risk*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_QUARTER = 365.25 / 4
ON_TRACK_SHARE = 0.9
OFF_TRACK_SHARE = 0.75


@dataclass(frozen=True)
class Progress:
    actual: int
    planned: float
    value: int
    run_rate: float
    projected_on: date | None
    status: str  # "achieved", "on track", "at risk" or "off track"

    @property
    def percent_of_target(self) -> float:
        return 100 * self.actual / self.value if self.value else 0.0


def planned_to_date(
    value: int, starts_on: date, deadline_on: date,
    milestones: Sequence[tuple[date, int]], as_of: date,
) -> float:
    """The cumulative value the plan expects by ``as_of``."""
    points = [(starts_on, 0), *sorted(milestones), (deadline_on, value)]
    if as_of <= starts_on:
        return 0.0
    if as_of >= deadline_on:
        return float(value)
    for (left_day, left), (right_day, right) in zip(points, points[1:], strict=False):
        if left_day <= as_of <= right_day:
            span = (right_day - left_day).days
            if span == 0:
                return float(right)
            return left + (right - left) * (as_of - left_day).days / span
    return float(value)


def run_rate(achieved_per_quarter: Sequence[int]) -> float:
    """Mean achieved per quarter over the last four complete quarters given (oldest first)."""
    recent = list(achieved_per_quarter)[-4:]
    return sum(recent) / len(recent) if recent else 0.0


def projected_date(actual: int, value: int, rate: float, as_of: date) -> date | None:
    """When the target is reached at ``rate`` per quarter; ``None`` when it never would be."""
    if actual >= value:
        return as_of
    if rate <= 0:
        return None
    quarters = (value - actual) / rate
    return as_of + timedelta(days=math.ceil(quarters * DAYS_PER_QUARTER))


def progress(
    *, actual: int, value: int, starts_on: date, deadline_on: date, as_of: date,
    achieved_per_quarter: Sequence[int], milestones: Sequence[tuple[date, int]] = (),
) -> Progress:
    """Everything the board needs about one target on ``as_of``."""
    planned = planned_to_date(value, starts_on, deadline_on, milestones, as_of)
    rate = run_rate(achieved_per_quarter)
    projected = projected_date(actual, value, rate, as_of)
    share_of_plan = actual / planned if planned else 1.0
    if actual >= value:
        status = "achieved"
    elif projected is None:
        status = "off track"
    elif projected <= deadline_on and share_of_plan >= ON_TRACK_SHARE:
        status = "on track"
    elif (projected - deadline_on).days > DAYS_PER_QUARTER and share_of_plan < OFF_TRACK_SHARE:
        status = "off track"
    else:
        status = "at risk"
    return Progress(actual, planned, value, rate, projected, status)
