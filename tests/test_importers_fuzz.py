"""Every importer, through the upload page, given arbitrary bytes or a mutated real file:
never a server error, never a partial import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruit.extensions import db
from recruit.models import (
    ImportBatch,
    Lsoa,
    PopulationStatistic,
    Postcode,
    RecruitmentOutcome,
    Role,
    WorkforceAggregate,
    WorkforceRecord,
)
from tests import factories_imports as files

REAL = {
    "census": files.ETHNICITY_LA, "imd": files.IMD_GM, "lsoa-wards": files.LSOA_WARDS,
    "postcodes": files.POSTCODES, "diversity-return": files.DIVERSITY,
}
TABLES = (ImportBatch, Lsoa, PopulationStatistic, Postcode, RecruitmentOutcome,
          WorkforceAggregate, WorkforceRecord)


def _stored() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES)


def _head(app, kind: str) -> bytes:
    if kind not in REAL:
        return b"staff_ref,pay_band,ethnic_category\r\nS1,Band 5,A\r\nS2,Band 2,J\r\n"
    path = Path(app.config["RECRUIT_DATA_DIR"]) / REAL[kind]
    return path.read_bytes()[:3000]


@st.composite
def mutated(draw, original: bytes):
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


@pytest.mark.parametrize("kind", ["census", "imd", "lsoa-wards", "postcodes", "workforce",
                                  "diversity-return", "recruitment"])
def test_arbitrary_or_mutated_files_never_break_an_import(app, client, login_as, kind):
    login_as(Role.admin)
    real = _head(app, kind)

    @settings(max_examples=15, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(content=st.one_of(st.binary(max_size=2000), mutated(real)))
    def upload(content):
        before = _stored()
        response = client.post(f"/admin/imports/{kind}", data={
            "file": (io.BytesIO(content), "upload.csv"), "as_of": "2025-03-31"},
            content_type="multipart/form-data")
        assert response.status_code < 500
        if response.status_code != 302:  # refused: nothing at all was written
            db.session.rollback()
            assert _stored() == before

    upload()
