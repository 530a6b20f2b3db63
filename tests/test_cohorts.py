"""Cohorts: planning, editing, status, capacity, enrolment, withdrawal and what partners see."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    EqualityMonitoring,
    Ethnicity,
    ParticipantStatus,
    Religion,
    Role,
    StatusChange,
)
from tests import factories
from tests import factories_cohorts as fc


def _cohort_form(programme, **overrides):
    data = {"programme_id": programme.id, "name": "Oldham autumn 2024", "venue": "Main hall",
            "starts_on": "2024-09-02", "ends_on": "2024-10-11", "capacity": "10"}
    data.update(overrides)
    return data


def _full_cohort(count: int, **kwargs):
    cohort = fc.CohortFactory(status=CohortStatus.recruiting, **kwargs)
    for _ in range(count):
        fc.EnrolmentFactory(cohort=cohort)
    return cohort


# -- planning and editing --------------------------------------------------------------------

def test_coordinator_plans_a_cohort_which_starts_planned_with_history(login_as, client):
    programme = fc.ProgrammeFactory(name="Step into Health")
    host = factories.PartnerFactory(name="Coldhurst Mosque")
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post("/cohorts/new", data=_cohort_form(
        programme, host_partner_id=host.id, ward_id=host.ward_id))
    assert response.status_code == 302
    cohort = db.session.scalar(sa.select(Cohort))
    assert cohort.status is CohortStatus.planned and cohort.capacity == 10
    history = db.session.scalars(sa.select(StatusChange).where(
        StatusChange.subject_type == "cohort")).all()
    assert [(h.from_status, h.to_status) for h in history] == [(None, "planned")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Oldham autumn 2024" in page and "Coldhurst Mosque" in page
    assert "Only 0 people hold a place" in page  # below 8 is warned about


def test_cohort_form_refuses_end_before_start_and_duplicate_names(login_as, client):
    existing = fc.CohortFactory(name="Rochdale spring")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/cohorts/new", data=_cohort_form(
        existing.programme, ends_on="2024-08-01")).get_data(as_text=True)
    assert "The end date must be the same as or after the start date" in page
    page = client.post("/cohorts/new", data=_cohort_form(
        existing.programme, name="rochdale spring")).get_data(as_text=True)
    assert f"{existing.programme.name} already has a cohort called rochdale spring" in page
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 1


def test_stale_cohort_edit_is_refused_not_overwritten(login_as, client):
    cohort = fc.CohortFactory(name="Salford winter")
    db.session.commit()
    login_as(Role.coordinator)
    seen = cohort.version
    first = client.post(f"/cohorts/{cohort.id}/edit", data=_cohort_form(
        cohort.programme, name="Salford winter (Langworthy)", version=seen))
    assert first.status_code == 302
    second = client.post(f"/cohorts/{cohort.id}/edit", data=_cohort_form(
        cohort.programme, name="Salford winter (Eccles)", version=seen))
    assert "Someone else changed this cohort while you were editing it" in \
        second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).name == "Salford winter (Langworthy)"


def test_edit_refuses_dates_that_leave_a_session_outside(login_as, client):
    cohort = fc.CohortFactory()
    fc.SessionFactory(cohort=cohort, held_on=date(2024, 9, 20))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/{cohort.id}/edit", data=_cohort_form(
        cohort.programme, name=cohort.name, starts_on="2024-09-23", ends_on="2024-10-31",
        version=cohort.version)).get_data(as_text=True)
    assert "The session on 20 September 2024 would fall outside these dates" in page


# -- status ----------------------------------------------------------------------------------

def test_cohort_moves_through_its_statuses_and_skipping_is_refused_with_a_reason(
        login_as, client):
    cohort = fc.CohortFactory(name="Bury spring", status=CohortStatus.planned)
    db.session.commit()
    login_as(Role.coordinator)
    skipped = client.post(f"/cohorts/{cohort.id}/status", data={"status": "completed"})
    assert "Bury spring is planned, so it cannot move to “completed”" in \
        skipped.get_data(as_text=True)
    for status in ("recruiting", "running", "completed"):
        assert client.post(f"/cohorts/{cohort.id}/status",
                           data={"status": status}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).status is CohortStatus.completed
    again = client.post(f"/cohorts/{cohort.id}/status",
                        data={"status": "cancelled", "reason": "Oops"})
    assert "Bury spring is completed, so it cannot move to “cancelled”" in \
        again.get_data(as_text=True)


def test_cancelling_needs_a_reason_and_releases_everyone_enrolled(login_as, client):
    cohort = _full_cohort(2, name="Oldham summer")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/{cohort.id}/status", data={"status": "cancelled"})
    assert "Enter the reason for cancelling the cohort" in page.get_data(as_text=True)
    response = client.post(f"/cohorts/{cohort.id}/status",
                           data={"status": "cancelled", "reason": "Venue flooded"})
    assert response.status_code == 302
    db.session.expire_all()
    enrolments = db.session.scalars(sa.select(Enrolment)).all()
    assert {e.status for e in enrolments} == {EnrolmentStatus.withdrawn}
    assert all("Venue flooded" in e.withdrawal_reason for e in enrolments)
    assert {e.participant.status for e in enrolments} == {ParticipantStatus.registered}


# -- enrolment and the capacity rule ---------------------------------------------------------

def test_enrolling_records_eligibility_and_moves_the_participant(login_as, client):
    cohort = fc.CohortFactory(status=CohortStatus.recruiting)
    person = fc.ParticipantFactory(first_name="Amina", last_name="Begum", eligible=True)
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/cohorts/{cohort.id}/enrol").get_data(as_text=True)
    assert "Amina Begum" in form
    response = client.post(f"/cohorts/{cohort.id}/enrol",
                           data={"participant_id": person.id, "enrolled_on": "2024-08-20"})
    assert response.status_code == 302
    db.session.expire_all()
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.eligible_at_enrolment is True
    assert enrolment.participant.status is ParticipantStatus.enrolled
    moves = db.session.scalars(sa.select(StatusChange.to_status).where(
        StatusChange.participant_id == person.id).order_by(StatusChange.id)).all()
    # registration (written by the factory), then the enrolment, then the participant
    assert moves == ["registered", "enrolled", "enrolled"]


def test_enrolment_in_a_cancelled_cohort_is_refused(login_as, client):
    cohort = fc.CohortFactory(name="Rochdale cancelled", status=CohortStatus.cancelled)
    person = fc.ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/{cohort.id}/enrol",
                       data={"participant_id": person.id, "enrolled_on": "2024-08-20"})
    assert "Rochdale cancelled is cancelled, so no one can be enrolled in it" in \
        page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0


def test_withdrawn_or_already_enrolled_participants_are_refused(login_as, client):
    cohort = fc.CohortFactory(status=CohortStatus.recruiting)
    withdrawn = fc.ParticipantFactory(first_name="Tariq", last_name="Khan",
                                      status=ParticipantStatus.withdrawn)
    elsewhere = fc.EnrolmentFactory(cohort=fc.CohortFactory(name="Bury autumn"))
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/cohorts/{cohort.id}/enrol").get_data(as_text=True)
    assert "Tariq Khan" not in form  # not offered as a choice
    page = client.post(f"/cohorts/{cohort.id}/enrol",
                       data={"participant_id": withdrawn.id, "enrolled_on": "2024-08-20"})
    assert "Tariq Khan has withdrawn from the programme, so they cannot be enrolled" in \
        page.get_data(as_text=True)
    page = client.post(f"/cohorts/{cohort.id}/enrol", data={
        "participant_id": elsewhere.participant_id, "enrolled_on": "2024-08-20"})
    assert "is already enrolled in Bury autumn" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(
        Enrolment.cohort_id == cohort.id)) == 0


def test_someone_left_enrolled_in_a_finished_cohort_is_refused_until_resolved(login_as, client):
    cohort = fc.CohortFactory(status=CohortStatus.recruiting)
    straggler = fc.EnrolmentFactory(cohort=fc.CohortFactory(
        name="Oldham spring", status=CohortStatus.completed))
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/{cohort.id}/enrol", data={
        "participant_id": straggler.participant_id, "enrolled_on": "2024-08-20"})
    assert "is still enrolled in Oldham spring, which has finished" in page.get_data(as_text=True)


def test_full_cohort_refuses_a_coordinator(login_as, client):
    cohort = _full_cohort(10, name="Full house")
    person = fc.ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/{cohort.id}/enrol",
                       data={"participant_id": person.id, "enrolled_on": "2024-08-20"})
    text = page.get_data(as_text=True)
    assert "Full house is full: 10 of 10 places are taken" in text
    assert "Only an admin can enrol someone beyond the capacity" in text
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 10


def test_admin_overrides_capacity_only_with_a_reason_which_is_kept(login_as, client):
    cohort = _full_cohort(10, name="Full house")
    person = fc.ParticipantFactory(first_name="Grace", last_name="Okafor")
    db.session.commit()
    admin = login_as(Role.admin)
    form = client.get(f"/cohorts/{cohort.id}/enrol").get_data(as_text=True)
    assert "Reason for enrolling beyond the capacity" in form
    page = client.post(f"/cohorts/{cohort.id}/enrol",
                       data={"participant_id": person.id, "enrolled_on": "2024-08-20"})
    assert "Enter the reason for enrolling beyond the capacity" in page.get_data(as_text=True)
    response = client.post(f"/cohorts/{cohort.id}/enrol", data={
        "participant_id": person.id, "enrolled_on": "2024-08-20",
        "override_reason": "Sister of another participant; needs the same venue"})
    assert response.status_code == 302
    db.session.expire_all()
    cohort = db.session.get(Cohort, cohort.id)
    assert cohort.capacity_overridden_by_id == admin.id
    assert "needs the same venue" in cohort.capacity_override_reason
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "11 people hold a place, more than the capacity of 10" in detail
    assert "needs the same venue" in detail


def test_cohort_below_eight_is_warned_about_and_eight_is_not(login_as, client):
    small = _full_cohort(7)
    enough = _full_cohort(8)
    db.session.commit()
    login_as(Role.coordinator)
    assert "Only 7 people hold a place: cohorts should have at least 8 people" in \
        client.get(f"/cohorts/{small.id}").get_data(as_text=True)
    assert "people hold a place: cohorts should have" not in \
        client.get(f"/cohorts/{enough.id}").get_data(as_text=True)


def test_withdrawal_needs_a_reason_and_may_end_the_programme(login_as, client):
    enrolment = fc.EnrolmentFactory()
    stays = fc.EnrolmentFactory(cohort=enrolment.cohort)
    db.session.commit()
    login_as(Role.coordinator)
    url = f"/cohorts/enrolments/{enrolment.id}/withdraw"
    page = client.post(url, data={"reason": " ", "withdrawn_on": "2024-09-10",
                                  "version": enrolment.version})
    assert "Enter the reason for the withdrawal" in page.get_data(as_text=True)
    assert client.post(url, data={"reason": "Caring responsibilities", "leaves_programme": "y",
                                  "withdrawn_on": "2024-09-10",
                                  "version": enrolment.version}).status_code == 302
    assert client.post(f"/cohorts/enrolments/{stays.id}/withdraw", data={
        "reason": "Clash with a course", "withdrawn_on": "2024-09-10",
        "version": stays.version}).status_code == 302
    db.session.expire_all()
    left, moved = db.session.get(Enrolment, enrolment.id), db.session.get(Enrolment, stays.id)
    assert left.status is EnrolmentStatus.withdrawn and left.withdrawn_on == date(2024, 9, 10)
    assert left.participant.status is ParticipantStatus.withdrawn
    assert left.participant.withdrawn_reason == "Caring responsibilities"
    assert moved.participant.status is ParticipantStatus.registered  # free to join another


def test_a_completed_enrolment_cannot_be_withdrawn(login_as, client):
    enrolment = fc.CompletedEnrolmentFactory()
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/cohorts/enrolments/{enrolment.id}/withdraw", data={
        "reason": "Changed mind", "withdrawn_on": "2024-10-20", "version": enrolment.version})
    assert "This enrolment is completed, so it cannot move to “withdrawn”" in \
        page.get_data(as_text=True)


# -- lists and exports -----------------------------------------------------------------------

def test_list_filters_by_status_and_date_range_and_exports(login_as, client):
    fc.CohortFactory(name="Early running", starts_on=date(2024, 5, 1))
    fc.CohortFactory(name="Late planned", starts_on=date(2025, 5, 1),
                     status=CohortStatus.planned)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/cohorts/?status=planned").get_data(as_text=True)
    assert "Late planned" in page and "Early running" not in page
    page = client.get("/cohorts/?date_from=2024-05-20&date_to=2024-06-01").get_data(as_text=True)
    assert "Early running" in page and "Late planned" not in page
    export = client.get("/cohorts/export.csv?status=running")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Cohort", "Programme"] and "Enrolled" in rows[0]
    assert [r[0] for r in rows[1:]] == ["Early running"]


# -- partner users ---------------------------------------------------------------------------

def test_partner_sees_schedules_of_cohorts_it_hosts_or_has_people_in_and_nothing_else(
        login_as, client):
    mine = factories.PartnerFactory()
    hosted = fc.CohortFactory(name="Hosted by us", host_partner=mine)
    fc.SessionFactory(cohort=hosted, topic="Careers in the NHS")
    theirs_with_ours = fc.CohortFactory(name="Has our people")
    ours = fc.EnrolmentFactory(cohort=theirs_with_ours,
                               participant=fc.ParticipantFactory(
                                   referring_partner=mine, first_name="Yasmin",
                                   last_name="Shah", consent_to_share_with_partner=True,
                                   consent_to_share_on=date(2024, 6, 1),
                                   status=ParticipantStatus.enrolled))
    other = fc.EnrolmentFactory(cohort=hosted, participant=fc.ParticipantFactory(
        first_name="Other", last_name="Organisation", status=ParticipantStatus.enrolled))
    unrelated = fc.CohortFactory(name="Not ours")
    db.session.commit()
    login_as(Role.partner, partner=mine)
    listing = client.get("/cohorts/").get_data(as_text=True)
    assert "Hosted by us" in listing and "Has our people" in listing
    assert "Not ours" not in listing
    assert client.get(f"/cohorts/{unrelated.id}").status_code == 404
    hosted_page = client.get(f"/cohorts/{hosted.id}").get_data(as_text=True)
    assert "Careers in the NHS" in hosted_page
    assert "Other Organisation" not in hosted_page  # another organisation's participant
    assert "Attended" not in hosted_page and "present" not in hosted_page
    theirs_page = client.get(f"/cohorts/{theirs_with_ours.id}").get_data(as_text=True)
    assert "Yasmin Shah" in theirs_page
    export = client.get("/cohorts/export.csv").get_data(as_text=True)
    assert "Hosted by us" in export and "Not ours" not in export and "Enrolled" not in export
    for url in (f"/cohorts/{hosted.id}/edit", f"/cohorts/{hosted.id}/enrol",
                f"/cohorts/enrolments/{other.id}/withdraw", "/cohorts/programmes/"):
        assert client.get(url).status_code == 403, url
    assert ours.participant_id  # the enrolment that made the cohort visible


def test_board_and_ambassadors_have_no_cohort_pages(login_as, client):
    cohort = fc.CohortFactory()
    db.session.commit()
    login_as(Role.board)
    assert client.get("/cohorts/").status_code == 403
    assert client.get(f"/cohorts/{cohort.id}").status_code == 403


def test_cohort_pages_carry_no_equality_monitoring_answers(login_as, client):
    enrolment = fc.EnrolmentFactory()
    db.session.add(EqualityMonitoring(participant_id=enrolment.participant_id,
                                      ethnicity=Ethnicity.asian_bangladeshi,
                                      religion=Religion.muslim))
    session = fc.SessionFactory(cohort=enrolment.cohort)
    db.session.commit()
    login_as(Role.coordinator)
    for url in (f"/cohorts/{enrolment.cohort_id}", f"/cohorts/sessions/{session.id}/register",
                f"/cohorts/{enrolment.cohort_id}/enrol"):
        page = client.get(url).get_data(as_text=True)
        assert "Bangladeshi" not in page and "Muslim" not in page, url


def test_unknown_ids_are_404(login_as, client):
    login_as(Role.admin)
    for url in ("/cohorts/999999", "/cohorts/999999/edit", "/cohorts/sessions/999999/register",
                "/cohorts/enrolments/999999/withdraw", "/cohorts/programmes/999999/edit"):
        assert client.get(url).status_code == 404, url


def test_programmes_are_created_and_edited_by_staff(login_as, client):
    login_as(Role.coordinator)
    response = client.post("/cohorts/programmes/new", data={
        "name": "Step into Health", "curriculum": "Six weeks", "counts_as_gcse_equivalent": "y",
        "waives_interview": "y", "is_active": "y"})
    assert response.status_code == 302
    page = client.get("/cohorts/programmes/").get_data(as_text=True)
    assert "Step into Health" in page
    duplicate = client.post("/cohorts/programmes/new", data={"name": "step into health"})
    assert "A programme called step into health already exists" in \
        duplicate.get_data(as_text=True)
