"""Outcomes: other kinds recorded by hand, sustainment at 13 and 26 weeks, the checks-due list,
progression, and volunteering."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.models import (
    AfcBand,
    ApplicationStage,
    Outcome,
    OutcomeKind,
    ParticipantStatus,
    Role,
    StatusChange,
    Volunteering,
)
from recruit.outcomes import services
from tests import factories_vacancies as fv
from tests.factories_participants import ParticipantFactory

TODAY = date.today()
DAY = timedelta(days=1)


def _check(outcome, weeks, sustained=True, on=None):
    services.record_check(outcome, weeks, {"sustained": sustained, "checked_on": on or TODAY},
                          actor=None, trusted=True)


# Recording outcomes -----------------------------------------------------------------------------

def test_other_outcome_moves_the_participant_to_other_outcome(login_as, client):
    participant = ParticipantFactory(status=ParticipantStatus.placed, first_name="Kwame",
                                     last_name="Mensah")
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/outcomes/new?participant_id={participant.id}").get_data(as_text=True)
    assert f'<option value="{participant.id}" selected' in form
    assert 'value="entry_level_role_at_anchor"' not in form
    response = client.post("/outcomes/new", data={
        "participant_id": participant.id, "kind": "apprenticeship",
        "started_on": (TODAY - 10 * DAY).isoformat(), "employer": "Oldham College",
        "role_title": "Level 3 business administration"})
    assert response.status_code == 302
    outcome = db.session.scalar(sa.select(Outcome))
    assert outcome.kind is OutcomeKind.apprenticeship and outcome.application_id is None
    db.session.refresh(participant)
    assert participant.status is ParticipantStatus.other_outcome
    change = db.session.scalar(sa.select(StatusChange).where(
        StatusChange.to_status == "other_outcome"))
    assert change.from_status == "placed" and change.changed_at.date() == TODAY - 10 * DAY
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Apprenticeship recorded for Kwame Mensah" in page and "Oldham College" in page


def test_a_start_at_the_anchor_cannot_be_recorded_by_hand(login_as, client):
    participant = ParticipantFactory()
    db.session.commit()
    with pytest.raises(RecruitError, match="recorded from its application"):
        services.create_outcome(participant, {"kind": OutcomeKind.entry_level_role_at_anchor,
                                              "started_on": TODAY}, actor=None)
    login_as(Role.coordinator)
    page = client.post("/outcomes/new", data={
        "participant_id": participant.id, "kind": "entry_level_role_at_anchor",
        "started_on": TODAY.isoformat()}).get_data(as_text=True)
    assert "Choose a kind of outcome from the list" in page
    page = client.post("/outcomes/new", data={
        "participant_id": participant.id, "kind": "job_elsewhere",
        "started_on": (TODAY + DAY).isoformat()}).get_data(as_text=True)
    assert "The start date must be today or in the past" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0


def test_an_employed_participant_stays_employed():
    participant = ParticipantFactory(status=ParticipantStatus.employed)
    services.create_outcome(participant, {"kind": OutcomeKind.college_or_training,
                                          "started_on": TODAY}, actor=None)
    assert participant.status is ParticipantStatus.employed


# Sustainment ------------------------------------------------------------------------------------

def test_sustainment_checks_fall_due_at_91_and_182_days():
    outcome = fv.OutcomeFactory(started_on=date(2025, 1, 6))
    assert outcome.check_13_due_on == date(2025, 4, 7)
    assert outcome.check_26_due_on == date(2025, 7, 7)


def test_a_check_cannot_be_recorded_before_it_falls_due():
    outcome = fv.OutcomeFactory(started_on=TODAY - 90 * DAY)
    with pytest.raises(RecruitError, match="13-week check falls due on .* cannot be recorded"):
        _check(outcome, 13)
    outcome.started_on = TODAY - 91 * DAY
    _check(outcome, 13)
    assert outcome.sustained_13_weeks is True and outcome.checked_13_on == TODAY


def test_the_26_week_check_follows_a_sustained_13_week_check():
    outcome = fv.OutcomeFactory(started_on=TODAY - 200 * DAY)
    with pytest.raises(RecruitError, match="Record the 13-week check first"):
        _check(outcome, 26)
    _check(outcome, 13, sustained=False, on=TODAY - 100 * DAY)
    with pytest.raises(RecruitError, match="no 26-week check to record"):
        _check(outcome, 26)
    _check(outcome, 13, sustained=True, on=TODAY - 100 * DAY)
    with pytest.raises(RecruitError, match="26-week check falls due"):
        _check(outcome, 26, on=TODAY - 20 * DAY)
    _check(outcome, 26, sustained=True, on=TODAY - 10 * DAY)
    assert (outcome.sustained_26_weeks, outcome.checked_26_on) == (True, TODAY - 10 * DAY)
    with pytest.raises(RecruitError, match="correct the 26-week check first"):
        _check(outcome, 13, sustained=False, on=TODAY - 100 * DAY)


def test_checks_due_list(app):
    within = app.config["SUSTAINMENT_DUE_WITHIN_DAYS"]
    overdue_13 = fv.OutcomeFactory(started_on=TODAY - 100 * DAY)
    soon_13 = fv.OutcomeFactory(started_on=TODAY - (91 - within) * DAY)
    fv.OutcomeFactory(started_on=TODAY - (90 - within) * DAY)  # due just beyond the window
    fv.OutcomeFactory(started_on=TODAY - 120 * DAY, sustained_13_weeks=True,
                      checked_13_on=TODAY - 29 * DAY)  # 13 done, 26 not yet near
    due_26 = fv.OutcomeFactory(started_on=TODAY - 182 * DAY, sustained_13_weeks=True,
                               checked_13_on=TODAY - 91 * DAY)
    fv.OutcomeFactory(started_on=TODAY - 300 * DAY, sustained_13_weeks=False,
                      checked_13_on=TODAY - 200 * DAY)  # left: no 26-week check
    fv.OutcomeFactory(started_on=TODAY - 300 * DAY, sustained_13_weeks=True,
                      checked_13_on=TODAY - 200 * DAY, sustained_26_weeks=True,
                      checked_26_on=TODAY - 110 * DAY)  # all done
    rows = services.checks_due()
    assert [(r["outcome"].id, r["weeks"], r["days"]) for r in rows] == [
        (overdue_13.id, 13, -9), (due_26.id, 26, 0), (soon_13.id, 13, within)]


def test_checks_due_page_and_recording_a_check(login_as, client):
    participant = ParticipantFactory(first_name="Ruksana", last_name="Miah")
    outcome = fv.OutcomeFactory(participant=participant, started_on=TODAY - 95 * DAY)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/outcomes/checks-due").get_data(as_text=True)
    assert "Ruksana Miah" in page and "overdue by 4 days" in page
    assert f"/outcomes/{outcome.id}/check/13" in page
    early = client.post(f"/outcomes/{outcome.id}/check/13", data={
        "sustained": "yes", "checked_on": (TODAY - 5 * DAY).isoformat(), "version": "1"})
    assert "cannot be recorded before then" in early.get_data(as_text=True)
    response = client.post(f"/outcomes/{outcome.id}/check/13", data={
        "sustained": "yes", "checked_on": TODAY.isoformat(), "version": "1"})
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Still in post (checked" in detail
    assert "Ruksana Miah" not in client.get("/outcomes/checks-due").get_data(as_text=True)
    assert client.get(f"/outcomes/{outcome.id}/check/14").status_code == 404


def test_stale_sustainment_check_is_refused(login_as, client):
    outcome = fv.OutcomeFactory(started_on=TODAY - 100 * DAY)
    db.session.commit()
    login_as(Role.coordinator)
    data = {"sustained": "yes", "checked_on": TODAY.isoformat(), "version": "1"}
    assert client.post(f"/outcomes/{outcome.id}/check/13", data=data).status_code == 302
    second = client.post(f"/outcomes/{outcome.id}/check/13", data={**data, "sustained": "no"})
    assert "Someone else changed this outcome" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).sustained_13_weeks is True


# Progression ------------------------------------------------------------------------------------

def test_progression_is_to_a_higher_band_after_the_start(login_as, client):
    outcome = fv.OutcomeFactory(kind=OutcomeKind.entry_level_role_at_anchor,
                                band=AfcBand.band_2, started_on=TODAY - 400 * DAY)
    db.session.commit()
    login_as(Role.coordinator)
    url = f"/outcomes/{outcome.id}/progression"
    same = client.post(url, data={"progressed_band": "band_2",
                                  "progressed_on": TODAY.isoformat(), "version": "1"})
    assert "Progression must be to a band above Band 2" in same.get_data(as_text=True)
    early = client.post(url, data={"progressed_band": "band_3", "version": "1",
                                   "progressed_on": (TODAY - 500 * DAY).isoformat()})
    assert "The band change must be after the start date" in early.get_data(as_text=True)
    response = client.post(url, data={"progressed_band": "band_3", "version": "1",
                                      "progressed_on": (TODAY - 30 * DAY).isoformat()})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Moved to Band 3 on" in page
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).progressed_on == TODAY - 30 * DAY


def test_outcome_list_filters_and_export(login_as, client):
    fv.OutcomeFactory(participant=ParticipantFactory(last_name="Apprentice"),
                      kind=OutcomeKind.apprenticeship, started_on=TODAY - 300 * DAY,
                      sustained_13_weeks=True, checked_13_on=TODAY - 200 * DAY,
                      sustained_26_weeks=True, checked_26_on=TODAY - 100 * DAY)
    fv.OutcomeFactory(participant=ParticipantFactory(last_name="Student"),
                      kind=OutcomeKind.college_or_training, started_on=TODAY - 10 * DAY)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/outcomes/?kind=apprenticeship").get_data(as_text=True)
    assert "Apprentice" in page and "Student" not in page
    page = client.get("/outcomes/?sustained=unknown").get_data(as_text=True)
    assert "Student" in page and "Apprentice<" not in page
    page = client.get(f"/outcomes/?started_from={(TODAY - 20 * DAY).isoformat()}").get_data(
        as_text=True)
    assert "Student" in page and "Apprentice<" not in page
    body = client.get("/outcomes/export.csv?sustained=yes").get_data(as_text=True)
    assert "Sustained 26 weeks" in body.splitlines()[0]
    assert "Apprenticeship" in body and "College or training place" not in body


def test_outcome_edit_of_a_start_keeps_its_kind_and_date(login_as, client):
    application = fv.ApplicationFactory(stage=ApplicationStage.started)
    outcome = fv.OutcomeFactory(participant=application.participant, application=application,
                                kind=OutcomeKind.entry_level_role_at_anchor,
                                started_on=TODAY - 20 * DAY)
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/outcomes/{outcome.id}/edit").get_data(as_text=True)
    assert 'name="kind"' not in form and 'name="started_on"' not in form
    response = client.post(f"/outcomes/{outcome.id}/edit", data={
        "role_title": "Healthcare support worker (nights)", "kind": "other",
        "started_on": TODAY.isoformat(), "version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Outcome, outcome.id)
    assert saved.role_title == "Healthcare support worker (nights)"
    assert saved.kind is OutcomeKind.entry_level_role_at_anchor
    assert saved.started_on == TODAY - 20 * DAY


# Volunteering -----------------------------------------------------------------------------------

def test_volunteering_recorded_and_listed_per_participant(login_as, client):
    participant = ParticipantFactory(first_name="Wiktoria", last_name="Nowak",
                                     status=ParticipantStatus.placed)
    other = ParticipantFactory(first_name="Someone", last_name="Else")
    fv.VolunteeringFactory(participant=other, organisation="Rochdale Library")
    db.session.commit()
    login_as(Role.coordinator)
    bad = client.post("/outcomes/volunteering/new", data={
        "participant_id": participant.id, "organisation": "", "hours": "-3",
        "starts_on": (TODAY - 10 * DAY).isoformat(), "ends_on": (TODAY - 20 * DAY).isoformat(),
    }).get_data(as_text=True)
    assert "Enter the organisation" in bad
    assert "The end date must be the same as or after the start date" in bad
    assert "The hours must be between 0 and 10,000" in bad
    response = client.post("/outcomes/volunteering/new", data={
        "participant_id": participant.id, "organisation": "Royal Oldham Hospital League of "
        "Friends", "role": "Ward volunteer", "starts_on": (TODAY - 40 * DAY).isoformat(),
        "hours": "36"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Royal Oldham Hospital League of Friends" in page and "Ongoing" in page
    assert "Rochdale Library" not in page
    listing = client.get("/outcomes/volunteering/?current=yes").get_data(as_text=True)
    assert "Wiktoria Nowak" in listing and "Someone Else" in listing
    db.session.refresh(participant)
    assert participant.status is ParticipantStatus.placed  # volunteering is not an outcome


def test_volunteering_edit_and_stale_save(login_as, client):
    record = fv.VolunteeringFactory(hours=10)
    db.session.commit()
    login_as(Role.coordinator)
    data = {"organisation": record.organisation, "starts_on": record.starts_on.isoformat(),
            "ends_on": TODAY.isoformat(), "hours": "40", "version": "1"}
    assert client.post(f"/outcomes/volunteering/{record.id}/edit",
                       data=data).status_code == 302
    stale = client.post(f"/outcomes/volunteering/{record.id}/edit", data={**data, "hours": "5"})
    assert "Someone else changed this volunteering record" in stale.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Volunteering, record.id)
    assert (saved.hours, saved.ends_on) == (40, TODAY)


def test_volunteering_for_a_withdrawn_participant_is_refused():
    participant = ParticipantFactory(status=ParticipantStatus.withdrawn)
    with pytest.raises(RecruitError, match="has withdrawn from the programme"):
        services.create_volunteering(participant, {"organisation": "Foodbank",
                                                   "starts_on": TODAY}, actor=None)


@pytest.mark.parametrize("role", [Role.partner, Role.ambassador, Role.board])
def test_other_roles_cannot_reach_outcomes(login_as, client, role):
    outcome = fv.OutcomeFactory()
    record = fv.VolunteeringFactory(participant=outcome.participant)
    db.session.commit()
    login_as(role)
    for url in ("/outcomes/", "/outcomes/export.csv", "/outcomes/checks-due", "/outcomes/new",
                f"/outcomes/{outcome.id}", f"/outcomes/{outcome.id}/edit",
                f"/outcomes/{outcome.id}/check/13", f"/outcomes/{outcome.id}/progression",
                f"/outcomes/participant/{outcome.participant_id}", "/outcomes/volunteering/",
                "/outcomes/volunteering/new", f"/outcomes/volunteering/{record.id}/edit"):
        assert client.get(url).status_code == 403, url
