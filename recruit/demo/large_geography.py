"""Geography and populations for :mod:`recruit.demo.large`: real Greater Manchester, then synthetic.

Whole real local authorities (ONS lookup, IMD 2019, Census 2021 TS021 and the ONS-derived ward
and LSOA estimates) until there are enough wards; beyond GM's 215 the local authorities, wards,
LSOAs, their populations and postcodes are synthetic, with codes no real area has (``E089…``,
``E059…``, ``E019…``; postcodes ``ZZ…`` like NHS pseudo-postcodes) and batches saying so.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from recruit.demo.large_bulk import (
    GROUPS,
    SYNTHETIC,
    BulkWriter,
    cumulative,
    next_id,
    synthetic_batch,
)
from recruit.demo.population import (
    LSOA_EDITION,
    WARD_EDITION,
    load_population_estimates,
    lsoa_populations,
)
from recruit.demo.workforce import (
    LA_TS021,
)
from recruit.extensions import db
from recruit.models import (
    AreaType,
    Characteristic,
    EthnicGroup,
    Ethnicity,
    ImportKind,
    LocalAuthority,
    Lsoa,
    PopulationStatistic,
    Postcode,
    Ward,
)
from recruit.reference.geography import load_geography
from recruit.reference.services import import_census
from recruit.statistics.categories import NHS_CODE_OF, census_ethnicity

if TYPE_CHECKING:
    from recruit.demo.large import Sizes

WARDS_PER_SYNTHETIC_LA, LSOAS_PER_SYNTHETIC_WARD, POSTCODES_PER_LSOA = 25, 8, 3


@dataclass(frozen=True)
class Area:
    """A catchment LSOA with everything a person living there carries."""

    lsoa_id: int
    lsoa: str
    ward_id: int
    ward: str
    ward_name: str
    la_id: int
    la: str
    la_name: str
    decile: int | None
    people: tuple[float, ...]  # residents in each of GROUPS


@dataclass
class Geography:
    areas: list[Area]
    wards: list[tuple[int, str, str, int]]  # id, code, name, local authority id
    towns: dict[int, tuple[str, str]]  # catchment local authority id -> (code, name)
    postcodes: dict[str, list[str]] = field(default_factory=dict)  # LSOA code -> postcodes
    codes: dict[str, tuple[list, list[float]]] = field(default_factory=dict)  # group -> NHS codes


COMPASS = ("North", "South", "East", "West", "Central")
PLACE_STARTS = ("Ash", "Birch", "Brook", "Clay", "Elm", "Fern", "Glen", "Hazel", "Holly", "Kings",
                "Lark", "Marsh", "Mill", "Oak", "Pike", "Queens", "Rush", "Stone", "Thorn", "Wood")
PLACE_ENDS = ("bank", "bridge", "bury", "croft", "dale", "field", "ford", "gate", "ham", "hill",
              "holme", "ley", "moor", "side", "stead", "thorpe", "ton", "well", "wick", "worth")


def _place(number: int) -> str:
    return PLACE_STARTS[number % 20] + PLACE_ENDS[(number // 20 + number * 7) % 20]


def build_geography(writer: BulkWriter, data_dir: Path, sizes: Sizes, scale: float,
                    rng: random.Random) -> tuple[Geography, list[str]]:
    """Real GM geography and populations, then synthetic areas up to ``sizes.wards`` wards."""
    load_geography(data_dir, set())
    import_census(data_dir / LA_TS021)
    lsoa_people = lsoa_populations(data_dir)
    load_population_estimates(data_dir, lsoa_people)
    rows = db.session.execute(
        sa.select(Ward.id, Ward.code, Ward.name, LocalAuthority.id, LocalAuthority.code,
                  LocalAuthority.name)
        .join(Ward.local_authority).order_by(LocalAuthority.code, Ward.code)
    ).tuples().all()
    towns: dict[int, tuple[str, str]] = {}
    wards = []
    for ward_id, code, name, la_id, la_code, la_name in rows:
        if la_id not in towns and len(wards) >= sizes.wards:
            break  # whole local authorities only
        towns[la_id] = (la_code, la_name)
        wards.append((ward_id, code, name, la_id))
    real_wards = len(wards)
    areas = []
    for lsoa_id, code, ward_id, ward, ward_name, la_id, decile in db.session.execute(
        sa.select(Lsoa.id, Lsoa.code, Ward.id, Ward.code, Ward.name, Lsoa.local_authority_id,
                  Lsoa.imd_decile).join(Lsoa.ward)
        .where(Lsoa.local_authority_id.in_(list(towns))).order_by(Lsoa.code)
    ).tuples():
        people = lsoa_people.get(code)
        if people is not None:
            la_code, la_name = towns[la_id]
            areas.append(Area(lsoa_id, code, ward_id, ward, ward_name, la_id, la_code, la_name,
                              decile, tuple(people[g] for g in EthnicGroup)))
    templates = [a.people for a in areas]
    lines = [f"{len(towns)} Greater Manchester local authorities with {real_wards} real wards"]
    synthetic = _synthetic_areas(writer, sizes.wards - real_wards, templates, rng)
    for la_id, la_code, la_name in synthetic.towns:
        towns[la_id] = (la_code, la_name)
    wards += synthetic.wards
    areas += synthetic.areas
    if synthetic.wards:
        lines.append(f"{len(synthetic.towns)} synthetic local authorities with "
                     f"{len(synthetic.wards)} synthetic wards and {len(synthetic.areas)} LSOAs")
    db.session.execute(sa.update(LocalAuthority).values(
        in_catchment=LocalAuthority.id.in_(list(towns))))
    geography = Geography(areas, wards, towns)
    geography.codes = _category_codes()
    _synthetic_population(writer, synthetic, geography, scale)
    _postcodes(writer, geography)
    return geography, lines


@dataclass
class _Synthetic:
    towns: list[tuple[int, str, str]] = field(default_factory=list)
    wards: list[tuple[int, str, str, int]] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)


def _synthetic_areas(writer: BulkWriter, count: int, templates: list[tuple[float, ...]],
                     rng: random.Random) -> _Synthetic:
    made = _Synthetic()
    if count <= 0:
        return made
    la_id, ward_id, lsoa_id = next_id(LocalAuthority), next_id(Ward), next_id(Lsoa)
    las, wards, lsoas = [], [], []
    for number in range(math.ceil(count / WARDS_PER_SYNTHETIC_LA)):
        town = f"{_place(number * 3 + 1)} (synthetic)"
        code = f"E089{number + 1:05d}"
        las.append(dict(id=la_id, code=code, name=town, in_catchment=True))
        made.towns.append((la_id, code, town))
        for _ in range(min(WARDS_PER_SYNTHETIC_LA, count - len(wards))):
            ward_code = f"E059{len(wards) + 1:05d}"
            ward_name = f"{_place(len(wards) + number)} {rng.choice(COMPASS)}"
            wards.append(dict(id=ward_id, code=ward_code, name=ward_name, edition="2022",
                              local_authority_id=la_id))
            made.wards.append((ward_id, ward_code, ward_name, la_id))
            base_decile = rng.choices(range(1, 11), weights=(14, 12, 11, 10, 10, 9, 9, 9, 8, 8))[0]
            template = rng.choice(templates)
            for index in range(LSOAS_PER_SYNTHETIC_WARD):
                lsoa_code = f"E019{len(lsoas) + 1:05d}"
                decile = min(10, max(1, base_decile + rng.choice((-1, 0, 0, 0, 1))))
                residents = rng.randrange(1200, 2200)
                mix = [share * rng.uniform(0.75, 1.25) for share in template]
                people = tuple(residents * share / sum(mix) for share in mix)
                lsoas.append(dict(
                    id=lsoa_id, code=lsoa_code, name=f"{ward_name} {index + 1:03d}",
                    edition="2021", ward_id=ward_id, local_authority_id=la_id,
                    imd_rank=(decile - 1) * 3284 + rng.randrange(1, 3285), imd_decile=decile,
                    imd_edition="synthetic"))
                made.areas.append(Area(lsoa_id, lsoa_code, ward_id, ward_code, ward_name, la_id,
                                       code, town, decile, people))
                lsoa_id += 1
            ward_id += 1
        la_id += 1
    writer.insert(LocalAuthority.__table__, las)
    writer.insert(Ward.__table__, wards)
    writer.insert(Lsoa.__table__, lsoas)
    return made


def _category_codes() -> dict[str, tuple[list, list[float]]]:
    """NHS codes within each group, weighted by the real local authorities' Census counts."""
    weights: dict[str, Counter] = defaultdict(Counter)
    stat = PopulationStatistic
    for label, count in db.session.execute(
        sa.select(stat.category, sa.func.sum(stat.count))
        .where(stat.area_type == AreaType.la, stat.characteristic == Characteristic.ethnicity,
               stat.edition == "Census 2021").group_by(stat.category)
    ).tuples():
        found = census_ethnicity(label)
        if isinstance(found, Ethnicity):
            weights[found.group.value][NHS_CODE_OF[found]] += int(count)
    return {group: cumulative(codes) for group, codes in weights.items()}


def _census_labels() -> dict[str, list[tuple[str, float]]]:
    """The real TS021 category labels of each group and their GM-wide share within it."""
    stat = PopulationStatistic
    totals: dict[str, Counter] = defaultdict(Counter)
    for label, count in db.session.execute(
        sa.select(stat.category, sa.func.sum(stat.count))
        .where(stat.area_type == AreaType.la, stat.characteristic == Characteristic.ethnicity,
               stat.edition == "Census 2021").group_by(stat.category)
    ).tuples():
        found = census_ethnicity(label)
        if isinstance(found, Ethnicity):
            totals[found.group.value][label] += int(count)
    return {group: [(label, n / sum(labels.values())) for label, n in sorted(labels.items())]
            for group, labels in totals.items()}


def _synthetic_population(writer: BulkWriter, synthetic: _Synthetic, geography: Geography,
                          scale: float) -> None:
    """Census-shaped counts for the synthetic LSOAs, wards and local authorities."""
    if not synthetic.areas:
        return
    wards: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(GROUPS))
    towns: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(GROUPS))
    names = {code: name for _id, code, name, _la in synthetic.wards}
    lsoa_rows: list[tuple] = []
    for area in synthetic.areas:
        lsoa_rows.append((area.lsoa, None, AreaType.lsoa, area.people, LSOA_EDITION))
        for index, count in enumerate(area.people):
            wards[area.ward][index] += count
            towns[area.la][index] += count
    ward_rows = [(code, names[code], AreaType.ward, tuple(people), WARD_EDITION)
                 for code, people in wards.items()]
    town_names = {code: name for _id, code, name in synthetic.towns}
    labels = _census_labels()
    for what, group_rows in (("LSOA", lsoa_rows), ("ward", ward_rows)):
        edition = group_rows[0][4]
        batch = synthetic_batch(ImportKind.census, f"{what} populations", edition, scale,
                                len(group_rows) * (len(GROUPS) + 1))
        writer.insert(PopulationStatistic.__table__, [
            row for code, name, kind, people, _edition in group_rows
            for row in _statistic_rows(batch.id, code, name, kind, people, edition)])
    batch = synthetic_batch(ImportKind.census, "local authority populations", "Census 2021",
                            scale, 0)
    rows = []
    for code, people in towns.items():
        rows += _statistic_rows(batch.id, code, town_names[code], AreaType.la, people,
                                "Census 2021")
        for group, count in zip(GROUPS, people, strict=True):
            rows += [dict(rows[-1], category=label, count=round(count * share))
                     for label, share in labels.get(group, [])]
    batch.rows_read = batch.rows_inserted = len(rows)
    writer.insert(PopulationStatistic.__table__, rows)


def _statistic_rows(batch_id: int, code: str, name: str | None, area_type: AreaType,
                    people, edition: str) -> list[dict]:
    base = dict(import_batch_id=batch_id, area_code=code, area_name=name, area_type=area_type,
                characteristic=Characteristic.ethnicity, edition=edition)
    rows = [dict(base, category=group, count=round(count))
            for group, count in zip(GROUPS, people, strict=True)]
    return [*rows, dict(base, category="Total", count=round(sum(people)))]


INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcodes(writer: BulkWriter, geography: Geography) -> None:
    """Pseudo-postcodes (``ZZ…``) in every catchment LSOA, so that addresses resolve."""
    rows = []
    for area in geography.areas:
        codes = []
        for _ in range(POSTCODES_PER_LSOA):
            n = len(rows)
            codes.append(f"ZZ{1 + n // 4000} {(n // 400) % 10}"
                         f"{INWARD_LETTERS[(n // 20) % 20]}{INWARD_LETTERS[n % 20]}")
            rows.append(dict(postcode=codes[-1], lsoa21_code=area.lsoa, lsoa11_code=None,
                             ward_code=area.ward, local_authority_code=area.la,
                             terminated_on=None, source=SYNTHETIC[:120]))
        geography.postcodes[area.lsoa] = codes
    writer.insert(Postcode.__table__, rows)

