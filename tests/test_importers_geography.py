"""``imd``, ``lsoa-wards`` and ``postcodes`` imports on the real shared files, and refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import ImportBatch, LocalAuthority, Lsoa, Postcode, Ward
from recruit.reference.geography import load_geography
from recruit.reference.importers import ImportRefused
from recruit.reference.services import import_imd, import_lsoa_wards, import_postcodes
from tests import factories_imports as files

IMD_HEADER_2025 = [
    "LSOA code (2021)", "LSOA name (2021)", "Local Authority District code (2024)",
    "Local Authority District name (2024)",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
]


def lsoa(code: str) -> Lsoa | None:
    return db.session.scalar(sa.select(Lsoa).where(Lsoa.code == code))


def refused(importer, path, **options) -> ImportRefused:
    before = files.stored_counts()
    with pytest.raises(ImportRefused) as caught:
        importer(path, **options)
    db.session.rollback()
    assert files.stored_counts() == before, "a refused file must write nothing"
    return caught.value


def test_the_whole_imd_2019_file_with_the_lookup():
    import_lsoa_wards(files.real(files.LSOA_WARDS))
    summary = import_imd(files.real(files.IMD_FILE_1))  # gzip, BOM, quoted thousands
    db.session.commit()
    assert summary.rows_read == 32_844 and summary.batch.edition == "IoD2019"
    coldhurst_b = lsoa("E01005350")
    assert (coldhurst_b.imd_rank, coldhurst_b.imd_decile, coldhurst_b.imd_edition) == (
        86, 1, "IoD2019")
    assert coldhurst_b.ward.name == "Coldhurst" and coldhurst_b.edition == "2021"
    first = lsoa("E01000001")
    assert (first.imd_rank, first.edition, first.ward) == (29_199, "2011", None)
    assert files.count(Lsoa, Lsoa.imd_rank == 30_326) == 2  # a published tie is kept
    oldham = db.session.scalar(sa.select(LocalAuthority.id).where(LocalAuthority.name == "Oldham"))
    assert files.count(Lsoa, Lsoa.local_authority_id == oldham, Lsoa.imd_decile == 1) == 43
    # The GM plain copy has the same figures: a new batch that changes nothing.
    plain = import_imd(files.real(files.IMD_GM))
    assert (plain.rows_inserted, plain.rows_updated, plain.rows_skipped) == (0, 0, 1_673)


def test_file_7_style_and_iod2025_headers(tmp_path):
    file_2 = files.slice_of("imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", tmp_path,
                            lambda row: row[0] in ("E01005350", "E01005348"))
    assert import_imd(file_2).rows_inserted == 2
    assert lsoa("E01005350").imd_rank == 86
    path = files.write_csv(tmp_path / "iod2025.csv", IMD_HEADER_2025, [
        ["E01005350", "Oldham 014B", "E08000004", "Oldham", "120", "1"],
        ["E01035000", "Somewhere 001A", "E08000004", "Oldham", "33,001", "10"]])
    summary = import_imd(path)
    assert summary.batch.edition == "IoD2025"
    assert (summary.rows_inserted, summary.rows_updated) == (1, 1)
    assert (lsoa("E01005350").imd_rank, lsoa("E01005350").imd_edition) == (120, "IoD2025")
    assert lsoa("E01035000").edition == "2021"


@pytest.mark.parametrize(("row", "column", "message"), [
    (["E01005350", "Oldham 014B", "E08000004", "Oldham", "86", "11"], "Index", "between 1 and 10"),
    (["E01005350", "Oldham 014B", "E08000004", "Oldham", "0", "1"], "Index", "between 1"),
    (["E02001234", "Oldham 014B", "E08000004", "Oldham", "86", "1"], "LSOA code", "E01 or W01"),
    (["E01005350", "Oldham 014B", "E08000004", "Oldham", "eighty", "1"], "Index", "whole"),
])
def test_bad_imd_rows_are_refused(tmp_path, row, column, message):
    path = files.write_csv(tmp_path / "imd.csv", IMD_HEADER_2025,
                           [["E01005348", "Oldham 014A", "E08000004", "Oldham", "100", "1"], row])
    error = refused(import_imd, path).errors[0]
    assert error.row == 3 and error.column.startswith(column) and message in error.message


def test_duplicate_lsoas_and_missing_columns_are_refused(tmp_path):
    same = ["E01005350", "Oldham 014B", "E08000004", "Oldham", "86", "1"]
    twice = files.write_csv(tmp_path / "twice.csv", IMD_HEADER_2025, [same, same])
    assert "repeats the LSOA of row 2" in refused(import_imd, twice).errors[0].message
    no_decile = files.write_csv(tmp_path / "nodecile.csv", IMD_HEADER_2025[:5], [same[:5]])
    assert "Decile" in refused(import_imd, no_decile).message


def test_the_real_lsoa_to_ward_lookup():
    summary = import_lsoa_wards(files.real(files.LSOA_WARDS))
    db.session.commit()
    assert (summary.rows_read, summary.rows_inserted) == (1_702, 1_702)
    assert summary.batch.edition == "2022"
    coldhurst = db.session.scalar(sa.select(Ward).where(Ward.code == "E05000723"))
    assert (coldhurst.name, coldhurst.edition, coldhurst.local_authority.name) == (
        "Coldhurst", "2022", "Oldham")
    assert {lsoa.code for lsoa in db.session.scalars(
        sa.select(Lsoa).where(Lsoa.ward_id == coldhurst.id))} >= {"E01005348", "E01005350"}
    assert (files.count(LocalAuthority), files.count(Ward)) == (10, 215)
    assert import_lsoa_wards(files.real(files.LSOA_WARDS)).already_imported


def test_lookup_refusals(tmp_path):
    header, rows = files.real_rows(files.LSOA_WARDS)
    renamed = [list(r) for r in rows[:5]]
    renamed.append(list(rows[0]))
    renamed[-1][0] = "E01999999"
    renamed[-1][3] = "Not Farnworth"
    error = refused(import_lsoa_wards, files.write_csv(tmp_path / "a.csv", header, renamed))
    assert "different name" in error.errors[0].message and error.errors[0].row == 7
    twice = files.write_csv(tmp_path / "b.csv", header, [rows[0], rows[1], rows[0]])
    assert "one ward per LSOA" in refused(import_lsoa_wards, twice).errors[0].message
    no_la = files.write_csv(tmp_path / "c.csv", header[:4], [r[:4] for r in rows[:3]])
    messages = [e.message for e in refused(import_lsoa_wards, no_la).errors]
    assert messages == [
        "The file has no “lad22cd” column (also accepted: “local authority code”, “la_code”).",
        "The file has no “lad22nm” column (also accepted: “local authority name”, “la_name”)."]


def test_load_geography_runs_the_importers_and_marks_the_catchment():
    counts = load_geography(Path(files.real("")), {"Oldham", "Bury"})
    db.session.commit()
    assert counts["wards"] == 215 and counts["local authorities"] == 10
    assert set(db.session.scalars(sa.select(LocalAuthority.name).where(
        LocalAuthority.in_catchment))) == {"Oldham", "Bury"}
    assert lsoa("E01005350").imd_decile == 1 and lsoa("E01005350").ward.name == "Coldhurst"
    assert files.count(ImportBatch) == 2
    assert load_geography(Path(files.real("")), {"Oldham", "Bury"}) == counts


def test_the_real_trafford_postcode_file():
    summary = import_postcodes(files.real(files.POSTCODES), edition="ONSPD Feb 2025")
    db.session.commit()
    assert (summary.rows_read, summary.rows_inserted) == (11_264, 11_264)
    row = db.session.scalar(sa.select(Postcode).where(Postcode.postcode == "M15 4AB"))
    assert (row.lsoa21_code, row.ward_code, row.local_authority_code, row.source) == (
        "E01034001", "E05015247", "E08000009", "ONSPD Feb 2025")
    assert import_postcodes(files.real(files.POSTCODES)).already_imported


@pytest.mark.parametrize("header", [
    ["pcds", "doterm", "oslaua", "osward", "lsoa11", "lsoa21", "imd"],
    ["PCDS", "DOTERM", "LAD25CD", "WD24CD", "LSOA11CD", "LSOA21CD", "IMD20IND"],
], ids=["ONSPD", "NSPL with suffixed names"])
def test_postcode_directory_layouts_and_terminated_postcodes(tmp_path, header):
    rows = [["OL1 1AA", "", "E08000004", "E05014650", "E01005348", "E01005348", "1200"],
            ["ol11ab", "202006", "E08000004", "E05014650", "E01005350", "E01005350", "86"],
            ["JE2 3AB", "", "L99999999", "L99999999", "L99999999", "L99999999", ""]]
    import_postcodes(files.write_csv(tmp_path / "pc.csv", header, rows, crlf=True))
    terminated = db.session.scalar(sa.select(Postcode).where(Postcode.postcode == "OL1 1AB"))
    assert terminated.terminated_on == date(2020, 6, 1)
    assert terminated.lsoa21_code == "E01005350" and terminated.ward_code == "E05014650"
    jersey = db.session.scalar(sa.select(Postcode).where(Postcode.postcode == "JE2 3AB"))
    assert jersey.lsoa21_code is None and jersey.local_authority_code is None


def test_postcode_refusals(tmp_path):
    header = ["postcode", "ward_code", "lsoa_code", "la_code"]
    good = ["M15 4AB", "E05015247", "E01034001", "E08000009"]
    bad = files.write_csv(tmp_path / "bad.csv", header,
                          [good, ["M15 4AB", *good[1:]], ["NOPE", *good[1:]],
                           ["M15 4AD", "E05015247", "E0103", "E08000009"]])
    problems = refused(import_postcodes, bad)
    assert [(e.row, e.column) for e in problems.errors] == [
        (3, "postcode"), (4, "postcode"), (5, "lsoa_code")]
    no_lsoa = files.write_csv(tmp_path / "nolsoa.csv", ["pcds", "osward"], [["M15 4AB", "E05"]])
    assert "no LSOA column" in refused(import_postcodes, no_lsoa).message
