"""Demo workforce: about 18,500 invented staff in eight quarterly snapshots, and their recruitment.

Staff are invented, but where they live is not: home neighbourhoods are real 2021 LSOAs of
Greater Manchester drawn in proportion to their Census 2021 population (ONS output-area figures,
``ons_dot_density``), four in five in Bury, Oldham, Rochdale or Salford. Each person's ethnic
group is drawn from their own neighbourhood's Census mix, then bent by the pattern the programme
exists to change: Asian residents (above all Pakistani and Bangladeshi residents of Oldham's and
Rochdale's inner wards) are under-represented from band 5 up, over-represented among doctors;
fewer staff live in the most deprived neighbourhoods. The category within a group follows the
town's Census TS021 mix, mapped to NHS codes (DOMAIN.md §5); about 6% have not stated it.

Each quarter about 2.4% leave and new starters join, more of them each quarter through the
pre-employment programme (entry-level posts, living in deprived neighbourhoods, drawn without
the bias), and later joiners are drawn with a slightly smaller bias: representation improves
modestly over the eight quarterly snapshots. Recruitment outcomes (for WRES 2 and WDES 2) carry a
White/BME and a non-disabled/disabled gap that is much narrower on the programme route.

For the ward map and the deprivation lens it first loads Census ethnic-group estimates for
wards and LSOAs (:mod:`recruit.demo.population`); official Census tables (``flask import
census``) take precedence wherever both exist.

Deterministic for a given generator and idempotent: a snapshot, estimate or outcome batch that
exists is skipped, and the generator is consumed identically either way.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from recruit.demo.calendar import shift
from recruit.demo.population import (
    batch,
    checksum,
    find_batch,
    load_population_estimates,
    lsoa_populations,
    read_csv,
)
from recruit.extensions import db
from recruit.models import (
    Answer,
    EntryRoute,
    EthnicGroup,
    Ethnicity,
    ImportKind,
    LocalAuthority,
    Lsoa,
    RecruitmentOutcome,
    Religion,
    Sex,
    StaffGroup,
    Ward,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.statistics import workforce_counts
from recruit.statistics.categories import NHS_CODE_OF, census_ethnicity, wres_group_of_code

SNAPSHOT_DATES = tuple(shift(day) for day in (
    date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31),
    date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)))
HEADCOUNT_START, HEADCOUNT_END = 18_250, 18_500
PROGRAMME_STARTERS = (12, 20, 28, 38, 48, 58, 68, 80)  # per quarter, growing
LEAVING_RATE, PROGRAMME_LEAVING_RATE = 0.024, 0.01
TOWNS = {"E08000002": "Bury", "E08000004": "Oldham", "E08000005": "Rochdale",
         "E08000006": "Salford"}
INNER_TOWNS = {"E08000004", "E08000005"}  # Oldham and Rochdale
SITES = {"Bury": "Fairfield General Hospital", "Oldham": "Royal Oldham Hospital",
         "Rochdale": "Rochdale Infirmary", "Salford": "Salford Royal"}
SITE_WEIGHTS = {"Bury": 0.22, "Oldham": 0.28, "Rochdale": 0.15, "Salford": 0.35}

LA_TS021 = "trafford_open_data/census2021_ethnicity_2021_population_ethnic_group_la_gm.csv"

SG = StaffGroup
STAFF_GROUPS = {SG.nursing_midwifery: 27, SG.additional_clinical: 24, SG.admin_clerical: 19,
                SG.medical_dental: 10, SG.allied_health: 7, SG.estates_ancillary: 7,
                SG.add_prof_scientific: 3, SG.healthcare_scientists: 2, SG.students: 1}
BANDS = {
    SG.nursing_midwifery: {"Band 5": 45, "Band 6": 30, "Band 7": 17, "Band 8a": 6, "Band 8b": 2},
    SG.additional_clinical: {"Band 2": 30, "Band 3": 45, "Band 4": 25},
    SG.admin_clerical: {"Band 2": 12, "Band 3": 30, "Band 4": 25, "Band 5": 12, "Band 6": 8,
                        "Band 7": 6, "Band 8a": 4, "Band 8b": 1.5, "Band 8c": 0.8,
                        "Band 8d": 0.4, "Band 9": 0.2, "VSM": 0.1},
    SG.medical_dental: {"Consultant": 40, "Specialty Doctor": 15, "Specialty Registrar": 30,
                        "Foundation Year 1": 8, "Foundation Year 2": 7},
    SG.allied_health: {"Band 5": 25, "Band 6": 40, "Band 7": 25, "Band 8a": 8, "Band 8b": 2},
    SG.estates_ancillary: {"Band 2": 60, "Band 3": 20, "Band 4": 10, "Band 5": 5, "Band 6": 3,
                           "Band 7": 2},
    SG.add_prof_scientific: {"Band 5": 20, "Band 6": 30, "Band 7": 30, "Band 8a": 15,
                             "Band 8b": 5},
    SG.healthcare_scientists: {"Band 5": 25, "Band 6": 35, "Band 7": 25, "Band 8a": 15},
    SG.students: {"Band 3": 1},
}
PROGRAMME_POSTS = {(SG.additional_clinical, "Band 2"): 35, (SG.additional_clinical, "Band 3"): 25,
                   (SG.admin_clerical, "Band 2"): 15, (SG.admin_clerical, "Band 3"): 10,
                   (SG.estates_ancillary, "Band 2"): 15}
FEMALE_SHARE = {SG.nursing_midwifery: 0.89, SG.additional_clinical: 0.82, SG.admin_clerical: 0.8,
                SG.medical_dental: 0.48, SG.allied_health: 0.85, SG.estates_ancillary: 0.45,
                SG.add_prof_scientific: 0.7, SG.healthcare_scientists: 0.6, SG.students: 0.8}
AGE_BANDS = ("<=20 Years", "21-25", "26-30", "31-35", "36-40", "41-45", "46-50", "51-55",
             "56-60", "61-65", "66-70", "71 & above")
AGE_WEIGHTS = {"staff": (2, 8, 12, 12, 12, 11, 11, 12, 11, 6, 2, 1),
               "joiner": (5, 18, 18, 14, 11, 9, 8, 7, 5, 3, 1, 1),
               "programme": (8, 20, 16, 12, 10, 9, 8, 8, 6, 3, 0, 0)}
R = Religion
RELIGIONS = {
    "JK": {R.muslim: 90, R.no_religion: 3, R.prefer_not_to_say: 4, None: 3},
    "H": {R.hindu: 50, R.sikh: 20, R.muslim: 10, R.christian: 5, R.no_religion: 8,
          R.prefer_not_to_say: 7},
    "FGLRS": {R.muslim: 30, R.christian: 25, R.no_religion: 20, R.buddhist: 5, R.hindu: 5,
              R.prefer_not_to_say: 10, None: 5},
    "DEMNP": {R.christian: 65, R.muslim: 12, R.no_religion: 12, R.prefer_not_to_say: 6, None: 5},
    "ABC": {R.christian: 45, R.no_religion: 40, R.other: 1, R.jewish: 0.5,
            R.prefer_not_to_say: 8, None: 5.5},
    "Z99": {None: 50, R.prefer_not_to_say: 20, R.christian: 15, R.no_religion: 15},
}


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# -- The people -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    lsoa: str
    ward: str | None
    la: str | None
    decile: int | None
    groups: dict[EthnicGroup, float]


class Population:
    """Where staff can live, and what each town's Census says about ethnic categories."""

    def __init__(self, data_dir: Path, lsoas: dict[str, dict[EthnicGroup, float]]):
        rows = db.session.execute(
            sa.select(Lsoa.code, Ward.code, LocalAuthority.code, Lsoa.imd_decile)
            .outerjoin(Ward, Ward.id == Lsoa.ward_id)
            .outerjoin(LocalAuthority, LocalAuthority.id == Lsoa.local_authority_id)
            .order_by(Lsoa.code)
        ).tuples().all()
        homes = [Home(code, ward, la, decile, lsoas[code])
                 for code, ward, la, decile in rows if code in lsoas]
        catchment = [h for h in homes if h.la in TOWNS]
        elsewhere = [h for h in homes if h.la not in TOWNS]
        deprived = [h for h in catchment if h.decile is not None and h.decile <= 3]
        # Cumulative weights, computed once: thousands of draws follow.
        self.catchment = (catchment, list(accumulate(
            sum(h.groups.values()) * _deprivation_weight(h.decile) for h in catchment)))
        self.elsewhere = (elsewhere, list(accumulate(sum(h.groups.values()) for h in elsewhere)))
        self.deprived = (deprived, list(accumulate(sum(h.groups.values()) for h in deprived)))
        self.codes = _category_codes(data_dir)
        self.gm_groups = {group: sum(codes.values())
                          for group, codes in self.codes[None].items()}

    def home(self, rng: random.Random, programme: bool) -> Home | None:
        if programme:
            homes, weights = self.deprived
        else:
            where = rng.random()
            if where < 0.05:
                return None  # no home postcode on record, or it did not resolve
            homes, weights = self.elsewhere if where < 0.20 else self.catchment
        return rng.choices(homes, cum_weights=weights)[0]


def _deprivation_weight(decile: int | None) -> float:
    # Few of the trust's staff live in the most deprived neighbourhoods (DOMAIN.md §1).
    if decile is None:
        return 1.0
    return 0.55 if decile <= 2 else 0.8 if decile <= 4 else 1.0


def _category_codes(data_dir: Path) -> dict[str | None, dict[EthnicGroup, dict[str, int]]]:
    """NHS codes within each group, weighted by each town's TS021 (GM-wide under ``None``)."""
    codes: dict[str | None, dict[EthnicGroup, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int)))
    for row in read_csv(data_dir / LA_TS021):
        ethnicity = census_ethnicity(row["ethnic_group"])
        if not isinstance(ethnicity, Ethnicity):
            continue
        count = int(row["value"].replace(",", ""))
        for area in (row["area_code"], None):
            codes[area][ethnicity.group][NHS_CODE_OF[ethnicity]] += count
    return codes


def _senior(band: str) -> bool:
    return band.startswith("Band") and band[5] in "56789" or band == "VSM"


def _bias(group: EthnicGroup, staff_group: StaffGroup, band: str, home: Home | None,
          quarter: int) -> float:
    """How much more (or less) likely a resident of ``group`` is to be on the staff."""
    inner = home is not None and home.la in INNER_TOWNS
    medical = staff_group is SG.medical_dental
    if group is EthnicGroup.white:
        return 1.0
    if group is EthnicGroup.asian:
        deprived = home is not None and home.decile is not None and home.decile <= 2
        if medical:
            factor = 2.2
        elif inner and deprived:
            factor = 0.25 if _senior(band) else 0.42
        elif inner:
            factor = 0.45 if _senior(band) else 0.75
        else:
            factor = 0.65 if _senior(band) else 0.85
    elif group is EthnicGroup.black:
        factor = 1.5 if staff_group is SG.nursing_midwifery else 1.4 if medical else 0.85
    elif group is EthnicGroup.mixed:
        factor = 0.75
    else:
        factor = 2.0 if medical else 0.9
    if factor < 1:  # later joiners are recruited a little more fairly
        factor += (1 - factor) * min(0.7, 0.1 * quarter)
    return factor


def _ethnic_code(rng: random.Random, population: Population, home: Home | None,
                 staff_group: StaffGroup, band: str, quarter: int, programme: bool) -> str:
    if rng.random() < 0.06:
        return "Z" if rng.random() < 0.8 else "99"
    if staff_group is SG.nursing_midwifery and band == "Band 5" and rng.random() < 0.12:
        return _pick(rng, {"L": 5, "H": 3, "N": 4})  # international recruitment
    groups = home.groups if home else population.gm_groups
    weights = {g: n * (1.0 if programme else _bias(g, staff_group, band, home, quarter))
               for g, n in groups.items()}
    group = _pick(rng, weights)
    town = home.la if home and home.la in population.codes else None
    codes = population.codes[town][group]
    if group is EthnicGroup.asian and not programme:
        # Within the Asian group, Pakistani and Bangladeshi residents are the furthest from
        # senior posts; Indian doctors are over-represented.
        lift = {"J": 0.6, "K": 0.6} if _senior(band) else {}
        if staff_group is SG.medical_dental:
            lift = {"H": 2.0, "L": 1.5}
        codes = {code: n * lift.get(code, 1.0) for code, n in codes.items()}
    return _pick(rng, codes)


def _religion(rng: random.Random, code: str) -> Religion | None:
    for codes, weights in RELIGIONS.items():
        if code in codes or (code == "99" and codes == "Z99"):
            return _pick(rng, weights)
    return None


def _site(rng: random.Random, home: Home | None) -> tuple[str, str]:
    town = TOWNS.get(home.la) if home else None
    if town is None or rng.random() > 0.7:
        town = _pick(rng, SITE_WEIGHTS)
    if rng.random() < 0.08:
        return "Community services", town
    return SITES[town], town


def _person(rng: random.Random, population: Population, number: int, started_on: date,
            quarter: int, programme: bool, age_profile: str) -> dict:
    if programme:
        staff_group, band = _pick(rng, PROGRAMME_POSTS)
    else:
        staff_group = _pick(rng, STAFF_GROUPS)
        band = _pick(rng, BANDS[staff_group])
    home = population.home(rng, programme)
    code = _ethnic_code(rng, population, home, staff_group, band, quarter, programme)
    site, locality = _site(rng, home)
    female = rng.random() < FEMALE_SHARE[staff_group]
    disability = _pick(rng, {Answer.yes: 9 if programme else 4.5, Answer.no: 78,
                             Answer.prefer_not_to_say: 2, None: 15.5})
    return dict(
        staff_ref=f"NCA{number:06d}", site=site, locality=locality, staff_group=staff_group,
        pay_band=band, ethnic_category=code,
        sex=(Sex.female if female else Sex.male) if rng.random() > 0.003 else None,
        age_band=rng.choices(AGE_BANDS, weights=AGE_WEIGHTS[age_profile])[0],
        disability=disability, religion=_religion(rng, code),
        home_lsoa_code=home.lsoa if home else None, home_ward_code=home.ward if home else None,
        home_la_code=home.la if home else None, home_imd_decile=home.decile if home else None,
        started_on=started_on,
        entry_route=EntryRoute.programme if programme else EntryRoute.other,
    )


def _quarters(rng: random.Random, population: Population) -> list[list[dict]]:
    """The staff in post at each snapshot date."""
    first = SNAPSHOT_DATES[0]
    staff = []
    for number in range(1, HEADCOUNT_START + 1):
        tenure = min(40 * 365, int(rng.expovariate(1 / (8 * 365))))
        staff.append(_person(rng, population, number, first - timedelta(days=tenure), 0,
                             False, "staff"))
    number = HEADCOUNT_START
    snapshots = [list(staff)]
    for quarter in range(1, len(SNAPSHOT_DATES)):
        start, end = SNAPSHOT_DATES[quarter - 1], SNAPSHOT_DATES[quarter]
        staff = [p for p in staff if rng.random() > (
            PROGRAMME_LEAVING_RATE if p["entry_route"] is EntryRoute.programme
            else LEAVING_RATE)]
        target = HEADCOUNT_START + round((HEADCOUNT_END - HEADCOUNT_START) * quarter
                                         / (len(SNAPSHOT_DATES) - 1))
        programme = PROGRAMME_STARTERS[quarter]
        joiners = max(programme, target - len(staff))
        for index in range(joiners):
            number += 1
            day = start + timedelta(days=rng.randrange(1, (end - start).days + 1))
            on_programme = index < programme
            staff.append(_person(rng, population, number, day, quarter, on_programme,
                                 "programme" if on_programme else "joiner"))
        snapshots.append(list(staff))
    return snapshots


# -- Recruitment outcomes -------------------------------------------------------------------

APPOINTMENT_RATES = {  # (route, group) -> chance of appointment once shortlisted
    ("other", "White"): 0.30, ("other", "BME"): 0.16, ("other", None): 0.22,
    ("programme", "White"): 0.62, ("programme", "BME"): 0.55, ("programme", None): 0.5,
}


def _outcomes(rng: random.Random, population: Population) -> list[dict]:
    rows, applicant = [], 0
    start = shift(date(2024, 4, 1))
    for quarter in range(len(SNAPSHOT_DATES)):
        end = SNAPSHOT_DATES[quarter]
        for route, shortlisted in (("other", 620), ("programme", PROGRAMME_STARTERS[quarter] * 2)):
            for vacancy_index in range(shortlisted):
                applicant += 1
                home = population.home(rng, route == "programme")
                code = _ethnic_code(rng, population, home, SG.additional_clinical, "Band 3", 0,
                                    True)
                group = wres_group_of_code(code)
                disability = _pick(rng, {Answer.yes: 7, Answer.no: 85, None: 8})
                chance = APPOINTMENT_RATES[(route, group)]
                if group == "BME":  # the gap narrows a little each quarter
                    chance *= 1 + 0.03 * quarter
                if disability is Answer.yes:
                    chance *= 0.7 if route == "other" else 0.92
                appointed = rng.random() < chance
                rows.append(dict(
                    applicant_ref=f"APP{applicant:06d}",
                    vacancy_ref=f"VAC-{end:%Y%m}-{route[:4].upper()}-{vacancy_index // 6:03d}",
                    decided_on=start + timedelta(days=rng.randrange((end - start).days + 1)),
                    ethnic_category=code, disability=disability, shortlisted=True,
                    appointed=appointed, declined_offer=appointed and rng.random() < 0.04,
                    route=EntryRoute[route],
                ))
        start = end + timedelta(days=1)
    return rows


# -- Entry point ----------------------------------------------------------------------------


def seed_workforce(rng: random.Random, data_dir: Path, organisation: str | None = None
                   ) -> list[str]:
    """Create the demo snapshots, outcomes and population estimates that are missing.

    :param rng: the demo's generator; exactly one value is drawn from it whatever exists.
    :returns: report lines.
    """
    local = random.Random(rng.getrandbits(64))  # noqa: S311  (demo data, not security)
    organisation = organisation or current_app.config["ORGANISATION_NAME"]
    data_dir = Path(data_dir)
    lsoas = lsoa_populations(data_dir)
    lines = load_population_estimates(data_dir, lsoas)
    existing = set(db.session.scalars(sa.select(WorkforceSnapshot.as_of).where(
        WorkforceSnapshot.organisation == organisation)))
    outcome_checksum = checksum(b"demo recruitment outcomes v1")
    have_outcomes = find_batch(ImportKind.recruitment, outcome_checksum) is not None
    if existing >= set(SNAPSHOT_DATES) and have_outcomes:
        return [*lines, "Demo workforce already present"]
    population = Population(data_dir, lsoas)
    created = 0
    for as_of, staff in zip(SNAPSHOT_DATES, _quarters(local, population), strict=True):
        if as_of in existing:
            continue
        _insert_snapshot(as_of, organisation, staff)
        created += 1
    outcomes = _outcomes(local, population)
    if not have_outcomes:
        loaded = batch(ImportKind.recruitment, outcome_checksum, "demo: recruitment system",
                       "Demo")
        db.session.add(loaded)
        db.session.flush()
        db.session.execute(sa.insert(RecruitmentOutcome),
                           [dict(row, import_batch_id=loaded.id) for row in outcomes])
        loaded.rows_read = loaded.rows_inserted = len(outcomes)
    db.session.flush()
    lines.append(f"{created} workforce snapshots created "
                 f"({len(SNAPSHOT_DATES) - created} already present)")
    if not have_outcomes:
        lines.append(f"{len(outcomes):,} recruitment outcomes created")
    return lines


def _insert_snapshot(as_of: date, organisation: str, staff: list[dict]) -> None:
    digest = checksum(f"demo workforce {as_of} v1".encode())
    loaded = find_batch(ImportKind.workforce, digest) or batch(
        ImportKind.workforce, digest, "demo: synthetic workforce", "Demo")
    loaded.rows_read = loaded.rows_inserted = len(staff)
    snapshot = WorkforceSnapshot(
        as_of=as_of, organisation=organisation, label=f"Workforce at {as_of:%-d %B %Y}",
        import_batch=loaded, source_kind=WorkforceSource.person_extract, headcount=len(staff))
    db.session.add(snapshot)
    db.session.flush()
    for start in range(0, len(staff), 5000):
        db.session.execute(sa.insert(WorkforceRecord),
                           [dict(person, snapshot_id=snapshot.id)
                            for person in staff[start:start + 5000]])
    workforce_counts.rebuild(db.session, snapshot.id)

