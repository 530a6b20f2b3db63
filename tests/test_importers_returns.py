"""``diversity-return`` (Open Innovations standard) and ``recruitment`` outcome imports."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    Answer,
    Characteristic,
    EntryRoute,
    RecruitmentOutcome,
    WorkforceAggregate,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.reference.importers import ImportRefused
from recruit.reference.services import import_diversity_return, import_recruitment
from tests import factories_imports as files

OUTCOME_HEADER = ["applicant_ref", "vacancy_ref", "date", "ethnic_category", "disability",
                  "shortlisted", "appointed", "declined_offer", "route"]


def aggregate(organisation: str, characteristic, category: str, grouping: str = "") -> int:
    return db.session.scalar(
        sa.select(WorkforceAggregate.count).join(WorkforceAggregate.snapshot).where(
            WorkforceSnapshot.organisation == organisation,
            WorkforceAggregate.characteristic == characteristic,
            WorkforceAggregate.category == category, WorkforceAggregate.grouping == grouping))


def test_the_real_leeds_city_region_returns():
    summary = import_diversity_return(files.real(files.DIVERSITY))
    db.session.commit()
    assert (summary.rows_read, summary.rows_inserted) == (23, 23)  # the blank last line skipped
    leeds = db.session.scalar(sa.select(WorkforceSnapshot).where(
        WorkforceSnapshot.organisation == "Leeds City Council"))
    assert (leeds.as_of, leeds.headcount, leeds.source_kind) == (
        date(2021, 10, 1), 14_107, WorkforceSource.diversity_return)
    assert aggregate("Leeds City Council", Characteristic.ethnicity, "asian") == 799
    assert aggregate("Leeds City Council", Characteristic.ethnicity, "undisclosed") == 1_288
    assert aggregate("Leeds City Council", Characteristic.sex, "female") == 8_586
    assert aggregate("Leeds City Council", Characteristic.disability, "yes") == 845
    # Kelda's three groupings share one snapshot per date; a UK-style date is read too.
    assert files.count(WorkforceSnapshot, WorkforceSnapshot.organisation == "Kelda group Plc") == 3
    assert aggregate("Kelda group Plc", Characteristic.ethnicity, "white",
                     grouping="Loop") is not None
    trinity = db.session.scalar(sa.select(WorkforceSnapshot.as_of).where(
        WorkforceSnapshot.organisation == "Leeds Trinity University"))
    assert trinity == date(2022, 5, 16)
    assert import_diversity_return(files.real(files.DIVERSITY)).already_imported


def test_a_corrected_return_replaces_its_counts(tmp_path):
    header = ["published", "organisation", "employees", "ethnicity_asian", "ethnicity_white",
              "ethnicity_undisclosed"]
    import_diversity_return(files.write_csv(tmp_path / "a.csv", header,
                                            [["2024-03", "Trust", "100", "10", "85", "5"]]))
    summary = import_diversity_return(files.write_csv(
        tmp_path / "b.csv", header, [["2024-03", "Trust", "100", "12", "85", ""]], crlf=True))
    assert (summary.rows_inserted, summary.rows_updated) == (0, 1)
    assert aggregate("Trust", Characteristic.ethnicity, "asian") == 12
    assert aggregate("Trust", Characteristic.ethnicity, "undisclosed") is None


@pytest.mark.parametrize(("row", "column", "message"), [
    (["2024-13", "Org", "5", "1"], "published", "year and month"),
    (["", "Org", "5", "1"], "published", "empty"),
    (["2024", "", "5", "1"], "organisation", "empty"),
    (["2024", "Org", "-5", "1"], "employees", "negative"),
    (["2024", "Org", "5", "one"], "ethnicity_asian", "whole number"),
    (["2023", "Other", "5", "1"], "organisation", "repeats the return of row 2"),
])
def test_bad_returns_are_refused(tmp_path, row, column, message):
    header = ["published", "organisation", "employees", "ethnicity_asian"]
    path = files.write_csv(tmp_path / "r.csv", header, [["2023", "Other", "5", "1"], row])
    before = files.stored_counts()
    with pytest.raises(ImportRefused) as caught:
        import_diversity_return(path)
    db.session.rollback()
    assert (caught.value.errors[0].row, caught.value.errors[0].column) == (3, column)
    assert message in caught.value.errors[0].message
    assert files.stored_counts() == before


def test_a_column_outside_the_standard_is_refused(tmp_path):
    path = files.write_csv(tmp_path / "r.csv", ["published", "organisation", "ethnicity_martian"],
                           [["2023", "Org", "1"]])
    with pytest.raises(ImportRefused) as caught:
        import_diversity_return(path)
    assert caught.value.errors[0].column == "ethnicity_martian"


def test_recruitment_outcomes(tmp_path):
    rows = [["AP1", "V1", "2024-05-01", "A White - British", "No", "yes", "yes", "no", ""],
            ["AP2", "V1", "01/05/2024", "J", "Y", "1", "0", "", "programme"],
            ["AP3", "V1", "2024-05-01", "", "", "no", "", "", "Pre-employment programme"]]
    path = files.write_csv(tmp_path / "o.csv", OUTCOME_HEADER, rows, bom=True)
    summary = import_recruitment(path)
    assert summary.rows_inserted == 3
    first, second, third = db.session.scalars(
        sa.select(RecruitmentOutcome).order_by(RecruitmentOutcome.applicant_ref))
    assert (first.ethnic_category, first.disability, first.shortlisted, first.appointed,
            first.route) == ("A", Answer.no, True, True, EntryRoute.other)
    assert (second.decided_on, second.disability, second.appointed, second.route) == (
        date(2024, 5, 1), Answer.yes, False, EntryRoute.programme)
    assert (third.ethnic_category, third.shortlisted) == (None, False)
    rows[1][6] = "yes"
    again = import_recruitment(files.write_csv(tmp_path / "o2.csv", OUTCOME_HEADER, rows))
    assert (again.rows_inserted, again.rows_updated, again.rows_skipped) == (0, 1, 2)


@pytest.mark.parametrize(("row", "column", "message"), [
    (["AP2", "V1", "2024-05-01", "J", "", "no", "yes", "", ""], "appointed", "not shortlisted"),
    (["AP2", "V1", "2024-05-01", "J", "", "maybe", "", "", ""], "shortlisted", "yes or no"),
    (["AP2", "V1", "yesterday", "J", "", "", "", "", ""], "date", "not a date"),
    (["AP1", "V1", "2024-05-01", "J", "", "", "", "", ""], "vacancy_ref", "repeats"),
    (["AP2", "V1", "2024-05-01", "Q", "", "", "", "", ""], "ethnic_category", "NHS ethnic"),
])
def test_bad_outcomes_are_refused(tmp_path, row, column, message):
    path = files.write_csv(tmp_path / "o.csv", OUTCOME_HEADER,
                           [["AP1", "V1", "2024-05-01", "A", "", "", "", "", ""], row])
    with pytest.raises(ImportRefused) as caught:
        import_recruitment(path)
    db.session.rollback()
    assert (caught.value.errors[0].row, caught.value.errors[0].column) == (3, column)
    assert message in caught.value.errors[0].message
    assert files.count(RecruitmentOutcome) == 0
