"""The representativeness engine: aggregate SQL in, representation rows out (DOMAIN.md §6).

Combines :mod:`recruit.statistics.queries` and :mod:`recruit.statistics.calculations`. Every
function takes a SQLAlchemy session and returns plain dataclasses; :func:`publish` turns a row
into its published form (DOMAIN.md §7) for anybody outside HR, such as the board.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from recruit.statistics import queries
from recruit.statistics.calculations import (
    DEFAULT_THRESHOLD,
    BandShare,
    DeprivationLens,
    Likelihood,
    Representation,
    Selection,
    WhereNext,
    Wres1,
    deprivation_lens,
    likelihood_three_ways,
    represent,
    where_next,
    wres_indicator_1,
)
from recruit.statistics.categories import BME, DISABLED, WHITE, dimension
from recruit.statistics.queries import CATCHMENT, Subset
from recruit.statistics.suppression import SUPPRESSED, suppress_count, suppress_share


@dataclass(frozen=True)
class Selector:
    """What to compare: one snapshot, geography, characteristic, level and staff subset."""

    snapshot_id: int
    as_of: date
    area_type: str = CATCHMENT
    characteristic: str = "ethnicity"
    level: str = "group"
    subset: Subset = Subset()
    threshold: float = DEFAULT_THRESHOLD


def _areas(session: Session, selector: Selector, workforce: dict, population: dict,
           catchment: list[str]) -> dict[str, str]:
    """The areas to report on, code -> name, in display order."""
    names = queries.area_names(session, selector.area_type)
    if selector.area_type == "ward":
        codes = set(queries.catchment_wards(session)) | set(workforce) | set(population)
    elif selector.area_type == "la":
        codes = set(catchment)
    elif selector.area_type == CATCHMENT:
        codes = {CATCHMENT}
    else:
        codes = set(workforce)
    return dict(sorted(((code, names.get(code, code)) for code in codes),
                       key=lambda item: (item[1], item[0])))


def representation_rows(session: Session, selector: Selector) -> list[Representation]:
    """One row per (area, group), areas by name and groups in Census order (unsuppressed)."""
    catchment = queries.catchment_codes(session)
    dim = dimension(selector.characteristic, selector.level)
    workforce = queries.workforce_counts(session, selector.snapshot_id, selector.area_type, dim,
                                         selector.subset, selector.as_of, catchment)
    population = queries.population_counts(session, selector.area_type, dim, catchment)
    if selector.area_type == "site":
        workforce, population, names = _by_locality(session, selector, workforce, population)
        areas = dict(sorted(names.items(), key=lambda item: item[1]))
    else:
        areas = _areas(session, selector, workforce, population, catchment)
    rows = []
    for code, name in areas.items():
        rows += _area_rows(code, name, dim, workforce, population, selector.threshold)
    return rows


def _area_rows(code: str, name: str, dim, workforce: dict, population: dict,
               threshold: float) -> list[Representation]:
    """One area's row for each group, from the folded workforce and population counts."""
    staff, undeclared = workforce.get(code, ({}, 0))
    known = sum(staff.values())
    residents = population.get(code, (None, None))[0]
    residents_total = sum(residents.values()) if residents is not None else None
    return [represent(
        code, name, group, workforce_count=staff.get(group, 0), workforce_known=known,
        workforce_total=known + undeclared,
        population_count=residents.get(group, 0) if residents is not None else None,
        population_total=residents_total, threshold=threshold,
    ) for group in dim.groups]


def _by_locality(session, selector, workforce, population):
    """Re-key site localities by their local authority (the population they are compared with)."""
    keys = queries.localities(session, selector.snapshot_id)
    merged: dict[str, tuple[dict[str, int], int]] = {}
    names: dict[str, str] = {}
    for locality, (staff, undeclared) in workforce.items():
        key = keys.get(locality, locality)
        names[key] = locality if key not in names else f"{names[key]}, {locality}"
        previous, previous_undeclared = merged.get(key, ({}, 0))
        combined = {g: previous.get(g, 0) + staff.get(g, 0) for g in {*previous, *staff}}
        merged[key] = (combined, previous_undeclared + undeclared)
    return merged, {k: v for k, v in population.items() if k in merged}, names


# -- Publishing (DOMAIN.md §7) --------------------------------------------------------------


def _signed_suppressed(value: int | None):
    if value is None:
        return None
    published = suppress_count(abs(value))
    return -published if isinstance(published, int) and value < 0 else published


def publish(row: Representation, threshold: float = DEFAULT_THRESHOLD) -> Representation:
    """The row as published: counts suppressed, everything else computed from rounded counts.

    When a share cannot be published (1 to 7 people on either side), every figure derived from
    it is ``*`` too; the shortfall, itself a headcount, is suppressed like a count.
    """
    counts = {name: suppress_count(getattr(row, name)) for name in (
        "workforce_count", "workforce_known", "workforce_total", "population_count",
        "population_total")}
    if all(value != SUPPRESSED for value in counts.values()):
        rounded = represent(row.area_code, row.area_name, row.group, threshold=threshold,
                            **counts)
        return replace(rounded, shortfall=_signed_suppressed(rounded.shortfall))
    s_w = suppress_share(row.workforce_count, row.workforce_known)
    s_p = suppress_share(row.population_count, row.population_total)
    derived = SUPPRESSED if SUPPRESSED in (s_w, s_p) else None
    return Representation(
        area_code=row.area_code, area_name=row.area_name, group=row.group, **counts,
        workforce_share=s_w, population_share=s_p, ratio=derived, gap_pp=derived,
        shortfall=derived, ci_low=derived, ci_high=derived, not_reflective=derived,
        declaration_rate=suppress_share(row.workforce_known, row.workforce_total),
    )


# -- Where next, deprivation, trend ---------------------------------------------------------


def where_next_rows(session: Session, selector: Selector, rows: list[Representation],
                    published: bool = False, limit: int | None = None) -> list[WhereNext]:
    """Flagged (area, group) pairs by shortfall, with active partners and participants there.

    Pass the unsuppressed rows; with ``published`` the figures shown are the published ones.
    With ``limit``, only the first pairs, and participants counted in their areas alone (the
    ranking needs no counts: at system scale that is a few wards, not a thousand).
    """
    catchment = queries.catchment_codes(session)
    dim = dimension(selector.characteristic, selector.level)
    partners = queries.active_partner_counts(session, selector.area_type, catchment)
    areas = None if limit is None else sorted(
        {item.area_code for item in where_next(rows, {}, None, limit)})
    participants = queries.participant_counts(session, selector.area_type, dim, selector.as_of,
                                              catchment, areas=areas)
    ranked = where_next(rows, partners, participants, limit)
    if not published:
        return ranked
    by_key = {(r.area_code, r.group): r for r in rows}
    published_rows = []
    for item in ranked:
        row = publish(by_key[(item.area_code, item.group)], selector.threshold)
        participants = item.participants
        published_rows.append(replace(
            item, shortfall=row.shortfall, ratio=row.ratio, gap_pp=row.gap_pp,
            declaration_rate=row.declaration_rate,
            participants=suppress_count(participants) if isinstance(participants, int)
            else participants,
        ))
    return published_rows


def deprivation_lenses(session: Session, selector: Selector) -> list[DeprivationLens]:
    """Who lives in the catchment's IMD decile 1–2 neighbourhoods, against its population.

    Four lenses: staff of the chosen subset, new starters, programme-route staff, participants.
    """
    catchment = queries.catchment_codes(session)
    population = queries.population_deprivation(session, catchment)
    subsets = list({s.key: s for s in (selector.subset, Subset("new_starters"),
                                        Subset("programme"))}.values())
    counts = queries.workforce_deprivation(session, selector.snapshot_id, subsets,
                                           selector.as_of, catchment)
    lenses = [_lens(subset.label, c, population) for subset, c in zip(subsets, counts,
                                                                       strict=True)]
    c = queries.participant_deprivation(session, selector.as_of, catchment)
    lenses.append(_lens("Programme participants", c, population))
    return lenses


def _lens(label, counts: queries.DeprivationCounts, population) -> DeprivationLens:
    lens = deprivation_lens(label, counts.in_deprived, counts.known, counts.total, *population)
    # The declaration rate here is how many people's home neighbourhood is known at all.
    return replace(lens, declaration_rate=counts.declared / counts.total if counts.total
                   else None)


def publish_lens(lens: DeprivationLens) -> DeprivationLens:
    """A deprivation lens with counts suppressed and shares from the rounded counts."""
    s = suppress_share(lens.in_deprived, lens.known)
    s_p = lens.population_share
    numeric = isinstance(s, float) and isinstance(s_p, float)
    return replace(
        lens, in_deprived=suppress_count(lens.in_deprived), known=suppress_count(lens.known),
        total=suppress_count(lens.total), share=s,
        ratio=(s / s_p if numeric and s_p else None) if s != SUPPRESSED else SUPPRESSED,
        gap_pp=((s - s_p) * 100 if numeric else None) if s != SUPPRESSED else SUPPRESSED,
    )


@dataclass(frozen=True)
class TrendPoint:
    as_of: date
    label: str
    rows: list[Representation]


def trend(session: Session, selector: Selector, area_code: str = CATCHMENT,
          published: bool = False) -> list[TrendPoint]:
    """One area's rows in every person-level snapshot, oldest first.

    The same few queries however many snapshots there are: staff in every snapshot are counted
    together, and the population (the same for each) once.
    """
    snapshots = list(reversed(queries.person_snapshots(session)))
    if selector.area_type == "site":  # localities are re-keyed snapshot by snapshot
        points = []
        for snapshot in snapshots:
            at = replace(selector, snapshot_id=snapshot.id, as_of=snapshot.as_of)
            rows = [r for r in representation_rows(session, at) if r.area_code == area_code]
            points.append(TrendPoint(snapshot.as_of, snapshot.label, [
                publish(r, selector.threshold) for r in rows] if published else rows))
        return points
    catchment = queries.catchment_codes(session)
    dim = dimension(selector.characteristic, selector.level)
    workforce = queries.workforce_counts_by_snapshot(
        session, [(s.id, s.as_of) for s in snapshots], selector.area_type, dim, selector.subset,
        catchment)
    population = queries.population_counts(session, selector.area_type, dim, catchment)
    names = queries.area_names(session, selector.area_type)
    reported = (set(queries.catchment_wards(session)) | set(population)
                if selector.area_type == "ward" else
                set(catchment) if selector.area_type == "la" else {CATCHMENT})
    points = []
    for snapshot in snapshots:
        staff = workforce.get(snapshot.id, {})
        rows = []
        if area_code in reported or area_code in staff:
            rows = _area_rows(area_code, names.get(area_code, area_code), dim, staff,
                              population, selector.threshold)
        if published:
            rows = [publish(r, selector.threshold) for r in rows]
        points.append(TrendPoint(snapshot.as_of, snapshot.label, rows))
    return points


# -- WRES and WDES --------------------------------------------------------------------------


@dataclass(frozen=True)
class EqualityStandards:
    as_of: date
    period_start: date
    indicator_1: Wres1
    indicator_2: list[Likelihood]
    wdes_metric_2: list[Likelihood]


def equality_standards(session: Session, snapshot_id: int, as_of: date) -> EqualityStandards:
    """WRES indicator 1 for the snapshot; WRES 2 and WDES 2 for the 12 months to ``as_of``."""
    start = queries.year_before(as_of) + timedelta(days=1)
    by_ethnicity, by_disability = queries.recruitment_counts(session, start, as_of)
    return EqualityStandards(
        as_of=as_of, period_start=start,
        indicator_1=wres_indicator_1(queries.wres_band_counts(session, snapshot_id)),
        indicator_2=likelihood_three_ways(by_ethnicity, WHITE, BME),
        wdes_metric_2=likelihood_three_ways(by_disability, queries.NON_DISABLED, DISABLED),
    )


def _publish_selection(selection: Selection) -> Selection:
    return Selection(suppress_count(selection.shortlisted), suppress_count(selection.appointed))


def publish_likelihood(item: Likelihood) -> Likelihood:
    """Suppressed counts; rates and the relative likelihood from the rounded counts."""
    ref, cmp_ = _publish_selection(item.reference), _publish_selection(item.comparison)
    ref_rate = suppress_share(item.reference.appointed, item.reference.shortlisted)
    cmp_rate = suppress_share(item.comparison.appointed, item.comparison.shortlisted)
    if SUPPRESSED in (ref_rate, cmp_rate):
        ratio = SUPPRESSED
    else:
        ratio = ref_rate / cmp_rate if ref_rate is not None and cmp_rate else None
    known = item.reference.shortlisted + item.comparison.shortlisted
    return replace(item, reference=ref, comparison=cmp_,
                   unknown=_publish_selection(item.unknown), reference_rate=ref_rate,
                   comparison_rate=cmp_rate, relative_likelihood=ratio,
                   declaration_rate=suppress_share(known, known + item.unknown.shortlisted))


def publish_band(row: BandShare) -> BandShare:
    known = row.white + row.bme
    return replace(row, white=suppress_count(row.white), bme=suppress_count(row.bme),
                   unknown=suppress_count(row.unknown), bme_share=suppress_share(row.bme, known),
                   declaration_rate=suppress_share(known, known + row.unknown))


def publish_standards(report: EqualityStandards) -> EqualityStandards:
    """The WRES and WDES figures as published outside HR."""
    w1 = report.indicator_1
    known = w1.white + w1.bme
    indicator_1 = replace(
        w1, clinical=[publish_band(r) for r in w1.clinical],
        non_clinical=[publish_band(r) for r in w1.non_clinical],
        white=suppress_count(w1.white), bme=suppress_count(w1.bme),
        unknown=suppress_count(w1.unknown), bme_share=suppress_share(w1.bme, known),
        declaration_rate=suppress_share(known, known + w1.unknown),
    )
    return replace(report, indicator_1=indicator_1,
                   indicator_2=[publish_likelihood(i) for i in report.indicator_2],
                   wdes_metric_2=[publish_likelihood(i) for i in report.wdes_metric_2])
