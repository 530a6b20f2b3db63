"""The programme funnel: from people reached to people still employed at 26 weeks.

All counting happens in the database. A stage is reached in a period when its dated status
change (``status_changes``) falls in the period; each person counts once per stage. Conversion
is each stage over the one before it. Time in stage is the median, over people who reached both,
of the days from reaching one stage to reaching the next (local method).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from recruit.journey.stages import JOURNEY_STAGES
from recruit.models import (
    Ambassador,
    EqualityMonitoring,
    LocalAuthority,
    Outcome,
    OutcomeKind,
    OutreachActivity,
    Participant,
    ParticipantStage,
    PartnerOrganisation,
    Ward,
)
from recruit.models.equality import Ethnicity
from recruit.models.outreach import activity_ambassadors

SUSTAINED = ("sustained", "Still employed at 26 weeks")
OUTREACH = (("reached", "People reached"), ("interested", "Expressions of interest"))
BREAKDOWNS = {
    "partner": "Partner organisation",
    "partner_kind": "Kind of partner",
    "ambassador": "Career ambassador",
    "town": "Town",
    "ward": "Ward",
    "ethnic_group": "Ethnic group",
}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    conversion: float | None = None  # of the stage before
    median_days: float | None = None  # from the stage before to this one


@dataclass
class Funnel:
    starts_on: date
    ends_on: date
    stages: list[Stage] = field(default_factory=list)

    def count(self, key: str) -> int:
        return next(stage.count for stage in self.stages if stage.key == key)


class days_between(FunctionElement):  # noqa: N801 (an SQL function, named as SQL names them)
    """Days from ``start`` to ``end`` as a decimal, in each database's own date arithmetic."""

    type = sa.Float()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"(julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)}))")


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - "
            f"{compiler.process(start, **kw)})) / 86400.0)")


def _bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    return (datetime.combine(starts_on, time.min, UTC),
            datetime.combine(ends_on + timedelta(days=1), time.min, UTC))


def _dimension(key: str | None):
    """(column to group by, joins to make) for a breakdown; ``None`` for the whole programme."""
    if key is None:
        return sa.literal("All"), []
    referring_partner = (PartnerOrganisation,
                         Participant.referring_partner_id == PartnerOrganisation.id)
    if key == "partner":
        return PartnerOrganisation.name, [referring_partner]
    if key == "partner_kind":
        return PartnerOrganisation.kind, [referring_partner]
    if key == "town":
        return LocalAuthority.name, [(LocalAuthority,
                                      Participant.local_authority_id == LocalAuthority.id)]
    if key == "ward":
        return Ward.name, [(Ward, Participant.ward_id == Ward.id)]
    if key == "ethnic_group":
        groups = sa.case(
            *[(EqualityMonitoring.ethnicity == member.name, member.group.value)
              for member in Ethnicity if member.group is not None],
            else_="Not stated",
        )
        return groups, [(EqualityMonitoring, EqualityMonitoring.participant_id == Participant.id)]
    if key == "ambassador":
        return Ambassador.name, [
            (activity_ambassadors,
             activity_ambassadors.c.activity_id == Participant.source_activity_id),
            (Ambassador, Ambassador.id == activity_ambassadors.c.ambassador_id),
        ]
    raise ValueError(f"unknown breakdown {key!r}")


def stage_counts(session: Session, starts_on: date, ends_on: date,
                 breakdown: str | None = None) -> dict[str, dict[str, int]]:
    """People reaching each journey stage in the period, per breakdown value.

    :returns: ``{group: {stage_key: count}}``; the group is ``"All"`` without a breakdown.
    """
    start, end = _bounds(starts_on, ends_on)
    group, joins = _dimension(breakdown)
    # A person has one row per stage, and each join finds at most one row per group (a source
    # activity names each ambassador once), so the rows of a group and stage are its people.
    reached = ParticipantStage
    stmt = sa.select(group, reached.stage, sa.func.count()).select_from(reached)
    if joins:
        stmt = stmt.join(Participant, Participant.id == reached.participant_id)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    stmt = (stmt.where(reached.reached_at >= start, reached.reached_at < end)
            .group_by(group, reached.stage))
    result: dict[str, dict[str, int]] = {}
    for value, key, count in session.execute(stmt):
        label = getattr(value, "value", value) or "Not known"
        result.setdefault(str(label), {})[key] = count
    sustained = (sa.select(group, sa.func.count(sa.distinct(Outcome.participant_id)))
                 .select_from(Outcome).join(Participant, Participant.id == Outcome.participant_id))
    for target, on in joins:
        sustained = sustained.outerjoin(target, on)
    sustained = sustained.where(
        Outcome.kind == OutcomeKind.entry_level_role_at_anchor,
        Outcome.sustained_26_weeks.is_(True),
        Outcome.started_on >= starts_on - timedelta(days=182),
        Outcome.started_on <= ends_on - timedelta(days=182),
    ).group_by(group)
    for value, count in session.execute(sustained):
        label = getattr(value, "value", value) or "Not known"
        result.setdefault(str(label), {})[SUSTAINED[0]] = count
    return result


def outreach_totals(session: Session, starts_on: date, ends_on: date) -> dict[str, int]:
    reached, interested = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(OutreachActivity.people_reached), 0),
                  sa.func.coalesce(sa.func.sum(OutreachActivity.expressions_of_interest), 0))
        .where(OutreachActivity.held_on.between(starts_on, ends_on))
    ).one()
    return {"reached": reached, "interested": interested}


def median_days(session: Session, starts_on: date, ends_on: date) -> dict[str, float | None]:
    """Median days from each journey stage to the next, for people reaching the next in period.

    One query for every stage: each person's days between consecutive stages, numbered in order
    within the stage, and the middle one or two averaged (the same on SQLite and PostgreSQL).
    """
    start, end = _bounds(starts_on, ends_on)
    keys = [key for key, *_rest in JOURNEY_STAGES]
    after = ParticipantStage.__table__.alias("reached")
    before = ParticipantStage.__table__.alias("reached_before")
    durations = sa.union_all(*[
        sa.select(sa.literal(key).label("stage"),
                  days_between(before.c.reached_at, after.c.reached_at).label("days"))
        .select_from(after).join(before, (before.c.participant_id == after.c.participant_id)
              & (before.c.stage == earlier))
        .where(after.c.stage == key, after.c.reached_at >= start, after.c.reached_at < end)
        for earlier, key in pairwise(keys)
    ]).subquery()
    ranked = sa.select(
        durations.c.stage, durations.c.days,
        sa.func.row_number().over(partition_by=durations.c.stage, order_by=durations.c.days)
        .label("n"),
        sa.func.count().over(partition_by=durations.c.stage).label("total"),
    ).subquery()
    middle = (sa.select(ranked.c.stage, sa.func.avg(ranked.c.days))
              .where(ranked.c.n.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2]))
              .group_by(ranked.c.stage))
    found = {stage: round(float(value), 1) for stage, value in session.execute(middle)}
    return {key: found.get(key) for key in keys[1:]}


def funnel(session: Session, starts_on: date, ends_on: date) -> Funnel:
    """The whole funnel for a period, with conversions and median days between stages."""
    counts = {**outreach_totals(session, starts_on, ends_on),
              **stage_counts(session, starts_on, ends_on).get("All", {})}
    medians = median_days(session, starts_on, ends_on)
    result = Funnel(starts_on, ends_on)
    labels = [*OUTREACH, *[(key, label) for key, label, _s, _t in JOURNEY_STAGES], SUSTAINED]
    previous = None
    for key, label in labels:
        count = counts.get(key, 0)
        conversion = count / previous if previous else None
        result.stages.append(Stage(key, label, count, conversion, medians.get(key)))
        previous = count
    return result


def breakdown(session: Session, starts_on: date, ends_on: date,
              key: str) -> list[tuple[str, dict[str, int]]]:
    """Journey stage counts per partner, kind, ambassador, town, ward or ethnic group."""
    rows = stage_counts(session, starts_on, ends_on, key)
    return sorted(rows.items(), key=lambda item: (-item[1].get("registered", 0), item[0]))
