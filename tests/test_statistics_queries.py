"""The engine on a small fixed dataset (tests/statistics_world.py) against hand-computed tables."""

from __future__ import annotations

from datetime import date

import pytest

from recruit.extensions import db
from recruit.models import EntryRoute
from recruit.statistics import queries
from recruit.statistics.calculations import ALL_POSTS, EXCLUDING_PROGRAMME, PROGRAMME_ONLY
from recruit.statistics.queries import Subset
from recruit.statistics.representation import (
    Selector,
    deprivation_lenses,
    equality_standards,
    publish,
    representation_rows,
    trend,
    where_next_rows,
)
from tests import factories_statistics as fs
from tests import statistics_world
from tests.statistics_world import AS_OF, ASIAN

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def world():
    return statistics_world.build()


def _rows(world, area_type, **kwargs):
    selector = Selector(world.snapshot.id, AS_OF, area_type, **kwargs)
    return {(r.area_name, r.group): r for r in representation_rows(db.session, selector)}


def test_ward_rows_count_staff_where_they_live(world):
    rows = _rows(world, "ward")
    # Only catchment wards appear, five groups each, in Census order.
    assert {area for area, _ in rows} == {"Central Rochdale", "Coldhurst", "Saddleworth North"}
    coldhurst = rows[("Coldhurst", ASIAN)]
    assert (coldhurst.workforce_count, coldhurst.workforce_known,
            coldhurst.workforce_total) == (10, 50, 55)
    assert (coldhurst.population_count, coldhurst.population_total) == (600, 1000)
    assert coldhurst.workforce_share == pytest.approx(0.2)
    assert coldhurst.population_share == pytest.approx(0.6)
    assert coldhurst.ratio == pytest.approx(1 / 3)
    assert coldhurst.gap_pp == pytest.approx(-40.0)
    assert coldhurst.shortfall == 20
    assert coldhurst.declaration_rate == pytest.approx(50 / 55)
    assert coldhurst.not_reflective is True
    assert rows[("Coldhurst", "White")].ratio == pytest.approx(2.0)
    central = rows[("Central Rochdale", ASIAN)]
    assert central.ci_low == pytest.approx(0.0886, abs=1e-4)
    assert central.ci_high == pytest.approx(0.3913, abs=1e-4)  # excludes 0.4
    assert (central.shortfall, central.not_reflective) == (5, True)
    assert rows[("Saddleworth North", ASIAN)].not_reflective is False
    # A group with no residents has no ratio, and is never flagged.
    black = rows[("Coldhurst", "Black, Black British, Black Welsh, Caribbean or African")]
    assert (black.population_share, black.ratio, black.not_reflective) == (0.0, None, None)


def test_local_authority_and_catchment_rows(world):
    rows = _rows(world, "la")
    assert {area for area, _ in rows} == {"Oldham", "Rochdale"}  # Manchester is outside
    oldham = rows[("Oldham", ASIAN)]
    assert (oldham.workforce_count, oldham.workforce_known, oldham.workforce_total) == (12, 82, 87)
    assert oldham.population_share == pytest.approx(650 / 2000)
    catchment = _rows(world, "catchment")
    asian = catchment[("Catchment (Oldham, Rochdale)", ASIAN)]
    assert (asian.workforce_count, asian.workforce_known, asian.workforce_total) == (17, 107, 112)
    assert (asian.population_count, asian.population_total) == (850, 3000)
    assert asian.shortfall == round(850 / 3000 * 107 - 17) == 13


def test_site_rows_count_staff_where_they_work(world):
    rows = _rows(world, "site")
    oldham = rows[("Oldham", ASIAN)]
    # Coldhurst and Saddleworth residents plus three staff whose home is unknown.
    assert (oldham.workforce_count, oldham.workforce_known, oldham.workforce_total) == (12, 85, 90)
    assert oldham.area_code == "E08000004"
    assert oldham.population_share == pytest.approx(650 / 2000)
    rochdale = rows[("Rochdale", ASIAN)]
    assert (rochdale.workforce_count, rochdale.workforce_known) == (5, 35)  # with Manchester


def test_ethnic_categories_and_other_characteristics(world):
    rows = _rows(world, "ward", level="category")
    pakistani = rows[("Coldhurst", "Asian or Asian British - Pakistani")]
    assert (pakistani.workforce_count, pakistani.population_count,
            pakistani.population_total) == (10, 400, 1000)
    assert len({group for _area, group in rows}) == 16
    sex = _rows(world, "la", characteristic="sex")
    female = sex[("Oldham", "Female")]
    assert female.population_share == pytest.approx(1010 / 2000)
    assert female.workforce_known == 0 and female.declaration_rate == 0.0  # sex not recorded
    assert sex[("Rochdale", "Female")].population_count is None  # no Census figures loaded


@pytest.mark.parametrize("subset", ["programme", "new_starters", "band:Band 3", "non_clinical",
                                    "staff_group:admin_clerical"])
def test_subsets(world, subset):
    rows = _rows(world, "ward", subset=Subset.parse(subset))
    coldhurst = rows[("Coldhurst", ASIAN)]
    assert (coldhurst.workforce_count, coldhurst.workforce_known) == (10, 10)
    assert rows[("Central Rochdale", ASIAN)].workforce_known == 0


def test_clinical_subset_and_bad_subsets(world):
    rows = _rows(world, "ward", subset=Subset.parse("clinical"))
    assert rows[("Coldhurst", ASIAN)].workforce_known == 40
    for bad in ("everyone", "band:", "staff_group:nurses"):
        with pytest.raises(ValueError):
            Subset.parse(bad)


def test_where_next_with_partners_and_participants(world):
    selector = Selector(world.snapshot.id, AS_OF, "ward")
    rows = representation_rows(db.session, selector)
    ranked = where_next_rows(db.session, selector, rows)
    assert [(w.area_name, w.group, w.shortfall) for w in ranked] == [
        ("Coldhurst", ASIAN, 20), ("Central Rochdale", ASIAN, 5)]
    # One active partner (the inactive one is not counted); the Pakistani and Bangladeshi
    # participants are Asian, the Irish one is not.
    assert (ranked[0].active_partners, ranked[0].participants) == (1, 2)
    assert (ranked[1].active_partners, ranked[1].participants) == (0, 0)
    published = where_next_rows(db.session, selector, rows, published=True)
    assert published[0].participants == "*"  # 2 people
    # The first pairs alone (the dashboard's and the pack's list) carry the same counts.
    assert where_next_rows(db.session, selector, rows, limit=1) == ranked[:1]
    assert where_next_rows(db.session, selector, rows, published=True, limit=1) == published[:1]


def test_deprivation_lenses(world):
    selector = Selector(world.snapshot.id, AS_OF, "ward")
    lenses = {lens.label: lens for lens in deprivation_lenses(db.session, selector)}
    staff = lenses["All staff"]
    assert (staff.in_deprived, staff.known, staff.total) == (80, 112, 125)
    assert staff.share == pytest.approx(80 / 112)
    assert staff.population_share == pytest.approx(1500 / 2500)
    assert staff.declaration_rate == pytest.approx(122 / 125)
    programme = lenses["Joined through the programme"]
    assert (programme.in_deprived, programme.known) == (10, 10)
    participants = lenses["Programme participants"]
    assert (participants.in_deprived, participants.known, participants.total) == (3, 3, 3)


def test_trend_covers_every_snapshot(world):
    selector = Selector(world.snapshot.id, AS_OF, "ward")
    points = trend(db.session, selector, area_code=world.w1.code)
    assert [p.as_of for p in points] == [date(2024, 3, 31), AS_OF]
    first = {r.group: r for r in points[0].rows}
    assert first[ASIAN].workforce_share == pytest.approx(5 / 50)


def test_wres_indicator_1(world):
    report = equality_standards(db.session, world.snapshot.id, AS_OF).indicator_1
    assert (report.white, report.bme, report.unknown) == (103, 17, 5)
    assert report.bme_share == pytest.approx(17 / 120)
    assert [(r.band, r.bme, r.white) for r in report.clinical] == [("Band 5", 7, 103)]
    assert [(r.band, r.bme, r.bme_share) for r in report.non_clinical] == [("Band 3", 10, 1.0)]


def test_wres_2_and_wdes_2_from_recruitment_outcomes(world):
    in_year = date(2024, 11, 1)
    fs.outcomes(10, ethnic_category="A", decided_on=in_year)
    fs.outcomes(4, ethnic_category="A", appointed=True, decided_on=in_year)
    fs.outcomes(16, ethnic_category="J", decided_on=in_year)
    fs.outcomes(4, ethnic_category="N", appointed=True, decided_on=in_year)
    fs.outcomes(3, ethnic_category="A", appointed=True, declined_offer=True, decided_on=in_year)
    fs.outcomes(5, ethnic_category="Z", appointed=True, decided_on=in_year)
    fs.outcomes(9, ethnic_category="J", appointed=True, decided_on=date(2024, 3, 31))  # too early
    fs.outcomes(5, ethnic_category="A", appointed=True, route=EntryRoute.programme,
                decided_on=in_year)
    fs.outcomes(5, ethnic_category="K", appointed=True, route=EntryRoute.programme,
                decided_on=in_year)
    fs.outcomes(5, ethnic_category="K", route=EntryRoute.programme, decided_on=in_year)
    db.session.commit()
    report = equality_standards(db.session, world.snapshot.id, AS_OF)
    assert report.period_start == date(2024, 4, 1)
    wres = {item.scope: item for item in report.indicator_2}
    # Excluding the programme: White 4/14, BME 4/20 (declined offers and unknowns left out).
    assert wres[EXCLUDING_PROGRAMME].relative_likelihood == pytest.approx((4 / 14) / (4 / 20))
    assert wres[PROGRAMME_ONLY].relative_likelihood == pytest.approx((5 / 5) / (5 / 10))
    assert wres[ALL_POSTS].relative_likelihood == pytest.approx((9 / 19) / (9 / 30))
    assert wres[ALL_POSTS].unknown.shortlisted == 5
    # Disability was not recorded: every decision is "unknown" for WDES 2.
    wdes = report.wdes_metric_2[0]
    assert wdes.relative_likelihood is None and wdes.unknown.shortlisted == 54


def test_published_rows_hide_small_numbers(world):
    rows = _rows(world, "ward")
    central = publish(rows[("Central Rochdale", ASIAN)])
    assert central.workforce_count == "*"  # 5 people
    assert central.workforce_share == "*" and central.ratio == "*" and central.shortfall == "*"
    assert central.workforce_known == 25 and central.population_count == 200
    coldhurst = publish(rows[("Coldhurst", ASIAN)])
    assert (coldhurst.workforce_count, coldhurst.workforce_known) == (10, 50)
    assert coldhurst.workforce_share == pytest.approx(0.2)
    saddleworth = publish(rows[("Saddleworth North", ASIAN)])
    assert saddleworth.workforce_count == "*"
    for row in map(publish, rows.values()):
        for value in (row.workforce_count, row.workforce_known, row.workforce_total,
                      row.population_count, row.population_total, row.shortfall):
            assert not (isinstance(value, int) and 1 <= abs(value) <= 7), row


def test_snapshots_and_areas(world):
    assert [s.as_of for s in queries.person_snapshots(db.session)] == [AS_OF, date(2024, 3, 31)]
    assert queries.localities(db.session, world.snapshot.id) == {
        "Oldham": "E08000004", "Rochdale": "E08000005"}
    assert queries.ward_deprivation(db.session)[world.w1.code] == (1, 1)
