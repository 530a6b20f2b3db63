"""Lists whose length grows with the data are sent a page at a time."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import Outcome, OutcomeKind, Participant, Role
from recruit.representativeness import views as representativeness_views
from tests import statistics_world
from tests.factories_participants import bulk_participants

TODAY = date.today()


def _overdue_outcomes(count: int) -> None:
    bulk_participants(count)
    ids = db.session.scalars(sa.select(Participant.id).order_by(Participant.id)).all()
    db.session.execute(sa.insert(Outcome), [
        {"participant_id": id_, "kind": OutcomeKind.apprenticeship,
         "started_on": TODAY - timedelta(days=100 + n)} for n, id_ in enumerate(ids)])
    db.session.commit()


def test_checks_due_come_a_page_at_a_time(login_as, client):
    _overdue_outcomes(60)
    login_as(Role.coordinator)
    html = client.get("/outcomes/checks-due").get_data(as_text=True)
    assert "Showing 1 to 25 of 60 checks" in html
    assert len(re.findall(r"/check/13\"", html)) == 25
    assert "overdue by 68 days" in html  # the longest overdue (started 159 days ago) first
    assert "/outcomes/checks-due?page=2" in html
    last = client.get("/outcomes/checks-due?page=3").get_data(as_text=True)
    assert "Showing 51 to 60 of 60 checks" in last and "overdue by 9 days" in last
    assert client.get("/outcomes/checks-due?page=4").status_code == 404
    assert "Sustainment checks due (60)" in client.get("/outcomes/").get_data(as_text=True)


@pytest.fixture
def short_tables(monkeypatch):
    """Page the ward table as it would be at scale, from the small fixed world's rows."""
    monkeypatch.setattr(representativeness_views, "SHORT_TABLE", 3)
    monkeypatch.setattr(representativeness_views, "TABLE_PAGE_SIZE", 4)


def _body_rows(html: str, table_id: str) -> int:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return len(re.findall(r'<tr class="nhsuk-table__row', table)) - 1  # less the header


def _first_cells(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return re.findall(r'<tr class="nhsuk-table__row">\s*<td class="nhsuk-table__cell">([^<]+)<',
                      table)


def test_every_ward_row_is_paged_and_downloadable(client, login_as, short_tables):
    statistics_world.build()
    login_as(Role.coordinator)
    html = client.get("/representativeness/?area_type=ward").get_data(as_text=True)
    total = int(re.search(r"Every row \(([\d,]+)\)", html).group(1))
    assert total > 4 and f"Showing 1 to 4 of {total} rows" in html
    assert _body_rows(html, "representation-table") == 4
    assert "page=2#every-row" in html.replace("&amp;", "&")
    assert "Download every row as CSV" in html and 'class="recruit-map' in html
    second = client.get("/representativeness/?area_type=ward&page=2").get_data(as_text=True)
    assert "Showing 5 to 8" in second and 'id="every-row" open' in second
    response = client.get("/representativeness/rows.csv?area_type=ward")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Area", "Group"] and len(rows) == total + 1


def test_the_boards_download_is_suppressed_like_its_page(client, login_as):
    statistics_world.build()
    login_as(Role.board)
    response = client.get("/representativeness/rows.csv?area_type=ward")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    central = next(r for r in rows if r[0] == "Central Rochdale" and r[1] == statistics_world.ASIAN)
    assert central[2] == "*" and central[3] == "25" and central[4].startswith("*")
    for row in rows[1:]:
        for cell in (row[2], row[3], row[6], row[10]):
            assert not (cell.isdigit() and 1 <= int(cell) <= 7), row


def test_the_map_as_a_table_is_paged_by_its_own_argument(client, login_as, monkeypatch):
    """A thousand catchment wards: the map's table comes in pages, apart from the page's table."""
    monkeypatch.setattr(representativeness_views, "TABLE_PAGE_SIZE", 2)
    statistics_world.build()
    login_as(Role.coordinator)
    html = client.get("/representativeness/").get_data(as_text=True)
    total = int(re.search(r"Showing 1 to 2 of ([\d,]+) wards", html).group(1))
    assert total == 3 and _body_rows(html, "map-table") == 2
    assert "map_page=2#map-rows" in html.replace("&amp;", "&")
    assert 'id="map-rows" open' not in html
    second = client.get("/representativeness/?map_page=2").get_data(as_text=True)
    assert "Showing 3 to 3 of 3 wards" in second and _body_rows(second, "map-table") == 1
    assert 'id="map-rows" open' in second
    first, rest = _first_cells(html, "map-table"), _first_cells(second, "map-table")
    assert len(set(first + rest)) == 3  # every ward once, across the two pages
    assert client.get("/representativeness/?map_page=3").status_code == 404
