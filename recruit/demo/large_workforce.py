"""Workforce snapshots and recruitment outcomes for :mod:`recruit.demo.large`.

Eight quarterly snapshots of invented staff living in the catchment's neighbourhoods (weighted by
population, fewer in the most deprived), each drawn with the pattern the programme exists to
change (Asian residents of deprived neighbourhoods under-represented, less so among later
joiners); joiners each quarter, some through the programme. Shortlisting outcomes for WRES 2.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from recruit.demo.calendar import FIRST_DAY
from recruit.demo.large_bulk import GROUPS, BulkWriter, cumulative, pick, synthetic_batch
from recruit.demo.large_geography import Area, Geography
from recruit.demo.workforce import (
    AGE_BANDS,
    AGE_WEIGHTS,
    BANDS,
    FEMALE_SHARE,
    PROGRAMME_POSTS,
    SNAPSHOT_DATES,
    STAFF_GROUPS,
)
from recruit.extensions import db
from recruit.models import (
    Answer,
    EntryRoute,
    ImportKind,
    RecruitmentOutcome,
    Religion,
    Sex,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.statistics import workforce_counts
from recruit.statistics.categories import wres_group_of_code

if TYPE_CHECKING:
    from recruit.demo.large import Sizes

# How much more (or less) likely a resident of each group is to be on the staff; the pattern the
# programme exists to change, milder for later joiners.
BIAS = {"White": 1.0, "Asian, Asian British or Asian Welsh": 0.7,
        "Black, Black British, Black Welsh, Caribbean or African": 1.1,
        "Mixed or Multiple ethnic groups": 0.8, "Other ethnic group": 0.9}
RELIGIONS = {
    "Asian, Asian British or Asian Welsh": {Religion.muslim: 62, Religion.hindu: 14,
                                            Religion.sikh: 7, Religion.christian: 4,
                                            Religion.no_religion: 5, Religion.prefer_not_to_say: 8},
    "Black, Black British, Black Welsh, Caribbean or African": {
        Religion.christian: 64, Religion.muslim: 20, Religion.no_religion: 8,
        Religion.prefer_not_to_say: 8},
    "Mixed or Multiple ethnic groups": {Religion.christian: 32, Religion.muslim: 18,
                                        Religion.no_religion: 40, Religion.prefer_not_to_say: 10},
    "White": {Religion.christian: 46, Religion.no_religion: 42, Religion.jewish: 1,
              Religion.other: 1, Religion.prefer_not_to_say: 6, None: 4},
    "Other ethnic group": {Religion.muslim: 45, Religion.christian: 20,
                           Religion.no_religion: 20, Religion.buddhist: 5,
                           Religion.prefer_not_to_say: 10},
    None: {None: 50, Religion.prefer_not_to_say: 20, Religion.christian: 15,
           Religion.no_religion: 15},
}


def _deprivation_weight(decile: int | None) -> float:
    # Few staff live in the most deprived neighbourhoods (DOMAIN.md §1).
    if decile is None:
        return 1.0
    return 0.55 if decile <= 2 else 0.8 if decile <= 4 else 1.0


class _Staffing:
    """Draws invented staff; tables of cumulative weights are computed once."""

    def __init__(self, geography: Geography, rng: random.Random) -> None:
        self.rng = rng
        self.geography = geography
        areas = geography.areas
        self.homes = (areas, list(accumulate(
            sum(a.people) * _deprivation_weight(a.decile) for a in areas)))
        deprived = [a for a in areas if a.decile is not None and a.decile <= 3] or areas
        self.deprived_homes = (deprived, list(accumulate(sum(a.people) for a in deprived)))
        self.jobs = cumulative({(group, band): share * weight / sum(BANDS[group].values())
                                for group, share in STAFF_GROUPS.items()
                                for band, weight in BANDS[group].items()})
        self.programme_jobs = cumulative(PROGRAMME_POSTS)
        self.ages = {profile: cumulative(dict(zip(AGE_BANDS, weights, strict=True)))
                     for profile, weights in AGE_WEIGHTS.items()}
        self.religions = {group: cumulative(weights) for group, weights in RELIGIONS.items()}
        self.disability = cumulative({Answer.yes: 4.5, Answer.no: 78,
                                      Answer.prefer_not_to_say: 2, None: 15.5})
        self.sites = {la_id: f"{name.removesuffix(' (synthetic)')} General Hospital"
                      for la_id, (_code, name) in geography.towns.items()}
        self.town_ids = sorted(geography.towns)
        self._group_tables: dict[tuple[int, int, bool], tuple[list, list[float]]] = {}

    def _groups(self, area: Area, quarter: int, programme: bool):
        key = (area.lsoa_id, quarter, programme)
        table = self._group_tables.get(key)
        if table is None:
            weights = {}
            for group, people in zip(GROUPS, area.people, strict=True):
                factor = 1.0 if programme else BIAS[group]
                if not programme and group.startswith("Asian") and (area.decile or 10) <= 2:
                    factor *= 0.65
                if factor < 1:
                    factor += (1 - factor) * min(0.7, 0.1 * quarter)
                weights[group] = people * factor
            table = self._group_tables[key] = cumulative(weights)
        return table

    def person(self, number: int, started_on: date, quarter: int, programme: bool,
               profile: str) -> dict:
        rng = self.rng
        if programme:
            staff_group, band = pick(rng, self.programme_jobs)
            homes = self.deprived_homes
        else:
            staff_group, band = pick(rng, self.jobs)
            homes = self.homes
        home = None if not programme and rng.random() < 0.05 else \
            rng.choices(homes[0], cum_weights=homes[1])[0]
        if rng.random() < 0.06:
            group, code = None, "Z" if rng.random() < 0.8 else "99"
        else:
            if home is None:
                group = rng.choice(GROUPS)
            else:
                group = pick(rng, self._groups(home, quarter, programme))
                senior = band[-1] in "6789" or band == "VSM"
                if senior and group != "White" and rng.random() < 0.2:
                    group = pick(rng, self._groups(home, quarter, programme))
            code = pick(rng, self.geography.codes[group])
        town = home.la_id if home is not None and rng.random() < 0.75 else \
            rng.choice(self.town_ids)
        site = "Community services" if rng.random() < 0.08 else self.sites[town]
        return dict(
            staff_ref=f"S{number:07d}", site=site,
            locality=self.geography.towns[town][1], staff_group=staff_group, pay_band=band,
            ethnic_category=code,
            sex=None if rng.random() < 0.003 else (
                Sex.female if rng.random() < FEMALE_SHARE[staff_group] else Sex.male),
            age_band=pick(rng, self.ages[profile]),
            disability=pick(rng, self.disability), religion=pick(rng, self.religions[group]),
            home_lsoa_code=home.lsoa if home else None, home_ward_code=home.ward if home else None,
            home_la_code=home.la if home else None, home_imd_decile=home.decile if home else None,
            started_on=started_on,
            entry_route=EntryRoute.programme if programme else EntryRoute.other,
        )


LEAVING_RATE, PROGRAMME_LEAVING_RATE, GROWTH = 0.024, 0.01, 0.012


def build_workforce(writer: BulkWriter, geography: Geography, sizes: Sizes, scale: float,
                    rng: random.Random, organisation: str) -> list[str]:
    """Eight quarterly snapshots: staff leave, joiners arrive, some through the programme."""
    staffing = _Staffing(geography, rng)
    first = SNAPSHOT_DATES[0]
    staff = []
    for number in range(1, sizes.staff + 1):
        tenure = min(40 * 365, int(rng.expovariate(1 / (8 * 365))))
        staff.append(staffing.person(number, first - timedelta(days=tenure), 0, False, "staff"))
    number = sizes.staff
    programme_per_quarter = max(1, round(sizes.staff * 0.003))
    total = 0
    for quarter, as_of in enumerate(SNAPSHOT_DATES):
        if quarter:
            start = SNAPSHOT_DATES[quarter - 1]
            staff = [p for p in staff if rng.random() > (
                PROGRAMME_LEAVING_RATE if p["entry_route"] is EntryRoute.programme
                else LEAVING_RATE)]
            target = round(sizes.staff * (1 + GROWTH * quarter / (len(SNAPSHOT_DATES) - 1)))
            programme = programme_per_quarter * (1 + quarter // 2)
            for index in range(max(programme, target - len(staff))):
                number += 1
                day = start + timedelta(days=rng.randrange(1, (as_of - start).days + 1))
                on_programme = index < programme
                staff.append(staffing.person(number, day, quarter, on_programme,
                                             "programme" if on_programme else "joiner"))
        batch = synthetic_batch(ImportKind.workforce, f"workforce at {as_of}", None, scale,
                                len(staff))
        snapshot = WorkforceSnapshot(
            as_of=as_of, organisation=organisation, label=f"Workforce at {as_of:%-d %B %Y}",
            import_batch=batch, source_kind=WorkforceSource.person_extract,
            headcount=len(staff))
        db.session.add(snapshot)
        db.session.flush()
        writer.insert(WorkforceRecord.__table__,
                      [dict(person, snapshot_id=snapshot.id) for person in staff])
        workforce_counts.rebuild(db.session, snapshot.id)
        total += len(staff)
    outcomes = _recruitment_outcomes(writer, staffing, sizes, scale, rng)
    return [f"{len(SNAPSHOT_DATES)} workforce snapshots, {total:,} staff records "
            f"({len(staff):,} in the last); {outcomes:,} recruitment outcomes"]


APPOINTMENT_RATES = {("other", "White"): 0.30, ("other", "BME"): 0.16, ("other", None): 0.22,
                     ("programme", "White"): 0.62, ("programme", "BME"): 0.55,
                     ("programme", None): 0.5}


def _recruitment_outcomes(writer: BulkWriter, staffing: _Staffing, sizes: Sizes, scale: float,
                          rng: random.Random) -> int:
    """Shortlisting decisions for WRES 2 and WDES 2, with a gap narrower on the programme."""
    rows = []
    start = FIRST_DAY
    for quarter, end in enumerate(SNAPSHOT_DATES):
        routes = (("other", round(sizes.staff * 0.034)),
                  ("programme", round(sizes.staff * 0.0015 * (1 + quarter))))
        for route, shortlisted in routes:
            for index in range(shortlisted):
                person = staffing.person(len(rows) + 1, end, 0, route == "programme", "joiner")
                code = person["ethnic_category"]
                group = wres_group_of_code(code)
                chance = APPOINTMENT_RATES[(route, group)] * (
                    1 + 0.03 * quarter if group == "BME" else 1)
                if person["disability"] is Answer.yes:
                    chance *= 0.7 if route == "other" else 0.92
                appointed = rng.random() < chance
                rows.append(dict(
                    applicant_ref=f"APP{len(rows) + 1:07d}",
                    vacancy_ref=f"VAC-{end:%Y%m}-{route[:4].upper()}-{index // 6:05d}",
                    decided_on=start + timedelta(days=rng.randrange((end - start).days + 1)),
                    ethnic_category=code, disability=person["disability"], shortlisted=True,
                    appointed=appointed, declined_offer=appointed and rng.random() < 0.04,
                    route=EntryRoute[route]))
        start = end + timedelta(days=1)
    batch = synthetic_batch(ImportKind.recruitment, "recruitment outcomes", None, scale, len(rows))
    for row in rows:
        row["import_batch_id"] = batch.id
    writer.insert(RecruitmentOutcome.__table__, rows)
    return len(rows)

