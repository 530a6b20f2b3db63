"""The demo workforce on the real reference files: its shape, its story, and idempotence."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit.demo.workforce import LA_TS021, SNAPSHOT_DATES, seed_workforce
from recruit.extensions import db
from recruit.models import (
    AreaType,
    EntryRoute,
    PopulationStatistic,
    RecruitmentOutcome,
    WorkforceRecord,
    WorkforceSnapshot,
)
from recruit.reference.geography import load_geography
from recruit.reference.services import import_census
from recruit.statistics.calculations import EXCLUDING_PROGRAMME, PROGRAMME_ONLY
from recruit.statistics.queries import Subset
from recruit.statistics.representation import Selector, equality_standards, representation_rows

ASIAN = "Asian, Asian British or Asian Welsh"


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_workforce(app):
    data_dir = Path(app.config["RECRUIT_DATA_DIR"])
    if not (data_dir / "ons_dot_density").is_dir():
        pytest.skip("reference data not present")
    load_geography(data_dir, {"Bury", "Oldham", "Rochdale", "Salford"})
    import_census(data_dir / LA_TS021)  # what the demo seed loads first
    lines = seed_workforce(random.Random(2021), data_dir, organisation="Demo Trust")
    db.session.commit()
    assert "8 workforce snapshots created (0 already present)" in lines

    snapshots = db.session.scalars(sa.select(WorkforceSnapshot)
                                   .order_by(WorkforceSnapshot.as_of)).all()
    assert [s.as_of for s in snapshots] == list(SNAPSHOT_DATES)
    last = snapshots[-1]
    staff = _count(WorkforceRecord, WorkforceRecord.snapshot_id == last.id)
    assert 18_300 <= staff <= 18_700
    not_stated = _count(WorkforceRecord, WorkforceRecord.snapshot_id == last.id,
                        WorkforceRecord.ethnic_category.in_(["Z", "99"]))
    assert 0.05 <= not_stated / staff <= 0.08
    programme = [_count(WorkforceRecord, WorkforceRecord.snapshot_id == s.id,
                        WorkforceRecord.entry_route == EntryRoute.programme) for s in snapshots]
    assert programme[0] == 0 and programme == sorted(programme) and programme[-1] > 250
    assert _count(PopulationStatistic, PopulationStatistic.area_type == AreaType.ward) > 1000

    # The story: Asian residents of Oldham's and Rochdale's wards are under-represented...
    rows = representation_rows(db.session, Selector(last.id, last.as_of, "ward"))
    flagged = [r for r in rows if r.not_reflective is True and r.group == ASIAN]
    assert len(flagged) >= 5
    assert {"Werneth", "Coldhurst", "Central Rochdale"} & {r.area_name for r in flagged}
    # ...more so from band 5 up than in entry-level bands.
    def catchment_ratio(subset):
        rows = representation_rows(db.session, Selector(last.id, last.as_of, "catchment",
                                                        subset=Subset.parse(subset)))
        return next(r.ratio for r in rows if r.group == ASIAN)

    assert catchment_ratio("band:Band 6") < catchment_ratio("band:Band 3")
    # The programme route narrows the WRES 2 gap.
    wres = {i.scope: i.relative_likelihood
            for i in equality_standards(db.session, last.id, last.as_of).indicator_2}
    assert wres[EXCLUDING_PROGRAMME] > 1.3 and wres[PROGRAMME_ONLY] < wres[EXCLUDING_PROGRAMME]

    # Running again changes nothing.
    counts = (_count(WorkforceRecord), _count(RecruitmentOutcome), _count(PopulationStatistic))
    again = seed_workforce(random.Random(2021), data_dir, organisation="Demo Trust")
    db.session.commit()
    assert "Demo workforce already present" in again
    assert (_count(WorkforceRecord), _count(RecruitmentOutcome),
            _count(PopulationStatistic)) == counts
    # A missing snapshot is recreated exactly as before.
    first = snapshots[0]
    before = db.session.execute(sa.select(WorkforceRecord.staff_ref,
                                          WorkforceRecord.ethnic_category)
                                .where(WorkforceRecord.snapshot_id == first.id)
                                .order_by(WorkforceRecord.staff_ref)).all()
    db.session.execute(sa.delete(WorkforceRecord).where(WorkforceRecord.snapshot_id == first.id))
    db.session.delete(first)
    db.session.commit()
    seed_workforce(random.Random(2021), data_dir, organisation="Demo Trust")
    db.session.commit()
    remade = db.session.scalar(sa.select(WorkforceSnapshot).where(
        WorkforceSnapshot.as_of == SNAPSHOT_DATES[0]))
    after = db.session.execute(sa.select(WorkforceRecord.staff_ref,
                                         WorkforceRecord.ethnic_category)
                               .where(WorkforceRecord.snapshot_id == remade.id)
                               .order_by(WorkforceRecord.staff_ref)).all()
    assert after == before
