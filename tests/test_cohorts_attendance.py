"""Sessions, the attendance register, the attendance rule and confirming completion."""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

import pytest
import sqlalchemy as sa

from recruit.cohorts.attendance import meets_attendance_rule
from recruit.extensions import db
from recruit.models import (
    Attendance,
    AttendanceStatus,
    CohortSession,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    ParticipantStatus,
    Role,
)
from tests import factories_cohorts as fc


def _cohort_with_sessions(count: int = 10, **kwargs):
    cohort = fc.CohortFactory(**kwargs)
    for index in range(count):
        fc.SessionFactory(cohort=cohort, held_on=cohort.starts_on + timedelta(days=index * 3))
    return cohort


def _attend(enrolment, present: int, excused: int = 0) -> None:
    """Mark ``enrolment`` present at the first ``present`` sessions, then excused, then absent."""
    for index, cohort_session in enumerate(enrolment.cohort.sessions):
        if index < present:
            status = AttendanceStatus.present
        elif index < present + excused:
            status = AttendanceStatus.excused
        else:
            status = AttendanceStatus.absent
        db.session.add(Attendance(session=cohort_session, enrolment=enrolment, status=status))
    db.session.flush()


@pytest.mark.parametrize(("present", "sessions", "meets"), [
    (8, 10, True), (7, 10, False), (4, 5, True), (3, 5, False), (10, 10, True), (0, 0, False),
    (7, 9, False), (8, 9, True),
])
def test_attendance_rule_is_at_least_eighty_percent_of_sessions(present, sessions, meets):
    assert meets_attendance_rule(present, sessions, Fraction(4, 5)) is meets


def test_rule_follows_the_configured_rate(app):
    app.config["COMPLETION_ATTENDANCE_RATE"] = 0.7
    try:
        assert meets_attendance_rule(7, 10) is True
    finally:
        app.config["COMPLETION_ATTENDANCE_RATE"] = 0.8
    assert meets_attendance_rule(7, 10) is False


def test_cohort_page_shows_each_persons_attendance_against_the_rule(login_as, client):
    cohort = _cohort_with_sessions(10)
    exactly = fc.EnrolmentFactory(cohort=cohort, participant=fc.ParticipantFactory(
        first_name="Exactly", last_name="Eighty", status=ParticipantStatus.enrolled))
    excused = fc.EnrolmentFactory(cohort=cohort, participant=fc.ParticipantFactory(
        first_name="Mostly", last_name="Excused", status=ParticipantStatus.enrolled))
    _attend(exactly, present=8)
    _attend(excused, present=7, excused=3)  # excused counts as absent
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "8 of 10 (80%)" in page and "7 of 10 (70%)" in page
    assert "3 excused" in page
    assert "Excused absences count as absences" in page
    # Only the one who meets the rule can be confirmed.
    assert len(re.findall(r">\s*Confirm completion\s*</button>", page)) == 1


def test_confirming_completion_at_exactly_eighty_percent(login_as, client):
    cohort = _cohort_with_sessions(10)
    enrolment = fc.EnrolmentFactory(cohort=cohort)
    _attend(enrolment, present=8)
    db.session.commit()
    coordinator = login_as(Role.coordinator)
    response = client.post(f"/cohorts/enrolments/{enrolment.id}/complete")
    assert response.status_code == 302
    db.session.expire_all()
    enrolment = db.session.get(Enrolment, enrolment.id)
    assert enrolment.status is EnrolmentStatus.completed
    assert enrolment.completed_on == date.today()
    assert enrolment.completion_confirmed_by_id == coordinator.id
    assert enrolment.participant.status is ParticipantStatus.completed


def test_completion_below_the_rule_is_refused_naming_the_attendance(login_as, client):
    cohort = _cohort_with_sessions(10)
    enrolment = fc.EnrolmentFactory(cohort=cohort, participant=fc.ParticipantFactory(
        first_name="Jack", last_name="Walsh", status=ParticipantStatus.enrolled))
    _attend(enrolment, present=7, excused=1)
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post(f"/cohorts/enrolments/{enrolment.id}/complete",
                           follow_redirects=True)
    assert "Jack Walsh attended 7 of 10 sessions (70%): completion needs at least 80%" in \
        response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status is EnrolmentStatus.enrolled


def test_confirm_all_confirms_only_those_who_meet_the_rule(login_as, client):
    cohort = _cohort_with_sessions(5, status=CohortStatus.completed)
    good, poor = fc.EnrolmentFactory(cohort=cohort), fc.EnrolmentFactory(cohort=cohort)
    _attend(good, present=4)
    _attend(poor, present=3)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/{cohort.id}/complete", follow_redirects=True)
    assert "Completion confirmed for 1 person" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrolment, good.id).status is EnrolmentStatus.completed
    assert db.session.get(Enrolment, poor.id).status is EnrolmentStatus.enrolled


def test_completion_is_refused_before_the_cohort_runs(login_as, client):
    cohort = _cohort_with_sessions(1, status=CohortStatus.recruiting)
    enrolment = fc.EnrolmentFactory(cohort=cohort)
    _attend(enrolment, present=1)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/enrolments/{enrolment.id}/complete", follow_redirects=True)
    assert "completion is confirmed once it is running or completed" in \
        page.get_data(as_text=True)


def test_register_lists_names_and_saves_every_mark_in_one_post(login_as, client):
    cohort = _cohort_with_sessions(1)
    people = [fc.EnrolmentFactory(cohort=cohort) for _ in range(3)]
    gone = fc.EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.withdrawn,
                               withdrawn_on=cohort.starts_on, withdrawal_reason="Moved away")
    cohort_session = cohort.sessions[0]
    db.session.commit()
    login_as(Role.coordinator)
    url = f"/cohorts/sessions/{cohort_session.id}/register"
    page = client.get(url).get_data(as_text=True)
    for enrolment in people:
        assert enrolment.participant.display_name in page
    assert gone.participant.display_name not in page
    assert "nhsuk-radios--inline" in page
    marks = {f"e{people[0].id}": "present", f"e{people[1].id}": "absent",
             f"e{people[2].id}": "excused"}
    response = client.post(url, data=marks, follow_redirects=True)
    assert "Register saved: 1 present, 1 absent, 1 excused." in response.get_data(as_text=True)
    saved = dict(db.session.execute(sa.select(Attendance.enrolment_id, Attendance.status)).all())
    assert saved == {people[0].id: AttendanceStatus.present, people[1].id: AttendanceStatus.absent,
                     people[2].id: AttendanceStatus.excused}
    # Changing one mark updates it rather than adding a second row.
    client.post(url, data={**marks, f"e{people[1].id}": "present"})
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 3
    assert db.session.scalar(sa.select(Attendance.status).where(
        Attendance.enrolment_id == people[1].id)) is AttendanceStatus.present


def test_register_with_someone_unmarked_saves_nothing(login_as, client):
    cohort = _cohort_with_sessions(1)
    first = fc.EnrolmentFactory(cohort=cohort)
    second = fc.EnrolmentFactory(cohort=cohort, participant=fc.ParticipantFactory(
        first_name="Nadia", last_name="Rahman", status=ParticipantStatus.enrolled))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/sessions/{cohort.sessions[0].id}/register",
                       data={f"e{first.id}": "present"}).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Mark Nadia Rahman as present, absent or excused" in page
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0
    assert second.id


def test_register_cannot_be_taken_before_the_session(login_as, client):
    later = date.today() + timedelta(days=7)
    cohort = fc.CohortFactory(starts_on=later)
    enrolment = fc.EnrolmentFactory(cohort=cohort)
    cohort_session = fc.SessionFactory(cohort=cohort, held_on=later)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/sessions/{cohort_session.id}/register",
                       data={f"e{enrolment.id}": "present"}).get_data(as_text=True)
    assert "This session has not happened yet" in page
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0


def test_sessions_are_added_within_the_cohort_dates_with_the_equality_training_flag(
        login_as, client):
    cohort = fc.CohortFactory(starts_on=date(2024, 9, 2))
    db.session.commit()
    login_as(Role.coordinator)
    outside = client.post(f"/cohorts/{cohort.id}/sessions/new", data={
        "held_on": "2024-12-25", "topic": "Christmas"}).get_data(as_text=True)
    assert "The session must be between the cohort&#39;s start (2 September 2024)" in outside
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "No session is marked as the equality and diversity training" in page
    response = client.post(f"/cohorts/{cohort.id}/sessions/new", data={
        "held_on": "2024-09-04", "starts_at": "10:00", "topic": "Equality and diversity",
        "is_equality_training": "y"})
    assert response.status_code == 302
    added = db.session.scalar(sa.select(CohortSession))
    assert added.is_equality_training and added.starts_at.hour == 10
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "No session is marked as the equality and diversity training" not in page
