"""The tables the dashboard shows and the board pack prints, built from aggregate figures.

Each builder turns the figures of :mod:`recruit.statistics` (the funnel, programme counts, the
representativeness engine) and :mod:`recruit.targets.progress` into a :class:`Table`. With
``published=True`` (a board member, the board pack) every table below whole-organisation level
is suppressed; the equality breakdown is suppressed for everybody, shown with its declaration rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from recruit.charts import percent
from recruit.dashboard.tables import Column, Table
from recruit.models import EthnicGroup
from recruit.statistics import programme
from recruit.statistics.calculations import BandShare, Likelihood, Representation, WhereNext
from recruit.statistics.funnel import (
    BREAKDOWNS,
    JOURNEY_STAGES,
    SUSTAINED,
    Funnel,
    breakdown,
)
from recruit.statistics.suppression import NOTE, suppress_count, suppress_share
from recruit.targets.progress import TargetProgress

STAGE_KEYS = [key for key, *_rest in JOURNEY_STAGES] + [SUSTAINED[0]]
STAGE_LABELS = [label for _key, label, *_rest in JOURNEY_STAGES] + [SUSTAINED[1]]
NOT_STATED = "Not stated"
NOT_APPLICABLE = "not applicable"
UNTIMED = ("reached", "interested", "registered", "sustained")  # no dated stage before them
# What a breakdown's empty group means, in words (DOMAIN.md §3 sources of participants).
NONE_LABELS = {
    "partner": "No partner (self-referral or outreach)",
    "partner_kind": "No partner (self-referral or outreach)",
    "ambassador": "No ambassador (not from an outreach activity)",
    "town": "Town not known",
    "ward": "Ward not known",
    "ethnic_group": "Not stated or not asked",
}
OUTREACH_BREAKDOWNS = ("partner", "partner_kind", "ambassador", "town", "ward")


def targets_table(progress: Sequence[TargetProgress]) -> Table:
    return Table(
        "targets", "Targets: position and trajectory",
        [Column("Target"), Column("Target value", "number"), Column("Deadline", "date"),
         Column("Actual to date", "number"), Column("Planned to date", "number"),
         Column("Share of target", "pct"), Column("Run rate per quarter", "days"),
         Column("Projected to reach it", "date"), Column("Status", "status")],
        [[p.name, p.value, p.deadline_on, p.actual, p.planned, p.percent_of_target / 100,
          p.run_rate, p.projected_on, p.status_label] for p in progress],
        note="Run rate: the mean achieved per quarter over the last four complete quarters. "
             "Projection and status: local method (see Methods).",
    )


def trajectory_table(progress: Sequence[TargetProgress], as_of: date) -> Table:
    """Planned and actual at each quarter end up to ``as_of``, one pair of columns per target."""
    quarters: dict[str, tuple[str, date]] = {}
    for p in progress:
        for point in p.points:
            if point.ends_on <= as_of:
                quarters.setdefault(point.quarter, (point.label, point.ends_on))
    columns = [Column("Quarter"), Column("Quarter end", "date")]
    for p in progress:
        columns += [Column(f"{p.name}: planned", "number"), Column(f"{p.name}: actual", "number")]
    rows = []
    for quarter, (label, ends_on) in sorted(quarters.items()):
        row = [label, ends_on]
        for p in progress:
            point = next((pt for pt in p.points if pt.quarter == quarter), None)
            row += [point.planned if point else None, point.actual if point else None]
        rows.append(row)
    return Table("trajectory", "Planned and actual at each quarter end", columns, rows)


def funnel_table(funnel: Funnel, key: str = "funnel", title: str = "Funnel") -> Table:
    return Table(
        key, title,
        [Column("Stage"), Column("People", "count"), Column("Conversion from the stage before",
                                                            "pct"),
         Column("Median days from the stage before", "days")],
        [[s.label, s.count, NOT_APPLICABLE if index == 0 else s.conversion,
          NOT_APPLICABLE if s.key in UNTIMED else s.median_days]
         for index, s in enumerate(funnel.stages)],
        note="People reached and expressions of interest are counted at outreach activities; "
             "each later stage counts people reaching it in the period (from the dated history). "
             "Conversion compares each stage with the one before in the same period, so it can "
             "exceed 100% when people reach a stage after an earlier period. Median days in "
             "stage: local method.",
    )


def _published(value: int, published: bool):
    return suppress_count(value) if published else value


def breakdown_table(session: Session, starts_on: date, ends_on: date, key: str, *,
                    published: bool, stages: Sequence[str] = tuple(STAGE_KEYS)) -> Table:
    """The funnel by partner, partner kind, ambassador, town or ward (outreach included).

    :param stages: the journey stages to show (all by default; the board pack shows fewer).
    """
    by_group = dict(breakdown(session, starts_on, ends_on, key))
    outreach = programme.outreach_by(session, starts_on, ends_on, key)
    groups: dict[str, tuple[dict[str, int], tuple[int, int, int]]] = {}
    for name, counts in by_group.items():
        label = NONE_LABELS[key] if name == "Not known" else name
        groups[label] = (counts, (0, 0, 0))
    for name, figures in outreach.items():
        label = NONE_LABELS[key] if name is None else str(name)
        counts, previous = groups.get(label, ({}, (0, 0, 0)))
        groups[label] = (counts, tuple(a + b for a, b in zip(previous, figures, strict=True)))
    columns = [Column(BREAKDOWNS[key]), Column("Outreach activities", "count"),
               Column("People reached", "count"), Column("Expressions of interest", "count")]
    columns += [Column(STAGE_LABELS[STAGE_KEYS.index(stage)], "count") for stage in stages]
    columns.append(Column("Started a role, of those registered", "pct"))
    ordered = sorted(groups.items(), key=lambda item: (
        item[0] == NONE_LABELS[key], -item[1][0].get("registered", 0), -item[1][1][1], item[0]))
    rows = []
    for label, (counts, (activities, reached, interested)) in ordered:
        values = [counts.get(stage, 0) for stage in stages]
        registered, started = counts.get("registered", 0), counts.get("started", 0)
        share = (suppress_share(started, registered) if published
                 else (started / registered if registered else None))
        rows.append([label, _published(activities, published), _published(reached, published),
                     _published(interested, published),
                     *[_published(v, published) for v in values], share])
    return Table(f"breakdown-{key}", f"Funnel by {BREAKDOWNS[key].lower()}", columns, rows,
                 suppressed=published, note=NOTE if published else "")


def equality_table(session: Session, starts_on: date, ends_on: date) -> Table:
    """The funnel by ethnic group of participants: always suppressed, with the declaration rate."""
    stages = dict(breakdown(session, starts_on, ends_on, "ethnic_group"))
    order = [g.value for g in EthnicGroup] + [NOT_STATED]
    columns = [Column("Ethnic group")] + [Column(label, "count") for label in STAGE_LABELS]
    columns.append(Column("Started a role, of those registered", "pct"))
    rows = []
    for group in order:
        counts = stages.get(group, {})
        label = NONE_LABELS["ethnic_group"] if group == NOT_STATED else group
        rows.append([label, *[suppress_count(counts.get(s, 0)) for s in STAGE_KEYS],
                     suppress_share(counts.get("started", 0), counts.get("registered", 0))])
    registered = sum(counts.get("registered", 0) for counts in stages.values())
    declared = registered - stages.get(NOT_STATED, {}).get("registered", 0)
    rate = declared / registered if registered else None
    declaration = (f"Ethnic group declared by {percent(rate)} of the {registered:,} people "
                   "registered in the period (declared ÷ all); those who did not declare are "
                   "shown as not stated." if registered else
                   "Nobody registered in the period, so there is no declaration rate.")
    return Table("equality", "Funnel by ethnic group (Census 2021 groups)", columns, rows,
                 suppressed=True, note=NOTE, declaration=declaration)


def guarantee_table(g: programme.Guarantee) -> Table:
    return Table(
        "guarantee", f"Placement guarantee ({g.weeks} weeks)",
        [Column("Completions in the period"), Column("People", "count"), Column("Share", "pct")],
        [[f"Offered a placement within {g.weeks} weeks", g.met, _share(g.met, g.completers)],
         [f"Offered later than {g.weeks} weeks", g.late, _share(g.late, g.completers)],
         ["Not yet offered, still within the guarantee", g.awaiting,
          _share(g.awaiting, g.completers)],
         [f"Not offered within {g.weeks} weeks", g.missed, _share(g.missed, g.completers)],
         ["All completions", g.completers, ""]],
        note=f"The guarantee is met when a completer is offered a placement within {g.weeks} "
             "weeks of completing, whether or not they take it up.",
    )


def feedback_table(f: programme.Feedback) -> Table:
    return Table(
        "feedback", "Feedback to unsuccessful applicants",
        [Column("Applications closed as unsuccessful"), Column("Applications", "count"),
         Column("Share", "pct")],
        [["With written feedback", f.with_feedback, _share(f.with_feedback, f.unsuccessful)],
         ["Without written feedback", f.unsuccessful - f.with_feedback,
          _share(f.unsuccessful - f.with_feedback, f.unsuccessful)],
         ["All closed as unsuccessful", f.unsuccessful, ""]],
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# -- Representativeness (figures from the engine) -------------------------------------------


def representation_table(rows: Sequence[Representation], key: str, title: str, *,
                         area: bool, published: bool) -> Table:
    columns = ([Column("Area")] if area else []) + [
        Column("Group"), Column("Staff in group", "count"), Column("Staff share", "pct"),
        Column("Population share", "pct"),
        Column("Ratio", "ratio"), Column("Gap (points)", "gap"),
        Column("Shortfall to parity", "count"), Column("Declared (staff)", "pct"),
        Column("Not reflective?"),
    ]
    body = [([r.area_name] if area else []) + [
        r.group, r.workforce_count, r.workforce_share, r.population_share,
        r.ratio, r.gap_pp, r.shortfall, r.declaration_rate, flag_text(r.not_reflective),
    ] for r in rows]
    return Table(key, title, columns, body, suppressed=published,
                 note=NOTE if published else "")


def flag_text(value) -> str:
    if value is True:
        return "Not reflective"
    if value is False:
        return "No"
    return "*" if value == "*" else "Cannot tell"


def where_next_table(rows: Sequence[WhereNext], *, published: bool) -> Table:
    return Table(
        "where-next", "Where next: flagged wards and groups, largest shortfall first",
        [Column("Ward"), Column("Group"), Column("Shortfall to parity", "count"),
         Column("Ratio", "ratio"), Column("Declared (staff)", "pct"),
         Column("Active partners", "count"), Column("Participants from the group", "count")],
        [[w.area_name, w.group, w.shortfall, w.ratio, w.declaration_rate,
          _published(w.active_partners, published),
          w.participants if w.participants is not None else "Not recorded"] for w in rows],
        suppressed=published, note=NOTE if published else "",
    )


def wres1_table(rows: Sequence[BandShare], key: str, title: str, *, published: bool) -> Table:
    return Table(
        key, title,
        [Column("Pay band or grade"), Column("BME staff", "count"), Column("White staff", "count"),
         Column("Ethnicity unknown", "count"), Column("BME share", "pct"),
         Column("Declared", "pct")],
        [[r.band, r.bme, r.white, r.unknown, r.bme_share, r.declaration_rate] for r in rows],
        suppressed=published, note=NOTE if published else "",
    )


def wres2_table(items: Sequence[Likelihood], *, published: bool) -> Table:
    return Table(
        "wres2", "WRES indicator 2: relative likelihood of appointment from shortlisting",
        [Column("Posts"), Column("White shortlisted", "count"), Column("White appointed", "count"),
         Column("BME shortlisted", "count"), Column("BME appointed", "count"),
         Column("White rate", "pct"), Column("BME rate", "pct"),
         Column("Relative likelihood (White ÷ BME)", "ratio"), Column("Declared", "pct")],
        [[i.scope, i.reference.shortlisted, i.reference.appointed, i.comparison.shortlisted,
          i.comparison.appointed, i.reference_rate, i.comparison_rate, i.relative_likelihood,
          i.declaration_rate] for i in items],
        suppressed=published, note=NOTE if published else "",
    )
