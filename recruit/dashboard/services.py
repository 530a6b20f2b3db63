"""The programme dashboard for one period, as plain data: tables, charts and headline figures.

Board members see published figures: every breakdown suppressed, representativeness from the
engine's published rows, and no breakdown by ambassador (it would name individual members of staff).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from recruit.charts import percent
from recruit.dashboard import figures
from recruit.dashboard.charts import bars, chart_id, trajectory_chart
from recruit.dashboard.periods import Period
from recruit.dashboard.tables import Table
from recruit.models import WorkforceSnapshot, WorkforceSource
from recruit.statistics import programme
from recruit.statistics.calculations import DEFAULT_THRESHOLD
from recruit.statistics.funnel import BREAKDOWNS, Funnel, funnel
from recruit.statistics.representation import (
    Selector,
    publish,
    representation_rows,
    where_next_rows,
)
from recruit.targets.progress import TargetProgress, all_progress

CHART_GROUPS = 12  # groups drawn in a breakdown chart; the table lists them all
WHERE_NEXT_ROWS = 10
STAFF_BREAKDOWNS = tuple(k for k in BREAKDOWNS if k != "ethnic_group")
BOARD_BREAKDOWNS = tuple(k for k in STAFF_BREAKDOWNS if k != "ambassador")


def breakdowns_for(published: bool) -> tuple[str, ...]:
    return BOARD_BREAKDOWNS if published else STAFF_BREAKDOWNS


@dataclass(frozen=True)
class Options:
    """What the figures depend on besides the data: the day, the audience and the settings."""

    today: date
    published: bool
    guarantee_weeks: int = 8
    threshold: float = DEFAULT_THRESHOLD


@dataclass
class RepresentativenessSummary:
    snapshot: str
    as_of: date
    groups: Table
    flagged_groups: int
    where_next: Table
    flagged_pairs: int


@dataclass
class Dashboard:
    period: Period
    as_of: date
    published: bool
    breakdown_key: str
    breakdown_keys: tuple[str, ...]
    targets: list[TargetProgress]
    funnel: Funnel
    guarantee: programme.Guarantee
    feedback: programme.Feedback
    representativeness: RepresentativenessSummary | None
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Markup] = field(default_factory=dict)


def latest_snapshot(session: Session, on_or_before: date) -> WorkforceSnapshot | None:
    """The newest person-level workforce snapshot dated on or before the day."""
    return session.scalars(
        sa.select(WorkforceSnapshot)
        .where(WorkforceSnapshot.source_kind == WorkforceSource.person_extract,
               WorkforceSnapshot.as_of <= on_or_before)
        .order_by(WorkforceSnapshot.as_of.desc(), WorkforceSnapshot.organisation).limit(1)
    ).first()


def representativeness_summary(session: Session, as_of: date, *, published: bool,
                               threshold: float) -> RepresentativenessSummary | None:
    """The catchment's ethnic groups against its population, and where to go next (by ward)."""
    snapshot = latest_snapshot(session, as_of)
    if snapshot is None:
        return None
    catchment = Selector(snapshot.id, snapshot.as_of, threshold=threshold)
    rows = representation_rows(session, catchment)
    shown = [publish(r, threshold) for r in rows] if published else rows
    wards = Selector(snapshot.id, snapshot.as_of, area_type="ward", threshold=threshold)
    ward_rows = representation_rows(session, wards)
    ranked = where_next_rows(session, wards, ward_rows, published=published,
                             limit=WHERE_NEXT_ROWS)
    return RepresentativenessSummary(
        snapshot=snapshot.label, as_of=snapshot.as_of,
        groups=figures.representation_table(
            shown, "representation", "Staff living in the catchment against its population, "
            "by ethnic group", area=False, published=published),
        flagged_groups=sum(1 for r in shown if r.not_reflective is True),
        where_next=figures.where_next_table(ranked, published=published),
        flagged_pairs=sum(1 for r in ward_rows if r.not_reflective is True),
    )


def trajectory_charts(progress: list[TargetProgress]) -> dict[str, Markup]:
    charts = {}
    for p in progress:
        labels = [pt.label for pt in p.points]
        actual = [pt.actual for pt in p.points]
        described = ", ".join(f"{pt.label} {pt.actual:,}" for pt in p.points
                              if pt.actual is not None)
        charts[f"trajectory-{p.target_id}"] = trajectory_chart(
            labels, [pt.planned for pt in p.points], actual, target=p.value,
            title=f"{p.name}: planned and actual by quarter",
            description=(f"Target {p.value:,} by {p.deadline_on:%B %Y}. Actual at each quarter "
                         f"end: {described or 'none yet'}. {p.actual:,} on "
                         f"{p.as_of.day} {p.as_of:%B %Y} against {p.planned:,} planned: "
                         f"{p.status_label.lower()}."),
            chart_id=chart_id("trajectory", p.target_id), width=560, height=240,
        )
    return charts


def funnel_chart(f: Funnel, key: str = "funnel-chart", title: str = "The funnel") -> Markup:
    return bars(
        [s.label for s in f.stages], [("People", [s.count for s in f.stages])],
        title=title,
        description="; ".join(f"{s.label} {s.count:,}" + (
            f" ({percent(s.conversion)} of the stage before)" if s.conversion is not None
            else "") for s in f.stages) + ".",
        chart_id=key,
    )


def breakdown_chart(table: Table, key: str) -> Markup:
    """Registered and started per group, for the groups listed first in the table."""
    rows = table.rows[:CHART_GROUPS]
    registered = table.column("Registered")[:CHART_GROUPS]
    started = table.column("Started a role")[:CHART_GROUPS]
    more = (f" The chart shows the first {CHART_GROUPS} of {len(table.rows)}; the table lists "
            "them all." if len(table.rows) > CHART_GROUPS else "")
    return bars(
        [row[0] for row in rows], [("Registered", registered), ("Started a role", started)],
        title=f"{table.title}: registered and started a role",
        description="; ".join(f"{row[0]}: registered {r}, started {s}"
                              for row, r, s in zip(rows, registered, started, strict=True))
        + "." + more,
        chart_id=key,
    )


def build(session: Session, period: Period, options: Options, breakdown_key: str) -> Dashboard:
    """Every figure on the dashboard for ``period``."""
    as_of = period.as_of(options.today)
    keys = breakdowns_for(options.published)
    if breakdown_key not in keys:
        breakdown_key = "partner_kind"
    progress = all_progress(session, as_of)
    the_funnel = funnel(session, period.starts_on, period.ends_on)
    guarantee = programme.placement_guarantee(session, period.starts_on, period.ends_on,
                                              options.guarantee_weeks, options.today)
    feedback = programme.applicant_feedback(session, period.starts_on, period.ends_on)
    dashboard = Dashboard(
        period=period, as_of=as_of, published=options.published, breakdown_key=breakdown_key,
        breakdown_keys=keys, targets=progress, funnel=the_funnel, guarantee=guarantee,
        feedback=feedback,
        representativeness=representativeness_summary(
            session, as_of, published=options.published, threshold=options.threshold),
    )
    split = figures.breakdown_table(session, period.starts_on, period.ends_on, breakdown_key,
                                    published=options.published)
    equality = figures.equality_table(session, period.starts_on, period.ends_on)
    dashboard.tables = {
        "targets": figures.targets_table(progress),
        "trajectory": figures.trajectory_table(progress, as_of),
        "funnel": figures.funnel_table(the_funnel, title=f"The funnel, {period.label}"),
        "breakdown": split,
        "equality": equality,
        "guarantee": figures.guarantee_table(guarantee),
        "feedback": figures.feedback_table(feedback),
    }
    dashboard.charts = {
        **trajectory_charts(progress),
        "funnel": funnel_chart(the_funnel, title=f"The funnel, {period.label}"),
        "breakdown": breakdown_chart(split, "breakdown-chart"),
        "equality": breakdown_chart(equality, "equality-chart"),
    }
    return dashboard


def table_for(session: Session, key: str, period: Period, options: Options) -> Table | None:
    """One table of the dashboard, for a download; ``None`` when there is no such table."""
    as_of = period.as_of(options.today)
    start, end = period.starts_on, period.ends_on
    if key in ("targets", "trajectory"):
        progress = all_progress(session, as_of)
        return (figures.targets_table(progress) if key == "targets"
                else figures.trajectory_table(progress, as_of))
    if key == "funnel":
        return figures.funnel_table(funnel(session, start, end),
                                    title=f"The funnel, {period.label}")
    if key.startswith("breakdown-") and key[10:] in breakdowns_for(options.published):
        return figures.breakdown_table(session, start, end, key[10:],
                                       published=options.published)
    if key == "equality":
        return figures.equality_table(session, start, end)
    if key == "guarantee":
        return figures.guarantee_table(programme.placement_guarantee(
            session, start, end, options.guarantee_weeks, options.today))
    if key == "feedback":
        return figures.feedback_table(programme.applicant_feedback(session, start, end))
    if key in ("representation", "where-next"):
        summary = representativeness_summary(session, as_of, published=options.published,
                                             threshold=options.threshold)
        if summary is None:
            return None
        return summary.groups if key == "representation" else summary.where_next
    return None
