"""The data imports page (admin) and the ``flask import`` commands."""

from __future__ import annotations

import io

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import ImportBatch, PopulationStatistic, Role
from tests import factories
from tests import factories_imports as files


def _upload(client, kind: str, data: bytes, name: str = "file.csv", **fields):
    return client.post(f"/admin/imports/{kind}", data={"file": (io.BytesIO(data), name),
                                                       **fields},
                       content_type="multipart/form-data")


def test_admin_uploads_a_census_file_and_sees_it_listed(login_as, client):
    admin = login_as(Role.admin)
    page = client.get("/admin/imports/").get_data(as_text=True)
    assert "Data imports" in page and "/admin/imports/workforce" in page
    data = files.real(files.ETHNICITY_LA).read_bytes()
    response = _upload(client, "census", data, "ethnic_group_la_gm.csv")
    assert response.status_code == 302
    batch = db.session.scalar(sa.select(ImportBatch))
    assert (batch.imported_by_id, batch.rows_inserted, batch.edition) == (
        admin.id, 190, "Census 2021")
    listing = client.get("/admin/imports/").get_data(as_text=True)
    assert "190 rows read: 190 inserted" in listing  # the flashed summary
    assert "ethnic_group_la_gm.csv" in listing and batch.checksum[:12] in listing
    assert admin.name in listing
    again = _upload(client, "census", data, "copy.csv")
    assert again.status_code == 302 and files.count(ImportBatch) == 1
    assert "already imported" in client.get("/admin/imports/").get_data(as_text=True)


def test_a_refused_upload_shows_every_problem_and_saves_nothing(login_as, client):
    login_as(Role.admin)
    header, rows = files.real_rows(files.ETHNICITY_LA)
    rows[3][8] = "-4"
    rows[7][0] = "E0800000X"
    data = files.csv_text(header, rows).encode()
    page = _upload(client, "census", data).get_data(as_text=True)
    assert "2 problems found" in page and "Problems found (2)" in page
    assert "is negative" in page and "-4" in page and "E0800000X" in page
    assert files.count(PopulationStatistic) == 0 and files.count(ImportBatch) == 0


def test_binary_content_is_refused_whatever_its_name(login_as, client):
    login_as(Role.admin)
    page = _upload(client, "postcodes", b"PK\x03\x04" + bytes(200), "postcodes.csv")
    assert "looks like an Excel workbook" in page.get_data(as_text=True)
    gz = _upload(client, "imd", files.real(files.IMD_FILE_1).read_bytes(), "imd.csv")
    assert "compressed" in gz.get_data(as_text=True)
    assert files.count(ImportBatch) == 0


def test_upload_form_checks(login_as, client, app, monkeypatch):
    login_as(Role.admin)
    page = _upload(client, "workforce", b"staff_ref,pay_band,ethnic_category\nA,5,A\n")
    assert "Enter the date the extract describes" in page.get_data(as_text=True)
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_MAX_BYTES", 10)
    big = _upload(client, "recruitment", b"applicant_ref,vacancy_ref,date\n")
    assert "larger than" in big.get_data(as_text=True)
    assert client.get("/admin/imports/nonsense").status_code == 404
    empty = client.post("/admin/imports/imd", data={}, content_type="multipart/form-data")
    assert "Choose a CSV file" in empty.get_data(as_text=True)


def test_workforce_upload_with_its_date(login_as, client):
    login_as(Role.admin)
    response = _upload(client, "workforce", b"staff_ref,pay_band,ethnic_category\nA,5,A\n",
                       as_of="2025-03-31")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(ImportBatch.edition)) == "as of 2025-03-31"


def test_only_admins_see_the_navigation_item(login_as, client):
    login_as(Role.coordinator)
    assert "Data imports" not in client.get("/").get_data(as_text=True)
    assert client.get("/admin/imports/").status_code == 403


def test_cli_imports_prints_a_summary_and_is_idempotent(runner):
    path = str(files.real(files.ETHNICITY_LA))
    user = factories.UserFactory(role=Role.admin, email="lead@trust.example")
    db.session.commit()
    first = runner.invoke(args=["import", "census", path, "--by", "lead@trust.example"])
    assert first.exit_code == 0, first.output
    assert "190 rows read: 190 inserted, 0 updated, 0 unchanged or skipped." in first.output
    assert db.session.scalar(sa.select(ImportBatch.imported_by_id)) == user.id
    again = runner.invoke(args=["import", "census", path])
    assert again.exit_code == 0 and "already imported" in again.output


def test_cli_refusal_prints_the_rows_and_exits_non_zero(runner, tmp_path):
    header, rows = files.real_rows(files.ETHNICITY_LA)
    for row in rows[:30]:
        row[8] = "n/a"
    path = files.write_csv(tmp_path / "bad.csv", header, rows)
    result = runner.invoke(args=["import", "census", str(path)])
    assert result.exit_code == 1
    assert "30 problems found" in result.output and "Nothing was changed" in result.output
    assert "Row 2, column “value”: is not a whole number. (value “n/a”)" in result.output
    assert "… and 10 more problems." in result.output
    assert files.count(PopulationStatistic) == 0


def test_cli_workforce_needs_a_date(runner, tmp_path):
    path = files.write_csv(tmp_path / "s.csv", ["staff_ref", "pay_band", "ethnic_category"],
                           [["A", "5", "A"]])
    missing = runner.invoke(args=["import", "workforce", str(path)])
    assert missing.exit_code == 2 and "--as-of" in missing.output
    ok = runner.invoke(args=["import", "workforce", str(path), "--as-of", "2025-03-31"])
    assert ok.exit_code == 0, ok.output
    assert "now holds 1 staff" in ok.output
