"""``flask stats representation`` and ``flask stats wres`` on the fixed dataset."""

from __future__ import annotations

import json

import pytest

from recruit.extensions import db
from tests import factories_statistics as fs
from tests import statistics_world
from tests.statistics_world import ASIAN

FIELDS = ["area_code", "area_name", "group", "workforce_count", "workforce_known",
          "workforce_total", "population_count", "population_total", "workforce_share",
          "population_share", "ratio", "gap_pp", "shortfall", "ci_low", "ci_high",
          "not_reflective", "declaration_rate"]


@pytest.fixture
def world():
    return statistics_world.build()


def _json(runner, *args):
    result = runner.invoke(args=["stats", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_representation_json_has_exactly_the_documented_fields(runner, world):
    rows = _json(runner, "representation", "--as-of", "2025-03-31", "--area-type", "ward",
                 "--characteristic", "ethnicity", "--level", "group", "--json")
    assert len(rows) == 3 * 5
    assert all(list(row) == FIELDS for row in rows)
    coldhurst = next(r for r in rows if r["area_name"] == "Coldhurst" and r["group"] == ASIAN)
    assert coldhurst["area_code"] == "E05000723"
    assert (coldhurst["workforce_count"], coldhurst["workforce_known"],
            coldhurst["workforce_total"]) == (10, 50, 55)
    assert coldhurst["population_share"] == pytest.approx(0.6)
    assert coldhurst["ratio"] == pytest.approx(1 / 3)
    assert coldhurst["shortfall"] == 20
    assert coldhurst["not_reflective"] is True


def test_representation_json_suppressed(runner, world):
    rows = _json(runner, "representation", "--as-of", "2025-03-31", "--area-type", "ward",
                 "--json", "--suppress")
    central = next(r for r in rows if r["area_name"] == "Central Rochdale"
                   and r["group"] == ASIAN)
    assert central["workforce_count"] == "*" and central["ratio"] == "*"
    for row in rows:
        for key in ("workforce_count", "workforce_known", "workforce_total", "population_count",
                    "population_total"):
            value = row[key]
            assert value in (0, "*", None) or value % 5 == 0 and value >= 8, (key, row)


def test_representation_other_geographies_and_levels(runner, world):
    rows = _json(runner, "representation", "--as-of", "2025-03-31", "--area-type", "catchment",
                 "--level", "category", "--json")
    assert {r["area_code"] for r in rows} == {"catchment"} and len(rows) == 16
    site = _json(runner, "representation", "--as-of", "2025-03-31", "--area-type", "site",
                 "--subset", "programme", "--json")
    oldham = next(r for r in site if r["area_name"] == "Oldham" and r["group"] == ASIAN)
    assert (oldham["workforce_count"], oldham["workforce_known"]) == (10, 10)


def test_representation_text_output_and_errors(runner, world):
    text = runner.invoke(args=["stats", "representation", "--as-of", "2025-03-31",
                               "--area-type", "ward"])
    assert text.exit_code == 0
    assert "Coldhurst" in text.output and "NOT REFLECTIVE" in text.output
    missing = runner.invoke(args=["stats", "representation", "--as-of", "2020-01-01"])
    assert missing.exit_code != 0
    assert "No person-level workforce snapshot is dated 2020-01-01" in missing.output
    assert "2025-03-31" in missing.output
    bad = runner.invoke(args=["stats", "representation", "--as-of", "2025-03-31",
                              "--subset", "everyone"])
    assert bad.exit_code != 0 and "unknown staff subset" in bad.output


def test_several_organisations_on_one_date_need_choosing(runner, world):
    fs.SnapshotFactory(as_of=world.snapshot.as_of, organisation="Other Trust")
    db.session.commit()
    result = runner.invoke(args=["stats", "representation", "--as-of", "2025-03-31"])
    assert result.exit_code != 0 and "--organisation" in result.output
    rows = _json(runner, "representation", "--as-of", "2025-03-31", "--organisation",
                 "Other Trust", "--json")
    assert all(r["workforce_total"] == 0 for r in rows)


def test_wres_json(runner, world):
    fs.outcomes(10, ethnic_category="A", appointed=True)
    fs.outcomes(10, ethnic_category="J")
    fs.outcomes(10, ethnic_category="J", appointed=True)
    db.session.commit()
    report = _json(runner, "wres", "--as-of", "2025-03-31", "--json")
    assert set(report) == {"as_of", "period_start", "wres_indicator_1", "wres_indicator_2",
                           "wdes_metric_2"}
    assert report["as_of"] == "2025-03-31" and report["period_start"] == "2024-04-01"
    scopes = [item["scope"] for item in report["wres_indicator_2"]]
    assert scopes == ["All posts", "Excluding the programme route", "Programme route only"]
    assert report["wres_indicator_2"][0]["relative_likelihood"] == pytest.approx(1.0 / 0.5)
    assert report["wres_indicator_1"]["bme"] == 17
    assert [item["scope"] for item in report["wdes_metric_2"]] == scopes
    suppressed = _json(runner, "wres", "--as-of", "2025-03-31", "--json", "--suppress")
    assert suppressed["wres_indicator_1"]["non_clinical"][0]["bme"] == 10
    assert suppressed["wres_indicator_1"]["clinical"][0]["bme"] == "*"  # 7 people
    text = runner.invoke(args=["stats", "wres", "--as-of", "2025-03-31"])
    assert "WRES indicator 2" in text.output and "2.00" in text.output
