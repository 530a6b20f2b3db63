"""Workforce counts written at import: the page's figures are the records' figures, faster.

The representativeness page reads all staff from ``workforce_counts``; here every figure it shows
is computed both ways (from the counts, and by counting the records as before) and compared, on a
mixed factory world with the awkward cases and on the demo's synthetic trust.
"""

from __future__ import annotations

import importlib.util
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    Answer,
    AreaType,
    CountArea,
    Religion,
    Sex,
    WorkforceCount,
    WorkforceRecord,
)
from recruit.representativeness.services import build_page
from recruit.statistics import queries, workforce_counts
from recruit.statistics.categories import dimension
from recruit.statistics.queries import Subset
from recruit.statistics.representation import Selector
from tests import factories
from tests import factories_statistics as fs

CODES = [*"ABCDEFGHJKLMNPRS", "Z", "99"]
AGE_BANDS = ["16-20", "21-25", "26-30", "36-40", "51-55", "61-65", "66-70", "<=20", None]
DIMENSIONS = [("ethnicity", "group"), ("ethnicity", "category"), ("sex", "group"),
              ("age", "group"), ("disability", "group"), ("religion", "group")]
AREA_TYPES = ["catchment", "la", "ward", "site"]
MIGRATION = Path(__file__).parent.parent / "migrations" / "versions" / "0006_workforce_counts.py"


def _from_records(monkeypatch) -> None:
    """Make the queries count the records for all staff too, as they did before the counts."""
    def counted(session, snapshot_ids, area_type, dim, catchment):
        return queries._record_counts(session, [(i, date.today()) for i in snapshot_ids],
                                      area_type, dim, Subset(), catchment)

    def localities(session, snapshot_id):
        names = session.scalars(sa.select(WorkforceRecord.locality).distinct().where(
            WorkforceRecord.snapshot_id == snapshot_id, WorkforceRecord.locality.is_not(None)))
        return {name: keys.get(name.lower(), name) for name in names}

    keys = {"oldham": "E08000004", "rochdale": "E08000005", "manchester": "E08000003"}
    monkeypatch.setattr(queries, "_stored_counts", counted)
    monkeypatch.setattr(queries, "localities", localities)


@pytest.fixture
def mixed():
    """Three snapshots of staff with every value, missing areas and inconsistent homes."""
    la = factories.LocalAuthorityFactory
    oldham = la(code="E08000004", name="Oldham", in_catchment=True)
    rochdale = la(code="E08000005", name="Rochdale", in_catchment=True)
    la(code="E08000003", name="Manchester", in_catchment=False)
    wards = [factories.WardFactory(code=f"E0500072{n}", local_authority=oldham)
             for n in range(3)] + [factories.WardFactory(code="E05014036",
                                                         local_authority=rochdale)]
    for ward in wards:
        fs.population(ward.code, {"White: English, Welsh, Scottish, Northern Irish or British":
                                  600, "Asian, Asian British or Asian Welsh: Pakistani": 300,
                                  "Black, Black British, Black Welsh, Caribbean or African: "
                                  "African": 100}, area_type=AreaType.ward)
    for code in ("E08000004", "E08000005", "E08000003"):
        fs.population(code, {"White: Irish": 500, "Asian, Asian British or Asian Welsh: Indian":
                             500})
    homes = [(w.code, w.local_authority.code) for w in wards] + [
        ("E05011111", "E08000003"),  # outside the catchment
        (wards[0].code, "E08000003"),  # a ward whose staff's local authority disagrees
        ("E05000729", None), (None, "E08000004"), (None, None)]
    rng = random.Random(8)
    snapshots = []
    for quarter in range(3):
        snapshot = fs.SnapshotFactory(as_of=date(2024, 6, 30) + timedelta(days=91 * quarter))
        for _ in range(150 + 40 * quarter):
            ward, la_code = rng.choice(homes)
            db.session.add(fs.StaffFactory.build(
                snapshot=snapshot, home_ward_code=ward, home_la_code=la_code,
                locality=rng.choice(["Oldham", "Rochdale", "Community", None]),
                ethnic_category=rng.choice(CODES), sex=rng.choice([*Sex, None]),
                age_band=rng.choice(AGE_BANDS), disability=rng.choice([*Answer, None]),
                religion=rng.choice([*Religion, None])))
        db.session.flush()
        workforce_counts.rebuild(db.session, snapshot.id)
        snapshots.append(snapshot)
    db.session.commit()
    return snapshots


@pytest.mark.parametrize(("characteristic", "level"), DIMENSIONS)
@pytest.mark.parametrize("area_type", AREA_TYPES)
def test_counts_match_the_records(mixed, area_type, characteristic, level):
    dim = dimension(characteristic, level)
    catchment = queries.catchment_codes(db.session)
    chosen = [(s.id, s.as_of) for s in mixed]
    stored = queries.workforce_counts_by_snapshot(db.session, chosen, area_type, dim, Subset(),
                                                  catchment)
    counted = {}
    for snapshot_id, area, raw, count in queries._record_counts(
            db.session, chosen, area_type, dim, Subset(), catchment):
        counted.setdefault(snapshot_id, {}).setdefault(area, []).append((raw, count))
    assert stored == {snapshot_id: {area: dim.fold_workforce(pairs) for area, pairs in
                                    areas.items()} for snapshot_id, areas in counted.items()}
    assert any(sum(groups.values()) for areas in stored.values()
               for groups, _undeclared in areas.values())


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize(("characteristic", "level"), DIMENSIONS)
@pytest.mark.parametrize("area_type", AREA_TYPES)
def test_the_page_is_the_same_from_counts_and_records(app, mixed, monkeypatch, area_type,
                                                      characteristic, level, published):
    newest = mixed[-1]
    selector = Selector(newest.id, newest.as_of, area_type, characteristic, level)
    data_dir = app.config["RECRUIT_DATA_DIR"]
    from_counts = build_page(selector, newest, published=published, focus=None,
                             data_dir=data_dir)
    _from_records(monkeypatch)
    from_records = build_page(selector, newest, published=published, focus=None,
                              data_dir=data_dir)
    assert from_counts == from_records
    assert from_counts.rows and len(from_counts.trend) == 3


def test_localities_come_from_the_counts(mixed):
    assert queries.localities(db.session, mixed[0].id) == {
        "Oldham": "E08000004", "Rochdale": "E08000005", "Community": "Community"}


def test_the_migration_counts_what_the_import_counts(mixed):
    """Snapshots imported before the counts existed get the same counts from the migration."""
    def stored() -> list[tuple]:
        return sorted(db.session.execute(sa.select(
            WorkforceCount.snapshot_id, WorkforceCount.area_type, WorkforceCount.area_code,
            WorkforceCount.la_code, WorkforceCount.characteristic, WorkforceCount.category,
            WorkforceCount.count)).tuples(), key=repr)

    written = stored()
    spec = importlib.util.spec_from_file_location("workforce_counts_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(sa.delete(WorkforceCount))
    db.session.execute(sa.text(migration._backfill()))
    assert stored() == written and written


def test_rebuild_replaces_a_snapshots_counts(mixed):
    snapshot = mixed[0]
    db.session.execute(sa.update(WorkforceRecord).where(WorkforceRecord.snapshot_id
                                                        == snapshot.id).values(locality=None))
    workforce_counts.rebuild(db.session, snapshot.id)
    sites = sa.select(sa.func.count()).select_from(WorkforceCount).where(
        WorkforceCount.area_type == CountArea.site)
    assert db.session.scalar(sites.where(WorkforceCount.snapshot_id == snapshot.id)) == 0
    assert db.session.scalar(sites.where(WorkforceCount.snapshot_id == mixed[1].id)) > 0
    total = db.session.scalar(sa.select(sa.func.sum(WorkforceCount.count)).where(
        WorkforceCount.snapshot_id == snapshot.id, WorkforceCount.area_type == CountArea.la,
        WorkforceCount.characteristic == "ethnicity"))
    assert total == db.session.scalar(sa.select(sa.func.count()).where(
        WorkforceRecord.snapshot_id == snapshot.id, WorkforceRecord.home_la_code.is_not(None)))
