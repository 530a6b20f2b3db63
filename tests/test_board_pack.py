"""The quarterly board pack: its figures, its HTML (a snapshot), its PDF, publishing and access.

The HTML snapshot is ``tests/snapshots/board_pack_2025-Q1.html``. When a deliberate change to the
pack changes it, regenerate it and review the difference before committing:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_board_pack.py -k snapshot
    git diff tests/snapshots/
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from recruit.dashboard.tables import Table
from recruit.extensions import db
from recruit.models import AuditEvent, BoardReport, ReportStatus, Role
from recruit.reports import context, render
from recruit.statistics.periods import Quarter
from tests import board_world, factories

SNAPSHOT = Path(__file__).parent / "snapshots" / "board_pack_2025-Q1.html"
Q1 = Quarter.parse(board_world.QUARTER)


@pytest.fixture
def world(app):
    return board_world.build()


def _settings(app, data_dir: str | None = None) -> context.Settings:
    return context.Settings(organisation="Test NHS Foundation Trust",
                            data_dir=data_dir or app.config["RECRUIT_DATA_DIR"])


def _pack(app, data_dir: str | None = None, **kwargs) -> context.BoardPack:
    return context.build(db.session, Q1, _settings(app, data_dir), today=board_world.TODAY,
                         **kwargs)


def _tables(pack: context.BoardPack) -> list[Table]:
    found = list(pack.tables.values())
    if pack.representativeness:
        r = pack.representativeness
        found += [r.catchment, r.towns, r.where_next, r.wards]
    if pack.wres:
        found += [pack.wres.clinical, pack.wres.non_clinical, pack.wres.indicator_2]
    return found


def test_the_figures_match_the_fixed_programme(app, world):
    pack = _pack(app, commentary="Good quarter.\n\nMore to do in Rochdale.")
    funnel = {row[0]: row[1:] for row in pack.tables["funnel_quarter"].rows}
    assert funnel["Registered"] == [12, 12 / 30, "not applicable"]
    assert funnel["Completed the programme"] == [8, 0.8, 44.0]
    assert funnel["Started a role"] == [2, 2 / 3, 5.0]
    assert pack.guarantee["share"] == 0.75 and pack.guarantee["completers"] == 8
    assert pack.feedback["share"] == 0.5
    statuses = {t["name"]: t["status_label"] for t in pack.targets}
    assert statuses == {"Residents employed in entry-level roles": "Off track",
                        "Pre-employment places filled": "At risk",  # 12 of 15 planned
                        "Career ambassadors trained": "At risk",
                        "Entry-level posts identified": "Achieved",
                        "Schools visited": "On track"}
    assert pack.commentary == ["Good quarter.", "More to do in Rochdale."]
    assert pack.status == "Draft" and pack.dated == board_world.TODAY
    assert pack.wres is not None and pack.representativeness is not None
    # WRES 2: White 10 of 30 appointed, BME 10 of 30 (all posts): parity; the programme route
    # alone has no White applicants.
    scopes = {row[0]: row for row in pack.wres.indicator_2.rows}
    assert scopes["All posts"][1:5] == [30, 10, 30, 10] and scopes["All posts"][7] == 1.0
    change = {row[0]: row[1:] for row in pack.tables["change"].rows}
    assert change["Registered (in the quarter)"] == ["0", "12", "+12"]


def test_every_table_below_organisation_level_is_suppressed(app, world):
    pack = _pack(app)
    expected = {"equality", "breakdown-partner_kind", "breakdown-town", "breakdown-partner",
                "completion-by-town", "catchment", "towns", "where-next", "ward-map-table",
                "wres1-clinical", "wres1-non-clinical", "wres2"}
    suppressed = {t.key for t in _tables(pack) if t.suppressed}
    assert expected <= suppressed
    for table in _tables(pack):
        if not table.suppressed:
            continue
        assert table.note, f"{table.key} has no suppression note"
        for column, kind in enumerate(c.kind for c in table.columns):
            for row in table.rows:
                value = row[column]
                if kind in ("count", "number") and isinstance(value, int):
                    # shortfalls below parity are negative headcounts, suppressed the same way
                    assert value == 0 or (abs(value) >= 10 and value % 5 == 0), (table.key, row)
    # and in the HTML the board reads: no number from 1 to 7 in any cell of those tables
    html = render.render_html(context.figures(pack), app.config["RECRUIT_DATA_DIR"])
    for key in suppressed:
        body = html.split(f'id="table-{key}"', 1)[1].split("</table>", 1)[0]
        cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", body.split("<tbody>", 1)[1])
        assert not [c for c in cells if re.fullmatch(r"\s*[1-7]\s*", c)], key


def test_equality_figures_come_with_their_declaration_rates(app, world):
    pack = _pack(app)
    assert "declared by 75.0% of the 12 people" in pack.tables["equality"].declaration
    for table in (pack.representativeness.catchment, pack.representativeness.towns,
                  pack.wres.clinical, pack.wres.indicator_2):
        assert any(c.label.startswith("Declared") for c in table.columns), table.key
    assert [name for name, _rate in pack.declarations] == [
        "Participants registered this quarter: ethnic group",
        "Staff: ethnicity (WRES indicator 1)",
        "Shortlisted applicants: ethnicity (WRES indicator 2, all posts)",
        "Staff living in the catchment: ethnicity"]


def test_the_html_matches_the_snapshot(app, world):
    figures = context.figures(_pack(app, data_dir="/nonexistent",
                                    commentary="Steady progress; more outreach in Rochdale."))
    html = render.render_html(figures, "/nonexistent")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(html, encoding="utf-8")
    assert html == SNAPSHOT.read_text(encoding="utf-8"), (
        "The board pack's HTML changed. If that was intended, run "
        "UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_board_pack.py -k snapshot "
        "and review git diff tests/snapshots/")


def test_the_html_is_rendered_from_the_frozen_figures_alone(app, world):
    figures = context.figures(_pack(app, data_dir="/nonexistent"))
    before = render.render_html(figures, "/nonexistent")
    factories.ActivityFactory(held_on=date(2025, 4, 20), people_reached=1000)
    db.session.commit()
    assert render.render_html(figures, "/nonexistent") == before


def test_the_pdf_is_tagged_paginated_and_has_every_section(app, world):
    figures = context.figures(_pack(app))
    pdf = render.render(figures, app.config["RECRUIT_DATA_DIR"])
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    for _key, title in context.SECTIONS:
        assert title in text, title
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "Test NHS Foundation Trust" in page and "Q1 2025/26" in page
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Test NHS Foundation Trust: inclusive recruitment")
    # the same figures give the same bytes (nothing dated "now" inside the file)
    assert render.render(figures, app.config["RECRUIT_DATA_DIR"]) == pdf


def _start_and_publish(client, commentary: str = "Frozen commentary.") -> BoardReport:
    client.post("/reports/new", data={"quarter": board_world.QUARTER})
    report = db.session.query(BoardReport).one()
    client.post(f"/reports/{report.id}", data={"commentary": commentary,
                                               "version": str(report.version)})
    db.session.refresh(report)
    client.post(f"/reports/{report.id}/publish", data={"version": str(report.version)})
    db.session.refresh(report)
    return report


def test_a_draft_follows_the_data_and_a_published_pack_never_changes(app, world, login_as,
                                                                      client):
    login_as(Role.admin)
    client.post("/reports/new", data={"quarter": board_world.QUARTER})
    report = db.session.query(BoardReport).one()
    assert _funnel_reached(client.get(f"/reports/{report.id}/preview")) == "150"
    factories.ActivityFactory(held_on=date(2025, 4, 20), people_reached=1000)
    db.session.commit()
    assert _funnel_reached(client.get(f"/reports/{report.id}/preview")) == "1,150"  # draft

    client.post(f"/reports/{report.id}/publish", data={"version": str(report.version)})
    db.session.refresh(report)
    assert report.status is ReportStatus.published and report.figures is not None
    assert report.pdf_sha256 == hashlib.sha256(report.pdf).hexdigest()
    first = client.get(f"/reports/{report.id}/board-pack.pdf")
    assert first.mimetype == "application/pdf" and first.data == report.pdf

    factories.ActivityFactory(held_on=date(2025, 5, 20), people_reached=5000)
    db.session.commit()
    again = client.get(f"/reports/{report.id}/board-pack.pdf")
    assert hashlib.sha256(again.data).hexdigest() == report.pdf_sha256
    assert _funnel_reached(client.get(f"/reports/{report.id}/preview")) == "1,150"  # frozen
    page = client.post(f"/reports/{report.id}", data={"commentary": "changed",
                                                      "version": str(report.version)},
                       follow_redirects=True).get_data(as_text=True)
    assert "can no longer change" in page
    assert client.post(f"/reports/{report.id}/publish",
                       data={"version": str(report.version)}).status_code == 302
    db.session.refresh(report)
    assert hashlib.sha256(report.pdf).hexdigest() == report.pdf_sha256
    events = [e.action for e in db.session.query(AuditEvent)]
    assert "publish" in events and events.count("download") == 2


def test_the_board_sees_published_packs_only(app, world, login_as, client):
    login_as(Role.coordinator)
    client.post("/reports/new", data={"quarter": board_world.QUARTER})
    client.post("/logout")
    report = db.session.query(BoardReport).one()
    login_as(Role.board)
    assert "No report has been published yet" in client.get("/reports/").get_data(as_text=True)
    assert client.get(f"/reports/{report.id}/preview").status_code == 404
    assert client.get(f"/reports/{report.id}/board-pack.pdf").status_code == 404
    assert client.get(f"/reports/{report.id}").status_code == 403
    assert client.post(f"/reports/{report.id}/publish").status_code == 403
    client.post("/logout")
    login_as(Role.admin)
    client.post(f"/reports/{report.id}/publish", data={"version": str(report.version)})
    client.post("/logout")
    login_as(Role.board)
    assert "Q1 2025/26" in client.get("/reports/").get_data(as_text=True)
    assert client.get(f"/reports/{report.id}/board-pack.pdf").data.startswith(b"%PDF")


def test_coordinators_write_commentary_but_only_the_admin_publishes(app, world, login_as,
                                                                    client):
    login_as(Role.coordinator)
    client.post("/reports/new", data={"quarter": board_world.QUARTER})
    report = db.session.query(BoardReport).one()
    client.post(f"/reports/{report.id}", data={"commentary": "Rochdale <b>needs</b> work.",
                                               "version": str(report.version)})
    preview = client.get(f"/reports/{report.id}/preview").get_data(as_text=True)
    assert "Rochdale &lt;b&gt;needs&lt;/b&gt; work." in preview
    assert client.post(f"/reports/{report.id}/publish").status_code == 403
    stale = client.post(f"/reports/{report.id}", data={"commentary": "x", "version": "1"})
    assert "Someone else changed this board report" in stale.get_data(as_text=True)


def test_the_command_writes_the_pack(app, world, runner, tmp_path):
    output = tmp_path / "pack.pdf"
    result = runner.invoke(args=["report", "board", "--quarter", "2025-Q1",
                                 "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "draft board pack for Q1 2025/26" in result.output
    assert output.read_bytes().startswith(b"%PDF")
    refused = runner.invoke(args=["report", "board", "--quarter", "2025-5",
                                  "--output", str(output)])
    assert refused.exit_code != 0 and "2025-Q1" in refused.output


def _funnel_reached(response) -> str:
    body = response.get_data(as_text=True).split('id="table-funnel-quarter"', 1)[1]
    return re.search(r"People reached</th><td[^>]*>([^<]+)</td>", body).group(1)


def test_past_a_dozen_towns_the_pack_lists_the_flagged_ones(app, world, monkeypatch):
    """An integrated care system has dozens of towns: the pack shows those needing attention."""
    every = _pack(app).representativeness.towns
    assert len({row[0] for row in every.rows}) == 2 and "every town" not in every.note
    flagged = [row for row in every.rows if row[-1] == "Not reflective"]
    assert 0 < len(flagged) < len(every.rows)
    monkeypatch.setattr(context, "TOWNS_IN_FULL", 1)
    towns = _pack(app).representativeness.towns
    assert sorted(towns.rows) == sorted(flagged)
    assert towns.note.startswith(f"The {len(flagged)} town and group pair(s) not reflective")
    assert "of 2 towns; every town is on the representativeness page" in towns.note


def test_past_twenty_flagged_town_pairs_the_pack_lists_the_largest_shortfalls():
    rows = [SimpleNamespace(area_code=f"E0800{n:04d}", area_name=f"Town {n}", group=group,
                            not_reflective=n % 2 == 0, shortfall=n * 5)
            for n in range(30) for group in ("Asian", "Black")]
    shown, note = context.shown_towns(rows)
    assert [(r.area_name, r.group) for r in shown[:3]] == [
        ("Town 28", "Asian"), ("Town 28", "Black"), ("Town 26", "Asian")]
    assert len(shown) == context.TOWN_PAIRS == 20
    assert note.startswith("The 20 town and group pairs not reflective with the largest "
                           "shortfalls (30 in all), of 30 towns; every town is on")


def test_a_long_shade_of_the_ward_map_names_the_marked_wards_and_counts_the_rest(
        app, world, monkeypatch):
    full = {row[0]: row[1] for row in _pack(app).representativeness.wards.rows}
    longest = max(full, key=lambda shade: full[shade].count("("))  # one bracket a ward
    named = full[longest].count("(")
    assert named >= 2
    monkeypatch.setattr(context, "WARDS_PER_SHADE", 1)
    short = {row[0]: row[1] for row in _pack(app).representativeness.wards.rows}
    more = named - 1
    assert short[longest].endswith(f"; and {more} more ward{'s' if more > 1 else ''} (every "
                                   "ward: the representativeness page)")
    assert short[longest].count("(") == 2  # one ward named, and the pointer to the page
    assert short[longest].startswith("Central Rochdale (Rochdale; deprived; active partners)")


def test_past_a_dozen_towns_the_town_tables_keep_the_busiest(app, world, monkeypatch):
    full = _pack(app).tables
    assert len(full["by_town"].rows) == 2 and "every one is on the dashboard" not in \
        full["by_town"].note
    monkeypatch.setattr(context, "TOWNS_IN_FULL", 1)
    short = _pack(app).tables
    assert short["by_town"].rows == full["by_town"].rows[:1]  # most registrations first
    assert short["by_town"].note.startswith("The 1 towns with most registrations this quarter, "
                                            "of 2; every one is on the dashboard.")


def test_past_a_dozen_towns_completion_lists_those_where_most_finished(monkeypatch):
    monkeypatch.setattr(context, "TOWNS_IN_FULL", 2)
    counts = {"Bury": (12, 3), "Oldham": (1, 0), "Rochdale": (30, 9), None: (0, 1)}
    table = context._completion_by_town(counts)
    assert [row[0] for row in table.rows] == ["Bury", "Rochdale"]  # alphabetical, as before
    assert table.note.startswith("The 2 towns where most people finished a cohort, of 4.")
    monkeypatch.setattr(context, "TOWNS_IN_FULL", 12)
    assert [row[0] for row in context._completion_by_town(counts).rows] == [
        "Bury", "Oldham", "Rochdale", "Town not known"]
