"""The quarterly board pack as plain data: every figure the pack prints, for one quarter.

:func:`build` gathers the figures (aggregate SQL through :mod:`recruit.statistics`, the targets and
the representativeness engine) into a :class:`BoardPack` of dataclasses, numbers, dates and
:class:`~recruit.dashboard.tables.Table` objects; :func:`figures` turns it into JSON-ready dicts.
The pack is always rendered from those dicts (:mod:`recruit.reports.render`), so a published pack
can be shown again from the figures frozen with it. Everything below whole-organisation level is
published (suppressed): a board pack leaves HR.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.charts import percent
from recruit.dashboard import figures as tables
from recruit.dashboard.services import latest_snapshot
from recruit.dashboard.tables import Column, Table, cell_text
from recruit.maps import GAP_BANDS, NO_DATA, WARD_BOUNDARIES, MapWard, gap_band
from recruit.models import (
    BoardReport,
    ImportBatch,
    ImportKind,
    Lsoa,
    PopulationStatistic,
    ReportStatus,
)
from recruit.representativeness import services as engine_pages
from recruit.statistics import programme, queries
from recruit.statistics.calculations import ALL_POSTS, DEFAULT_THRESHOLD, flagged_first
from recruit.statistics.funnel import funnel
from recruit.statistics.periods import Quarter
from recruit.statistics.representation import (
    Selector,
    publish,
    representation_rows,
    where_next_rows,
)
from recruit.statistics.suppression import NOTE, SUPPRESSED, suppress_count, suppress_share
from recruit.targets.progress import METHOD_NOTES, all_progress

SECTIONS = (
    ("summary", "Executive summary"),
    ("trajectory", "Trajectory"),
    ("funnel", "Funnel this quarter and year to date"),
    ("outreach", "Outreach and partners"),
    ("cohorts", "Cohorts, completion and the placement guarantee"),
    ("progression", "Progression, sustainment and feedback"),
    ("representativeness", "Representativeness by town and ward"),
    ("wres", "Workforce Race Equality Standard: indicators 1 and 2"),
    ("change", "Change since last quarter"),
    ("commentary", "Commentary from HR"),
    ("methods", "Methods, data sources and suppression"),
)
WHERE_NEXT_ROWS = 15
# Past these, the pack lists the towns and wards that need the board's attention and leaves the
# full tables to the representativeness page (an integrated care system has dozens of towns and
# a thousand wards: pages of them in a pack are slow to make and go unread).
TOWNS_IN_FULL = 12
TOWN_PAIRS = 20  # flagged town and group pairs listed past that
WARDS_PER_SHADE = 24
PARTNER_ROWS = 10
NO_FIGURE = "No figure (no data or suppressed)"  # the map legend's words
DEPRIVED_WARD = 0.5  # the map outlines wards with half or more deprived neighbourhoods
# The pack's breakdowns show the main stages only (the dashboard has every stage).
PACK_STAGES = ("registered", "enrolled", "completed", "started", "sustained")


@dataclass(frozen=True)
class Settings:
    """What the pack depends on besides the data."""

    organisation: str
    data_dir: str
    guarantee_weeks: int = 8
    threshold: float = DEFAULT_THRESHOLD


@dataclass
class Headline:
    key: str
    label: str
    value: Any
    kind: str  # a Table column kind


@dataclass
class Representativeness:
    snapshot: str
    as_of: date
    focus: str
    flagged_groups: int
    flagged_pairs: int
    catchment: Table
    towns: Table
    where_next: Table
    wards: Table  # the map as a table
    map_wards: list[dict]  # what the map draws: code, gap, flag, deprivation, partners
    map_available: bool


@dataclass
class Wres:
    snapshot: str
    as_of: date
    period_start: date
    bme_share: Any
    declaration_rate: Any
    clinical: Table
    non_clinical: Table
    indicator_2: Table


@dataclass
class BoardPack:
    organisation: str
    quarter: str
    quarter_label: str
    short_label: str
    starts_on: date
    ends_on: date
    year_label: str
    year_starts_on: date
    status: str
    dated: date
    sections: list[tuple[str, str]]
    summary: list[str]
    targets: list[dict]
    tables: dict[str, Table]
    outreach: programme.OutreachCounts
    guarantee: dict
    feedback: dict
    representativeness: Representativeness | None
    wres: Wres | None
    headline: list[Headline]
    previous_label: str
    previous_source: str
    commentary: list[str]
    methods: list[str]
    sources: list[tuple[str, str]]
    declarations: list[tuple[str, Any]]
    note: str = NOTE


# -- Building -------------------------------------------------------------------------------


def build(session: Session, quarter: Quarter, settings: Settings, *, today: date,
          status: str = ReportStatus.draft.value, dated: date | None = None,
          commentary: str | None = None) -> BoardPack:
    """Every figure of the board pack for ``quarter``, as the data stand now."""
    start, end = quarter.starts_on, quarter.ends_on
    year = quarter.financial_year
    progress = all_progress(session, end)
    quarter_funnel = funnel(session, start, end)
    year_funnel = funnel(session, year.starts_on, end)
    guarantee = programme.placement_guarantee(session, start, end, settings.guarantee_weeks,
                                              today)
    feedback = programme.applicant_feedback(session, start, end)
    cohorts = programme.cohort_counts(session, start, end)
    held = programme.sustainment(session, start, end)
    outreach = programme.outreach_summary(session, start, end)
    representativeness = _representativeness(session, end, settings)
    wres = _wres(session, end)
    equality = tables.equality_table(session, start, end)
    built = {
        "targets": tables.targets_table(progress),
        "trajectory": tables.trajectory_table(progress, end),
        "funnel_quarter": tables.funnel_table(quarter_funnel, "funnel-quarter",
                                              f"The funnel, {quarter.label}"),
        "funnel_year": tables.funnel_table(
            year_funnel, "funnel-year", f"The funnel, financial year {year} to date "
            f"(April to {end:%B %Y})"),
        "equality": equality,
        "outreach": _outreach_table(outreach),
        "by_partner_kind": tables.breakdown_table(session, start, end, "partner_kind",
                                                  published=True, stages=PACK_STAGES),
        "by_town": _first_rows(tables.breakdown_table(
            session, start, end, "town", published=True, stages=PACK_STAGES), TOWNS_IN_FULL,
            "towns"),
        "by_partner": _first_rows(tables.breakdown_table(
            session, start, end, "partner", published=True, stages=PACK_STAGES), PARTNER_ROWS,
            "partner organisations"),
        "cohorts": _cohorts_table(cohorts),
        "completion_by_town": _completion_by_town(
            programme.completion_by_town(session, start, end)),
        "guarantee": tables.guarantee_table(guarantee),
        "sustainment": _sustainment_table(held),
        "feedback": tables.feedback_table(feedback),
    }
    headline = headline_figures(progress, quarter_funnel, guarantee, feedback,
                                representativeness, wres)
    previous = quarter.previous()
    previous_headline, previous_source = _previous_headline(session, previous, settings, today)
    built["change"] = _change_table(previous_headline, headline, previous)
    targets = [{**asdict(p), "status_label": p.status_label} for p in progress]
    return BoardPack(
        organisation=settings.organisation, quarter=str(quarter), quarter_label=quarter.label,
        short_label=f"Q{quarter.number} {year}", starts_on=start, ends_on=end,
        year_label=str(year), year_starts_on=year.starts_on, status=status,
        dated=dated or today, sections=list(SECTIONS),
        summary=_summary(progress, quarter_funnel, guarantee, feedback, representativeness),
        targets=targets, tables=built, outreach=outreach,
        guarantee={**asdict(guarantee), "share": guarantee.share},
        feedback={**asdict(feedback), "share": feedback.share},
        representativeness=representativeness, wres=wres, headline=headline,
        previous_label=previous.label, previous_source=previous_source,
        commentary=[p.strip() for p in (commentary or "").replace("\r\n", "\n").split("\n\n")
                    if p.strip()],
        methods=_methods(settings), sources=_sources(session, wres, representativeness, today),
        declarations=_declarations(equality, wres, representativeness),
    )


def _first_rows(table: Table, count: int, noun: str) -> Table:
    """The first ``count`` rows (the table lists most registrations first), saying so."""
    if len(table.rows) > count:
        table.note = (f"The {count} {noun} with most registrations this quarter, of "
                      f"{len(table.rows)}; every one is on the dashboard. " + table.note)
        table.rows = table.rows[:count]
    return table


def _outreach_table(o: programme.OutreachCounts) -> Table:
    return Table("outreach", "Outreach this quarter",
                 [Column("Measure"), Column("Number", "number")],
                 [["Outreach activities", o.activities], ["People reached", o.reached],
                  ["Young people reached", o.young_people],
                  ["Expressions of interest", o.interested],
                  ["Partner organisations with an activity", o.partners]])


def _cohorts_table(c: programme.CohortCounts) -> Table:
    return Table("cohorts", "Cohorts this quarter",
                 [Column("Measure"), Column("Number", "number"), Column("Share", "pct")],
                 [["Cohorts that started", c.cohorts_started, ""],
                  ["Cohorts that ended", c.cohorts_ended, ""],
                  ["Places in the cohorts that started", c.places, ""],
                  ["People enrolled in them", c.enrolled_in_started, c.fill_rate],
                  ["Completions", c.completed, c.completion_rate],
                  ["Withdrawals", c.withdrawn, ""]],
                 note="Share: places filled, and completions of all enrolments that ended "
                      "this quarter (completed or withdrawn; local method).")


def _completion_by_town(counts: dict[str | None, tuple[int, int]]) -> Table:
    """Every town alphabetically; past ``TOWNS_IN_FULL``, those with most people finishing."""
    towns = sorted(counts, key=lambda t: (t is None, t or ""))
    note = ""
    if len(towns) > TOWNS_IN_FULL:
        busiest = sorted(towns, key=lambda t: -sum(counts[t]))[:TOWNS_IN_FULL]
        towns = [town for town in towns if town in busiest]
        note = (f"The {TOWNS_IN_FULL} towns where most people finished a cohort, of "
                f"{len(counts)}. ")
    rows = []
    for town in towns:
        completed, withdrawn = counts[town]
        rows.append([town or "Town not known", suppress_count(completed),
                     suppress_count(withdrawn),
                     suppress_share(completed, completed + withdrawn)])
    return Table("completion-by-town", "Completion by the town where the cohort met",
                 [Column("Town"), Column("Completed", "count"), Column("Withdrew", "count"),
                  Column("Completion rate", "pct")], rows, suppressed=True, note=note + NOTE)


def _sustainment_table(s: programme.Sustainment) -> Table:
    rows = [["Started an entry-level role at the anchor", s.starts, ""]]
    for weeks, checks in (("13", s.week_13), ("26", s.week_26)):
        rows += [[f"{weeks}-week checks due", checks.due, ""],
                 [f"Still employed at {weeks} weeks", checks.sustained, checks.share],
                 [f"Left before {weeks} weeks", checks.left, ""],
                 [f"{weeks}-week check not yet recorded", checks.not_recorded, ""]]
    rows += [["Progressed to a higher band", s.progressed, ""],
             ["Volunteering while waiting for a role (active in the quarter)",
              s.volunteering, ""]]
    rows += [[f"Other positive outcome: {kind}", n, ""] for kind, n in s.elsewhere.items()]
    return Table("sustainment", "Starts, sustainment and progression this quarter",
                 [Column("Measure"), Column("People", "count"),
                  Column("Share of checks recorded", "pct")], rows,
                 note="A check falls due 91 days (13 weeks) or 182 days (26 weeks) after the "
                      "start; the share is of checks with an answer recorded.")


@dataclass
class _Flags:
    """What the board sees flagged: published catchment rows, and the where-next list."""

    flagged_groups: int
    flagged_pairs: int
    catchment: list
    where_next: list
    ward_rows: list  # unsuppressed, for the map


def _flags(session: Session, snapshot, threshold: float, *, where_next: bool = True) -> _Flags:
    """The flags; without ``where_next`` only their counts (the previous quarter's headline)."""
    selector = Selector(snapshot.id, snapshot.as_of, threshold=threshold)
    catchment = [publish(r, threshold) for r in representation_rows(session, selector)]
    wards = Selector(snapshot.id, snapshot.as_of, area_type="ward", threshold=threshold)
    ward_rows = representation_rows(session, wards)
    where = (where_next_rows(session, wards, ward_rows, published=True, limit=WHERE_NEXT_ROWS)
             if where_next else [])
    pairs = sum(1 for r in ward_rows if r.not_reflective is True)  # every flagged pair
    return _Flags(sum(1 for r in catchment if r.not_reflective is True), pairs,
                  catchment, where, ward_rows)


def _map_wards(session: Session, ward_rows: list, threshold: float) -> tuple[str, list[dict]]:
    """The ward map's figures for the group the board most needs to see (published).

    The group is the first flagged one, largest shortfall first (as on the representativeness
    page), else the first group; each catchment ward carries its gap, flag, deprivation and
    active partners, as :func:`recruit.maps.ward_map` draws them.
    """
    published = flagged_first([publish(r, threshold) for r in ward_rows])
    groups = list(dict.fromkeys(r.group for r in ward_rows))
    flagged = [r.group for r in published if r.not_reflective is True]
    focus = flagged[0] if flagged else (groups[0] if groups else "")
    rows = {r.area_code: r for r in published if r.group == focus}
    deprivation = queries.ward_deprivation(session)
    partners = queries.active_partner_counts(session, "ward", queries.catchment_codes(session))
    wards = []
    for code, (name, la_name) in queries.catchment_wards(session).items():
        row = rows.get(code)
        deprived, known = deprivation.get(code, (0, 0))
        wards.append({
            **asdict(MapWard(
                code, name, row.gap_pp if row else None, row.not_reflective if row else None,
                deprived / known if known else None, partners.get(code, 0),
                workforce_share=row.workforce_share if row else None,
                population_share=row.population_share if row else None,
                declaration_rate=row.declaration_rate if row else None)),
            "local_authority": la_name,
        })
    return focus, wards


def _representativeness(session: Session, as_of: date,
                        settings: Settings) -> Representativeness | None:
    snapshot = latest_snapshot(session, as_of)
    if snapshot is None:
        return None
    threshold = settings.threshold
    flags = _flags(session, snapshot, threshold)
    towns, towns_note = shown_towns([publish(r, threshold) for r in representation_rows(
        session, Selector(snapshot.id, snapshot.as_of, area_type="la", threshold=threshold))])
    focus, map_wards = _map_wards(session, flags.ward_rows, threshold)
    available = bool(map_wards) and (Path(settings.data_dir) / WARD_BOUNDARIES).is_file()
    return Representativeness(
        snapshot=snapshot.label, as_of=snapshot.as_of, focus=focus,
        flagged_groups=flags.flagged_groups, flagged_pairs=flags.flagged_pairs,
        catchment=tables.representation_table(
            flags.catchment, "catchment", "The whole catchment, by ethnic group", area=False,
            published=True),
        towns=_with_note(tables.representation_table(
            towns, "towns", "By town (local authority)", area=True, published=True), towns_note),
        where_next=tables.where_next_table(flags.where_next, published=True),
        wards=_map_table(map_wards, focus), map_wards=map_wards, map_available=available,
    )


def shown_towns(rows: list) -> tuple[list, str]:
    """Every town's rows when there are at most ``TOWNS_IN_FULL`` towns; past that, the flagged.

    :returns: the rows to show (published), and a sentence saying what was left out, if anything.
    """
    towns = list(dict.fromkeys(r.area_code for r in rows))
    if len(towns) <= TOWNS_IN_FULL:
        return rows, ""
    flagged = sorted((r for r in rows if r.not_reflective is True),
                     key=lambda r: (-(r.shortfall if isinstance(r.shortfall, int) else 0),
                                    r.area_name, r.group))
    shown = (f"The {len(flagged)} town and group pair(s) not reflective, largest shortfall first"
             if len(flagged) <= TOWN_PAIRS else
             f"The {TOWN_PAIRS} town and group pairs not reflective with the largest shortfalls "
             f"({len(flagged)} in all)")
    return flagged[:TOWN_PAIRS], (
        f"{shown}, of {len(towns)} towns; every town is on the representativeness page (by "
        "local authority) and in its CSV. ")


def _with_note(table: Table, note: str) -> Table:
    table.note = note + table.note
    return table


def _map_table(map_wards: list[dict], focus: str) -> Table:
    """The map as a table: which wards fall in each shade, with what the map marks on them.

    One row per shade of the legend rather than one per ward: the same information in a table
    a reader can take in, and a short one (seventy rows of wards make a slow, unread page).
    """
    bands: dict[str, list[dict]] = {text: [] for _fill, text in (*GAP_BANDS, (NO_DATA, NO_FIGURE))}
    for ward in map_wards:
        bands[gap_band(ward["gap_pp"])[1]].append(ward)
    rows = []
    for text, members in bands.items():
        if not members:
            continue
        rates = [w["declaration_rate"] for w in members
                 if isinstance(w["declaration_rate"], float)]
        rows.append([text, _ward_list(members), _rate_range(
            rates, any(w["declaration_rate"] == SUPPRESSED for w in members))])
    return Table("ward-map-table", f"The map as a table: wards by the gap for {focus}",
                 [Column("Gap between staff and population share"),
                  Column("Wards (town; marks on the map)"), Column("Declared (staff)")],
                 rows, suppressed=True,
                 note="Marks: not reflective (hatched on the map), deprived (half or more of "
                      "the ward in England's most deprived 20%, heavy outline) and active "
                      "partners (one or more active partner organisations, a circle on the map). "
                      + NOTE)


def _ward_list(members: list[dict]) -> str:
    """The wards of one shade; past ``WARDS_PER_SHADE``, the most marked first and a count."""
    limit = WARDS_PER_SHADE
    if len(members) > limit:
        members = sorted(members, key=lambda w: -len(_marks(w)))
        rest = len(members) - limit
        return ("; ".join(_ward_text(w) for w in members[:limit])
                + f"; and {rest:,} more ward{'s' if rest > 1 else ''} (every ward: the "
                "representativeness page)")
    return "; ".join(_ward_text(w) for w in members)


def _rate_range(rates: list[float], suppressed: bool) -> str:
    if not rates:
        return SUPPRESSED if suppressed else "no data"
    low, high = percent(min(rates)), percent(max(rates))
    return low if low == high else f"{low} to {high}"


def _marks(ward: dict) -> list[str]:
    marks = []
    if ward["not_reflective"] is True:
        marks.append("not reflective")
    if ward["deprived_share"] is not None and ward["deprived_share"] >= DEPRIVED_WARD:
        marks.append("deprived")
    if ward["partners"]:
        marks.append("active partners")
    return marks


def _ward_text(ward: dict) -> str:
    return f"{ward['name']} ({'; '.join([ward['local_authority'], *_marks(ward)])})"


def _wres(session: Session, as_of: date) -> Wres | None:
    snapshot = latest_snapshot(session, as_of)
    if snapshot is None:
        return None
    report = engine_pages.standards_for(snapshot, published=True)
    w1 = report.indicator_1
    return Wres(
        snapshot=snapshot.label, as_of=snapshot.as_of, period_start=report.period_start,
        bme_share=w1.bme_share, declaration_rate=w1.declaration_rate,
        clinical=tables.wres1_table(w1.clinical, "wres1-clinical",
                                    "Indicator 1: clinical staff by pay band", published=True),
        non_clinical=tables.wres1_table(w1.non_clinical, "wres1-non-clinical",
                                        "Indicator 1: non-clinical staff by pay band",
                                        published=True),
        indicator_2=tables.wres2_table(report.indicator_2, published=True),
    )


# -- Headline figures and the change since last quarter ------------------------------------


def headline_figures(progress, quarter_funnel, guarantee, feedback, representativeness,
                     wres) -> list[Headline]:
    items = [Headline(f"target:{p.name}", f"{p.name} (to date)", p.actual, "number")
             for p in progress]
    for stage in quarter_funnel.stages:
        if stage.key in ("reached", "registered", "enrolled", "completed", "started",
                         "sustained"):
            items.append(Headline(f"funnel:{stage.key}", f"{stage.label} (in the quarter)",
                                  stage.count, "count"))
    items += [Headline("guarantee", "Placement guarantee met", guarantee.share, "pct"),
              Headline("feedback", "Unsuccessful applicants given written feedback",
                       feedback.share, "pct")]
    if representativeness is not None:
        items += [Headline("flagged-groups", "Ethnic groups not reflective (catchment)",
                           representativeness.flagged_groups, "number"),
                  Headline("flagged-pairs", "Ward and group pairs not reflective",
                           representativeness.flagged_pairs, "number")]
    if wres is not None:
        items += [Headline("wres1", "BME share of the workforce (WRES 1)", wres.bme_share,
                           "pct"),
                  Headline("wres2", "WRES 2 relative likelihood, all posts",
                           _all_posts(wres, "Relative likelihood (White ÷ BME)"), "ratio")]
    return items


def _all_posts(wres: Wres, column: str):
    """One figure of WRES indicator 2 for all posts."""
    scopes = wres.indicator_2.column("Posts")
    return wres.indicator_2.column(column)[scopes.index(ALL_POSTS)] if ALL_POSTS in scopes \
        else None


def _previous_headline(session: Session, quarter: Quarter, settings: Settings,
                       today: date) -> tuple[list[Headline], str]:
    """The previous quarter's headline: frozen with its published pack, or recomputed."""
    published = session.scalar(
        sa.select(BoardReport.figures).where(BoardReport.quarter == str(quarter),
                                             BoardReport.status == ReportStatus.published))
    if published and published.get("headline") is not None:
        return ([Headline(**item) for item in published["headline"]],
                f"the published pack for {quarter.label}")
    start, end = quarter.starts_on, quarter.ends_on
    progress = all_progress(session, end)
    guarantee = programme.placement_guarantee(session, start, end, settings.guarantee_weeks,
                                              today)
    feedback = programme.applicant_feedback(session, start, end)
    return (headline_figures(progress, funnel(session, start, end), guarantee, feedback,
                             _representativeness_counts(session, end, settings),
                             _wres(session, end)),
            f"recomputed from today's data for {quarter.label} (no pack was published)")


def _representativeness_counts(session: Session, as_of: date, settings: Settings):
    snapshot = latest_snapshot(session, as_of)
    return (None if snapshot is None
            else _flags(session, snapshot, settings.threshold, where_next=False))


def _change_table(before: list[Headline], now: list[Headline], previous: Quarter) -> Table:
    earlier = {h.key: h for h in before}
    rows = []
    for item in now:
        old = earlier.get(item.key)
        old_value = old.value if old else None
        rows.append([item.label, cell_text(old_value, item.kind) if old else "not available",
                     cell_text(item.value, item.kind),
                     _difference(old_value, item.value, item.kind)])
    return Table("change", "Change since last quarter",
                 [Column("Measure"), Column(previous.label), Column("This quarter"),
                  Column("Change")], rows)


def _difference(old, new, kind: str) -> str:
    if not isinstance(old, int | float) or not isinstance(new, int | float):
        return "not comparable"
    if kind == "pct":
        return f"{(new - old) * 100:+.1f} points".replace("-", "\u2212")
    if kind == "ratio":
        return f"{new - old:+.2f}".replace("-", "\u2212")
    return f"{new - old:+,}".replace("-", "\u2212")


# -- Summary, methods, sources, declaration rates -------------------------------------------


def _summary(progress, quarter_funnel, guarantee, feedback, representativeness) -> list[str]:
    lines = []
    for status in ("off track", "at risk", "on track", "achieved"):
        names = [p.name for p in progress if p.status == status]
        if names:
            lines.append(f"{status.capitalize()}: {', '.join(names)}.")
    counts = {s.key: s.count for s in quarter_funnel.stages}
    lines.append(f"This quarter {counts.get('registered', 0):,} people registered, "
                 f"{counts.get('completed', 0):,} completed the programme and "
                 f"{counts.get('started', 0):,} started a role.")
    lines.append(f"Placement guarantee met for {percent(guarantee.share)} of "
                 f"{guarantee.completers:,} completions; written feedback for "
                 f"{percent(feedback.share)} of {feedback.unsuccessful:,} unsuccessful "
                 "applications.")
    if representativeness is not None:
        lines.append(f"Representativeness ({representativeness.snapshot}): "
                     f"{representativeness.flagged_groups} ethnic group(s) not reflective "
                     f"across the catchment, {representativeness.flagged_pairs} ward and group "
                     "pair(s) flagged; see Where next.")
    return lines


def _methods(settings: Settings) -> list[str]:
    return [
        *METHOD_NOTES,
        "Funnel (local method): people reached and expressions of interest are totals from "
        "outreach activities; every later stage counts people whose dated status change "
        "reached it in the period. Conversion compares each stage with the one before in the "
        "same period. Median days in stage: the median, over people who reached both stages, of "
        "the days between them.",
        f"Placement guarantee: a completion meets it when the completer is offered a placement "
        f"within {settings.guarantee_weeks} weeks of completing (the programme's definition).",
        "Completion rate (local method): completions as a share of all enrolments that ended in "
        "the quarter, completed or withdrawn. Sustained: still employed 91 (13 weeks) or 182 "
        "(26 weeks) days after the start.",
        f"Representativeness (local method): workforce share of a group among staff who "
        f"declared, against the Census 2021 share of residents of the same area; ratio below "
        f"{settings.threshold} with the 95% Wilson interval excluding the population share is "
        "flagged not reflective. Staff are counted where they live.",
        "WRES indicators 1 and 2 follow the NHS England definitions; indicator 2 leaves out "
        "unknown ethnicity and declined offers and is shown for all posts, excluding the "
        "programme route (completers skip the interview) and for the programme route only.",
        NOTE + " In tables below whole-organisation level every number is treated so, counts of "
        "outreach activities and of partner organisations included. Figures for the whole "
        "organisation are not suppressed.",
    ]


def _sources(session: Session, wres, representativeness, today: date) -> list[tuple[str, str]]:
    sources = [("Programme records (this system)",
                f"partners, outreach, participants, cohorts, placements, vacancies, "
                f"applications and outcomes as they stood on {today.day} {today:%B %Y}")]
    census = session.scalars(sa.select(PopulationStatistic.edition).distinct()
                             .order_by(PopulationStatistic.edition)).all()
    if census:
        sources.append(("Census population (ONS)", ", ".join(census)))
    imd = session.scalars(sa.select(Lsoa.imd_edition).distinct()
                          .where(Lsoa.imd_edition.is_not(None)).order_by(Lsoa.imd_edition)).all()
    if imd:
        sources.append(("English Indices of Deprivation (MHCLG)", ", ".join(imd)))
    names = {ImportKind.postcodes: "Postcode directory (ONS)",
             ImportKind.lsoa_wards: "LSOA to ward lookup (ONS)",
             ImportKind.recruitment: "Recruitment outcomes (recruitment system)"}
    for kind, label in names.items():
        batch = session.scalars(sa.select(ImportBatch).where(ImportBatch.kind == kind)
                                .order_by(ImportBatch.imported_at.desc()).limit(1)).first()
        if batch is not None:
            sources.append((label, f"{batch.edition or 'edition not recorded'}, imported "
                                   f"{_day_text(batch.imported_at)}"))
    if wres is not None:
        sources.append(("Workforce (ESR extract)", wres.snapshot))
    if representativeness is not None and representativeness.map_available:
        sources.append(("Ward boundaries (ONS)", "Wards, December 2022, generalised; contains "
                                                 "OS data © Crown copyright and database right"))
    return sources


def _day_text(value: date | datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def _declarations(equality: Table, wres, representativeness) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [("Participants registered this quarter: ethnic group",
                                    equality.declaration)]
    if wres is not None:
        rows.append(("Staff: ethnicity (WRES indicator 1)", wres.declaration_rate))
        rate = _all_posts(wres, "Declared")
        if rate is not None:
            rows.append(("Shortlisted applicants: ethnicity (WRES indicator 2, all posts)", rate))
    if representativeness is not None and representativeness.catchment.rows:
        rows.append(("Staff living in the catchment: ethnicity",
                     representativeness.catchment.column("Declared (staff)")[0]))
    return rows


# -- To JSON and back -----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON values (dates as ISO 8601 text)."""
    if is_dataclass(value):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def figures(pack: BoardPack) -> dict:
    """The pack as JSON-ready data: what a published report keeps."""
    return plain(pack)
