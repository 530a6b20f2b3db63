"""The representativeness page's figures, as plain data (reusable by the board pack).

:func:`build_page` runs the engine for one selection and returns a :class:`RepresentativenessPage`
holding only dataclasses, numbers and SVG markup. With ``published=True`` (board members) every
figure is the suppressed one (DOMAIN.md §7), shares computed from rounded counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from markupsafe import Markup

from recruit.charts import BarPair, Series, line_chart, percent, share_bars
from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.maps import WARD_BOUNDARIES, MapWard, load_wards, ward_map
from recruit.models import Characteristic, PopulationStatistic, WorkforceSnapshot, WorkforceSource
from recruit.statistics import queries
from recruit.statistics.calculations import (
    DeprivationLens,
    Representation,
    WhereNext,
    flagged_first,
)
from recruit.statistics.categories import dimension
from recruit.statistics.queries import CATCHMENT
from recruit.statistics.representation import (
    EqualityStandards,
    Selector,
    TrendPoint,
    deprivation_lenses,
    equality_standards,
    publish,
    publish_lens,
    publish_standards,
    representation_rows,
    trend,
    where_next_rows,
)

CHART_ROWS = 15
WHERE_NEXT_ROWS = 15  # the flagged pairs the page lists
AREA_TYPE_LABELS = {
    "catchment": "The whole catchment (where staff live)",
    "la": "Local authority (where staff live)",
    "ward": "Ward (where staff live)",
    "site": "Site locality (where staff work)",
}
CHARACTERISTIC_LABELS = {
    "ethnicity": "Ethnic group", "sex": "Sex", "age": "Age (16 to 64)",
    "disability": "Disability", "religion": "Religion",
}


def snapshot_for(as_of: date, organisation: str | None = None) -> WorkforceSnapshot:
    """The person-level workforce snapshot dated ``as_of``; refused when none or ambiguous."""
    stmt = sa.select(WorkforceSnapshot).where(
        WorkforceSnapshot.as_of == as_of,
        WorkforceSnapshot.source_kind == WorkforceSource.person_extract,
    )
    if organisation:
        stmt = stmt.where(WorkforceSnapshot.organisation == organisation)
    found = db.session.scalars(stmt).all()
    if not found:
        dates = sorted({s.as_of.isoformat() for s in queries.person_snapshots(db.session)})
        known = f" Snapshots exist for: {', '.join(dates)}." if dates else (
            " No workforce extract has been imported yet (flask import workforce).")
        raise RecruitError(f"No person-level workforce snapshot is dated {as_of.isoformat()}."
                           + known)
    if len(found) > 1:
        names = ", ".join(sorted(s.organisation for s in found))
        raise RecruitError(f"Several organisations have a snapshot on {as_of.isoformat()} "
                           f"({names}): say which with --organisation.")
    return found[0]


@dataclass(frozen=True)
class MapView:
    group: str
    svg: Markup
    wards: list[tuple[MapWard, str]]  # with the local authority's name, for the table


@dataclass(frozen=True)
class RepresentativenessPage:
    snapshot: WorkforceSnapshot
    selector: Selector
    published: bool
    rows: list[Representation]  # flagged first
    flagged: int
    chart: Markup
    charted: int
    where_next: list[WhereNext]
    lenses: list[DeprivationLens]
    map: MapView | None
    trend: list[TrendPoint]
    trend_chart: Markup
    focus: str
    groups: tuple[str, ...]
    editions: str


def build_page(selector: Selector, snapshot: WorkforceSnapshot, *, published: bool,
               focus: str | None, data_dir: str) -> RepresentativenessPage:
    """Everything the page shows for one selection."""
    session = db.session
    groups = dimension(selector.characteristic, selector.level).groups
    raw = representation_rows(session, selector)
    ordered = _for_table(raw, selector, published)
    flagged = sum(1 for r in ordered if r.not_reflective is True)
    focus = focus if focus in groups else _default_focus(ordered, groups)
    charted = _chart_rows(ordered)
    chart = share_bars(
        [BarPair(_bar_label(r, selector.area_type), r.workforce_share, r.population_share,
                 "not reflective" if r.not_reflective is True else "") for r in charted],
        title=f"Workforce and population shares by {selector.characteristic}, "
              f"{AREA_TYPE_LABELS[selector.area_type].lower()}",
        description=_chart_description(charted, len(ordered)), chart_id="shares-chart",
    )
    where = where_next_rows(session, selector, raw, published=published, limit=WHERE_NEXT_ROWS)
    lenses = deprivation_lenses(session, selector)
    if published:
        lenses = [publish_lens(lens) for lens in lenses]
    points = trend(session, replace(selector, area_type=CATCHMENT), CATCHMENT,
                   published=published)
    return RepresentativenessPage(
        snapshot=snapshot, selector=selector, published=published, rows=ordered,
        flagged=flagged, chart=chart, charted=len(charted), where_next=where,
        lenses=lenses, map=_map(selector, raw if selector.area_type == "ward" else None,
                                focus, published, data_dir),
        trend=points, trend_chart=_trend_chart(points, focus), focus=focus, groups=groups,
        editions=_editions(selector),
    )


def _for_table(raw: list[Representation], selector: Selector,
               published: bool) -> list[Representation]:
    shown = [publish(r, selector.threshold) for r in raw] if published else raw
    return flagged_first(shown)


def table_rows(selector: Selector, *, published: bool) -> list[Representation]:
    """The page's table alone (flagged rows first, suppressed when published), for its CSV."""
    return _for_table(representation_rows(db.session, selector), selector, published)


CSV_HEADER = ["Area", "Group", "Staff in group", "Staff with a known answer", "Staff share",
              "95% interval", "Residents in group", "Population share", "Ratio",
              "Gap (points)", "Shortfall to parity", "Declared (staff)", "Staff in total",
              "Not reflective?"]


def csv_row(row: Representation) -> list[str]:
    """One table row as the page writes it, so suppressed cells keep their marker."""
    return [row.area_name, row.group, count_text(row.workforce_count),
            count_text(row.workforce_known), percent(row.workforce_share),
            interval_text(row.ci_low, row.ci_high), count_text(row.population_count),
            percent(row.population_share), ratio_text(row.ratio), gap_text(row.gap_pp),
            count_text(row.shortfall), percent(row.declaration_rate),
            count_text(row.workforce_total), flag_text(row.not_reflective)]


def _bar_label(row: Representation, area_type: str) -> str:
    return row.group if area_type == CATCHMENT else f"{row.area_name}: {row.group}"


def _chart_rows(rows: list[Representation]) -> list[Representation]:
    """The flagged rows, then the rows furthest below parity, up to :data:`CHART_ROWS`."""
    if len(rows) <= CHART_ROWS:
        return rows
    flagged = [r for r in rows if r.not_reflective is True][:CHART_ROWS]
    rest = sorted((r for r in rows if r.not_reflective is not True
                   and isinstance(r.gap_pp, float)), key=lambda r: r.gap_pp)
    return flagged + rest[:CHART_ROWS - len(flagged)]


def _chart_description(rows: list[Representation], total: int) -> str:
    if not rows:
        return "No figures for this selection."
    lines = [f"{r.area_name}, {r.group}: workforce {percent(r.workforce_share)}, population "
             f"{percent(r.population_share)}"
             + (", not reflective" if r.not_reflective is True else "") for r in rows[:5]]
    more = f" The chart shows {len(rows)} of {total} rows; the table lists them all." \
        if len(rows) < total else ""
    return "; ".join(lines) + "." + more


def _default_focus(rows: list[Representation], groups: tuple[str, ...]) -> str:
    flagged = [r for r in rows if r.not_reflective is True]
    return flagged[0].group if flagged else groups[0]


def _map(selector: Selector, ward_rows, focus: str, published: bool,
         data_dir: str) -> MapView | None:
    path = Path(data_dir) / WARD_BOUNDARIES
    if not path.is_file():
        return None
    session = db.session
    if ward_rows is None:
        ward_rows = representation_rows(session, replace(selector, area_type="ward"))
    rows = {r.area_code: (publish(r, selector.threshold) if published else r)
            for r in ward_rows if r.group == focus}
    deprivation = queries.ward_deprivation(session)
    partners = queries.active_partner_counts(session, "ward", queries.catchment_codes(session))
    wards = []
    for code, (name, la_name) in queries.catchment_wards(session).items():
        row = rows.get(code)
        deprived, known = deprivation.get(code, (0, 0))
        wards.append((MapWard(
            code, name, row.gap_pp if row else None, row.not_reflective if row else None,
            deprived / known if known else None, partners.get(code, 0),
            workforce_share=row.workforce_share if row else None,
            population_share=row.population_share if row else None,
            declaration_rate=row.declaration_rate if row else None,
        ), la_name))
    if not wards:
        return None
    flagged = sum(1 for w, _la in wards if w.not_reflective is True)
    svg = ward_map(
        load_wards(str(path)), [w for w, _la in wards],
        title=f"Catchment wards shaded by the gap for {focus}",
        description=f"{len(wards)} wards; {flagged} flagged as not reflective for {focus}. "
                    "The table after the map gives every ward's figures.",
    )
    return MapView(focus, svg, wards)


def _trend_chart(points: list[TrendPoint], focus: str) -> Markup:
    labels = [p.as_of.strftime("%b %y") for p in points]
    workforce, population = [], []
    for point in points:
        row = next((r for r in point.rows if r.group == focus), None)
        workforce.append(row.workforce_share if row else None)
        population.append(row.population_share if row else None)
    return line_chart(
        labels, [Series("Workforce", workforce), Series("Population", population, dashed=True)],
        title=f"{focus}: share of staff living in the catchment, by snapshot",
        description=f"Workforce share of {focus} in each snapshot: "
                    + ", ".join(f"{label} {percent(v)}" for label, v in zip(labels, workforce,
                                                                           strict=True))
                    + f". Population share {percent(population[-1]) if population else ''}.",
        chart_id="trend-chart",
    )


def _editions(selector: Selector) -> str:
    editions = db.session.scalars(
        sa.select(PopulationStatistic.edition).distinct()
        .where(PopulationStatistic.characteristic == Characteristic[selector.characteristic])
    ).all()
    return ", ".join(sorted(editions)) or "none imported"


def standards_for(snapshot: WorkforceSnapshot, *, published: bool) -> EqualityStandards:
    """WRES indicators 1 and 2 and WDES metric 2, published for the board."""
    report = equality_standards(db.session, snapshot.id, snapshot.as_of)
    return publish_standards(report) if published else report


# -- Formatting for templates (and the board pack) ------------------------------------------


def count_text(value: int | str | None) -> str:
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:,}".replace("-", "\u2212")


def ratio_text(value: float | str | None) -> str:
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:.2f}"


def gap_text(value: float | str | None) -> str:
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:+.1f}".replace("-", "\u2212")


def flag_text(value: bool | str | None) -> str:
    if value is True:
        return "Not reflective"
    if value is False:
        return "No"
    return "*" if value == "*" else "Cannot tell"


def interval_text(low: float | str | None, high: float | str | None) -> str:
    if low is None or high is None:
        return "no data"
    if isinstance(low, str) or isinstance(high, str):
        return "*"
    return f"{percent(low)} to {percent(high)}"


FORMATTERS = {"pct": percent, "count": count_text, "ratio": ratio_text, "gap": gap_text,
              "flag": flag_text, "interval": interval_text}
