"""Targets: actual counts, trajectory, projection and status on a fixed programme; admin set-up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from recruit.extensions import db
from recruit.models import Role, Target, TargetMetric
from recruit.targets import services
from recruit.targets.progress import all_progress, progress_for
from tests import board_world

AS_OF = date(2025, 6, 30)


@pytest.fixture
def world(app):
    return board_world.build()


def _progress(world, name):
    return progress_for(db.session, db.session.get(Target, world.targets[name]), AS_OF)


def test_residents_employed_counts_eligible_starts_and_projects_from_the_run_rate(world):
    p = _progress(world, "Residents employed in entry-level roles")
    # P0 (October 2024), P1 and P2 (June 2025); P13 was not eligible when enrolled.
    assert p.actual == 3
    assert p.run_rate_quarters == ["2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
    assert p.increments == [0, 1, 0, 2]
    assert p.run_rate == 0.75
    # 20 by 31 March 2026 on a straight line from 1 April 2024: 455 of 729 days gone.
    assert p.planned == round(20 * 455 / 729) == 12
    # (20 - 3) / 0.75 quarters of 91.3125 days: 2,069.75, so 2,070 days after 30 June 2025.
    assert p.projected_on == AS_OF + timedelta(days=2070) == date(2031, 3, 1)
    assert p.status == "off track"


def test_each_metric_counts_what_it_says(world):
    by_name = {p.name: p for p in all_progress(db.session, AS_OF)}
    assert by_name["Pre-employment places filled"].actual == 12  # P0, P13 and P1-P10
    assert by_name["Pre-employment places filled"].increments == [1, 0, 1, 10]
    assert by_name["Career ambassadors trained"].actual == 2  # the untrained one is not
    posts = by_name["Entry-level posts identified"]
    assert posts.actual == 10 and posts.status == "achieved"  # 6 + 4; withdrawn 3 left out
    assert posts.projected_on == AS_OF


def test_a_custom_target_follows_its_readings_and_is_on_track(world):
    p = _progress(world, "Schools visited")
    assert p.actual == 70
    assert p.increments == [15, 15, 15, 15] and p.run_rate == 15
    assert p.projected_on == AS_OF + timedelta(days=183)  # two quarters to go
    assert p.status == "on track"


def test_ambassadors_behind_plan_but_close_are_at_risk(world):
    p = _progress(world, "Career ambassadors trained")
    # planned 4 x 455/729 = 2.5, actual 2 (80% of plan); projection 8 quarters away.
    assert p.status == "at risk"


def test_milestones_shape_the_plan(world):
    target = db.session.get(Target, world.targets["Pre-employment places filled"])
    services.add_milestone(target, date(2025, 3, 31), 20, target.version, None)
    db.session.commit()
    p = progress_for(db.session, target, AS_OF)
    # Between 20 on 31 March 2025 and 24 on 31 March 2026: 91 of 365 days along.
    assert p.planned == round(20 + 4 * 91 / 365)


def test_quarterly_milestones_rise_in_a_straight_line():
    points = services.straight_line(1000, date(2024, 4, 1), date(2028, 3, 31))
    assert len(points) == 15  # every quarter end before the deadline
    assert points[0][0] == date(2024, 6, 30) and points[-1][0] == date(2027, 12, 31)
    assert [v for _d, v in points] == sorted(v for _d, v in points)


def test_admin_sets_a_target_and_its_milestones(login_as, client):
    login_as(Role.admin)
    response = client.post("/targets/new", data={
        "name": "Posts identified", "metric": "posts_identified", "value": "750",
        "starts_on": "2024-04-01", "deadline_on": "2028-03-31"})
    target = db.session.query(Target).one()
    assert response.status_code == 302 and target.metric is TargetMetric.posts_identified
    client.post(f"/targets/{target.id}/milestones", data={
        "milestone-due_on": "2025-03-31", "milestone-value": "150",
        "milestone-version": str(target.version)})
    db.session.refresh(target)
    assert [(m.due_on, m.value) for m in target.milestones] == [(date(2025, 3, 31), 150)]
    page = client.get(f"/targets/{target.id}").get_data(as_text=True)
    assert "Posts identified" in page and "<svg" in page and "<title" in page


def test_a_stale_milestone_form_is_refused(login_as, client):
    login_as(Role.admin)
    target = Target(name="T", metric=TargetMetric.places_filled, value=10,
                    starts_on=date(2024, 4, 1), deadline_on=date(2026, 3, 31))
    db.session.add(target)
    db.session.commit()
    seen = target.version
    services.quarterly_milestones(target, seen, None)  # someone else changes the plan
    db.session.commit()
    page = client.post(f"/targets/{target.id}/milestones", data={
        "milestone-due_on": "2025-06-30", "milestone-value": "9",
        "milestone-version": str(seen)}).get_data(as_text=True)
    assert "Someone else changed this target" in page
    db.session.refresh(target)
    plan = {m.due_on: m.value for m in target.milestones}
    assert plan[date(2025, 6, 30)] == round(10 * 455 / 729)  # theirs, not ours


def test_a_milestone_must_keep_the_plan_rising(app):
    target = Target(name="T", metric=TargetMetric.places_filled, value=10,
                    starts_on=date(2024, 4, 1), deadline_on=date(2026, 3, 31))
    db.session.add(target)
    db.session.flush()
    services.add_milestone(target, date(2025, 3, 31), 6, target.version, None)
    with pytest.raises(services.ValidationFailed, match="cumulative"):
        services.add_milestone(target, date(2025, 6, 30), 4, target.version, None)


def test_the_board_reads_targets_but_cannot_change_them(world, login_as, client):
    login_as(Role.board)
    target_id = world.targets["Schools visited"]
    page = client.get(f"/targets/{target_id}").get_data(as_text=True)
    assert "Schools visited" in page and "Add a milestone" not in page
    assert client.post(f"/targets/{target_id}/delete").status_code == 403
