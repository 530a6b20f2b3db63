"""The trend across snapshots: the same rows as each snapshot on its own, in one set of queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AreaType, EntryRoute
from recruit.statistics import queries
from recruit.statistics.queries import Subset
from recruit.statistics.representation import Selector, publish, representation_rows, trend
from tests import factories
from tests.factories_statistics import SnapshotFactory, StaffFactory, population

ASIAN = "Asian, Asian British or Asian Welsh"


@pytest.fixture
def snapshots():
    oldham = factories.LocalAuthorityFactory(code="E08000004", name="Oldham")
    ward = factories.WardFactory(code="E05000001", local_authority=oldham)
    population("E08000004", {f"{ASIAN}: Pakistani": 300, "White: Irish": 700})
    population(ward.code, {ASIAN: 40, "White": 60}, area_type=AreaType.ward)
    made = []
    for quarter in range(4):
        as_of = date(2025, 3, 31) + timedelta(days=91 * quarter)
        snapshot = SnapshotFactory(as_of=as_of)
        for index in range(10 + 5 * quarter):  # grows, and changes mix, quarter by quarter
            StaffFactory(snapshot=snapshot, ethnic_category="J" if index % (quarter + 2) else "B",
                         home_la_code="E08000004", home_ward_code=ward.code,
                         started_on=as_of - timedelta(days=100 * index),
                         entry_route=EntryRoute.programme if index % 3 == 0
                         else EntryRoute.other)
        made.append(snapshot)
    db.session.commit()
    return made


@pytest.mark.parametrize(("area_type", "code", "subset"), [
    ("catchment", "catchment", Subset()),
    ("catchment", "catchment", Subset("new_starters")),
    ("la", "E08000004", Subset("programme")),
    ("ward", "E05000001", Subset()),
])
@pytest.mark.parametrize("published", [False, True])
def test_trend_matches_each_snapshot_on_its_own(snapshots, area_type, code, subset, published):
    newest = snapshots[-1]
    selector = Selector(newest.id, newest.as_of, area_type, subset=subset)
    points = trend(db.session, selector, code, published=published)
    assert [p.as_of for p in points] == [s.as_of for s in snapshots]
    for point, snapshot in zip(points, snapshots, strict=True):
        alone = [r for r in representation_rows(
            db.session, replace(selector, snapshot_id=snapshot.id, as_of=snapshot.as_of))
            if r.area_code == code]
        assert point.rows == ([publish(r) for r in alone] if published else alone)
    assert any(r.workforce_count for p in points for r in p.rows)


def test_trend_runs_the_same_queries_however_many_snapshots(snapshots):
    counted = []

    def count(*_args):
        counted.append(1)

    newest = snapshots[-1]
    selector = Selector(newest.id, newest.as_of)
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        trend(db.session, selector)
        with_four = len(counted)
        SnapshotFactory(as_of=date(2026, 3, 31))
        db.session.commit()
        counted.clear()
        trend(db.session, selector)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(counted) == with_four
    assert len(queries.person_snapshots(db.session)) == 5
