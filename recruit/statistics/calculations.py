"""The representativeness measures of DOMAIN.md §6, as pure functions on plain data.

No Flask, no SQLAlchemy: every function here takes counts and returns numbers or frozen
dataclasses, so each formula is unit-tested by hand. Counts come from
:mod:`recruit.statistics.queries`; published (suppressed) figures are derived in
:mod:`recruit.statistics.representation` with :mod:`recruit.statistics.suppression`.

Representativeness (local method)::

    s_w(g)       = workforce_g / workforce_known
    s_p(g)       = population_g / population_total
    RR(g)        = s_w(g) / s_p(g)                       # 1 = parity
    gap_pp(g)    = (s_w(g) - s_p(g)) * 100
    shortfall(g) = round(s_p(g) * workforce_known - workforce_g)
    CI           = Wilson 95% interval on s_w(g)
    not reflective when RR < threshold (0.8) and the interval excludes s_p(g)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
DEFAULT_THRESHOLD = 0.8
DEPRIVED_DECILES = (1, 2)

ALL_POSTS = "All posts"
EXCLUDING_PROGRAMME = "Excluding the programme route"
PROGRAMME_ONLY = "Programme route only"
PROGRAMME_ROUTE = "programme"


def share(part: int | None, whole: int | None) -> float | None:
    """``part / whole``; ``None`` when either is missing or ``whole`` is 0."""
    if part is None or not whole:
        return None
    return part / whole


def representation_ratio(workforce_share: float | None,
                         population_share: float | None) -> float | None:
    """``s_w / s_p``: 1 is parity; ``None`` when the population share is missing or 0."""
    if workforce_share is None or not population_share:
        return None
    return workforce_share / population_share


def gap_in_points(workforce_share: float | None, population_share: float | None) -> float | None:
    """``(s_w - s_p) * 100``: negative when the group is under-represented."""
    if workforce_share is None or population_share is None:
        return None
    return (workforce_share - population_share) * 100


def shortfall_to_parity(population_share: float | None, workforce_known: int,
                        workforce_count: int) -> int | None:
    """Headcount to parity: ``round(s_p * workforce_known - workforce_g)``; negative above it."""
    if population_share is None:
        return None
    return round(population_share * workforce_known - workforce_count)


def wilson_interval(successes: int, trials: int,
                    z: float = Z_95) -> tuple[float, float] | tuple[None, None]:
    """The Wilson score interval for ``successes / trials`` (95% by default).

    :returns: ``(low, high)``, or ``(None, None)`` when there are no trials.
    """
    if trials <= 0:
        return None, None
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and the number of trials")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def is_not_reflective(ratio: float | None, population_share: float | None,
                      interval: tuple[float | None, float | None],
                      threshold: float = DEFAULT_THRESHOLD) -> bool | None:
    """The "not reflective" flag: ``RR < threshold`` and the interval excludes ``s_p``.

    ``None`` when it cannot be decided (no population figure or no declared staff).
    """
    low, high = interval
    if ratio is None or population_share is None or low is None or high is None:
        return None
    return ratio < threshold and not low <= population_share <= high


def declaration_rate(known: int, total: int) -> float | None:
    """Known ÷ all: the share of people who declared (DOMAIN.md §6)."""
    return share(known, total)


@dataclass(frozen=True)
class Representation:
    """One (area, group) row of the representativeness table; field order is the CLI's."""

    area_code: str
    area_name: str
    group: str
    workforce_count: int | str
    workforce_known: int | str
    workforce_total: int | str
    population_count: int | str | None
    population_total: int | str | None
    workforce_share: float | str | None
    population_share: float | str | None
    ratio: float | str | None
    gap_pp: float | str | None
    shortfall: int | str | None
    ci_low: float | str | None
    ci_high: float | str | None
    not_reflective: bool | str | None
    declaration_rate: float | str | None

    def as_dict(self) -> dict:
        return asdict(self)


FIELDS = tuple(Representation.__dataclass_fields__)


def represent(area_code: str, area_name: str, group: str, *, workforce_count: int,
              workforce_known: int, workforce_total: int, population_count: int | None,
              population_total: int | None,
              threshold: float = DEFAULT_THRESHOLD) -> Representation:
    """Every measure for one group in one area, from its four counts."""
    s_w = share(workforce_count, workforce_known)
    s_p = share(population_count, population_total)
    ratio = representation_ratio(s_w, s_p)
    interval = wilson_interval(workforce_count, workforce_known)
    return Representation(
        area_code=area_code, area_name=area_name, group=group,
        workforce_count=workforce_count, workforce_known=workforce_known,
        workforce_total=workforce_total, population_count=population_count,
        population_total=population_total, workforce_share=s_w, population_share=s_p,
        ratio=ratio, gap_pp=gap_in_points(s_w, s_p),
        shortfall=shortfall_to_parity(s_p, workforce_known, workforce_count),
        ci_low=interval[0], ci_high=interval[1],
        not_reflective=is_not_reflective(ratio, s_p, interval, threshold),
        declaration_rate=declaration_rate(workforce_known, workforce_total),
    )


def flagged_first(rows: Iterable[Representation]) -> list[Representation]:
    """Flagged rows first, largest shortfall first; then the rest in their given order."""
    rows = list(rows)
    flagged = sorted((r for r in rows if r.not_reflective is True),
                     key=lambda r: -(r.shortfall if isinstance(r.shortfall, int) else 0))
    return flagged + [r for r in rows if r.not_reflective is not True]


# -- Where next -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WhereNext:
    area_code: str
    area_name: str
    group: str
    shortfall: int | str | None
    ratio: float | str | None
    gap_pp: float | str | None
    declaration_rate: float | str | None
    active_partners: int
    participants: int | str | None


def where_next(rows: Iterable[Representation], partners: Mapping[str, int],
               participants: Mapping[tuple[str, str], int | str] | None = None,
               limit: int | None = None) -> list[WhereNext]:
    """Rank the flagged (area, group) pairs by shortfall, with who is already there.

    :param partners: active partner organisations per area code.
    :param participants: programme participants per ``(area code, group)``; ``None`` when the
        characteristic is not recorded for participants.
    """
    flagged = [r for r in rows if r.not_reflective is True]
    flagged.sort(key=lambda r: (-(r.shortfall if isinstance(r.shortfall, int) else 0),
                                r.ratio if isinstance(r.ratio, float) else 0.0, r.area_name))
    ranked = [
        WhereNext(area_code=r.area_code, area_name=r.area_name, group=r.group,
                  shortfall=r.shortfall, ratio=r.ratio, gap_pp=r.gap_pp,
                  declaration_rate=r.declaration_rate,
                  active_partners=partners.get(r.area_code, 0),
                  participants=None if participants is None
                  else participants.get((r.area_code, r.group), 0))
        for r in flagged
    ]
    return ranked[:limit] if limit is not None else ranked


# -- Deprivation lens -----------------------------------------------------------------------


@dataclass(frozen=True)
class DeprivationLens:
    """Who lives in the most deprived 20% of neighbourhoods, against the population."""

    label: str
    in_deprived: int
    known: int
    total: int
    population_in_deprived: int | None
    population_total: int | None
    share: float | None
    population_share: float | None
    ratio: float | None
    gap_pp: float | None
    declaration_rate: float | None


def deprivation_lens(label: str, in_deprived: int, known: int, total: int,
                     population_in_deprived: int | None,
                     population_total: int | None) -> DeprivationLens:
    """Share living in IMD deciles 1–2 against the catchment population's share.

    ``known`` counts people whose home neighbourhood (and so decile) is known; the rate of
    knowing it is reported as the declaration rate.
    """
    s = share(in_deprived, known)
    s_p = share(population_in_deprived, population_total)
    return DeprivationLens(
        label=label, in_deprived=in_deprived, known=known, total=total,
        population_in_deprived=population_in_deprived, population_total=population_total,
        share=s, population_share=s_p, ratio=representation_ratio(s, s_p),
        gap_pp=gap_in_points(s, s_p), declaration_rate=declaration_rate(known, total),
    )


# -- WRES indicator 1 -----------------------------------------------------------------------

AFC_BAND_ORDER = ("Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7",
                  "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")


def band_sort_key(band: str) -> tuple[int, str]:
    """Agenda for Change bands in pay order, then other grades (medical) alphabetically."""
    try:
        return AFC_BAND_ORDER.index(band), band
    except ValueError:
        return len(AFC_BAND_ORDER), band


@dataclass(frozen=True)
class BandCounts:
    band: str
    clinical: bool | None  # None: staff group not recorded
    white: int
    bme: int
    unknown: int


@dataclass(frozen=True)
class BandShare:
    band: str
    clinical: bool | None
    white: int
    bme: int
    unknown: int
    bme_share: float | None
    declaration_rate: float | None


@dataclass(frozen=True)
class Wres1:
    """WRES indicator 1: BME share per band, clinical and non-clinical, against the whole."""

    clinical: list[BandShare]
    non_clinical: list[BandShare]
    white: int
    bme: int
    unknown: int
    bme_share: float | None
    declaration_rate: float | None


def _band_share(band: str, clinical: bool | None, white: int, bme: int,
                unknown: int) -> BandShare:
    known = white + bme
    return BandShare(band, clinical, white, bme, unknown, share(bme, known),
                     declaration_rate(known, known + unknown))


def wres_indicator_1(counts: Iterable[BandCounts]) -> Wres1:
    """BME % in each pay band, clinical and non-clinical separately, and in the whole workforce.

    Staff whose staff group is not recorded count in the whole-workforce figure only.
    """
    merged: dict[tuple[str, bool | None], list[int]] = {}
    for c in counts:
        totals = merged.setdefault((c.band, c.clinical), [0, 0, 0])
        totals[0] += c.white
        totals[1] += c.bme
        totals[2] += c.unknown
    white = sum(t[0] for t in merged.values())
    bme = sum(t[1] for t in merged.values())
    unknown = sum(t[2] for t in merged.values())
    rows = {True: [], False: []}
    for (band, clinical), (w, b, u) in sorted(merged.items(),
                                             key=lambda item: band_sort_key(item[0][0])):
        if clinical is not None:
            rows[clinical].append(_band_share(band, clinical, w, b, u))
    return Wres1(clinical=rows[True], non_clinical=rows[False], white=white, bme=bme,
                 unknown=unknown, bme_share=share(bme, white + bme),
                 declaration_rate=declaration_rate(white + bme, white + bme + unknown))


# -- WRES indicator 2 and WDES metric 2 -----------------------------------------------------


def relative_likelihood(appointed_reference: int, shortlisted_reference: int,
                        appointed_comparison: int, shortlisted_comparison: int) -> float | None:
    """``(appointed_ref / shortlisted_ref) / (appointed_cmp / shortlisted_cmp)``; 1 = parity.

    WRES 2 takes White as the reference and BME as the comparison; WDES 2 non-disabled over
    disabled. ``None`` when a rate is undefined or the comparison rate is 0.
    """
    reference = share(appointed_reference, shortlisted_reference)
    comparison = share(appointed_comparison, shortlisted_comparison)
    if reference is None or not comparison:
        return None
    return reference / comparison


@dataclass(frozen=True)
class Selection:
    shortlisted: int = 0
    appointed: int = 0

    def __add__(self, other: Selection) -> Selection:
        return Selection(self.shortlisted + other.shortlisted, self.appointed + other.appointed)


@dataclass(frozen=True)
class Likelihood:
    scope: str
    reference_group: str
    comparison_group: str
    reference: Selection
    comparison: Selection
    unknown: Selection
    reference_rate: float | None
    comparison_rate: float | None
    relative_likelihood: float | None
    declaration_rate: float | None


def _likelihood(scope: str, reference_group: str, comparison_group: str,
                counts: Mapping[str, Selection]) -> Likelihood:
    ref = counts.get(reference_group, Selection())
    cmp_ = counts.get(comparison_group, Selection())
    unknown = counts.get("unknown", Selection())
    known = ref.shortlisted + cmp_.shortlisted
    return Likelihood(
        scope=scope, reference_group=reference_group, comparison_group=comparison_group,
        reference=ref, comparison=cmp_, unknown=unknown,
        reference_rate=share(ref.appointed, ref.shortlisted),
        comparison_rate=share(cmp_.appointed, cmp_.shortlisted),
        relative_likelihood=relative_likelihood(ref.appointed, ref.shortlisted,
                                                cmp_.appointed, cmp_.shortlisted),
        declaration_rate=declaration_rate(known, known + unknown.shortlisted),
    )


def likelihood_three_ways(counts: Mapping[tuple[str, str], Selection], reference_group: str,
                          comparison_group: str) -> list[Likelihood]:
    """The relative likelihood for all posts, excluding the programme route, and the route only.

    :param counts: shortlisted and appointed per ``(route, group)``; the group is
        ``reference_group``, ``comparison_group`` or ``"unknown"``; the route is
        ``"programme"`` or anything else. Declined offers must already be left out.
    """
    scopes: dict[str, dict[str, Selection]] = {
        ALL_POSTS: {}, EXCLUDING_PROGRAMME: {}, PROGRAMME_ONLY: {},
    }
    for (route, group), selection in counts.items():
        on_programme = route == PROGRAMME_ROUTE
        for scope in (ALL_POSTS, PROGRAMME_ONLY if on_programme else EXCLUDING_PROGRAMME):
            scopes[scope][group] = scopes[scope].get(group, Selection()) + selection
    return [_likelihood(scope, reference_group, comparison_group, by_group)
            for scope, by_group in scopes.items()]


def as_plain(value: object) -> object:
    """A dataclass (or a list of them) as dicts, for JSON output."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [as_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value
