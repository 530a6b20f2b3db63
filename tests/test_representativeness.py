"""The representativeness pages: HR sees every figure, the board only published ones."""

from __future__ import annotations

import re

import pytest

from recruit.models import Role
from tests import statistics_world
from tests.statistics_world import ASIAN

URL = "/representativeness/"


@pytest.fixture
def world():
    return statistics_world.build()


def _table(html: str, table_id: str) -> list[list[str]]:
    """The body rows of one table, each a list of its cells' text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, f"no table {table_id}"
    body = re.search(r"<tbody.*?</tbody>", table.group(0), re.S).group(0)
    rows = re.findall(r"<tr.*?</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", " ", cell).split() and " ".join(
        re.sub(r"<[^>]+>", " ", cell).split()) or ""
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]


def _whole_numbers(text: str) -> list[int]:
    """Integers in a cell that are not part of a percentage or a decimal."""
    return [int(n.replace(",", "")) for n in
            re.findall(r"(?<![\d.,])\d[\d,]*(?![\d.,%])", text.replace("\u2212", "-"))]


def test_hr_sees_the_table_chart_where_next_map_and_trend(client, login_as, world):
    login_as(Role.coordinator)
    response = client.get(URL, query_string={"area_type": "ward"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = _table(html, "representation-table")
    # Flagged rows first, largest shortfall first: Coldhurst's then Central Rochdale's Asian rows.
    assert rows[0][:3] == ["Coldhurst", ASIAN, "10 of 50"]
    assert rows[0][-1] == "Not reflective"
    assert rows[1][:3] == ["Central Rochdale", ASIAN, "5 of 25"]
    assert rows[2][-1] != "Not reflective"
    assert rows[0][9] == "90.9% of 55"  # declaration rate beside the figure
    # An accessible chart: title and description referenced from the SVG, values as text.
    assert 'aria-labelledby="shares-chart-title shares-chart-desc"' in html
    assert '<title id="shares-chart-title">' in html
    assert "Workforce 20.0%" in html and "Population 60.0%" in html
    where = _table(html, "where-next-table")
    assert where[0][:3] == ["Coldhurst", ASIAN, "20"]
    assert where[0][5:] == ["1", "2"]  # one active partner, two Asian participants
    # The ward map draws the three catchment wards from the ONS boundaries.
    assert html.count('class="recruit-map__ward"') == 3
    assert "<title>Coldhurst: gap \u221240.0 points" not in html  # titles use a plain sign
    assert "<title>Coldhurst: gap -40.0 points; not reflective" in html
    map_rows = {row[0]: row for row in _table(html, "map-table")}
    assert len(map_rows) == 3
    assert map_rows["Coldhurst"][1:8] == ["Oldham", "20.0%", "60.0%", "\u221240.0", "90.9%",
                                          "Not reflective", "100%"]
    trend = _table(html, "trend-table")
    assert [row[0] for row in trend[:2]] == ["31 Mar 2024", "31 Mar 2025"]
    # Staff living anywhere in the catchment: 5 of 50 Asian a year earlier, 17 of 107 now.
    assert trend[0][1] == "10.0% (not reflective)" and trend[1][1].startswith("15.9%")
    assert trend[2][:2] == ["Residents (Census 2021)", "28.3%"]
    assert "Workforce 15.9%" in html  # the trend chart's direct label
    deprivation = _table(html, "deprivation-table")
    assert deprivation[0][:3] == ["All staff", "80 of 112 in the catchment", "71.4%"]


def test_board_sees_suppressed_figures_only(client, login_as, world):
    login_as(Role.board)
    html = client.get(URL, query_string={"area_type": "ward"}).get_data(as_text=True)
    assert "You are seeing published figures" in html
    rows = _table(html, "representation-table")
    assert rows, "the board sees the table"
    for row in rows:
        count_cells = [row[2], row[4], row[8], row[9].split(" of ")[-1]]
        for cell in count_cells:
            for number in _whole_numbers(cell):
                assert not 1 <= number <= 7, (cell, row)
    central = next(r for r in rows if r[0] == "Central Rochdale" and r[1] == ASIAN)
    assert central[2] == "* of 25" and central[3].startswith("*")
    assert "5 of 25" not in html
    where = _table(html, "where-next-table")
    assert where[0][6] == "*"  # two participants
    for row in _table(html, "deprivation-table"):
        for number in _whole_numbers(row[1]):
            assert not 1 <= number <= 7, row


def test_every_selection_renders(client, login_as, world):
    login_as(Role.admin)
    for area_type in ("catchment", "la", "ward", "site"):
        for characteristic in ("ethnicity", "sex", "age", "disability", "religion"):
            response = client.get(URL, query_string={
                "area_type": area_type, "characteristic": characteristic})
            assert response.status_code == 200, (area_type, characteristic)
    category = client.get(URL, query_string={"level": "category", "subset": "programme",
                                             "focus": "Asian or Asian British - Pakistani"})
    html = category.get_data(as_text=True)
    assert "Ward map: Asian or Asian British - Pakistani" in html
    # Nonsense in the query string falls back to the defaults instead of failing.
    odd = client.get(URL, query_string={"snapshot": "abc", "area_type": "moon",
                                        "subset": "band:Band 99", "focus": "<script>"})
    assert odd.status_code == 200
    assert "<script>" not in odd.get_data(as_text=True).split("</header>", 1)[1].replace(
        '<script type="module"', "")


def test_empty_state_without_a_snapshot(client, login_as):
    login_as(Role.coordinator)
    html = client.get(URL).get_data(as_text=True)
    assert "No person-level workforce snapshot has been imported yet" in html
    assert "No person-level workforce snapshot" in client.get(
        "/representativeness/equality-standards").get_data(as_text=True)


def test_equality_standards_page(client, login_as, world):
    login_as(Role.admin)
    html = client.get("/representativeness/equality-standards").get_data(as_text=True)
    clinical = _table(html, "wres1-clinical")
    assert clinical[0][:4] == ["Band 5", "7", "103", "6.4%"]
    assert len(_table(html, "wres2")) == 3 and len(_table(html, "wdes2")) == 3


def test_board_sees_published_equality_standards(client, login_as, world):
    login_as(Role.board)
    html = client.get("/representativeness/equality-standards").get_data(as_text=True)
    clinical = _table(html, "wres1-clinical")
    assert clinical[0][:3] == ["Band 5", "*", "105"]


def test_navigation_offers_the_page_to_hr_and_the_board_only(client, login_as):
    login_as(Role.board)
    assert 'href="/representativeness/"' in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login_as(Role.ambassador)
    assert client.get(URL).status_code == 403
