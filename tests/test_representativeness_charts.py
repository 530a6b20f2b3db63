"""The SVG charts and the ward map: accessible, honest about suppression; no app needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import Config
from recruit.charts import BarPair, Series, line_chart, percent, share_bars
from recruit.maps import WARD_BOUNDARIES, MapWard, describe, gap_band, load_wards, ward_map

BOUNDARIES = Path(Config.RECRUIT_DATA_DIR) / WARD_BOUNDARIES


@pytest.fixture(autouse=True)
def db():
    """Pure rendering: no application and no database (overrides the conftest fixture)."""
    yield None


def test_bar_chart_has_title_description_and_direct_labels():
    svg = share_bars([BarPair("Coldhurst: Asian", 0.2, 0.6, "not reflective"),
                      BarPair("Werneth: <b>Asian</b>", "*", 0.7),
                      BarPair("Nowhere", None, None)],
                     title="Shares & gaps", description="Three rows", chart_id="c1")
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Shares &amp; gaps</title>' in svg
    assert '<desc id="c1-desc">Three rows</desc>' in svg
    assert "Coldhurst: Asian (not reflective)" in svg  # the flag in words, not colour alone
    assert "Workforce 20.0%" in svg and "Population 60.0%" in svg
    assert "&lt;b&gt;Asian&lt;/b&gt;" in svg and "<b>" not in svg  # labels are escaped
    # A suppressed share is written as * and drawn as no bar, never as a zero-length bar.
    assert "Workforce *" in svg and "Workforce no data" in svg
    assert 'fill="url(#c1-hatch)"' in svg  # the population series is hatched
    bars = re.findall(r'<rect x="0" y="(\d+)" width="([\d.]+)"', svg)
    # Past the legend key: bars for 0.2, 0.6 and 0.7 on a 0-70% scale 450 wide; nothing for *
    # or a missing figure.
    assert [width for y, width in bars if y != "6"] == ["128.6", "385.7", "450.0"]


def test_line_chart_breaks_at_suppressed_points():
    svg = line_chart(["Jun 24", "Sep 24", "Dec 24", "Mar 25"],
                     [Series("Workforce", [0.1, 0.12, "*", 0.13]),
                      Series("Population", [0.2, 0.2, 0.2, 0.2], dashed=True)],
                     title="Trend", description="d", chart_id="t")
    assert '<title id="t-title">Trend</title>' in svg
    assert svg.count("<polyline") == 2  # the workforce line stops at the * and one point is left
    assert 'stroke-dasharray="6 4"' in svg
    assert ">*</text>" in svg
    assert "Workforce 13.0%" in svg and "Population 20.0%" in svg


def test_percent_text():
    assert percent(0.1234) == "12.3%"
    assert percent("*") == "*"
    assert percent(None) == "no data"


@pytest.mark.parametrize(("gap", "band"), [
    (-25.0, "20 or more points below"), (-20.0, "20 or more points below"),
    (-19.9, "10 to 20 points below"), (-5.0, "5 to 10 points below"),
    (-4.9, "Within 5 points"), (4.9, "Within 5 points"), (5.0, "5 to 10 points above"),
    (10.0, "10 or more points above"), ("*", "No figure (no data or suppressed)"),
    (None, "No figure (no data or suppressed)"),
])
def test_gap_bands(gap, band):
    assert gap_band(gap)[1] == band


@pytest.mark.skipif(not BOUNDARIES.is_file(), reason="reference data not present")
def test_ward_map_draws_the_wards_with_text_alternatives():
    wards = [
        MapWard("E05000723", "Coldhurst", -40.0, True, 1.0, 3),
        MapWard("E05000731", "Saddleworth North", 1.2, False, 0.0, 0),
        MapWard("E05014036", "Central Rochdale", "*", "*", 0.8, 1),
        MapWard("E05999999", "Not on the map", -3.0, False, None, 0),
    ]
    svg = ward_map(load_wards(str(BOUNDARIES)), wards, title="Map", description="Three wards")
    assert '<title id="ward-map-title">Map</title>' in svg
    assert svg.count('class="recruit-map__ward"') == 3
    assert "<title>Coldhurst: gap -40.0 points; not reflective; 100% of neighbourhoods" in svg
    assert "Central Rochdale: gap suppressed" in svg
    assert 'fill="url(#ward-map-hatch)" fill-opacity' in svg  # flagged Coldhurst is hatched
    assert svg.count('stroke-width="2.5"') >= 2  # deprived wards outlined (and the legend key)
    assert re.search(r'font-weight="600">3</text>', svg)  # Coldhurst's partner marker
    assert "Number of active partner organisations" in svg
    path = re.search(r'<path d="(M[^"]+)"', svg).group(1)
    assert path.count("M") >= 1 and path.endswith("Z")


def test_describe_a_ward():
    ward = MapWard("x", "Werneth", -12.34, False, None, 1)
    assert describe(ward) == "Werneth: gap -12.3 points; 1 active partner organisation"
