"""A small fixed world for the engine's tests: two catchment towns, three wards, a neighbour.

Hand-computed expectations in the tests refer to the figures here.

Residents (Census, ward level):   W1 Coldhurst: White British 400, Pakistani 400, Bangladeshi 200
                                  W2 Saddleworth North: White British 950, Indian 50
                                  W3 Central Rochdale: White British 300, Pakistani 200
Residents (local authority):      Oldham: White British 1350, Pakistani 400, Bangladeshi 200,
                                  Indian 50 (2,000); Rochdale: White British 800, Pakistani 200
Staff (snapshot 31 March 2025):   W1: 40 A, 10 J (band 3 admin, programme starters), 5 Z
                                  W2: 30 A, 2 H; W3: 20 A, 5 J; Manchester: 10 A;
                                  home unknown: 3 A (works in Oldham)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recruit.extensions import db
from recruit.models import (
    AreaType,
    Characteristic,
    EntryRoute,
    Ethnicity,
    LocalAuthority,
    Lsoa,
    StaffGroup,
    Ward,
    WorkforceSnapshot,
)
from tests import factories, factories_participants
from tests import factories_statistics as fs

AS_OF = date(2025, 3, 31)
ASIAN = "Asian, Asian British or Asian Welsh"
WHITE = "White"
WB = "White: English, Welsh, Scottish, Northern Irish or British"
PAK = f"{ASIAN}: Pakistani"
BAN = f"{ASIAN}: Bangladeshi"
IND = f"{ASIAN}: Indian"


@dataclass
class World:
    oldham: LocalAuthority
    rochdale: LocalAuthority
    manchester: LocalAuthority
    w1: Ward
    w2: Ward
    w3: Ward
    l1: Lsoa
    l2: Lsoa
    l3: Lsoa
    snapshot: WorkforceSnapshot


def _census(area: str, counts: dict[str, int], area_type: AreaType) -> None:
    """Rows as the Census importer stores them: categories, group rows and the total."""
    groups: dict[str, int] = {}
    for label, count in counts.items():
        group = label.split(": ")[0]
        groups[group] = groups.get(group, 0) + count
    fs.population(area, {**counts, **groups, "Total": sum(counts.values())},
                  area_type=area_type)


def build() -> World:
    la = factories.LocalAuthorityFactory
    oldham = la(code="E08000004", name="Oldham", in_catchment=True)
    rochdale = la(code="E08000005", name="Rochdale", in_catchment=True)
    manchester = la(code="E08000003", name="Manchester", in_catchment=False)
    w1 = factories.WardFactory(code="E05000723", name="Coldhurst", local_authority=oldham)
    w2 = factories.WardFactory(code="E05000731", name="Saddleworth North", local_authority=oldham)
    w3 = factories.WardFactory(code="E05014036", name="Central Rochdale", local_authority=rochdale)
    lsoa = factories_participants.LsoaFactory
    l1 = lsoa(code="E01005001", ward=w1, imd_decile=1)
    l2 = lsoa(code="E01005002", ward=w2, imd_decile=9)
    l3 = lsoa(code="E01005003", ward=w3, imd_decile=2)

    _census(w1.code, {WB: 400, PAK: 400, BAN: 200}, AreaType.ward)
    _census(w2.code, {WB: 950, IND: 50}, AreaType.ward)
    _census(w3.code, {WB: 300, PAK: 200}, AreaType.ward)
    _census(oldham.code, {WB: 1350, PAK: 400, BAN: 200, IND: 50}, AreaType.la)
    _census(rochdale.code, {WB: 800, PAK: 200}, AreaType.la)
    _census(manchester.code, {WB: 5000, PAK: 5000}, AreaType.la)
    # LSOA populations, as group rows only (the demo's estimates look like this).
    for code, white, asian in (("E01005001", 300, 700), ("E01005002", 900, 100),
                               ("E01005003", 400, 100)):
        fs.population(code, {WHITE: white, ASIAN: asian, "Total": white + asian},
                      area_type=AreaType.lsoa, edition="Census 2021 estimate")
    fs.population(oldham.code, {"Female": 1010, "Male": 990}, characteristic=Characteristic.sex)

    snapshot = fs.SnapshotFactory(as_of=AS_OF)
    home = {
        "w1": dict(home_ward_code=w1.code, home_la_code=oldham.code, home_lsoa_code=l1.code,
                   home_imd_decile=1, locality="Oldham"),
        "w2": dict(home_ward_code=w2.code, home_la_code=oldham.code, home_lsoa_code=l2.code,
                   home_imd_decile=9, locality="Oldham"),
        "w3": dict(home_ward_code=w3.code, home_la_code=rochdale.code, home_lsoa_code=l3.code,
                   home_imd_decile=2, locality="Rochdale"),
        "man": dict(home_ward_code="E05011111", home_la_code=manchester.code,
                    home_lsoa_code="E01099999", home_imd_decile=5, locality="Rochdale"),
        "unknown": dict(locality="Oldham"),
    }
    fs.staff(snapshot, 40, ethnic_category="A", **home["w1"])
    fs.staff(snapshot, 10, ethnic_category="J",
             pay_band="Band 3", staff_group=StaffGroup.admin_clerical,
             started_on=date(2024, 10, 1), entry_route=EntryRoute.programme, **home["w1"])
    fs.staff(snapshot, 5, ethnic_category="Z", **home["w1"])
    fs.staff(snapshot, 30, ethnic_category="A", **home["w2"])
    fs.staff(snapshot, 2, ethnic_category="H", **home["w2"])
    fs.staff(snapshot, 20, ethnic_category="A", **home["w3"])
    fs.staff(snapshot, 5, ethnic_category="J", **home["w3"])
    fs.staff(snapshot, 10, ethnic_category="A", **home["man"])
    fs.staff(snapshot, 3, ethnic_category="A", **home["unknown"])
    # The same staff a year earlier, fewer of them: for the trend.
    earlier = fs.SnapshotFactory(as_of=date(2024, 3, 31))
    fs.staff(earlier, 45, ethnic_category="A", **home["w1"])
    fs.staff(earlier, 5, ethnic_category="J", **home["w1"])

    partner = factories.PartnerFactory(ward=w1, local_authority=oldham)
    factories.PartnerFactory(ward=w1, local_authority=oldham, is_active=False)
    participants = (Ethnicity.asian_pakistani, Ethnicity.asian_bangladeshi, Ethnicity.white_irish)
    for ethnicity in participants:
        person = factories_participants.ParticipantFactory(
            referring_partner=partner, ward=w1, local_authority=oldham, lsoa=l1, imd_decile=1)
        factories_participants.EqualityFactory(participant=person, ethnicity=ethnicity)
    db.session.commit()
    return World(oldham, rochdale, manchester, w1, w2, w3, l1, l2, l3, snapshot)
