"""The aggregate SQL behind the statistics: the only place that counts people in the database.

Every function takes a SQLAlchemy session, runs a ``GROUP BY`` in the database and returns plain
dicts of counts; no person-level row is loaded into Python. Raw values (NHS codes, enum members,
Census labels) are grouped in SQL and folded into comparison groups afterwards by
:class:`recruit.statistics.categories.Dimension`, over a few hundred aggregated rows at most.

Geography (DOMAIN.md §8): for ``ward``, ``la`` and ``catchment`` staff are counted where they
live (the Census-edition ward and local authority derived from the home postcode at import); for
``site`` where they work, the locality of their site, compared with the local authority of the
same name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models import (
    AreaType,
    Characteristic,
    CountArea,
    EntryRoute,
    EqualityMonitoring,
    LocalAuthority,
    Lsoa,
    Participant,
    PartnerOrganisation,
    PopulationStatistic,
    RecruitmentOutcome,
    StaffGroup,
    Ward,
    WorkforceCount,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.models.equality import Answer
from recruit.models.vacancies import NON_CLINICAL_STAFF_GROUPS
from recruit.statistics.calculations import (
    DEPRIVED_DECILES,
    BandCounts,
    Selection,
)
from recruit.statistics.categories import (
    DISABLED,
    Dimension,
    dimension,
    parse_nhs_code,
    wres_group_of_code,
)

AREA_TYPES = ("la", "ward", "catchment", "site")
CATCHMENT = "catchment"
GroupCounts = dict[str, int]
NON_DISABLED = "Non-disabled"  # WDES's word; the Census says "Not disabled"

# The staff record's column for each characteristic (also what workforce_counts counts).
WORKFORCE_COLUMNS = {
    "ethnicity": WorkforceRecord.ethnic_category,
    "sex": WorkforceRecord.sex,
    "age": WorkforceRecord.age_band,
    "disability": WorkforceRecord.disability,
    "religion": WorkforceRecord.religion,
}
_PARTICIPANT_COLUMNS = {
    "ethnicity": EqualityMonitoring.ethnicity,
    "sex": EqualityMonitoring.sex,
    "disability": EqualityMonitoring.disability,
    "religion": EqualityMonitoring.religion,
}


# -- Staff subsets --------------------------------------------------------------------------


@dataclass(frozen=True)
class Subset:
    """Which staff to count: everybody, or one pay band, staff group or kind of starter."""

    kind: str = "all"  # all, band, staff_group, clinical, non_clinical, new_starters, programme
    value: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> Subset:
        """Read ``all``, ``clinical``, ``band:Band 5``, ``staff_group:admin_clerical`` and so on."""
        kind, _, value = (text or "all").partition(":")
        if kind not in ("all", "band", "staff_group", "clinical", "non_clinical",
                        "new_starters", "programme"):
            raise ValueError(f"unknown staff subset {text!r}")
        if kind in ("band", "staff_group") and not value:
            raise ValueError(f"say which {kind.replace('_', ' ')}: {kind}:<value>")
        if kind == "staff_group" and value not in StaffGroup.__members__:
            raise ValueError(f"unknown staff group {value!r}")
        return cls(kind, value or None)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind

    @property
    def label(self) -> str:
        if self.kind == "band":
            return str(self.value)
        if self.kind == "staff_group":
            return StaffGroup[self.value].value
        return SUBSET_LABELS[self.kind]

    def conditions(self, as_of: date) -> list[sa.ColumnElement[bool]]:
        record = WorkforceRecord
        if self.kind == "band":
            return [record.pay_band == self.value]
        if self.kind == "staff_group":
            return [record.staff_group == StaffGroup[self.value]]
        if self.kind == "clinical":
            return [record.staff_group.is_not(None),
                    record.staff_group.not_in(NON_CLINICAL_STAFF_GROUPS)]
        if self.kind == "non_clinical":
            return [record.staff_group.in_(NON_CLINICAL_STAFF_GROUPS)]
        if self.kind == "new_starters":
            return [record.started_on > year_before(as_of), record.started_on <= as_of]
        if self.kind == "programme":
            return [record.entry_route == EntryRoute.programme]
        return []


SUBSET_LABELS = {
    "all": "All staff",
    "clinical": "Clinical staff",
    "non_clinical": "Non-clinical staff",
    "new_starters": "New starters (last 12 months)",
    "programme": "Joined through the programme",
}


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day - timedelta(days=366)


# -- Snapshots and areas --------------------------------------------------------------------


def person_snapshots(session: Session) -> list[WorkforceSnapshot]:
    """Person-level workforce snapshots, newest first (aggregate returns cannot be mapped)."""
    return list(session.scalars(
        sa.select(WorkforceSnapshot)
        .where(WorkforceSnapshot.source_kind == WorkforceSource.person_extract)
        .order_by(WorkforceSnapshot.as_of.desc(), WorkforceSnapshot.organisation)
    ))


def catchment_codes(session: Session) -> list[str]:
    return list(session.scalars(
        sa.select(LocalAuthority.code).where(LocalAuthority.in_catchment)
        .order_by(LocalAuthority.name)
    ))


def catchment_name(session: Session) -> str:
    names = session.scalars(
        sa.select(LocalAuthority.name).where(LocalAuthority.in_catchment)
        .order_by(LocalAuthority.name)
    ).all()
    return f"Catchment ({', '.join(names)})" if names else "Catchment"


def area_names(session: Session, area_type: str) -> dict[str, str]:
    """Names of the areas of one type, by code."""
    if area_type == "ward":
        return dict(session.execute(sa.select(Ward.code, Ward.name)).tuples().all())
    if area_type == "la":
        stmt = sa.select(LocalAuthority.code, LocalAuthority.name)
        return dict(session.execute(stmt).tuples().all())
    if area_type == CATCHMENT:
        return {CATCHMENT: catchment_name(session)}
    return {}


def localities(session: Session, snapshot_id: int) -> dict[str, str]:
    """Each site locality in a snapshot with its area key: the local authority of that name.

    A locality that names no local authority keeps its own name as the key (no population).
    """
    names = session.scalars(
        sa.select(WorkforceCount.area_code).distinct()
        .where(WorkforceCount.snapshot_id == snapshot_id,
               WorkforceCount.area_type == CountArea.site,
               WorkforceCount.characteristic == Characteristic.ethnicity)
    ).all()
    by_name = {name.lower(): code for code, name in session.execute(
        sa.select(LocalAuthority.code, LocalAuthority.name)).tuples()}
    return {locality: by_name.get(locality.lower(), locality) for locality in names}


def catchment_wards(session: Session) -> dict[str, tuple[str, str]]:
    """Catchment wards: code -> (ward name, local authority name)."""
    rows = session.execute(
        sa.select(Ward.code, Ward.name, LocalAuthority.name).join(Ward.local_authority)
        .where(LocalAuthority.in_catchment).order_by(LocalAuthority.name, Ward.name)
    ).tuples()
    return {code: (name, la) for code, name, la in rows}


# -- Workforce ------------------------------------------------------------------------------


def _workforce_area(area_type: str, catchment: list[str]):
    record = WorkforceRecord
    if area_type == "ward":
        return record.home_ward_code, [record.home_ward_code.is_not(None),
                                       record.home_la_code.in_(catchment)]
    if area_type == "la":
        return record.home_la_code, [record.home_la_code.in_(catchment)]
    if area_type == CATCHMENT:
        return sa.literal(CATCHMENT), [record.home_la_code.in_(catchment)]
    if area_type == "site":
        return record.locality, [record.locality.is_not(None)]
    raise ValueError(f"unknown area type {area_type!r}")


def workforce_counts(session: Session, snapshot_id: int, area_type: str, dim: Dimension,
                     subset: Subset, as_of: date,
                     catchment: list[str]) -> dict[str, tuple[GroupCounts, int]]:
    """Staff per area: ``{area: ({group: count}, undeclared)}`` for one snapshot and subset.

    Site localities are returned by locality name; see :func:`localities` for their area keys.
    """
    return workforce_counts_by_snapshot(session, [(snapshot_id, as_of)], area_type, dim, subset,
                                        catchment).get(snapshot_id, {})


def workforce_counts_by_snapshot(
    session: Session, snapshots: Sequence[tuple[int, date]], area_type: str, dim: Dimension,
    subset: Subset, catchment: list[str],
) -> dict[int, dict[str, tuple[GroupCounts, int]]]:
    """:func:`workforce_counts` for several ``(snapshot id, as of)`` at once, in one query.

    One statement however many snapshots there are (a trend over years of quarterly snapshots
    must not run a query per snapshot). All staff are read from the counts written at import
    (:mod:`recruit.statistics.workforce_counts`), a subset from the records themselves.
    :returns: ``{snapshot id: {area: (counts, undeclared)}}``.
    """
    if not snapshots:
        return {}
    if subset.kind == "all":
        rows = _stored_counts(session, [snapshot_id for snapshot_id, _ in snapshots], area_type,
                              dim, catchment)
    else:
        rows = _record_counts(session, snapshots, area_type, dim, subset, catchment)
    pairs: dict[int, dict[str, list[tuple[object, int]]]] = defaultdict(lambda: defaultdict(list))
    for snapshot_id, area_code, raw, count in rows:
        pairs[snapshot_id][area_code].append((raw, int(count)))
    return {snapshot_id: {code: dim.fold_workforce(values) for code, values in areas.items()}
            for snapshot_id, areas in pairs.items()}


def _stored_counts(session: Session, snapshot_ids: list[int], area_type: str, dim: Dimension,
                   catchment: list[str]):
    """``(snapshot, area, raw value, count)`` rows from the counts written at import."""
    stored = WorkforceCount
    if area_type == "ward":
        kind, area, where = CountArea.ward, stored.area_code, [stored.la_code.in_(catchment)]
    elif area_type == "la":
        kind, area, where = CountArea.la, stored.area_code, [stored.area_code.in_(catchment)]
    elif area_type == CATCHMENT:
        kind, area = CountArea.la, sa.literal(CATCHMENT)
        where = [stored.area_code.in_(catchment)]
    elif area_type == "site":
        kind, area, where = CountArea.site, stored.area_code, []
    else:
        raise ValueError(f"unknown area type {area_type!r}")
    rows = session.execute(
        sa.select(stored.snapshot_id, area.label("area"), stored.category,
                  sa.func.sum(stored.count))
        .where(stored.snapshot_id.in_(snapshot_ids), stored.area_type == kind,
               stored.characteristic == Characteristic[dim.characteristic], *where)
        .group_by(stored.snapshot_id, area, stored.category)
    ).tuples()
    # Back to the value the record gives (an enum member for sex, disability and religion).
    members = getattr(WORKFORCE_COLUMNS[dim.characteristic].type, "enum_class", None)
    if members is None:
        return rows
    return [(snapshot_id, area_code, None if name is None else members[name], count)
            for snapshot_id, area_code, name, count in rows]


def _record_counts(session: Session, snapshots: Sequence[tuple[int, date]], area_type: str,
                   dim: Dimension, subset: Subset, catchment: list[str]):
    """``(snapshot, area, raw value, count)`` rows counted from the staff records."""
    record = WorkforceRecord
    area, where = _workforce_area(area_type, catchment)
    column = WORKFORCE_COLUMNS[dim.characteristic]
    if subset.kind == "new_starters":  # the only subset whose rows depend on the date
        chosen = sa.or_(*[sa.and_(record.snapshot_id == snapshot_id, *subset.conditions(as_of))
                          for snapshot_id, as_of in snapshots])
    else:
        chosen = sa.and_(record.snapshot_id.in_([snapshot_id for snapshot_id, _ in snapshots]),
                         *subset.conditions(snapshots[0][1]))
    return session.execute(
        sa.select(record.snapshot_id, area.label("area"), column, sa.func.count())
        .where(chosen, *where).group_by(record.snapshot_id, area, column)
    ).tuples()


# -- Population -----------------------------------------------------------------------------


def _edition_preference(edition: str) -> tuple[int, str]:
    # Official Census outputs before derived estimates for the same area.
    return ("estimate" in edition.lower(), edition)


def _fold_population(rows: Iterable[tuple[str, str, str, int]],
                     dim: Dimension) -> dict[str, tuple[GroupCounts, str]]:
    by_area: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for area_code, edition, category, count in rows:
        by_area[area_code][edition].append((category, int(count)))
    result = {}
    for area_code, editions in by_area.items():
        for edition in sorted(editions, key=_edition_preference):
            folded = dim.fold_population(editions[edition])
            if folded is not None:
                result[area_code] = (folded, edition)
                break
    return result


def population_counts(session: Session, area_type: str, dim: Dimension,
                      catchment: list[str]) -> dict[str, tuple[GroupCounts, str]]:
    """Census population per area: ``{area: ({group: count}, edition)}``.

    For ``site`` the keys are local-authority codes (see :func:`localities`).
    """
    stat = PopulationStatistic
    if area_type == "ward":
        area = stat.area_code
        where = [stat.area_type == AreaType.ward, stat.area_code.in_(
            sa.select(Ward.code).join(Ward.local_authority).where(LocalAuthority.in_catchment))]
    elif area_type in ("la", "site"):
        area = stat.area_code
        where = [stat.area_type == AreaType.la]
        if area_type == "la":
            where.append(stat.area_code.in_(catchment))
    elif area_type == CATCHMENT:
        area = sa.literal(CATCHMENT)
        where = [stat.area_type == AreaType.la, stat.area_code.in_(catchment)]
    else:
        raise ValueError(f"unknown area type {area_type!r}")
    rows = session.execute(
        sa.select(area.label("area"), stat.edition, stat.category, sa.func.sum(stat.count))
        .where(stat.characteristic == Characteristic[dim.characteristic], *where)
        .group_by(area, stat.edition, stat.category)
    ).tuples()
    return _fold_population(rows, dim)


# -- Partners and participants --------------------------------------------------------------


def _participant_area(area_type: str, catchment: list[str]):
    if area_type == "ward":
        return Ward.code, Participant.ward_id == Ward.id, []
    la_join = Participant.local_authority_id == LocalAuthority.id
    if area_type in ("la", "site"):
        return LocalAuthority.code, la_join, []
    return sa.literal(CATCHMENT), la_join, [LocalAuthority.code.in_(catchment)]


def active_partner_counts(session: Session, area_type: str,
                          catchment: list[str]) -> dict[str, int]:
    """Active partner organisations per area (local-authority codes for ``site``)."""
    partner = PartnerOrganisation
    if area_type == "ward":
        area, target, join, extra = Ward.code, Ward, partner.ward_id == Ward.id, []
    else:
        area, target = LocalAuthority.code, LocalAuthority
        join = partner.local_authority_id == LocalAuthority.id
        extra = [LocalAuthority.code.in_(catchment)] if area_type == CATCHMENT else []
        if area_type == CATCHMENT:
            area = sa.literal(CATCHMENT)
    rows = session.execute(
        sa.select(area.label("area"), sa.func.count(partner.id)).select_from(partner)
        .join(target, join).where(partner.is_active, *extra).group_by(area)
    ).tuples()
    return dict(rows.all())


def participant_counts(session: Session, area_type: str, dim: Dimension, as_of: date,
                       catchment: list[str], areas: list[str] | None = None,
                       ) -> dict[tuple[str, str], int] | None:
    """Programme participants registered by ``as_of`` per (area, group), in ``areas`` if given.

    ``None`` when participants' answers do not cover the characteristic (age).
    """
    column = _PARTICIPANT_COLUMNS.get(dim.characteristic)
    if column is None:
        return None
    area, join, extra = _participant_area(area_type, catchment)
    if areas is not None and area_type != CATCHMENT:
        extra = [*extra, area.in_(areas)]
    target = Ward if area_type == "ward" else LocalAuthority
    rows = session.execute(
        sa.select(area.label("area"), column, sa.func.count(Participant.id))
        .select_from(Participant).join(target, join)
        .join(EqualityMonitoring, EqualityMonitoring.participant_id == Participant.id)
        .where(Participant.registered_on <= as_of, *extra)
        .group_by(area, column)
    ).tuples()
    by_area: dict[str, list[tuple[object, int]]] = defaultdict(list)
    for area_code, raw, count in rows:
        by_area[area_code].append((raw, count))
    return {(code, group): count for code, pairs in by_area.items()
            for group, count in dim.fold_participants(pairs).items()}


# -- Deprivation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeprivationCounts:
    total: int  # everybody counted
    declared: int  # home neighbourhood known
    known: int  # living in the catchment, in a neighbourhood with a known decile
    in_deprived: int  # of whom in deciles 1-2


def _deprivation_columns(member, decile, la_code, declared) -> list:
    """The four counts of :class:`DeprivationCounts` among rows where ``member`` holds."""
    known = sa.and_(member, la_code.is_not(None), decile.is_not(None))
    return [sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0) for condition in (
        member, sa.and_(member, declared), known, sa.and_(known, decile.in_(DEPRIVED_DECILES)))]


def _deprivation_counts(session: Session, select_from, decile, la_code, declared,
                        where: list) -> DeprivationCounts:
    row = session.execute(
        sa.select(*_deprivation_columns(sa.true(), decile, la_code, declared))
        .select_from(select_from).where(*where)
    ).one()
    return DeprivationCounts(*(int(value) for value in row))


def workforce_deprivation(session: Session, snapshot_id: int, subsets: list[Subset],
                          as_of: date, catchment: list[str]) -> list[DeprivationCounts]:
    """Staff of each subset by whether they live in the catchment's IMD decile 1–2 areas.

    One pass over the snapshot for every subset (the page's lenses: the chosen staff, new
    starters, programme-route staff).
    """
    record = WorkforceRecord
    la_code = sa.case((record.home_la_code.in_(catchment), record.home_la_code), else_=None)
    columns = [column for subset in subsets for column in _deprivation_columns(
        sa.and_(sa.true(), *subset.conditions(as_of)), record.home_imd_decile, la_code,
        record.home_lsoa_code.is_not(None))]
    row = [int(value) for value in session.execute(
        sa.select(*columns).where(record.snapshot_id == snapshot_id)).one()]
    return [DeprivationCounts(*row[at:at + 4]) for at in range(0, len(row), 4)]


def participant_deprivation(session: Session, as_of: date,
                            catchment: list[str]) -> DeprivationCounts:
    """Programme participants registered by ``as_of``, by the deprivation of their home."""
    catchment_ids = sa.select(LocalAuthority.id).where(LocalAuthority.code.in_(catchment))
    la = sa.case((Participant.local_authority_id.in_(catchment_ids),
                  Participant.local_authority_id), else_=None)
    return _deprivation_counts(
        session, Participant, Participant.imd_decile, la, Participant.lsoa_id.is_not(None),
        [Participant.registered_on <= as_of],
    )


def population_deprivation(session: Session,
                           catchment: list[str]) -> tuple[int | None, int | None]:
    """Catchment residents living in IMD decile 1–2 LSOAs, and all catchment residents.

    Needs LSOA-level Census figures (any ethnic-group table); ``(None, None)`` without them.
    """
    stat = PopulationStatistic
    deprived = sa.case((Lsoa.imd_decile.in_(DEPRIVED_DECILES), "deprived"), else_="other")
    rows = session.execute(
        sa.select(deprived.label("area"), stat.edition, stat.category, sa.func.sum(stat.count))
        .join(Lsoa, Lsoa.code == stat.area_code)
        .join(LocalAuthority, LocalAuthority.id == Lsoa.local_authority_id)
        .where(stat.area_type == AreaType.lsoa, stat.characteristic == Characteristic.ethnicity,
               LocalAuthority.code.in_(catchment), Lsoa.imd_decile.is_not(None))
        .group_by(deprived, stat.edition, stat.category)
    ).tuples()
    folded = _fold_population(rows, dimension("ethnicity", "group"))
    if not folded:
        return None, None
    totals = {area: sum(groups.values()) for area, (groups, _edition) in folded.items()}
    return totals.get("deprived", 0), sum(totals.values())


def ward_deprivation(session: Session) -> dict[str, tuple[int, int]]:
    """Per catchment ward: LSOAs in IMD deciles 1–2, and LSOAs with a known decile."""
    rows = session.execute(
        sa.select(
            Ward.code,
            sa.func.sum(sa.case((Lsoa.imd_decile.in_(DEPRIVED_DECILES), 1), else_=0)),
            sa.func.count(Lsoa.imd_decile),
        ).join(Lsoa, Lsoa.ward_id == Ward.id).join(Ward.local_authority)
        .where(LocalAuthority.in_catchment).group_by(Ward.code)
    ).tuples()
    return {code: (int(deprived), int(known)) for code, deprived, known in rows}


# -- WRES and WDES --------------------------------------------------------------------------


def wres_band_counts(session: Session, snapshot_id: int) -> list[BandCounts]:
    """White, BME and unknown staff per pay band and clinical / non-clinical split."""
    record = WorkforceRecord
    rows = session.execute(
        sa.select(record.pay_band, record.staff_group, record.ethnic_category, sa.func.count())
        .where(record.snapshot_id == snapshot_id)
        .group_by(record.pay_band, record.staff_group, record.ethnic_category)
    ).tuples()
    merged: dict[tuple[str, bool | None], dict[str, int]] = defaultdict(
        lambda: {"White": 0, "BME": 0, "unknown": 0})
    for band, staff_group, code, count in rows:
        clinical = staff_group.is_clinical if staff_group else None
        merged[(band, clinical)][wres_group_of_code(parse_nhs_code(code)) or "unknown"] += count
    return [BandCounts(band, clinical, c["White"], c["BME"], c["unknown"])
            for (band, clinical), c in merged.items()]


def recruitment_counts(
    session: Session, start: date, end: date,
) -> tuple[dict[tuple[str, str], Selection], dict[tuple[str, str], Selection]]:
    """Shortlisted and appointed per (route, group) for WRES 2 and WDES 2, declined offers out.

    :returns: ``(by ethnicity, by disability)``; groups are ``White``/``BME``/``unknown`` and
        ``Non-disabled``/``Disabled``/``unknown``; decisions dated ``start`` to ``end``.
    """
    outcome = RecruitmentOutcome
    rows = session.execute(
        sa.select(
            outcome.route, outcome.ethnic_category, outcome.disability,
            sa.func.sum(sa.case((outcome.shortlisted, 1), else_=0)),
            sa.func.sum(sa.case((outcome.appointed, 1), else_=0)),
        )
        .where(outcome.decided_on >= start, outcome.decided_on <= end,
               sa.not_(outcome.declined_offer))
        .group_by(outcome.route, outcome.ethnic_category, outcome.disability)
    ).tuples()
    by_ethnicity: dict[tuple[str, str], Selection] = defaultdict(Selection)
    by_disability: dict[tuple[str, str], Selection] = defaultdict(Selection)
    disability_group = {Answer.yes: DISABLED, Answer.no: NON_DISABLED}
    for route, code, disability, shortlisted, appointed in rows:
        selection = Selection(int(shortlisted or 0), int(appointed or 0))
        ethnic = wres_group_of_code(parse_nhs_code(code)) or "unknown"
        by_ethnicity[(route.name, ethnic)] += selection
        by_disability[(route.name, disability_group.get(disability, "unknown"))] += selection
    return dict(by_ethnicity), dict(by_disability)

