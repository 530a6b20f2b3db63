"""Each target's actual to date, counted in the database, against its planned trajectory.

What counts towards each metric on a day (cumulative, everything on or before that day):

* **residents employed**: distinct participants eligible at enrolment (any enrolment with the
  eligibility snapshot set) who started an entry-level role at the anchor (DOMAIN.md §3);
* **pre-employment places filled**: enrolments in a cohort (a place filled stays filled when the
  person later withdraws; a person enrolling twice fills two places);
* **ambassadors trained**: ambassadors with a training date (whether still active or not, so
  that a past quarter's figure does not change when someone leaves);
* **entry-level posts identified**: posts on vacancies identified on or before the day, except
  withdrawn vacancies;
* **custom**: the latest reading recorded by hand.

All days a target needs (each quarter end of its trajectory, the day of counting and the bounds of
the quarters behind the run rate) are counted by one ``SELECT`` with a ``CASE`` per day, one per
metric however many targets share it. The trajectory itself is the local method in
:mod:`recruit.statistics.trajectory`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models import (
    Ambassador,
    Enrolment,
    Outcome,
    OutcomeKind,
    Target,
    TargetMetric,
    TargetReading,
    Vacancy,
    VacancyStatus,
)
from recruit.statistics.periods import Quarter
from recruit.statistics.trajectory import planned_to_date, progress

RUN_RATE_QUARTERS = 4
# How the figures are made, for the pages and the board pack (local method: say so).
METHOD_NOTES = (
    "Residents employed: distinct participants, eligible when they enrolled, who started an "
    "entry-level role at the anchor on or before the day (the board's definition of the target "
    "count).",
    "Pre-employment places filled: enrolments in a cohort; a place stays filled if the person "
    "later withdraws.",
    "Ambassadors trained: ambassadors with a training date on or before the day.",
    "Entry-level posts identified: posts on vacancies added to the ledger on or before the day, "
    "except withdrawn vacancies. Custom targets: the latest reading recorded by hand.",
    "Local method. Planned to date: the milestones joined by straight lines from 0 at the start "
    "to the full value at the deadline. Run rate: the mean achieved per quarter over the last "
    "four complete quarters. Projected date: when the run rate reaches the target from the "
    "actual to date. Status: achieved once reached; on track when the projection meets the "
    "deadline and the actual is at least 90% of plan; off track when there is no progress, or "
    "the projection misses the deadline by more than a quarter and the actual is below 75% of "
    "plan; otherwise at risk.",
)
STATUS_LABELS = {"achieved": "Achieved", "on track": "On track", "at risk": "At risk",
                 "off track": "Off track"}
# RAG colour for each status (the tag also carries the words: never colour alone).
STATUS_COLOURS = {"achieved": "blue", "on track": "green", "at risk": "orange",
                  "off track": "red"}


def metric_counts(session: Session, metric: TargetMetric,
                  days: Sequence[date]) -> dict[date, int]:
    """A counted metric on each of ``days`` (cumulative), from one aggregate query."""
    days = sorted(set(days))
    if not days:
        return {}
    if metric is TargetMetric.residents_employed:
        eligible = sa.exists().where(Enrolment.participant_id == Outcome.participant_id,
                                     Enrolment.eligible_at_enrolment.is_(True))
        columns = [sa.func.count(sa.distinct(sa.case((Outcome.started_on <= day,
                                                       Outcome.participant_id))))
                   for day in days]
        stmt = sa.select(*columns).where(
            Outcome.kind == OutcomeKind.entry_level_role_at_anchor, eligible)
    elif metric is TargetMetric.places_filled:
        stmt = sa.select(*[_count_on_or_before(Enrolment.enrolled_on, day) for day in days])
    elif metric is TargetMetric.ambassadors_trained:
        stmt = sa.select(*[_count_on_or_before(Ambassador.trained_on, day) for day in days])
    elif metric is TargetMetric.posts_identified:
        stmt = sa.select(*[
            sa.func.coalesce(sa.func.sum(sa.case((Vacancy.identified_on <= day, Vacancy.posts),
                                                 else_=0)), 0)
            for day in days
        ]).where(Vacancy.status != VacancyStatus.withdrawn)
    else:
        raise ValueError(f"{metric} is not counted from the records: it has readings")
    return dict(zip(days, (int(value or 0) for value in session.execute(stmt).one()),
                    strict=True))


def _count_on_or_before(column, day: date):
    return sa.func.coalesce(sa.func.sum(sa.case((column <= day, 1), else_=0)), 0)


def reading_counts(session: Session, target_ids: Sequence[int],
                   days: Sequence[date]) -> dict[int, dict[date, int]]:
    """Custom targets: the latest reading on or before each day (0 before the first).

    Readings are a handful of hand-recorded figures per target, not records of people: one query
    loads them all and the latest one before each day is picked here.
    """
    rows = session.execute(
        sa.select(TargetReading.target_id, TargetReading.as_of, TargetReading.value)
        .where(TargetReading.target_id.in_(target_ids))
        .order_by(TargetReading.target_id, TargetReading.as_of)
    ).tuples() if target_ids else []
    readings: dict[int, list[tuple[date, int]]] = {target_id: [] for target_id in target_ids}
    for target_id, as_of, value in rows:
        readings[target_id].append((as_of, value))
    return {target_id: {day: next((v for d, v in reversed(found) if d <= day), 0)
                        for day in days}
            for target_id, found in readings.items()}


@dataclass(frozen=True)
class QuarterPoint:
    quarter: str  # "2025-Q1"
    label: str  # "Q1 2025/26"
    ends_on: date
    planned: int
    actual: int | None  # None for quarters after the day of counting


@dataclass(frozen=True)
class TargetProgress:
    target_id: int
    name: str
    metric: str
    value: int
    starts_on: date
    deadline_on: date
    as_of: date
    actual: int
    planned: int
    percent_of_target: float
    run_rate: float
    run_rate_quarters: list[str]  # the quarters the run rate averages, oldest first
    increments: list[int]  # achieved in each of those quarters
    projected_on: date | None
    status: str  # "achieved", "on track", "at risk", "off track"
    points: list[QuarterPoint] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def short_label(quarter: Quarter) -> str:
    """``Q1 25/26``: short enough for a chart axis."""
    return f"Q{quarter.number} {quarter.year % 100:02d}/{(quarter.year + 1) % 100:02d}"


def run_rate_quarters(starts_on: date, as_of: date) -> list[Quarter]:
    """The last four complete quarters on ``as_of`` that are not before the target started.

    With none complete yet, the quarter so far stands in (so a new target is not "off track"
    merely for being new).
    """
    current = Quarter.containing(as_of)
    last = current if as_of >= current.ends_on else current.previous()
    first = Quarter.containing(starts_on)
    quarters = [q for q in last.back(RUN_RATE_QUARTERS) if q >= first]
    return quarters or [current]


@dataclass(frozen=True)
class _Plan:
    """The quarters a target reports on, and so the days to count it on."""

    quarters: list[Quarter]  # start to deadline: the trajectory
    rate_quarters: list[Quarter]  # behind the run rate
    days: list[date]


def _plan(target: Target, as_of: date) -> _Plan:
    rate_quarters = run_rate_quarters(target.starts_on, as_of)
    quarters, quarter = [], Quarter.containing(target.starts_on)
    while quarter.starts_on <= target.deadline_on:
        quarters.append(quarter)
        quarter = quarter.next()
    days = [as_of, *[q.ends_on for q in quarters if q.ends_on <= as_of]]
    for q in rate_quarters:
        days += [q.starts_on - timedelta(days=1), min(q.ends_on, as_of)]
    return _Plan(quarters, rate_quarters, days)


def _progress(target: Target, plan: _Plan, counts: dict[date, int],
              as_of: date) -> TargetProgress:
    milestones = [(m.due_on, m.value) for m in target.milestones]
    increments = [counts[min(q.ends_on, as_of)] - counts[q.starts_on - timedelta(days=1)]
                  for q in plan.rate_quarters]
    result = progress(actual=counts[as_of], value=target.value, starts_on=target.starts_on,
                      deadline_on=target.deadline_on, as_of=as_of,
                      achieved_per_quarter=increments, milestones=milestones)
    points = [
        QuarterPoint(str(q), short_label(q), q.ends_on,
                     round(planned_to_date(target.value, target.starts_on, target.deadline_on,
                                           milestones, q.ends_on)),
                     counts.get(q.ends_on) if q.ends_on <= as_of else None)
        for q in plan.quarters
    ]
    return TargetProgress(
        target_id=target.id, name=target.name, metric=target.metric.value, value=target.value,
        starts_on=target.starts_on, deadline_on=target.deadline_on, as_of=as_of,
        actual=result.actual, planned=round(result.planned),
        percent_of_target=result.percent_of_target, run_rate=result.run_rate,
        run_rate_quarters=[str(q) for q in plan.rate_quarters], increments=increments,
        projected_on=result.projected_on, status=result.status, points=points,
    )


def progress_of(session: Session, targets: Sequence[Target],
                as_of: date) -> list[TargetProgress]:
    """Each target on ``as_of``: actual, planned, run rate, projection, status, trajectory.

    One aggregate query per metric, whatever the number of targets (all days any target of the
    metric needs are counted together), and one for the readings of custom targets.
    """
    plans = {target.id: _plan(target, as_of) for target in targets}
    counted: dict[int, dict[date, int]] = {}
    by_metric: dict[TargetMetric, list[Target]] = {}
    for target in targets:
        by_metric.setdefault(target.metric, []).append(target)
    for metric, group in by_metric.items():
        days = sorted({day for target in group for day in plans[target.id].days})
        if metric is TargetMetric.custom:
            counted.update(reading_counts(session, [t.id for t in group], days))
        else:
            counts = metric_counts(session, metric, days)
            counted.update({target.id: counts for target in group})
    return [_progress(target, plans[target.id], counted[target.id], as_of)
            for target in targets]


def progress_for(session: Session, target: Target, as_of: date) -> TargetProgress:
    """One target on ``as_of`` (see :func:`progress_of`)."""
    return progress_of(session, [target], as_of)[0]


def all_progress(session: Session, as_of: date) -> list[TargetProgress]:
    """Every target's progress on ``as_of``, in order of deadline then name."""
    targets = session.scalars(
        sa.select(Target).order_by(Target.deadline_on, Target.name)
        .options(sa.orm.selectinload(Target.milestones))
    ).all()
    return progress_of(session, targets, as_of)
