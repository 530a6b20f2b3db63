"""Record pickers: a select while the choice is short, a search step (and a fixed choice) beyond.

The size tests insert a few hundred rows in one statement and check that the page offers none of
them until a search, and then only a bounded number.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    ActivityKind,
    CohortStatus,
    Enrolment,
    Outcome,
    OutreachActivity,
    Participant,
    Placement,
    Role,
)
from recruit.participants.pickers import participant_picker
from recruit.pickers import like
from tests import factories
from tests import factories_cohorts as fc
from tests import factories_vacancies as fv
from tests.factories_participants import ParticipantFactory, bulk_participants

MANY = 300  # more than PICKER_SELECT_MAX (200)
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def _options(html: str) -> int:
    return len(re.findall(r"<option\b", html))


@pytest.fixture
def many_participants():
    bulk_participants(MANY)


def _outcome(**overrides) -> dict:
    return {"kind": "apprenticeship", "started_on": YESTERDAY, "employer": "Oldham College",
            **overrides}


def test_a_short_list_stays_a_select(login_as, client):
    person = ParticipantFactory(first_name="Kwame", last_name="Mensah")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/outcomes/new").get_data(as_text=True)
    assert f"Mensah, Kwame (reference {person.id})" in page and _options(page) > 1
    assert 'name="participant_id_q"' not in page


@pytest.mark.parametrize("url", ["/outcomes/new", "/outcomes/volunteering/new",
                                 "/applications/new"])
def test_a_long_list_asks_for_a_search_and_sends_no_options(login_as, client, many_participants,
                                                            url):
    login_as(Role.coordinator)
    page = client.get(url).get_data(as_text=True)
    assert "Find the participant" in page and 'name="participant_id_q"' in page
    assert "Bulkname" not in page and _options(page) == 0
    assert len(page) < 30_000


def test_a_search_lists_a_bounded_number_of_matches(login_as, client, many_participants):
    login_as(Role.coordinator)
    page = client.get("/outcomes/new?participant_id_q=bulkname").get_data(as_text=True)
    assert page.count("Bulkname") == 20
    assert "More than 20 participants found" in page and "Type more of the name" in page
    page = client.get("/outcomes/new?participant_id_q=bulkname0042").get_data(as_text=True)
    assert page.count("Bulkname") == 1 and "1 participant found" in page
    page = client.get("/outcomes/new?participant_id_q=nobody+at+all").get_data(as_text=True)
    assert "No participant matches “nobody at all”" in page


def test_search_wildcards_are_taken_literally(login_as, client, many_participants):
    login_as(Role.coordinator)
    page = client.get("/outcomes/new?participant_id_q=bulk%25name").get_data(as_text=True)
    assert "No participant matches" in page
    assert like("50%_a\\b") == "%50\\%\\_a\\\\b%"


def test_choosing_a_match_then_recording_the_outcome(login_as, client, many_participants):
    person = ParticipantFactory(first_name="Kwame", last_name="Mensah")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/outcomes/new?participant_id_q=kwame").get_data(as_text=True)
    link = f"/outcomes/new?participant_id={person.id}"
    assert f'href="{link}"' in page
    form = client.get(link).get_data(as_text=True)
    assert f"Mensah, Kwame (reference {person.id})" in form
    assert f'<input type="hidden" name="participant_id" value="{person.id}">' in form
    assert 'href="/outcomes/new">Change' in form and _options(form) < 40
    response = client.post(link, data=_outcome(participant_id=person.id))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Outcome.participant_id)) == person.id


def test_a_search_by_reference_number_finds_the_person(login_as, client, many_participants):
    person = ParticipantFactory(first_name="Kwame", last_name="Mensah")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get(f"/outcomes/new?participant_id_q={person.id}").get_data(as_text=True)
    assert f"?participant_id={person.id}" in page


def test_an_unknown_or_garbled_reference_is_explained(login_as, client, many_participants):
    login_as(Role.coordinator)
    page = client.get("/outcomes/new?participant_id=999999").get_data(as_text=True)
    assert "There is no participant with reference 999999 to choose" in page
    assert "There is a problem" in page and 'href="#participant_id"' in page
    page = client.get("/outcomes/new?participant_id=<b>x").get_data(as_text=True)
    assert "reference &lt;b&gt;x to choose" in page
    page = client.post("/outcomes/new", data=_outcome(participant_id="999999"))
    assert page.status_code == 200
    assert "There is no participant with reference 999999 to choose" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Outcome.id))) == 0


def test_an_anonymised_participant_cannot_be_chosen(login_as, client, many_participants):
    person = ParticipantFactory(first_name="Gone", last_name="Away", is_anonymised=True)
    db.session.commit()
    login_as(Role.coordinator)
    assert "Away" not in client.get("/outcomes/new?participant_id_q=away").get_data(as_text=True)
    page = client.post("/outcomes/new", data=_outcome(participant_id=person.id))
    assert f"There is no participant with reference {person.id} to choose" in \
        page.get_data(as_text=True)


def test_other_errors_keep_the_chosen_participant(login_as, client, many_participants):
    person = ParticipantFactory(first_name="Kwame", last_name="Mensah")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/outcomes/new?participant_id={person.id}",
                       data=_outcome(participant_id=person.id, started_on=""))
    html = page.get_data(as_text=True)
    assert "Enter the start date" in html
    assert f'<input type="hidden" name="participant_id" value="{person.id}">' in html


@pytest.mark.parametrize("url", ["/outcomes/new", "/applications/new", "/placements/new"])
def test_partner_users_cannot_reach_the_pickers(login_as, client, url):
    person = ParticipantFactory()
    db.session.commit()
    login_as(Role.partner, partner=person.referring_partner)
    assert client.get(f"{url}?participant_id={person.id}").status_code == 403
    assert client.get(f"{url}?participant_id_q=Lastname").status_code == 403


def test_a_partner_users_picker_never_finds_another_partners_participant(app):
    ours, theirs = factories.PartnerFactory(), factories.PartnerFactory()
    mine = ParticipantFactory(first_name="Ours", last_name="Shared", referring_partner=ours)
    ParticipantFactory(first_name="Also", last_name="Ours", referring_partner=ours)
    other = ParticipantFactory(first_name="Theirs", last_name="Shared", referring_partner=theirs)
    user = factories.UserFactory(role=Role.partner, partner=ours)
    db.session.commit()
    app.config["PICKER_SELECT_MAX"] = 1
    try:
        with app.test_request_context(f"/outcomes/new?participant_id={other.id}"
                                      "&participant_id_q=shared"):
            from recruit.outcomes.forms import OutcomeForm
            form = OutcomeForm()
            picker = participant_picker(form.participant_id, user)
            assert picker.chosen is None and "no participant with reference" in picker.missing
            assert [label for _id, label in picker.matches] == \
                [f"Shared, Ours (reference {mine.id})"]
            assert picker.searching and other.id not in dict(form.participant_id.choices)
    finally:
        app.config["PICKER_SELECT_MAX"] = 200


def test_application_pickers_keep_each_others_choice(login_as, client, many_participants):
    person = ParticipantFactory(first_name="Kwame", last_name="Mensah")
    vacancy = fv.VacancyFactory(title="Healthcare assistant")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get(f"/applications/new?vacancy_id={vacancy.id}&participant_id_q=mensah")
    html = page.get_data(as_text=True)
    assert f'<input type="hidden" name="vacancy_id" value="{vacancy.id}">' in html
    assert f"participant_id={person.id}" in html and f"vacancy_id={vacancy.id}" in html
    form = client.get(f"/applications/new?vacancy_id={vacancy.id}&participant_id={person.id}")
    html = form.get_data(as_text=True)
    assert re.search(rf'<option value="{vacancy.id}"\s+selected', html) and _options(html) < 10
    response = client.post(f"/applications/new?participant_id={person.id}", data={
        "participant_id": person.id, "vacancy_id": vacancy.id, "applied_on": YESTERDAY})
    assert response.status_code == 302


@pytest.fixture
def tiny_lists(app):
    """Search from the second candidate on, so placements and cohorts need few rows."""
    app.config["PICKER_SELECT_MAX"] = 1
    yield
    app.config["PICKER_SELECT_MAX"] = 200


def test_placement_offered_through_the_search(login_as, client, tiny_lists):
    first, second = fv.completer(first_name="Amina", last_name="Begum"), fv.completer()
    not_done = ParticipantFactory(first_name="Not", last_name="Completed")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/placements/new?participant_id_q=begum").get_data(as_text=True)
    assert f"participant_id={first.id}" in page and f"participant_id={second.id}" not in page
    assert "Completed" not in client.get(
        "/placements/new?participant_id_q=completed").get_data(as_text=True)
    # Chosen by reference, someone who has not completed is shown, and the service says why.
    page = client.post("/placements/new", data={
        "participant_id": not_done.id, "department": "Outpatients", "offered_on": YESTERDAY})
    assert page.status_code == 200 and "Not Completed" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 0
    response = client.post("/placements/new", data={
        "participant_id": first.id, "department": "Outpatients", "offered_on": YESTERDAY})
    assert response.status_code == 302


def test_cohort_enrolment_through_the_search(login_as, client, tiny_lists):
    cohort = fc.CohortFactory(status=CohortStatus.recruiting)
    person = fc.ParticipantFactory(first_name="Amina", last_name="Begum")
    fc.ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    url = f"/cohorts/{cohort.id}/enrol"
    page = client.get(f"{url}?participant_id_q=amina").get_data(as_text=True)
    assert f"{url}?participant_id={person.id}" in page
    page = client.get(f"{url}?participant_id={person.id}").get_data(as_text=True)
    assert "Amina Begum, registered" in page
    page = client.post(url, data={"participant_id": "999999", "enrolled_on": YESTERDAY})
    assert "There is no participant with reference 999999 to choose" in page.get_data(as_text=True)
    response = client.post(url, data={"participant_id": person.id, "enrolled_on": "2024-08-20"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Enrolment.participant_id)) == person.id
    assert db.session.get(Participant, person.id) is not None


# The participant form's referring partner and outreach activity ---------------------------------

def _bulk_activities(count: int) -> None:
    ward = factories.WardFactory()
    db.session.execute(sa.insert(OutreachActivity), [
        {"held_on": date(2024, 1, 1) + timedelta(days=n), "kind": ActivityKind.school_talk,
         "venue": f"Bulk venue {n:04d}", "ward_id": ward.id} for n in range(count)])
    db.session.commit()


def _participant(**overrides) -> dict:
    data = {"first_name": "Amina", "last_name": "Begum", "email": "amina@example.org",
            "date_of_birth": "1998-02-14", "postcode": "OL1 1AB",
            "employment_status": "unemployed", "source": "outreach_activity",
            "consent_to_contact": "y", **overrides}
    return data


def test_the_participant_form_offers_a_bounded_list_of_activities(login_as, client):
    _bulk_activities(MANY)
    login_as(Role.coordinator)
    page = client.get("/participants/new").get_data(as_text=True)
    assert "Not listed? Find the activity" in page
    assert "Bulk venue 0299" in page and "Bulk venue 0279" not in page  # the 20 newest
    assert _options(page) < 100 and page.count("Bulk venue") == 20


def test_finding_an_activity_keeps_what_was_typed_and_saves_nothing(login_as, client):
    _bulk_activities(MANY)
    login_as(Role.coordinator)
    page = client.post("/participants/new", data=_participant(
        find="source_activity_id", source_activity_id_q="venue 0007"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" not in html
    assert 'value="Amina"' in html and "1 found for “venue 0007”" in html
    assert "Bulk venue 0007" in html and "Bulk venue 0299" not in html
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0
    chosen = db.session.scalar(sa.select(OutreachActivity.id).where(
        OutreachActivity.venue == "Bulk venue 0007"))
    response = client.post("/participants/new", data=_participant(
        source_activity_id=chosen, source_activity_id_q="venue 0007"))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Participant.source_activity_id)) == chosen


def test_enter_in_another_field_with_no_search_still_saves(login_as, client):
    _bulk_activities(MANY)
    chosen = db.session.scalar(sa.select(sa.func.max(OutreachActivity.id)))
    login_as(Role.coordinator)
    response = client.post("/participants/new", data=_participant(
        find="referring_partner_id", source_activity_id=chosen))
    assert response.status_code == 302


def test_an_unknown_activity_reference_is_explained(login_as, client):
    _bulk_activities(MANY)
    login_as(Role.coordinator)
    page = client.post("/participants/new", data=_participant(source_activity_id="999999"))
    assert "There is no activity with reference 999999 to choose" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_editing_keeps_an_old_activity_offered(login_as, client):
    _bulk_activities(MANY)
    oldest = db.session.scalar(sa.select(sa.func.min(OutreachActivity.id)))
    person = ParticipantFactory(source_activity_id=oldest)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get(f"/participants/{person.id}/edit").get_data(as_text=True)
    assert re.search(rf'<option value="{oldest}"\s+selected', page)
    assert _options(page) < 100


def test_a_partner_user_is_offered_no_activities_or_partners(login_as, client):
    _bulk_activities(MANY)
    login_as(Role.partner)
    page = client.get("/participants/new").get_data(as_text=True)
    assert "Bulk venue" not in page and "Find the partner" not in page


def test_the_search_step_shows_what_is_already_chosen(login_as, client, many_participants):
    vacancy = fv.VacancyFactory(title="Healthcare assistant")
    db.session.commit()
    login_as(Role.coordinator)
    html = client.get(f"/applications/new?vacancy_id={vacancy.id}").get_data(as_text=True)
    assert "Find the participant" in html
    assert re.search(r'id="vacancy_id-chosen">Healthcare assistant', html)
