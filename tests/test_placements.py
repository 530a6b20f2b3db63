"""Work experience placements: only after completion, ten working days, status, the guarantee."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import ParticipantStatus, Placement, PlacementStatus, Role, StatusChange
from recruit.placements.services import ten_working_days_end
from tests import factories_cohorts as fc


@pytest.mark.parametrize(("start", "end"), [
    (date(2024, 6, 3), date(2024, 6, 14)),   # Monday → Friday of the next week
    (date(2024, 6, 5), date(2024, 6, 18)),   # Wednesday → Tuesday two weeks on
    (date(2024, 6, 7), date(2024, 6, 20)),   # Friday → Thursday
    (date(2024, 6, 8), date(2024, 6, 21)),   # Saturday: counts from Monday
])
def test_ten_working_days(start, end):
    assert ten_working_days_end(start) == end
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    assert sum(d.weekday() < 5 for d in days) == 10


def _offer(**overrides):
    data = {"department": "Outpatients", "site": "Royal Oldham Hospital",
            "supervisor_name": "Sister Jones", "role_sought": "Healthcare assistant",
            "offered_on": "2024-10-20", "starts_on": "2024-11-04"}
    data.update(overrides)
    return data


def test_placement_offered_to_a_completer_ends_after_ten_working_days(login_as, client):
    enrolment = fc.CompletedEnrolmentFactory(completed_on=date(2024, 10, 11))
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/placements/new?participant_id={enrolment.participant_id}")
    assert enrolment.participant.display_name in form.get_data(as_text=True)
    response = client.post("/placements/new", data=_offer(participant_id=enrolment.participant_id))
    assert response.status_code == 302
    placement = db.session.scalar(sa.select(Placement))
    assert placement.status is PlacementStatus.offered
    assert placement.ends_on == date(2024, 11, 15)
    assert placement.enrolment_id == enrolment.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "within the 8-week guarantee" in page


def test_placement_before_completion_is_refused(login_as, client):
    enrolment = fc.EnrolmentFactory(participant=fc.ParticipantFactory(
        first_name="Liam", last_name="Evans", status=ParticipantStatus.enrolled))
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get("/placements/new").get_data(as_text=True)
    assert "Liam Evans" not in form
    page = client.post("/placements/new", data=_offer(participant_id=enrolment.participant_id))
    assert "Liam Evans has not completed a cohort yet: a placement before completion is not " \
           "possible" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 0


def test_offer_dated_before_completion_is_refused(login_as, client):
    enrolment = fc.CompletedEnrolmentFactory(completed_on=date(2024, 10, 11))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/placements/new", data=_offer(
        participant_id=enrolment.participant_id, offered_on="2024-10-01"))
    assert "The offer must be on or after the completion on 11 October 2024" in \
        page.get_data(as_text=True)


def test_second_placement_while_one_is_under_way_is_refused(login_as, client):
    placement = fc.PlacementFactory(status=PlacementStatus.scheduled,
                                    starts_on=date(2024, 11, 4), ends_on=date(2024, 11, 15))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/placements/new", data=_offer(participant_id=placement.participant_id))
    assert "already has a placement scheduled in Outpatients" in page.get_data(as_text=True)


def test_placement_moves_on_and_completion_makes_the_participant_placed(login_as, client):
    placement = fc.PlacementFactory(starts_on=date(2024, 11, 4), ends_on=date(2024, 11, 15))
    db.session.commit()
    login_as(Role.coordinator)
    url = f"/placements/{placement.id}/status"
    skipped = client.post(url, data={"status": "completed"}).get_data(as_text=True)
    assert "This placement is offered, so it cannot move to “completed”" in skipped
    for status in ("scheduled", "in_progress", "completed"):
        assert client.post(url, data={"status": status}).status_code == 302, status
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.status is PlacementStatus.completed
    assert placement.participant.status is ParticipantStatus.placed
    moves = db.session.scalars(sa.select(StatusChange.to_status).where(
        StatusChange.participant_id == placement.participant_id).order_by(StatusChange.id)).all()
    # the factory's own history row for the participant first, then this journey
    assert moves[1:] == ["scheduled", "in_progress", "completed", "placed"]


def test_declining_needs_a_reason(login_as, client):
    placement = fc.PlacementFactory()
    db.session.commit()
    login_as(Role.coordinator)
    url = f"/placements/{placement.id}/status"
    page = client.post(url, data={"status": "declined"}).get_data(as_text=True)
    assert "Enter the reason the placement was declined" in page
    assert client.post(url, data={"status": "declined",
                                  "reason": "Started a college course"}).status_code == 302


def test_placement_cannot_start_in_the_future(login_as, client):
    later = date.today() + timedelta(days=10)
    placement = fc.PlacementFactory(status=PlacementStatus.scheduled, starts_on=later,
                                    ends_on=ten_working_days_end(later))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/placements/{placement.id}/status",
                       data={"status": "in_progress"}).get_data(as_text=True)
    assert "The placement has not started yet" in page


def test_feedback_is_recorded_and_a_stale_edit_refused(login_as, client):
    placement = fc.PlacementFactory(starts_on=date(2024, 11, 4), ends_on=date(2024, 11, 15))
    db.session.commit()
    login_as(Role.coordinator)
    seen = placement.version
    data = _offer(offered_on=placement.offered_on.isoformat(), version=seen,
                  participant_feedback="Loved the ward", supervisor_feedback="Punctual, kind")
    assert client.post(f"/placements/{placement.id}/edit", data=data).status_code == 302
    again = client.post(f"/placements/{placement.id}/edit",
                        data={**data, "supervisor_feedback": "Changed"})
    assert "Someone else changed this placement" in again.get_data(as_text=True)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Loved the ward" in page and "Punctual, kind" in page


def test_waiting_list_shows_days_waited_against_the_guarantee(login_as, client):
    today = date.today()
    recent = fc.CompletedEnrolmentFactory(
        completed_on=today - timedelta(days=20), participant=fc.ParticipantFactory(
            first_name="Recent", last_name="Completer", status=ParticipantStatus.completed))
    late = fc.CompletedEnrolmentFactory(
        completed_on=today - timedelta(days=70), participant=fc.ParticipantFactory(
            first_name="Long", last_name="Wait", status=ParticipantStatus.completed))
    offered = fc.PlacementFactory()  # has an offer: not waiting
    withdrawn = fc.CompletedEnrolmentFactory(participant=fc.ParticipantFactory(
        first_name="Gone", last_name="Away", status=ParticipantStatus.withdrawn))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/placements/waiting").get_data(as_text=True)
    assert "2 completers are still waiting" in page and "1 over the guarantee" in page
    assert page.index("Long Wait") < page.index("Recent Completer")  # longest first
    assert "Over the guarantee by 14 days" in page
    assert offered.participant.display_name not in page
    assert withdrawn.participant.display_name not in page
    assert recent.id and late.id


def test_placement_list_exports_and_is_staff_only(login_as, client):
    fc.PlacementFactory(department="Pharmacy")
    db.session.commit()
    login_as(Role.coordinator)
    assert "Pharmacy" in client.get("/placements/").get_data(as_text=True)
    export = client.get("/placements/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
    assert rows[1][2] == "Pharmacy" and rows[1][-1] == "Yes"
    client.post("/logout")
    login_as(Role.partner)
    assert client.get("/placements/").status_code == 403
    assert client.get("/placements/waiting").status_code == 403
