"""``workforce`` imports: ESR names, areas from home postcodes (then discarded), idempotence."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from recruit.extensions import db
from recruit.models import (
    Answer,
    CountArea,
    EntryRoute,
    Religion,
    Sex,
    StaffGroup,
    WorkforceCount,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.reference.importers import ImportRefused, SourceFile
from recruit.reference.services import (
    import_imd,
    import_lsoa_wards,
    import_postcodes,
    import_workforce,
)
from tests import factories_imports as files

AS_OF = date(2025, 3, 31)
HEADER = ["staff_ref", "site", "staff_group", "pay_band", "ethnic_category", "sex", "age_band",
          "disability", "religion", "home_postcode", "start_date", "entry_route"]
ESR_HEADER = ["Assignment Number", "Organisation", "Staff Group", "Pay Band or Grade",
              "Ethnic Origin", "Gender", "Age Band", "Disability Flag", "Religious Belief",
              "Postcode", "Date of Hire"]


@pytest.fixture
def geography(tmp_path):
    """The real lookup, IMD 2019 for GM and the postcodes of two Trafford LSOAs."""
    import_lsoa_wards(files.real(files.LSOA_WARDS))
    import_imd(files.real(files.IMD_GM))
    import_postcodes(files.slice_of(files.POSTCODES, tmp_path,
                                    lambda row: row[5] in ("E01006112", "E01034001")))
    db.session.commit()


def staff(ref: str, postcode: str = "M15 4AD", **changes) -> list[str]:
    row = dict(zip(HEADER, [ref, "Royal Oldham Hospital", "Nursing and Midwifery Registered",
                            "Band 5", "J", "Female", "26-30", "No", "Muslim", postcode,
                            "2020-01-06", "programme"], strict=True))
    row.update(changes)
    return list(row.values())


def record(ref: str) -> WorkforceRecord:
    return db.session.scalar(sa.select(WorkforceRecord).where(WorkforceRecord.staff_ref == ref))


def test_home_postcode_becomes_census_areas_and_is_not_kept(tmp_path, geography):
    path = files.write_csv(tmp_path / "staff.csv", HEADER, [
        staff("S1"), staff("S2", "m154ad", site="Community services", entry_route=""),
        staff("S3", "ZZ9 9ZZ"), staff("S4", "", sex="", religion="", disability="")])
    summary = import_workforce(path, as_of=AS_OF)
    db.session.commit()
    assert (summary.rows_read, summary.rows_inserted) == (4, 4)
    one = record("S1")
    # M15 4AD is in LSOA E01006112; the Census (2022) ward comes from the LSOA -> ward lookup,
    # not from the postcode directory's May 2024 ward (E05015253 Old Trafford): DOMAIN.md §8.
    assert (one.home_lsoa_code, one.home_ward_code, one.home_la_code, one.home_imd_decile) == (
        "E01006112", "E05000825", "E08000009", 2)
    assert (one.site, one.locality, one.staff_group, one.pay_band, one.ethnic_category) == (
        "Royal Oldham Hospital", "Oldham", StaffGroup.nursing_midwifery, "Band 5", "J")
    assert (one.sex, one.disability, one.religion, one.started_on, one.entry_route) == (
        Sex.female, Answer.no, Religion.muslim, date(2020, 1, 6), EntryRoute.programme)
    assert record("S2").home_ward_code == "E05000825" and record("S2").locality is None
    assert record("S2").entry_route is EntryRoute.other
    assert record("S3").home_lsoa_code is None and record("S4").home_lsoa_code is None
    assert (record("S4").sex, record("S4").religion) == (None, None)
    assert any("1 home postcode did not resolve" in note for note in summary.notes)
    assert any("Community services" in note for note in summary.notes)
    # The postcode is nowhere in what was stored.
    assert not any("postcode" in column for column in WorkforceRecord.__table__.columns.keys())
    stored = db.session.execute(sa.select(WorkforceRecord.__table__)).all()
    assert not any(isinstance(v, str) and v.replace(" ", "").upper() in ("M154AD", "ZZ99ZZ")
                   for row in stored for v in row)
    snapshot = db.session.scalar(sa.select(WorkforceSnapshot))
    assert (snapshot.as_of, snapshot.source_kind, snapshot.headcount) == (
        AS_OF, WorkforceSource.person_extract, 4)
    assert snapshot.import_batch.edition == "as of 2025-03-31"


def test_esr_export_names_and_values(tmp_path, geography):
    path = files.write_csv(tmp_path / "esr.csv", ESR_HEADER, [
        ["12345678-2", "Salford Royal", "Add Prof Scientific and Technic", "AfC Band 8A",
         "CA White English", "Male", "46-50", "Not Declared", "Christianity", "M15 4AD",
         "01/04/2010"],
        ["22345678", "Fairfield General Hospital", "Medical and Dental", "Consultant",
         "99 Not Known", "Male", "51-55", "Y", "Unspecified", "", "31-MAR-2015"]], bom=True,
        crlf=True)
    import_workforce(path, as_of=AS_OF)
    esr = record("12345678-2")
    assert (esr.locality, esr.pay_band, esr.ethnic_category, esr.disability, esr.religion) == (
        "Salford", "Band 8a", "C", Answer.prefer_not_to_say, Religion.christian)
    assert esr.staff_group is StaffGroup.add_prof_scientific and esr.started_on == date(2010, 4, 1)
    consultant = record("22345678")
    assert (consultant.pay_band, consultant.ethnic_category, consultant.religion) == (
        "Consultant", "99", None)


def test_only_three_columns_are_required(tmp_path):
    path = files.write_csv(tmp_path / "min.csv", ["Staff_Ref", "Pay Band", "Ethnicity"],
                           [["A1", "3", "A White - British"]])
    import_workforce(path, as_of=AS_OF)
    assert (record("A1").pay_band, record("A1").ethnic_category) == ("Band 3", "A")


def test_reimport_is_idempotent_and_a_new_extract_replaces_the_snapshot(tmp_path, geography):
    first = files.write_csv(tmp_path / "one.csv", HEADER, [staff("S1"), staff("S2"), staff("S3")])
    import_workforce(first, as_of=AS_OF)
    db.session.commit()
    before = files.stored_counts()
    assert import_workforce(first, as_of=AS_OF).already_imported
    assert files.stored_counts() == before
    second = files.write_csv(tmp_path / "two.csv", HEADER, [
        staff("S1"), staff("S2", pay_band="Band 6"), staff("S4")], crlf=True)
    summary = import_workforce(second, as_of=AS_OF)
    assert (summary.rows_inserted, summary.rows_updated, summary.rows_skipped) == (1, 1, 1)
    assert any("1 staff no longer in the extract were removed" in n for n in summary.notes)
    assert sorted(db.session.scalars(sa.select(WorkforceRecord.staff_ref))) == ["S1", "S2", "S4"]
    assert record("S2").pay_band == "Band 6"
    other_date = import_workforce(second, as_of=date(2025, 6, 30))
    assert other_date.already_imported  # the same bytes are recognised whatever the date


def _stored_counts() -> list[tuple]:
    return sorted(db.session.execute(sa.select(
        WorkforceCount.id, WorkforceCount.area_type, WorkforceCount.area_code,
        WorkforceCount.la_code, WorkforceCount.characteristic, WorkforceCount.category,
        WorkforceCount.count)).tuples())


def _ethnicity_counts(area_type: CountArea) -> dict[tuple, int]:
    return dict(((area, la, code), n) for area, la, code, n in db.session.execute(sa.select(
        WorkforceCount.area_code, WorkforceCount.la_code, WorkforceCount.category,
        WorkforceCount.count).where(WorkforceCount.area_type == area_type,
                                    WorkforceCount.characteristic == "ethnicity")).tuples())


def test_an_import_counts_its_staff_by_ward_once(tmp_path, geography):
    """Counts by home ward, local authority and site are written with the records."""
    first = files.write_csv(tmp_path / "one.csv", HEADER, [
        staff("S1"), staff("S2", "M15 4AB", ethnic_category="A"), staff("S3", "M15 4BF"),
        staff("S4", "ZZ9 9ZZ"), staff("S5", "", site="Rochdale Infirmary", sex="")])
    import_workforce(first, as_of=AS_OF)
    db.session.commit()
    # Both LSOAs of these postcodes lie in the Census ward Clifford (E05000825), in Trafford.
    home = ("E05000825", "E08000009")
    assert _ethnicity_counts(CountArea.ward) == {(*home, "J"): 2, (*home, "A"): 1}
    assert _ethnicity_counts(CountArea.la) == {("E08000009", "E08000009", "J"): 2,
                                               ("E08000009", "E08000009", "A"): 1}
    assert _ethnicity_counts(CountArea.site) == {("Oldham", None, "J"): 3,
                                                 ("Oldham", None, "A"): 1,
                                                 ("Rochdale", None, "J"): 1}
    sexes = dict(db.session.execute(sa.select(WorkforceCount.category, WorkforceCount.count).where(
        WorkforceCount.area_type == CountArea.site, WorkforceCount.area_code == "Rochdale",
        WorkforceCount.characteristic == "sex")).tuples().all())
    assert sexes == {None: 1}

    written = _stored_counts()
    assert import_workforce(first, as_of=AS_OF).already_imported
    assert _stored_counts() == written  # the same file again changes nothing
    second = files.write_csv(tmp_path / "two.csv", HEADER, [
        staff("S1"), staff("S2", "M15 4AB", ethnic_category="A"), staff("S3", "M15 4BF"),
        staff("S4", "ZZ9 9ZZ"), staff("S5", "", site="Rochdale Infirmary", sex=""),
        staff("S6", "M15 4BG", ethnic_category="N")], crlf=True)
    import_workforce(second, as_of=AS_OF)  # a different file, its people unchanged but one
    db.session.commit()
    assert _ethnicity_counts(CountArea.ward) == {(*home, "J"): 2, (*home, "A"): 1,
                                                 (*home, "N"): 1}
    third = files.write_csv(tmp_path / "three.csv", HEADER, [staff("S1"), staff("S6", "M15 4BG")])
    import_workforce(third, as_of=AS_OF)
    assert _ethnicity_counts(CountArea.ward) == {(*home, "J"): 2}  # leavers are gone


@pytest.mark.parametrize(("change", "column", "message"), [
    ({"ethnic_category": "White"}, "ethnic_category", "NHS ethnic category code"),
    ({"ethnic_category": ""}, "ethnic_category", "empty"),
    ({"pay_band": ""}, "pay_band", "empty"),
    ({"staff_group": "Wizards"}, "staff_group", "not a staff group"),
    ({"sex": "Sometimes"}, "sex", "not a sex"),
    ({"start_date": "31/13/2020"}, "start_date", "not a date"),
    ({"staff_ref": "S1"}, "staff_ref", "repeats the staff reference of row 2"),
])
def test_bad_rows_refuse_the_whole_extract(tmp_path, change, column, message):
    path = files.write_csv(tmp_path / "bad.csv", HEADER, [staff("S1"), staff("S2", **change)])
    before = files.stored_counts()
    with pytest.raises(ImportRefused) as caught:
        import_workforce(path, as_of=AS_OF)
    db.session.rollback()
    error = caught.value.errors[0]
    assert (error.row, error.column) == (3, column) and message in error.message
    assert files.stored_counts() == before


def test_missing_required_columns_and_an_aggregate_clash_are_refused(tmp_path):
    wrong = files.write_csv(tmp_path / "w.csv", ["ref", "band"], [["1", "5"]])
    with pytest.raises(ImportRefused) as caught:
        import_workforce(wrong, as_of=AS_OF)
    assert len(caught.value.errors) == 3
    db.session.add(WorkforceSnapshot(as_of=AS_OF, organisation="Agg Org", label="x",
                                     source_kind=WorkforceSource.diversity_return))
    db.session.commit()
    ok = files.write_csv(tmp_path / "ok.csv", HEADER, [staff("S1")])
    with pytest.raises(ImportRefused, match="aggregate return"):
        import_workforce(ok, as_of=AS_OF, organisation="Agg Org")
    db.session.rollback()
    assert files.count(WorkforceRecord) == 0


def test_a_large_extract_is_imported_in_bulk(tmp_path, geography):
    rows = [staff(f"P{n:05d}", "M15 4AD" if n % 3 else "", pay_band=f"Band {2 + n % 6}",
                  ethnic_category="ABCDEFGHJKLMNPRSZ"[n % 17]) for n in range(20_000)]
    path = files.write_csv(tmp_path / "big.csv", HEADER, rows)
    summary = import_workforce(path, as_of=AS_OF)
    assert summary.rows_inserted == 20_000 and files.count(WorkforceRecord) == 20_000
    assert files.count(WorkforceRecord, WorkforceRecord.home_ward_code == "E05000825") == 13_333


def stored_rows() -> list[tuple]:
    """Every stored staff row, enums as stored (their names), by staff reference."""
    table = WorkforceRecord.__table__
    columns = [sa.type_coerce(c, sa.String) if isinstance(c.type, sa.Enum) else c
               for c in table.columns if c.name not in ("id", "snapshot_id")]
    return [tuple(row) for row in db.session.execute(
        sa.select(*columns).order_by(table.c.staff_ref))]


VARIED = [
    staff("V1"),
    staff(" V2 ", " m15  4ad ", site="  Salford Royal ", staff_group="Medical and Dental",
          pay_band="afc band 8A", ethnic_category="CA White English", sex="m", age_band="",
          disability="Not Declared", religion="Christianity", start_date="31-MAR-2015",
          entry_route="Pre-employment programme"),
    staff("V3", "ZZ9 9ZZ", site="", staff_group="", pay_band="Consultant",
          ethnic_category="99 Not Known", sex="Not known", disability="y", religion="none",
          start_date="", entry_route="Other"),
    staff("V4", "not a postcode", site="Royal Oldham Hospital", pay_band="VSM",
          ethnic_category="S", sex="Prefer not to say", religion="Prefer not to say",
          start_date="06/01/2020"),
    staff("V5", ""),
]
VARIED_STORED = [  # site .. entry_route, as both databases must store them
    ("V1", "Royal Oldham Hospital", "Oldham", "nursing_midwifery", "Band 5", "J", "female",
     "26-30", "no", "muslim", "E01006112", "E05000825", "E08000009", 2, date(2020, 1, 6),
     "programme"),
    ("V2", "Salford Royal", "Salford", "medical_dental", "Band 8a", "C", "male", None,
     "prefer_not_to_say", "christian", "E01006112", "E05000825", "E08000009", 2,
     date(2015, 3, 31), "programme"),
    ("V3", None, None, None, "Consultant", "99", None, "26-30", "yes", "no_religion", None, None,
     None, None, None, "other"),
    ("V4", "Royal Oldham Hospital", "Oldham", "nursing_midwifery", "VSM", "S",
     "prefer_not_to_say", "26-30", "no", "prefer_not_to_say", None, None, None, None,
     date(2020, 1, 6), "programme"),
    ("V5", "Royal Oldham Hospital", "Oldham", "nursing_midwifery", "Band 5", "J", "female",
     "26-30", "no", "muslim", None, None, None, None, date(2020, 1, 6), "programme"),
]


def test_the_same_records_are_stored_on_every_database(tmp_path, geography):
    """Run on SQLite and on PostgreSQL (executemany there, COPY here): the same rows result."""
    summary = import_workforce(files.write_csv(tmp_path / "v.csv", HEADER, VARIED), as_of=AS_OF)
    assert stored_rows() == VARIED_STORED
    assert any("2 home postcodes did not resolve" in note for note in summary.notes)
    v2 = record("V2")  # and the ORM reads the stored names back as members
    assert (v2.staff_group, v2.sex, v2.disability, v2.religion, v2.entry_route) == (
        StaffGroup.medical_dental, Sex.male, Answer.prefer_not_to_say, Religion.christian,
        EntryRoute.programme)


def test_a_big_file_read_twice_stores_the_same_records(tmp_path, geography, monkeypatch):
    """Beyond KEEP_RECORDS the file is read again for writing; what pass one learnt still holds."""
    from recruit.reference.importers import pipeline

    monkeypatch.setattr(pipeline, "KEEP_RECORDS", 2)
    import_workforce(files.write_csv(tmp_path / "v.csv", HEADER, VARIED), as_of=AS_OF)
    assert stored_rows() == VARIED_STORED


def test_a_reimport_updates_changed_values_of_every_kind(tmp_path, geography):
    import_workforce(files.write_csv(tmp_path / "one.csv", HEADER, VARIED), as_of=AS_OF)
    db.session.commit()
    changed = [staff("V1", "", sex="Male", religion="Sikh", entry_route=""), *VARIED[1:]]
    summary = import_workforce(files.write_csv(tmp_path / "two.csv", HEADER, changed),
                               as_of=AS_OF)
    assert (summary.rows_inserted, summary.rows_updated, summary.rows_skipped) == (0, 1, 4)
    db.session.expire_all()
    v1 = record("V1")
    assert (v1.sex, v1.religion, v1.entry_route, v1.home_lsoa_code, v1.home_imd_decile) == (
        Sex.male, Religion.sikh, EntryRoute.other, None, None)
    assert stored_rows()[1:] == VARIED_STORED[1:]


class Failing(RuntimeError):
    pass


def _failing_after(limit: int, monkeypatch) -> None:
    """Make the writer's record stream fail after ``limit`` records (rows already sent)."""
    from recruit.reference.importers import pipeline

    advancing = pipeline._advancing

    def failing(records, progress):
        for number, item in enumerate(advancing(records, progress)):
            if number == limit:
                raise Failing("the connection dropped")
            yield item

    monkeypatch.setattr(pipeline, "_advancing", failing)


@pytest.mark.parametrize("existing", [False, True])
def test_a_failure_while_writing_leaves_nothing_half_saved(tmp_path, geography, monkeypatch,
                                                           existing):
    if existing:  # a snapshot already there: updates and removals must not half-happen either
        import_workforce(files.write_csv(tmp_path / "old.csv", HEADER,
                                         [staff(f"P{n:05d}") for n in range(0, 6000, 2)]),
                         as_of=AS_OF)
        db.session.commit()
    before, rows_before = files.stored_counts(), stored_rows()
    path = files.write_csv(tmp_path / "new.csv", HEADER, [
        staff(f"P{n:05d}", pay_band="Band 6") for n in range(5000)])
    _failing_after(4500, monkeypatch)
    with pytest.raises(Failing):
        import_workforce(path, as_of=AS_OF)
    db.session.rollback()
    assert files.stored_counts() == before and stored_rows() == rows_before
    monkeypatch.undo()
    summary = import_workforce(path, as_of=AS_OF)  # not taken for already imported
    assert not summary.already_imported and files.count(WorkforceRecord) == 5000


CELLS = {  # column: (acceptable values, values to refuse)
    "staff_ref": (["S1", "S2", " S3 ", "S4", "S5", "S6"], ["", "x" * 41]),
    "site": (["", "Royal Oldham Hospital", " Salford Royal"], ["x" * 121]),
    "staff_group": (["", "Medical and Dental", " nursing and midwifery registered "],
                    ["Wizards"]),
    "pay_band": (["5", "Band 8A", "VSM", "Consultant"], ["", "x" * 41]),
    "ethnic_category": (["A", "CA White English", "99"], ["", "White", "Q"]),
    "sex": (["", "F", "Not known"], ["Sometimes"]),
    "age_band": (["", "26-30"], ["x" * 21]),
    "disability": (["", "Y"], ["maybe"]),
    "religion": (["", "Islam"], ["Pastafarian"]),
    "home_postcode": (["", "M15 4AD", "m154ad", "nope", "  "], []),
    "start_date": (["", "2020-01-06", "01-APR-2010"], ["31/13/2020"]),
    "entry_route": (["", "programme", "whatever"], []),
}


@st.composite
def staff_files(draw):
    """Mostly good rows, some with one bad cell, a repeated reference or a ragged end."""
    header = draw(st.permutations(HEADER))[:draw(st.integers(3, len(HEADER)))]
    header += [name for name in ("staff_ref", "pay_band", "ethnic_category") if name not in header]
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        row = [draw(st.sampled_from(CELLS[name][0])) for name in header]
        if draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(0, len(header) - 1))
            row[at] = draw(st.sampled_from(CELLS[header[at]][1] or [""]))
        cut = draw(st.sampled_from([None, None, None, None, -1, 1, "blank", "extra"]))
        if cut == "blank":
            row.append(" ")
        elif cut == "extra":
            row.append("oops")
        elif cut is not None:
            row = row[:cut]
        rows.append(row)
    return files.csv_text(header, rows).encode()


@settings(max_examples=150, deadline=None)
@given(data=staff_files())
def test_the_fast_reader_agrees_with_the_careful_one(data):
    """Every record and every problem, row by row: the memoised path changes nothing."""
    from recruit.reference.importers import workforce
    from recruit.reference.importers.core import Table, match_columns

    def read(fast: bool) -> list:
        table = Table(SourceFile.from_bytes(data, "staff.csv"))
        columns, errors = match_columns(table.header, workforce.COLUMNS)
        assert not errors
        postcodes: set[str] = set()
        if fast:
            return [*workforce._records(table, columns, postcodes), postcodes]
        seen: dict[str, int] = {}
        return [item for number, cells in table.rows() for item in workforce._read_row(
            number, cells, table.header, columns, seen, postcodes)] + [postcodes]

    assert read(fast=True) == read(fast=False)
