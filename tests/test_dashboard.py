"""The programme dashboard: figures for a period on a fixed programme, suppression, downloads."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from recruit.dashboard import services
from recruit.dashboard.periods import Period, default_quarter
from recruit.extensions import db
from recruit.models import PartnerKind, Role
from recruit.statistics import programme
from recruit.statistics.funnel import funnel
from recruit.statistics.periods import Quarter
from tests import board_world, factories, factories_cohorts

Q1 = Quarter.parse("2025-Q1")


@pytest.fixture
def world(app):
    return board_world.build()


def _options(published=False, today=board_world.TODAY):
    return services.Options(today=today, published=published, guarantee_weeks=8)


def test_funnel_counts_conversions_and_median_days(world):
    f = funnel(db.session, Q1.starts_on, Q1.ends_on)
    assert [(s.key, s.count) for s in f.stages] == [
        ("reached", 150), ("interested", 30), ("registered", 12), ("enrolled", 10),
        ("completed", 8), ("placed", 5), ("applied", 4), ("offered", 3), ("started", 2),
        ("sustained", 0)]
    conversions = {s.key: s.conversion for s in f.stages}
    assert conversions["registered"] == pytest.approx(12 / 30)
    assert conversions["enrolled"] == pytest.approx(10 / 12)
    assert conversions["placed"] == pytest.approx(5 / 8)
    assert conversions["started"] == pytest.approx(2 / 3)
    medians = {s.key: s.median_days for s in f.stages}
    assert medians == {"reached": None, "interested": None, "registered": None,
                       "enrolled": 14.0, "completed": 44.0, "placed": 17.0, "applied": 4.0,
                       "offered": 5.0, "started": 5.0, "sustained": None}


def test_placement_guarantee_and_feedback_shares(world):
    g = programme.placement_guarantee(db.session, Q1.starts_on, Q1.ends_on, 8,
                                      board_world.TODAY)
    assert (g.completers, g.met, g.late, g.awaiting, g.missed) == (8, 6, 1, 1, 0)
    assert g.share == 0.75
    # Once P8's eight weeks (to 25 July) are over, P8 is missed rather than awaited.
    later = programme.placement_guarantee(db.session, Q1.starts_on, Q1.ends_on, 8,
                                          date(2025, 8, 1))
    assert (later.awaiting, later.missed) == (0, 1)
    f = programme.applicant_feedback(db.session, Q1.starts_on, Q1.ends_on)
    assert (f.unsuccessful, f.with_feedback, f.share) == (2, 1, 0.5)


def test_the_page_shows_the_figures_for_the_chosen_quarter(world, login_as, client):
    login_as(Role.coordinator)
    page = client.get("/dashboard/?quarter=2025-Q1").get_data(as_text=True)
    assert "Q1 2025/26 (April to June 2025)" in page
    funnel_table = _table(page, "funnel-table")
    assert funnel_table[2][:3] == ["Registered", "12", "40.0%"]
    assert funnel_table[4][:4] == ["Completed the programme", "8", "80.0%", "44.0"]
    assert "75.0%" in page  # the guarantee
    assert _table(page, "guarantee-table")[0][1:] == ["6", "75.0%"]
    assert "<svg" in page and 'role="img"' in page
    for key in ("funnel", "targets", "trajectory", "guarantee", "feedback", "equality"):
        assert f"/dashboard/tables/{key}.csv?quarter=2025-Q1" in page
        assert f"/dashboard/tables/{key}.xlsx?quarter=2025-Q1" in page


def test_a_financial_year_covers_april_to_march(world, login_as, client):
    login_as(Role.coordinator)
    page = client.get("/dashboard/?year=2025").get_data(as_text=True)
    assert "Financial year 2025/26 (April 2025 to March 2026)" in page
    assert _table(page, "funnel-table")[0][:2] == ["People reached", "150"]
    earlier = client.get("/dashboard/?year=2024").get_data(as_text=True)
    assert _table(earlier, "funnel-table")[0][:2] == ["People reached", "30"]


def test_the_default_period_is_the_latest_complete_quarter_with_data():
    assert default_quarter(date(2025, 7, 10), date(2025, 6, 30)) == Q1
    assert default_quarter(date(2026, 11, 23), date(2026, 3, 28)) == Quarter(2025, 4)
    assert default_quarter(date(2025, 7, 10), None) == Q1


def test_home_is_the_dashboard_for_hr_and_the_board(world, login_as, client):
    login_as(Role.board)
    page = client.get("/").get_data(as_text=True)
    assert "Programme overview" in page and 'href="/dashboard/"' in page


def test_breakdowns_shown_to_the_board_are_suppressed(world, login_as, client):
    login_as(Role.board)
    page = client.get("/dashboard/?quarter=2025-Q1&by=partner").get_data(as_text=True)
    rows = _table(page, "breakdown-partner-table")
    mosque = next(r for r in rows if r[0] == "Al-Noor Mosque")
    # 9 registered rounds to 10; 8 completed to 10; everything from 1 to 7 is *.
    assert mosque[1:7] == ["*", "100", "20", "10", "10", "10"]
    _assert_no_small_counts(page, "breakdown-partner-table")
    _assert_no_small_counts(page, "equality-table")
    assert "Small numbers are suppressed" in page


def test_staff_see_exact_breakdowns_but_equality_is_always_suppressed(world, login_as,
                                                                     client):
    login_as(Role.coordinator)
    page = client.get("/dashboard/?quarter=2025-Q1&by=partner").get_data(as_text=True)
    mosque = next(r for r in _table(page, "breakdown-partner-table") if r[0] == "Al-Noor Mosque")
    assert mosque[1:5] == ["1", "100", "20", "9"]
    equality = _table(page, "equality-table")
    assert equality[0][:2] == ["Asian, Asian British or Asian Welsh", "*"]  # 6 people
    assert "Ethnic group declared by 75.0% of the 12 people registered" in page
    _assert_no_small_counts(page, "equality-table")


def test_the_board_sees_no_ambassador_breakdown_and_no_person_level_links(world, login_as,
                                                                         client):
    login_as(Role.board)
    page = client.get("/dashboard/?quarter=2025-Q1&by=ambassador").get_data(as_text=True)
    assert "Sam Ambassador" not in page and "by=ambassador" not in page
    person_level = ("/participants", "/ambassadors", "/cohorts", "/placements",
                    "/applications", "/outcomes", "/vacancies", "/partners", "/outreach")
    links = re.findall(r'href="([^"]+)"', page)
    assert links and not [link for link in links if link.startswith(person_level)]
    assert client.get("/dashboard/tables/breakdown-ambassador.csv?quarter=2025-Q1"
                      ).status_code == 404


def test_csv_and_xlsx_downloads_are_safe_against_formulas(app, login_as, client):
    partner = factories.PartnerFactory(name="=HYPERLINK(\"http://evil\")",
                                       kind=PartnerKind.charity)
    person = factories_cohorts.ParticipantFactory(referring_partner=partner)
    board_world.history(person, "participant", person.id, "registered", date(2025, 4, 2))
    db.session.commit()
    login_as(Role.coordinator)
    response = client.get("/dashboard/tables/breakdown-partner.csv?quarter=2025-Q1")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Partner organisation"
    assert rows[1][0].startswith("'=")  # defused: Excel shows it as text
    response = client.get("/dashboard/tables/breakdown-partner.xlsx?quarter=2025-Q1")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cell = sheet["A2"]
    assert cell.value == "=HYPERLINK(\"http://evil\")" and cell.data_type == "s"
    assert sheet["E2"].value == 1 and sheet["E2"].data_type == "n"  # numbers stay numbers


def test_downloads_for_the_board_are_suppressed(world, login_as, client):
    login_as(Role.board)
    text = client.get("/dashboard/tables/breakdown-partner.csv?quarter=2025-Q1"
                      ).get_data(as_text=True)
    mosque = next(r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))
                  if r[0] == "Al-Noor Mosque")
    assert mosque[1:5] == ["*", "100", "20", "10"]


def test_table_for_answers_none_for_an_unknown_table(world):
    period = Period.of_quarter(Q1)
    assert services.table_for(db.session, "nonsense", period, _options()) is None
    table = services.table_for(db.session, "feedback", period, _options())
    assert table.rows[0][1:] == [1, 0.5]


def test_the_diversity_return_follows_the_open_standard_and_is_suppressed(world, login_as,
                                                                        client):
    login_as(Role.board)
    response = client.get("/dashboard/diversity-return.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["published"] == "2025-03-31" and record["organisation"] == "Test Trust"
    # statistics_world: 125 staff, of whom 103 White British (A), 15 Pakistani (J), 2 Indian
    # (H) and 5 not stated (Z).
    assert record["employees"] == "125"
    assert record["ethnicity_white"] == "105" and record["ethnicity_white_british"] == "105"
    assert record["ethnicity_asian_pakistani"] == "15"
    assert record["ethnicity_asian_indian"] == ""  # 2 people: suppressed, left blank
    assert record["ethnicity_prefernottosay"] == ""  # 5
    assert record["ethnicity_black"] == "0"
    assert record["ethnicity_white_traveller"] == ""  # not separable in the NHS codes


def _table(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody", 1)[1]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def _assert_no_small_counts(html: str, table_id: str) -> None:
    """No cell of a count column holds a number from 1 to 7."""
    head = html.split(f'id="{table_id}"', 1)[1].split("<tbody", 1)[0]
    labels = [re.sub(r"<[^>]+>", "", h).strip()
              for h in re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)]
    for row in _table(html, table_id):
        for label, value in zip(labels, row, strict=True):
            if not label.endswith("%") and re.fullmatch(r"[1-7]", value):
                raise AssertionError(f"{table_id}: {label} shows {value}")
