"""``census`` imports: the real Census 2021 files in both layouts, and files to refuse."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AreaType, Characteristic, Ethnicity, ImportBatch, PopulationStatistic
from recruit.reference.importers import ImportRefused
from recruit.reference.importers.census_tables import (
    TABLES,
    census_categories,
    ethnicity_category,
)
from recruit.reference.services import import_census
from tests import factories_imports as files

OLDHAM = "E08000004"
PAKISTANI = ethnicity_category(Ethnicity.asian_pakistani)


def figure(area: str, category: str, characteristic=Characteristic.ethnicity) -> int | None:
    return db.session.scalar(sa.select(PopulationStatistic.count).where(
        PopulationStatistic.area_code == area, PopulationStatistic.category == category,
        PopulationStatistic.characteristic == characteristic))


def test_oldham_from_the_real_tidy_file():
    summary = import_census(files.real(files.ETHNICITY_LA))
    db.session.commit()
    assert (summary.rows_read, summary.rows_inserted, summary.rows_skipped) == (190, 190, 0)
    assert figure(OLDHAM, "Total") == 242_087
    assert figure(OLDHAM, PAKISTANI) == 32_802
    assert figure(OLDHAM, "Asian, Asian British or Asian Welsh") == 59_565  # summed group
    stored = db.session.scalar(sa.select(PopulationStatistic).where(
        PopulationStatistic.area_code == OLDHAM, PopulationStatistic.category == PAKISTANI))
    assert (stored.area_name, stored.area_type, stored.edition) == (
        "Oldham", AreaType.la, "Census 2021")
    assert stored.import_batch.source_filename.endswith("ethnic_group_la_gm.csv")
    # 10 authorities x (19 categories + 5 groups + total)
    assert files.count(PopulationStatistic) == 10 * 25


def test_every_table_of_the_real_files_and_every_level():
    for relative in (files.SEX_LA, files.AGE_LA, files.RELIGION_LA, files.DISABILITY_LA,
                     files.ETHNICITY_WARD, files.ETHNICITY_LSOA):
        import_census(files.real(relative))
    db.session.commit()
    assert figure(OLDHAM, "Total", Characteristic.sex) == 242_089  # TS008's own total
    assert figure(OLDHAM, "Female", Characteristic.sex) + figure(
        OLDHAM, "Male", Characteristic.sex) == 242_089
    assert figure(OLDHAM, "Aged 85 years and over", Characteristic.age) > 0
    assert figure(OLDHAM, "Muslim", Characteristic.religion) > 0
    assert figure(OLDHAM, "Disabled under the Equality Act", Characteristic.disability) == sum(
        figure(OLDHAM, c, Characteristic.disability) for c in
        census_categories(Characteristic.disability) if c.startswith("Disabled under the") and
        ": " in c)
    # Trafford's 21 wards (2022 codes) and 139 LSOAs, typed from their codes
    wards = db.session.scalar(sa.select(sa.func.count(sa.distinct(PopulationStatistic.area_code)))
                              .where(PopulationStatistic.area_type == AreaType.ward))
    lsoas = db.session.scalar(sa.select(sa.func.count(sa.distinct(PopulationStatistic.area_code)))
                              .where(PopulationStatistic.area_type == AreaType.lsoa))
    assert (wards, lsoas) == (21, 139)
    ward_total = db.session.scalar(sa.select(sa.func.sum(PopulationStatistic.count)).where(
        PopulationStatistic.area_type == AreaType.ward, PopulationStatistic.category == "Total"))
    lsoa_total = db.session.scalar(sa.select(sa.func.sum(PopulationStatistic.count)).where(
        PopulationStatistic.area_type == AreaType.lsoa, PopulationStatistic.category == "Total"))
    assert abs(ward_total - lsoa_total) < 200  # the same borough, summed two ways


@pytest.mark.parametrize(("suffix", "bom", "crlf", "thousands"), [
    (True, False, False, False), (False, True, True, True)],
    ids=["nomis bulk with measures suffix", "BOM, CRLF and quoted thousands"])
def test_nomis_bulk_layout_gives_the_same_figures(tmp_path, suffix, bom, crlf, thousands):
    path = files.nomis_wide(files.ETHNICITY_LA, "TS021", tmp_path / "census2021-ts021-ltla.csv",
                            suffix=suffix, bom=bom, crlf=crlf, quoted_thousands=thousands)
    summary = import_census(path)
    assert (summary.rows_read, summary.rows_inserted) == (10, 10)
    assert figure(OLDHAM, "Total") == 242_087 and figure(OLDHAM, PAKISTANI) == 32_802
    assert files.count(PopulationStatistic) == 250


@pytest.mark.parametrize(("relative", "code"), [(files.SEX_LA, "TS008"), (files.AGE_LA, "TS007A"),
                                                (files.RELIGION_LA, "TS030"),
                                                (files.DISABILITY_LA, "TS038")])
def test_nomis_bulk_layout_of_each_table(tmp_path, relative, code):
    import_census(files.nomis_wide(relative, code, tmp_path / f"{code}.csv"))
    table = TABLES[code]
    assert files.count(PopulationStatistic) == 10 * len(table.stored_categories)
    assert set(db.session.scalars(sa.select(PopulationStatistic.characteristic))) == {
        table.characteristic}


def test_reimporting_changes_nothing(tmp_path):
    import_census(files.real(files.ETHNICITY_LA))
    db.session.commit()
    before = files.stored_counts()
    again = import_census(files.real(files.ETHNICITY_LA))
    assert again.already_imported and files.stored_counts() == before
    # The same figures in another file (the nomis layout): a new batch, every row unchanged.
    wide = import_census(files.nomis_wide(files.ETHNICITY_LA, "TS021", tmp_path / "w.csv"))
    assert (wide.rows_inserted, wide.rows_updated, wide.rows_skipped) == (0, 0, 10)
    assert files.count(PopulationStatistic) == before["PopulationStatistic"]


def test_a_corrected_file_updates_only_what_changed(tmp_path):
    import_census(files.real(files.ETHNICITY_LA))
    header, rows = files.real_rows(files.ETHNICITY_LA)
    for row in rows:
        if row[0] == OLDHAM and row[5] == PAKISTANI:
            row[8] = "32803"
    summary = import_census(files.write_csv(tmp_path / "fixed.csv", header, rows))
    assert (summary.rows_inserted, summary.rows_updated, summary.rows_skipped) == (0, 1, 189)
    assert figure(OLDHAM, PAKISTANI) == 32_803 and figure(OLDHAM, "Total") == 242_088


def _refused(path) -> ImportRefused:
    before = files.stored_counts()
    with pytest.raises(ImportRefused) as caught:
        import_census(path)
    db.session.rollback()
    assert files.stored_counts() == before, "a refused file must write nothing"
    return caught.value


def _tidy_with(tmp_path, change) -> object:
    header, rows = files.real_rows(files.ETHNICITY_LA)
    change(rows)
    return files.write_csv(tmp_path / "changed.csv", header, rows)


@pytest.mark.parametrize(("change", "row", "column", "expected"), [
    (lambda rows: rows[3].__setitem__(8, "-4"), 5, "value", "negative"),
    (lambda rows: rows[3].__setitem__(8, "lots"), 5, "value", "not a whole number"),
    (lambda rows: rows[3].__setitem__(8, ""), 5, "value", "empty"),
    (lambda rows: rows[3].__setitem__(0, "E0800000X"), 5, "area_code", "not an ONS area code"),
    (lambda rows: rows[3].__setitem__(0, "E02000001"), 5, "area_code", "LSOA (E01), ward"),
    (lambda rows: rows[3].__setitem__(5, "Asian: Martian"), 5, "ethnic_group", "not a category"),
    (lambda rows: rows[3].__setitem__(6, "Percent"), 5, "measure", "not a count"),
    (lambda rows: rows.insert(4, list(rows[3])), 6, "ethnic_group", "repeats row 5"),
    (lambda rows: rows.pop(3), 2, None, "has no count for"),
], ids=["negative", "non-numeric", "empty count", "bad code", "MSOA code", "unknown category",
        "percentages", "duplicate row", "missing category"])
def test_malformed_tidy_files_are_refused_whole(tmp_path, change, row, column, expected):
    refused = _refused(_tidy_with(tmp_path, change))
    error = refused.errors[0]
    assert expected in error.message and error.row == row and error.column == column
    assert "Nothing was changed" in refused.message


def test_a_total_that_does_not_match_its_categories_is_refused(tmp_path):
    path = files.nomis_wide(files.ETHNICITY_LA, "TS021", tmp_path / "w.csv")
    header, rows = files.real_rows(str(path))
    rows[3][3] = str(int(rows[3][3]) + 5)  # within ONS perturbation: accepted
    assert import_census(files.write_csv(tmp_path / "ok.csv", header, rows)).rows_inserted == 10
    db.session.rollback()
    rows[3][3] = str(int(rows[3][3]) + 5000)
    error = _refused(files.write_csv(tmp_path / "bad.csv", header, rows)).errors[0]
    assert error.row == 5 and error.column.startswith("Ethnic group: Total")
    assert "add up to" in error.message


def test_wrong_headers_missing_columns_and_other_tables_are_refused(tmp_path):
    path = files.nomis_wide(files.ETHNICITY_LA, "TS021", tmp_path / "w.csv")
    header, rows = files.real_rows(str(path))
    roma = header.index("Ethnic group: White: Roma; measures: Value")
    without = files.write_csv(tmp_path / "no-roma.csv",
                              [h for i, h in enumerate(header) if i != roma],
                              [[c for i, c in enumerate(r) if i != roma] for r in rows])
    assert "no column for “Ethnic group: White: Roma”" in _refused(without).errors[0].message
    census_2011 = _refused(files.real("census2011_la_ethnicity/la-ethnic-groups_2011_qs201ew.csv"))
    assert all(e.row == 1 for e in census_2011.errors)
    assert "not a category of TS021" in census_2011.errors[0].message
    imd = _refused(files.real(files.IMD_GM))
    assert "not a Census table" in imd.message
    header_only = tmp_path / "header.csv"
    header_only.write_text("area_code,area_name,ethnic_group,value\n")
    assert "no data rows" in _refused(header_only).message


def test_the_table_can_be_named_and_a_wrong_name_is_refused(tmp_path):
    assert import_census(files.real(files.SEX_LA), table="TS008").rows_inserted == 30
    db.session.rollback()
    assert "TS999" in _refused_with_table(files.real(files.SEX_LA), "TS999")
    refused = _refused_with_table(files.real(files.SEX_LA), "TS021")
    assert "not a category of TS021" in refused


def _refused_with_table(path, table) -> str:
    with pytest.raises(ImportRefused) as caught:
        import_census(path, table=table)
    db.session.rollback()
    assert files.count(ImportBatch) == 0
    return str(caught.value.errors[0])
