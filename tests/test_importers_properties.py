"""Property: however a valid file is broken, the import is refused whole and writes nothing."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruit.extensions import db
from recruit.models import PopulationStatistic, WorkforceRecord
from recruit.reference import services
from recruit.reference.importers import ImportRefused, SourceFile
from tests import factories_imports as files

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
BAD_COUNTS = st.one_of(st.integers(max_value=-1).map(str), st.sampled_from(
    ["", "abc", "1.5", "1,23", "twelve", "--3", "1e3"]))
BAD_CODES = st.one_of(st.sampled_from(["", "E0800000", "X12345678", "E02000001", "E00012345"]),
                      st.text(alphabet="abcXYZ!? ", min_size=1, max_size=8))
WORKFORCE_HEADER = ["staff_ref", "pay_band", "ethnic_category", "sex", "start_date"]


def _state() -> str:
    """A digest of everything stored, not just row counts."""
    rows = db.session.execute(sa.select(
        PopulationStatistic.area_code, PopulationStatistic.category, PopulationStatistic.count,
        PopulationStatistic.import_batch_id).order_by(PopulationStatistic.id)).all()
    staff = db.session.execute(sa.select(WorkforceRecord.staff_ref, WorkforceRecord.pay_band)
                               .order_by(WorkforceRecord.id)).all()
    return hashlib.sha256(repr((files.stored_counts(), rows, staff)).encode()).hexdigest()


@st.composite
def broken_census(draw, header, rows):
    """The real tidy rows of three authorities with at least one certain fault.

    Cell faults first, then at most one structural fault: a duplicate then a drop could cancel out.
    """
    rows = [list(r) for r in rows]
    structural = draw(st.sampled_from([None, "duplicate", "drop"]))
    for _ in range(draw(st.integers(0 if structural else 1, 3))):
        at = draw(st.integers(0, len(rows) - 1))
        fault = draw(st.sampled_from(["count", "code", "category"]))
        if fault == "count":
            rows[at][8] = draw(BAD_COUNTS)
        elif fault == "code":
            rows[at][0] = draw(BAD_CODES)
        else:
            rows[at][5] = draw(st.sampled_from(["Martian", "", "White: Welsh"]))
    at = draw(st.integers(0, len(rows) - 1))
    if structural == "duplicate":
        rows.insert(draw(st.integers(0, len(rows))), list(rows[at]))
    elif structural == "drop":
        rows.pop(at)
    return files.csv_text(header, rows, crlf=draw(st.booleans())).encode()


@pytest.fixture
def census_base():
    header, rows = files.real_rows(files.ETHNICITY_LA)
    rows = rows[:57]  # Bolton, Bury and Manchester
    services.import_census(SourceFile.from_bytes(files.csv_text(header, rows[:19]).encode(),
                                                 "base.csv"))
    db.session.commit()
    return header, rows


def test_a_broken_census_file_never_leaves_a_partial_import(census_base):
    header, rows = census_base

    @SETTINGS
    @given(data=broken_census(header, rows))
    def check(data):
        before = _state()
        with pytest.raises(ImportRefused) as caught:
            services.import_census(SourceFile.from_bytes(data, "broken.csv"))
        db.session.rollback()
        assert caught.value.errors, "a refusal always says what was wrong"
        assert all(e.message for e in caught.value.errors)
        assert _state() == before

    check()


@st.composite
def broken_workforce(draw):
    rows = [[f"S{n}", "Band 5", "A", "Female", "2020-01-06"] for n in range(50)]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(rows) - 1))
        column, value = draw(st.sampled_from([
            (0, ""), (0, "S0" if at else "S1"), (1, ""), (2, ""), (2, "White"), (2, "Q"),
            (3, "Sometimes"), (4, "2020-02-30"), (4, "last week")]))
        rows[at][column] = value
    return files.csv_text(WORKFORCE_HEADER, rows).encode()


def test_a_broken_staff_extract_never_leaves_a_partial_import():
    from datetime import date

    @SETTINGS
    @given(data=broken_workforce())
    def check(data):
        before = _state()
        with pytest.raises(ImportRefused):
            services.import_workforce(SourceFile.from_bytes(data, "staff.csv"),
                                      as_of=date(2025, 3, 31))
        db.session.rollback()
        assert _state() == before

    check()
