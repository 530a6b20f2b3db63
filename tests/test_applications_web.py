"""Application screens: recording, moving with buttons for allowed moves only, stale saves,
lists and exports, and no equality monitoring data anywhere a decision is made."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.applications import services
from recruit.extensions import db
from recruit.models import (
    Answer,
    Application,
    ApplicationStage,
    Ethnicity,
    Outcome,
    ParticipantStatus,
    Religion,
    Role,
    SexualOrientation,
    VacancyStatus,
)
from tests import factories_vacancies as fv
from tests.factories_participants import EqualityFactory, ParticipantFactory

A = ApplicationStage
TODAY = date.today()
DAY = timedelta(days=1)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_coordinator_records_a_completers_application_and_sees_the_route(login_as, client):
    participant = fv.completer(first_name="Amina", last_name="Khan")
    vacancy = fv.VacancyFactory(title="Domestic assistant")
    db.session.commit()
    login_as(Role.coordinator)
    form = _page(client, f"/applications/new?vacancy_id={vacancy.id}")
    assert f'<option value="{vacancy.id}" selected' in form
    response = client.post("/applications/new", data={
        "participant_id": participant.id, "vacancy_id": vacancy.id,
        "applied_on": (TODAY - 3 * DAY).isoformat()})
    assert response.status_code == 302
    application = db.session.scalar(sa.select(Application))
    page = _page(client, response.headers["Location"])
    assert "Application by Amina Khan for Domestic assistant recorded" in page
    assert "Waived: programme completer" in page
    assert "Applied: the programme counts as the GCSE minimum" in page
    vacancy_page = _page(client, f"/vacancies/{vacancy.id}")
    assert "Amina Khan" in vacancy_page and "Waived (programme completer)" in vacancy_page
    assert application.stage is A.applied


def test_form_shows_why_an_application_is_refused(login_as, client):
    withdrawn = ParticipantFactory(first_name="Tariq", last_name="Ali",
                                   status=ParticipantStatus.withdrawn)
    closed = fv.VacancyFactory(title="Porter", status=VacancyStatus.closed)
    open_vacancy = fv.VacancyFactory()
    active = ParticipantFactory()
    fv.ApplicationFactory(participant=active, vacancy=open_vacancy)
    db.session.commit()
    login_as(Role.coordinator)
    day = (TODAY - DAY).isoformat()
    page = client.post("/applications/new", data={
        "participant_id": withdrawn.id, "vacancy_id": open_vacancy.id, "applied_on": day,
    }).get_data(as_text=True)
    assert "Tariq Ali has withdrawn from the programme" in page
    page = client.post("/applications/new", data={
        "participant_id": active.id, "vacancy_id": closed.id, "applied_on": day,
    }).get_data(as_text=True)
    assert "Porter is not open for applications (it is closed)" in page
    page = client.post("/applications/new", data={
        "participant_id": active.id, "vacancy_id": open_vacancy.id, "applied_on": day,
    }).get_data(as_text=True)
    assert "has already applied for this vacancy" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1


def _moves_offered(page: str, application_id: int) -> set[str]:
    prefix = f"/applications/{application_id}/move/"
    return {stage.name for stage in A if f'href="{prefix}{stage.name}"' in page}


def test_page_offers_only_the_allowed_next_moves(login_as, client):
    completer_app = fv.ApplicationFactory(participant=fv.completer(), stage=A.shortlisted,
                                          interview_waived=True,
                                          waiver_recorded_at=services.utcnow())
    other_app = fv.ApplicationFactory(stage=A.shortlisted)
    started = fv.ApplicationFactory(stage=A.started)
    db.session.commit()
    login_as(Role.coordinator)
    assert _moves_offered(_page(client, f"/applications/{completer_app.id}"),
                          completer_app.id) == {"offered", "unsuccessful", "withdrawn"}
    assert _moves_offered(_page(client, f"/applications/{other_app.id}"),
                          other_app.id) == {"interview", "unsuccessful", "withdrawn"}
    assert _moves_offered(_page(client, f"/applications/{started.id}"), started.id) == set()
    # Typing the URL of a move that makes no sense explains why and changes nothing.
    response = client.get(f"/applications/{other_app.id}/move/offered")
    assert response.status_code == 302
    page = _page(client, response.headers["Location"])
    assert "the interview cannot be skipped" in page
    assert client.get(f"/applications/{other_app.id}/move/nonsense").status_code == 404


def test_moving_through_to_a_start_keeps_the_history_and_records_the_outcome(login_as, client):
    user = login_as(Role.coordinator)
    application = services.create_application(
        fv.completer(first_name="Grace", last_name="Okafor"), fv.VacancyFactory(),
        TODAY - 20 * DAY, actor=user)
    db.session.commit()
    steps = [("shortlisted", 15), ("offered", 10), ("pre_employment_checks", 8), ("started", 1)]
    for version, (stage, days_ago) in enumerate(steps, start=application.version):
        response = client.post(f"/applications/{application.id}/move/{stage}", data={
            "on": (TODAY - days_ago * DAY).isoformat(), "version": version})
        assert response.status_code == 302, stage
    page = _page(client, f"/applications/{application.id}")
    assert "Grace Okafor recorded as started" in page
    assert "The start has been recorded as an outcome" in page
    for text in ("Applied", "Applied to Shortlisted", "Shortlisted to Offered",
                 "Offered to Pre-employment checks", "Pre-employment checks to Started",
                 "Formal interview waived: programme completer", user.name):
        assert text in page, text
    outcome = db.session.scalar(sa.select(Outcome))
    assert outcome.started_on == TODAY - DAY
    assert f"/outcomes/{outcome.id}" in page


def test_closing_as_unsuccessful_without_feedback_is_refused_on_screen(login_as, client):
    application = fv.ApplicationFactory(stage=A.interview)
    db.session.commit()
    login_as(Role.coordinator)
    form = _page(client, f"/applications/{application.id}/move/unsuccessful")
    assert "Feedback given to the applicant" in form
    response = client.post(f"/applications/{application.id}/move/unsuccessful", data={
        "on": TODAY.isoformat(), "version": "1", "feedback": "",
        "feedback_given_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "Write the feedback given to the applicant" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).stage is A.interview
    feedback = "Good answers on care; next time give an example from your placement."
    response = client.post(f"/applications/{application.id}/move/unsuccessful", data={
        "on": TODAY.isoformat(), "version": "1", "feedback": feedback,
        "feedback_given_on": TODAY.isoformat()})
    assert response.status_code == 302
    page = _page(client, f"/applications/{application.id}")
    assert feedback in page and "Unsuccessful" in page


def test_a_move_from_a_stale_page_is_refused(login_as, client):
    application = fv.ApplicationFactory(stage=A.applied)
    db.session.commit()
    login_as(Role.coordinator)
    data = {"on": TODAY.isoformat(), "version": "1"}
    assert client.post(f"/applications/{application.id}/move/shortlisted",
                       data=data).status_code == 302
    second = client.post(f"/applications/{application.id}/move/withdrawn",
                         data={**data, "reason": "Changed their mind"})
    assert second.status_code == 200
    assert "Someone else changed this application" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).stage is A.shortlisted


def test_stale_edit_of_an_application_is_refused(login_as, client):
    application = fv.ApplicationFactory(stage=A.applied, applied_on=TODAY - 10 * DAY)
    db.session.commit()
    login_as(Role.coordinator)
    assert 'value="1"' in _page(client, f"/applications/{application.id}/edit")
    first = client.post(f"/applications/{application.id}/edit",
                        data={"applied_on": (TODAY - 9 * DAY).isoformat(), "version": "1"})
    assert first.status_code == 302
    second = client.post(f"/applications/{application.id}/edit",
                         data={"applied_on": (TODAY - 8 * DAY).isoformat(), "version": "1"})
    assert "Someone else changed this application" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).applied_on == TODAY - 9 * DAY


def test_list_filters_and_export(login_as, client):
    porter = fv.VacancyFactory(title="Porter")
    clerk = fv.VacancyFactory(title="Ward clerk")
    fv.ApplicationFactory(participant=ParticipantFactory(last_name="Waived"), vacancy=porter,
                          stage=A.offered, interview_waived=True,
                          waiver_recorded_at=services.utcnow(), gcse_equivalence_applied=True)
    fv.ApplicationFactory(participant=ParticipantFactory(last_name="Interviewed"), vacancy=clerk,
                          stage=A.interview)
    db.session.commit()
    login_as(Role.coordinator)
    waived = _page(client, "/applications/?waived=yes")
    assert "Waived" in waived and "Interviewed" not in waived
    by_stage = _page(client, "/applications/?stage=interview")
    assert "Interviewed" in by_stage and "Lastname" not in by_stage
    assert "Showing 1 to 1 of 1 applications" in by_stage
    by_vacancy = _page(client, f"/applications/?vacancy_id={clerk.id}")
    assert "Ward clerk" in by_vacancy and "Porter," not in by_vacancy
    export = client.get("/applications/export.csv?waived=yes")
    body = export.get_data(as_text=True)
    assert export.mimetype == "text/csv"
    assert "Interview waived" in body.splitlines()[0]
    assert "Porter" in body and "Ward clerk" not in body
    assert ",Yes," in body  # waived and GCSE equivalence


@pytest.mark.parametrize("role", [Role.partner, Role.ambassador, Role.board])
def test_other_roles_cannot_reach_applications(login_as, client, role):
    application = fv.ApplicationFactory()
    db.session.commit()
    login_as(role)
    for url in ("/applications/", "/applications/export.csv", "/applications/new",
                f"/applications/{application.id}", f"/applications/{application.id}/edit",
                f"/applications/{application.id}/move/shortlisted"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/applications/{application.id}/move/shortlisted",
                       data={"on": TODAY.isoformat(), "version": "1"}).status_code == 403


def test_no_equality_monitoring_data_on_decision_screens(login_as, client):
    participant = fv.completer(first_name="Nadia", last_name="Hussain")
    EqualityFactory(participant=participant, ethnicity=Ethnicity.asian_bangladeshi,
                    religion=Religion.muslim, sexual_orientation=SexualOrientation.bisexual,
                    disability=Answer.yes, carer=Answer.yes)
    application = fv.ApplicationFactory(participant=participant, stage=A.interview)
    db.session.commit()
    login_as(Role.admin)  # even an admin sees none of it where a decision is made
    urls = ["/applications/", f"/applications/{application.id}",
            f"/applications/{application.id}/edit",
            f"/applications/{application.id}/move/offered",
            f"/applications/{application.id}/move/unsuccessful",
            f"/applications/new?participant_id={participant.id}",
            f"/vacancies/{application.vacancy_id}",
            f"/outcomes/participant/{participant.id}"]
    for url in urls:
        page = _page(client, url)
        assert "Nadia Hussain" in page or "Hussain, Nadia" in page, url
        for word in ("Bangladeshi", "Muslim", "Bisexual", "Ethnic", "Religion", "Disab",
                     "Sexual orientation", "Carer"):
            assert word not in page, (url, word)
    export = client.get("/applications/export.csv").get_data(as_text=True)
    assert "Nadia Hussain" in export
    for word in ("Bangladeshi", "Muslim", "Bisexual", "Ethnic", "Religion"):
        assert word not in export


@pytest.mark.parametrize("tampered", ["9223372036854775808", "99999999999999999999", "-5", "0"])
def test_an_impossible_vacancy_id_is_a_form_error_not_a_server_error(login_as, client, tampered):
    participant = fv.completer()
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post(f"/applications/new?vacancy_id={tampered}", data={
        "participant_id": participant.id, "vacancy_id": tampered,
        "applied_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "Choose an open vacancy from the list" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0
