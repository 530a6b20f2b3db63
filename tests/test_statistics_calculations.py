"""The formulas of DOMAIN.md §6 against hand-computed and published values; no app needed."""

from __future__ import annotations

import pytest

from recruit.statistics.calculations import (
    ALL_POSTS,
    EXCLUDING_PROGRAMME,
    PROGRAMME_ONLY,
    BandCounts,
    Selection,
    declaration_rate,
    deprivation_lens,
    flagged_first,
    gap_in_points,
    is_not_reflective,
    likelihood_three_ways,
    relative_likelihood,
    represent,
    representation_ratio,
    share,
    shortfall_to_parity,
    where_next,
    wilson_interval,
    wres_indicator_1,
)


@pytest.fixture(autouse=True)
def db():
    """Pure functions: no application and no database (overrides the conftest fixture)."""
    yield None


def test_representation_measures_by_hand():
    # 30 of 200 declared staff are in the group; 2,500 of 10,000 residents are.
    row = represent("E05000723", "Coldhurst", "Asian", workforce_count=30, workforce_known=200,
                    workforce_total=250, population_count=2500, population_total=10000)
    assert row.workforce_share == pytest.approx(0.15)
    assert row.population_share == pytest.approx(0.25)
    assert row.ratio == pytest.approx(0.6)
    assert row.gap_pp == pytest.approx(-10.0)
    assert row.shortfall == 20  # round(0.25 * 200 - 30)
    assert row.declaration_rate == pytest.approx(0.8)  # 200 of 250 declared
    # Wilson 95% for 30/200 is 0.1071 to 0.2061: it excludes 0.25, and 0.6 < 0.8.
    assert row.ci_low == pytest.approx(0.1071, abs=1e-4)
    assert row.ci_high == pytest.approx(0.2061, abs=1e-4)
    assert row.not_reflective is True


def test_shortfall_is_negative_above_parity_and_rounds():
    assert shortfall_to_parity(0.1, 200, 35) == -15
    assert shortfall_to_parity(0.333, 100, 10) == 23  # 33.3 - 10 = 23.3
    assert shortfall_to_parity(0.337, 100, 10) == 24  # 23.7
    assert shortfall_to_parity(None, 100, 10) is None


@pytest.mark.parametrize(("successes", "trials", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (5, 10, 0.2366, 0.7634),
    (0, 10, 0.0, 0.2775),
])
def test_wilson_interval_known_values(successes, trials, low, high):
    got_low, got_high = wilson_interval(successes, trials)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) == (None, None)
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and low == pytest.approx(0.7225, abs=1e-4)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_flag_needs_both_a_low_ratio_and_an_interval_excluding_the_population_share():
    excludes = (0.10, 0.20)
    assert is_not_reflective(0.79, 0.25, excludes) is True
    assert is_not_reflective(0.8, 0.25, excludes) is False  # the threshold itself is not below
    assert is_not_reflective(0.79, 0.20, excludes) is False  # s_p on the upper bound: inside
    assert is_not_reflective(0.79, 0.10, excludes) is False  # on the lower bound: inside
    assert is_not_reflective(0.5, 0.15, excludes) is False  # inside: could be chance
    assert is_not_reflective(0.79, 0.25, excludes, threshold=0.7) is False  # configurable
    assert is_not_reflective(None, 0.25, excludes) is None
    assert is_not_reflective(0.5, 0.25, (None, None)) is None


def test_small_groups_are_not_flagged_on_chance_alone():
    # 1 of 20 staff (5%) against 10% of residents: ratio 0.5 but the interval includes 10%.
    row = represent("X", "X", "g", workforce_count=1, workforce_known=20, workforce_total=20,
                    population_count=100, population_total=1000)
    assert row.ratio == pytest.approx(0.5)
    assert row.not_reflective is False


def test_missing_figures_give_none_not_zero():
    assert share(3, 0) is None
    assert representation_ratio(0.1, 0.0) is None
    assert gap_in_points(None, 0.2) is None
    assert declaration_rate(0, 0) is None
    row = represent("X", "X", "g", workforce_count=0, workforce_known=0, workforce_total=4,
                    population_count=None, population_total=None)
    assert row.workforce_share is None and row.ratio is None and row.not_reflective is None
    assert row.declaration_rate == 0.0


def test_wres_2_published_check():
    # A trust's published 2022-23 figures: White 0.4699, BME 0.1465 -> 3.21.
    likelihood = relative_likelihood(4699, 10000, 1465, 10000)
    assert round(likelihood, 2) == 3.21
    assert relative_likelihood(1, 2, 1, 2) == 1.0
    assert relative_likelihood(5, 10, 0, 10) is None  # no BME appointments: undefined
    assert relative_likelihood(5, 0, 1, 10) is None


def test_relative_likelihood_three_ways():
    counts = {
        ("other", "White"): Selection(shortlisted=100, appointed=40),
        ("other", "BME"): Selection(shortlisted=100, appointed=20),
        ("other", "unknown"): Selection(shortlisted=25, appointed=5),
        ("programme", "White"): Selection(shortlisted=20, appointed=12),
        ("programme", "BME"): Selection(shortlisted=30, appointed=15),
    }
    by_scope = {item.scope: item for item in likelihood_three_ways(counts, "White", "BME")}
    assert list(by_scope) == [ALL_POSTS, EXCLUDING_PROGRAMME, PROGRAMME_ONLY]
    assert by_scope[EXCLUDING_PROGRAMME].relative_likelihood == pytest.approx(0.4 / 0.2)
    assert by_scope[PROGRAMME_ONLY].relative_likelihood == pytest.approx(0.6 / 0.5)
    # All posts: White 52/120, BME 35/130.
    assert by_scope[ALL_POSTS].relative_likelihood == pytest.approx((52 / 120) / (35 / 130))
    assert by_scope[ALL_POSTS].reference == Selection(120, 52)
    # Unknown ethnicity is left out of the rates but shows in the declaration rate.
    assert by_scope[ALL_POSTS].declaration_rate == pytest.approx(250 / 275)
    assert by_scope[PROGRAMME_ONLY].declaration_rate == 1.0


def test_wdes_2_uses_the_same_formula_with_its_own_groups():
    counts = {("other", "Non-disabled"): Selection(50, 25),
              ("other", "Disabled"): Selection(10, 2)}
    all_posts = likelihood_three_ways(counts, "Non-disabled", "Disabled")[0]
    assert all_posts.relative_likelihood == pytest.approx(0.5 / 0.2)
    assert all_posts.reference_group == "Non-disabled"


def test_wres_indicator_1_by_band_and_split():
    report = wres_indicator_1([
        BandCounts("Band 6", True, white=60, bme=20, unknown=5),
        BandCounts("Band 5", True, white=50, bme=50, unknown=0),
        BandCounts("Band 5", True, white=10, bme=0, unknown=0),  # merged with the row above
        BandCounts("Band 3", False, white=30, bme=10, unknown=10),
        BandCounts("Consultant", True, white=5, bme=15, unknown=0),
        BandCounts("Band 2", None, white=5, bme=0, unknown=0),  # staff group unknown
    ])
    assert [r.band for r in report.clinical] == ["Band 5", "Band 6", "Consultant"]
    band_5 = report.clinical[0]
    assert (band_5.white, band_5.bme) == (60, 50)
    assert band_5.bme_share == pytest.approx(50 / 110)
    assert report.clinical[1].declaration_rate == pytest.approx(80 / 85)
    assert [r.band for r in report.non_clinical] == ["Band 3"]
    # The whole workforce includes staff without a staff group.
    assert report.bme == 95 and report.white == 160 and report.unknown == 15
    assert report.bme_share == pytest.approx(95 / 255)
    assert report.declaration_rate == pytest.approx(255 / 270)


def _row(area, group, count, known, population, population_total):
    return represent(area, area.title(), group, workforce_count=count, workforce_known=known,
                     workforce_total=known, population_count=population,
                     population_total=population_total)


def test_where_next_ranks_flagged_pairs_by_shortfall_with_partners_and_participants():
    rows = [
        _row("w1", "Asian", 10, 400, 300, 1000),  # shortfall 110, flagged
        _row("w2", "Asian", 20, 200, 400, 1000),  # shortfall 60, flagged
        _row("w2", "White", 180, 200, 600, 1000),  # over-represented
        _row("w3", "Black", 5, 500, 40, 1000),  # shortfall 15, flagged
    ]
    ranked = where_next(rows, partners={"w1": 2}, participants={("w2", "Asian"): 7})
    assert [(r.area_code, r.shortfall) for r in ranked] == [("w1", 110), ("w2", 60), ("w3", 15)]
    assert ranked[0].active_partners == 2 and ranked[0].participants == 0
    assert ranked[1].participants == 7 and ranked[1].active_partners == 0
    assert where_next(rows, {}, None, limit=1)[0].participants is None
    assert [r.area_code for r in flagged_first(rows)] == ["w1", "w2", "w3", "w2"]


def test_deprivation_lens():
    lens = deprivation_lens("All staff", in_deprived=150, known=1000, total=1100,
                            population_in_deprived=30000, population_total=100000)
    assert lens.share == pytest.approx(0.15)
    assert lens.population_share == pytest.approx(0.30)
    assert lens.ratio == pytest.approx(0.5)
    assert lens.gap_pp == pytest.approx(-15.0)
    assert lens.declaration_rate == pytest.approx(1000 / 1100)
    missing = deprivation_lens("x", 1, 2, 2, None, None)
    assert missing.population_share is None and missing.ratio is None
