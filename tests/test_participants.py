"""Participants: enrolment, validation, possible duplicates, the timeline, edits and withdrawal."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    Application,
    ApplicationStage,
    AuditEvent,
    Barrier,
    Enrolment,
    EnrolmentStatus,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    Placement,
    PlacementStatus,
    PostcodeStatus,
    Role,
    StatusChange,
)
from tests import factories
from tests import factories_cohorts as fc
from tests import factories_vacancies as fv
from tests.factories_participants import LsoaFactory, ParticipantFactory, PostcodeFactory


def _form(**overrides):
    data = {"first_name": "Amina", "last_name": "Begum", "preferred_name": "Ami",
            "email": "Amina.Begum@Example.org ", "phone": "+44 (0)7700 900123",
            "date_of_birth": "1998-02-14", "postcode": "ol11ab", "preferred_language": "Urdu",
            "needs_interpreter": "y", "employment_status": "unemployed",
            "highest_qualification": "level_1", "barriers": ["transport", "confidence"],
            "how_heard": "A talk at the mosque", "source": "self_referral",
            "consent_to_contact": "y", "notes": "Keen on portering"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant))


def _only() -> Participant:
    return db.session.scalars(sa.select(Participant)).one()


@pytest.fixture
def coldhurst():
    """A resolvable Oldham postcode in an IMD decile 1 LSOA."""
    town = factories.LocalAuthorityFactory(name="Oldham", in_catchment=True)
    ward = factories.WardFactory(name="Coldhurst", local_authority=town)
    lsoa = LsoaFactory(ward=ward, imd_decile=1)
    PostcodeFactory(postcode="OL1 1AB", lsoa=lsoa)
    db.session.commit()
    return lsoa


def test_coordinator_enrols_a_self_referral_resolved_and_registered(login_as, client, coldhurst):
    user = login_as(Role.coordinator)
    response = client.post("/participants/new", data=_form())
    assert response.status_code == 302
    person = _only()
    assert response.headers["Location"].endswith(f"/participants/{person.id}/equality")
    assert (person.first_name, person.preferred_name) == ("Amina", "Ami")
    assert person.email == "amina.begum@example.org"
    assert person.phone == "07700900123"
    assert person.postcode == "OL1 1AB"
    assert person.postcode_status is PostcodeStatus.resolved
    assert (person.lsoa_id, person.ward_id) == (coldhurst.id, coldhurst.ward_id)
    assert person.local_authority.name == "Oldham"
    assert (person.imd_decile, person.imd_edition) == (1, "IoD2019")
    assert person.eligible is True and "Coldhurst (Oldham)" in person.eligibility_reason
    assert person.needs_interpreter and person.preferred_language == "Urdu"
    assert set(person.barriers) == {Barrier.transport, Barrier.confidence}
    assert person.source is ParticipantSource.self_referral
    assert person.referring_partner_id is None
    assert person.consent_to_contact and person.consent_to_contact_on == date.today()
    assert not person.consent_to_share_with_partner and person.consent_to_share_on is None
    assert person.status is ParticipantStatus.registered
    assert person.registered_by_id == user.id
    change = db.session.scalars(sa.select(StatusChange)).one()
    assert (change.from_status, change.to_status, change.participant_id, change.changed_by_id) \
        == (None, "registered", person.id, user.id)
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.subject_type == "participants")) == "create"


def test_an_unknown_postcode_is_kept_and_flagged_not_refused(login_as, client):
    login_as(Role.coordinator)
    response = client.post("/participants/new", data=_form(postcode="bl9  0pq"))
    assert response.status_code == 302
    person = _only()
    assert person.postcode == "BL9 0PQ"
    assert person.postcode_status is PostcodeStatus.unknown
    assert person.ward_id is None and person.imd_decile is None
    assert person.eligible is None
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "not found in the postcode directory" in page
    assert "Not decided" in page


def test_coordinator_records_a_partner_referral_or_an_outreach_activity(login_as, client):
    partner = factories.PartnerFactory(name="Werneth Community Association")
    activity = factories.ActivityFactory(venue="Coldhurst Library")
    db.session.commit()
    login_as(Role.coordinator)
    client.post("/participants/new", data=_form(
        source="partner_referral", referring_partner_id=partner.id,
        source_activity_id=activity.id, consent_to_share_with_partner="y"))
    referred = _only()
    assert referred.source is ParticipantSource.partner_referral
    assert referred.referring_partner_id == partner.id
    assert referred.source_activity_id is None  # one source only
    assert referred.consent_to_share_on == date.today()
    client.post("/participants/new", data=_form(
        first_name="Bilal", email="bilal@example.org", phone="", source="outreach_activity",
        source_activity_id=activity.id, referring_partner_id=partner.id))
    found = db.session.scalar(sa.select(Participant).where(Participant.first_name == "Bilal"))
    assert found.source is ParticipantSource.outreach_activity
    assert found.source_activity_id == activity.id
    assert found.referring_partner_id is None
    page = client.get(f"/participants/{found.id}").get_data(as_text=True)
    assert "Coldhurst Library" in page


def test_a_partner_user_always_enrols_for_their_own_organisation(login_as, client):
    mine, theirs = factories.PartnerFactory(), factories.PartnerFactory()
    db.session.commit()
    login_as(Role.partner, partner=mine)
    form = client.get("/participants/new").get_data(as_text=True)
    assert 'name="referring_partner_id"' not in form and 'name="source"' not in form
    response = client.post("/participants/new", data=_form(
        source="self_referral", referring_partner_id=theirs.id))  # tampered
    assert response.status_code == 302
    person = _only()
    assert person.source is ParticipantSource.partner_referral
    assert person.referring_partner_id == mine.id


def test_a_partner_without_a_data_sharing_agreement_cannot_enrol(login_as, client):
    partner = factories.PartnerFactory(data_sharing_agreement_on=None)
    db.session.commit()
    login_as(Role.partner, partner=partner)
    assert "no data-sharing agreement" in client.get("/participants/new").get_data(as_text=True)
    page = client.post("/participants/new", data=_form()).get_data(as_text=True)
    assert "no data-sharing agreement" in page
    assert _count() == 0


def test_each_bad_field_gets_its_own_message_and_nothing_is_saved(login_as, client):
    login_as(Role.coordinator)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    page = client.post("/participants/new", data=_form(
        first_name="", last_name="", email="not-an-email", phone="12ab",
        date_of_birth=tomorrow, postcode="XYZ", employment_status="", source="")
    ).get_data(as_text=True)
    for message in ("Enter their first name", "Enter their last name",
                    "Enter an email address in the correct format, like name@example.com",
                    "Enter a UK phone number, like 07700 900123",
                    "Date of birth must be in the past",
                    "Enter a full UK postcode, like OL1 1AA",
                    "Choose their employment status", "Choose how they came to the programme"):
        assert message in page, message
    assert "There is a problem" in page
    young = (date.today() - timedelta(days=365 * 15)).isoformat()
    page = client.post("/participants/new", data=_form(
        date_of_birth=young, postcode="", source="partner_referral")).get_data(as_text=True)
    assert "They must be 16 or older to join the programme" in page
    assert "Enter their home postcode" in page
    assert "Choose the partner organisation that referred them" in page
    page = client.post("/participants/new", data=_form(
        date_of_birth="1900-01-01", source="outreach_activity")).get_data(as_text=True)
    assert "Check the date of birth: it makes them older than 100" in page
    assert "Choose the outreach activity where they heard about the programme" in page
    assert _count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 0


def test_user_text_is_escaped(login_as, client):
    login_as(Role.coordinator)
    client.post("/participants/new", data=_form(first_name="<script>alert(1)</script>"))
    page = client.get(f"/participants/{_only().id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- possible duplicates ---------------------------------------------------------------------

def test_a_possible_duplicate_is_shown_before_saving_and_saved_only_when_confirmed(
        login_as, client):
    partner = factories.PartnerFactory(name="Glodwick Women's Group")
    existing = ParticipantFactory(first_name="Amina", last_name="Begum",
                                  date_of_birth=date(1998, 2, 14), referring_partner=partner)
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post("/participants/new", data=_form(
        first_name=" amina", last_name="BEGUM", email="", phone=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This person may already be on the programme" in page
    assert "Same name and date of birth" in page
    assert f"/participants/{existing.id}" in page and "Glodwick Women&#39;s Group" in page
    assert 'name="confirm_duplicate" type="hidden" value="1"' in page
    assert _count() == 1  # nothing saved yet

    # Going back re-shows the form with what was typed, still unsaved.
    back = client.post("/participants/new", data=_form(
        first_name="Amina", email="", phone="", confirm_duplicate="1", decision="change"))
    assert "Enrol a participant" in back.get_data(as_text=True)
    assert 'value="Amina"' in back.get_data(as_text=True)
    assert _count() == 1

    saved = client.post("/participants/new", data=_form(
        first_name="Amina", email="", phone="", confirm_duplicate="1", decision="save"))
    assert saved.status_code == 302
    assert _count() == 2


@pytest.mark.parametrize(("field", "typed", "stored", "reason"), [
    ("email", "AMINA@example.org ", "amina@example.org", "Same email address"),
    ("phone", "+44 7700 900 555", "07700900555", "Same phone number"),
])
def test_the_same_email_or_phone_is_a_possible_duplicate(login_as, client, field, typed, stored,
                                                         reason):
    ParticipantFactory(first_name="Someone", last_name="Else", **{field: stored})
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/participants/new", data=_form(**{
        "email": "", "phone": "", field: typed})).get_data(as_text=True)
    assert reason in page and "Someone Else" in page
    assert _count() == 1


def test_a_partner_is_told_only_that_a_match_exists_elsewhere(login_as, client):
    mine, theirs = factories.PartnerFactory(), factories.PartnerFactory(name="Hidden Org")
    theirs_person = ParticipantFactory(
        first_name="Amina", last_name="Begum", date_of_birth=date(1998, 2, 14),
        email="secret@example.org", referring_partner=theirs)
    db.session.commit()
    login_as(Role.partner, partner=mine)
    page = client.post("/participants/new", data=_form(email="", phone="")).get_data(
        as_text=True)
    assert "A possible match exists at another organisation" in page
    assert "Contact the programme team" in page
    for secret in ("Hidden Org", "secret@example.org", "14 February 1998",
                   f"/participants/{theirs_person.id}"):
        assert secret not in page, secret
    assert _count() == 1


def test_no_warning_when_nobody_matches(login_as, client):
    ParticipantFactory(first_name="Amina", last_name="Begum", date_of_birth=date(1990, 1, 1))
    db.session.commit()
    login_as(Role.coordinator)
    assert client.post("/participants/new", data=_form(email="", phone="")).status_code == 302


# -- the journey timeline ---------------------------------------------------------------------

def test_the_timeline_shows_every_step_with_date_who_and_what_comes_next(login_as, client):
    person = ParticipantFactory()
    coordinator = factories.UserFactory(name="Colin Coordinator")
    db.session.add_all([
        StatusChange(subject_type="enrolment", subject_id=7, participant_id=person.id,
                     from_status=None, to_status="enrolled", changed_by_id=coordinator.id,
                     changed_at=datetime(2024, 7, 2, 10, tzinfo=UTC)),
        StatusChange(subject_type="participant", subject_id=person.id,
                     participant_id=person.id, from_status="registered", to_status="enrolled",
                     changed_by_id=coordinator.id,
                     changed_at=datetime(2024, 7, 2, 10, tzinfo=UTC)),
        StatusChange(subject_type="application", subject_id=3, participant_id=person.id,
                     from_status="applied", to_status="unsuccessful",
                     changed_by_id=coordinator.id, reason="Another candidate had more experience",
                     changed_at=datetime(2025, 1, 20, 9, tzinfo=UTC)),
    ])
    person.status = ParticipantStatus.enrolled
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "2 Jul 2024" in page and "20 Jan 2025" in page
    assert "Colin Coordinator" in page
    assert "Registered to Enrolled in a cohort" in page
    assert "Applied to Unsuccessful" in page
    assert "Another candidate had more experience" in page
    assert page.index("2 Jul 2024") < page.index("20 Jan 2025")  # oldest first
    assert "completion needs at least 80% attendance" in page


# -- editing and withdrawing ------------------------------------------------------------------

def test_editing_updates_details_and_decides_eligibility_again(login_as, client, coldhurst):
    person = ParticipantFactory(postcode="BL9 0PQ", eligible=None,
                                consent_to_contact=True, consent_to_contact_on=date(2024, 6, 1))
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/participants/{person.id}/edit").get_data(as_text=True)
    assert f'value="{person.version}"' in form
    response = client.post(f"/participants/{person.id}/edit", data=_form(
        version=person.version, postcode="OL1 1AB", source="partner_referral",
        referring_partner_id=person.referring_partner_id))
    assert response.status_code == 302
    db.session.expire_all()
    assert person.first_name == "Amina"
    assert person.postcode_status is PostcodeStatus.resolved and person.eligible is True
    assert person.consent_to_contact_on == date(2024, 6, 1)  # the date it was first given


def test_a_stale_edit_is_refused_not_overwritten(login_as, client):
    person = ParticipantFactory(first_name="Original")
    db.session.commit()
    login_as(Role.coordinator)
    stale = person.version
    first = client.post(f"/participants/{person.id}/edit", data=_form(
        version=stale, first_name="First", source="self_referral"))
    assert first.status_code == 302
    second = client.post(f"/participants/{person.id}/edit", data=_form(
        version=stale, first_name="Second", source="self_referral"))
    assert "Someone else changed this participant" in second.get_data(as_text=True)
    db.session.expire_all()
    assert person.first_name == "First"


def test_withdrawing_needs_a_reason_and_records_it_in_the_history(login_as, client):
    person = ParticipantFactory()
    db.session.commit()
    user = login_as(Role.coordinator)
    assert "Why are they withdrawing?" in client.get(
        f"/participants/{person.id}/withdraw").get_data(as_text=True)
    refused = client.post(f"/participants/{person.id}/withdraw", data={"reason": "   "})
    assert "Enter the reason they are withdrawing" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert person.status is ParticipantStatus.registered
    response = client.post(f"/participants/{person.id}/withdraw",
                           data={"reason": "Found a job in a warehouse"})
    assert response.status_code == 302
    db.session.expire_all()
    assert person.status is ParticipantStatus.withdrawn
    assert person.withdrawn_reason == "Found a job in a warehouse"
    change = db.session.scalars(sa.select(StatusChange).where(
        StatusChange.to_status == "withdrawn")).one()
    assert (change.from_status, change.changed_by_id, change.reason) == (
        "registered", user.id, "Found a job in a warehouse")
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Registered to Withdrawn" in page and "Found a job in a warehouse" in page
    again = client.post(f"/participants/{person.id}/withdraw", data={"reason": "Again"})
    assert "cannot be withdrawn" in again.get_data(as_text=True)


# -- the list and the export -------------------------------------------------------------------

def test_the_list_filters_by_name_status_partner_ward_and_eligibility(login_as, client):
    partner = factories.PartnerFactory()
    ward = factories.WardFactory(name="Werneth")
    ParticipantFactory(first_name="Zainab", last_name="Khan", referring_partner=partner,
                       ward=ward, eligible=True)
    ParticipantFactory(first_name="Oliver", last_name="Smith", eligible=False,
                       status=ParticipantStatus.withdrawn)
    db.session.commit()
    login_as(Role.admin)

    def names(**query):
        page = client.get("/participants/", query_string=query).get_data(as_text=True)
        return {n for n in ("Zainab Khan", "Oliver Smith") if n in page}

    assert names() == {"Zainab Khan", "Oliver Smith"}
    assert names(q="zainab k") == {"Zainab Khan"}
    assert names(q="person") == {"Zainab Khan", "Oliver Smith"}  # emails person<n>@…
    assert names(status="withdrawn") == {"Oliver Smith"}
    assert names(partner_id=partner.id) == {"Zainab Khan"}
    assert names(ward_id=ward.id) == {"Zainab Khan"}
    assert names(eligible="no") == {"Oliver Smith"}
    assert names(status="nonsense") == {"Zainab Khan", "Oliver Smith"}  # ignored, not an error


def test_the_list_is_paginated(login_as, client, app):
    for _ in range(app.config["PAGE_SIZE"] + 2):
        ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    first = client.get("/participants/").get_data(as_text=True)
    assert "Showing 1 to 25 of 27 participants" in first
    assert "Showing 26 to 27 of 27" in client.get("/participants/?page=2").get_data(as_text=True)


def test_the_export_has_the_filtered_participants(login_as, client):
    ParticipantFactory(first_name="=HYPERLINK(1)", last_name="Khan", eligible=True)
    ParticipantFactory(first_name="Oliver", last_name="Smith", eligible=False)
    db.session.commit()
    login_as(Role.coordinator)
    response = client.get("/participants/export.csv?eligible=yes")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["Last name"] for r in rows] == ["Khan"]
    assert rows[0]["First name"].startswith("'=")  # formula injection defused
    assert rows[0]["Status"] == "Registered" and rows[0]["Eligible"] == "Yes"


def test_withdrawal_closes_their_enrolment_placement_offer_and_applications(login_as, client):
    enrolment = fc.EnrolmentFactory()
    person = enrolment.participant
    offer = fc.PlacementFactory(participant=person)
    application = fv.ApplicationFactory(participant=person)
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post(f"/participants/{person.id}/withdraw",
                           data={"reason": "Moved away from the area"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status is EnrolmentStatus.withdrawn
    assert db.session.get(Placement, offer.id).status is PlacementStatus.declined
    closed = db.session.get(Application, application.id)
    assert closed.stage is ApplicationStage.withdrawn
    assert closed.withdrawn_reason == "Moved away from the area"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.status == EnrolmentStatus.enrolled)) == 0
