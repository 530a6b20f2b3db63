"""Who sees which participant, what partners see, and equality data kept apart from the journey."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    AuditEvent,
    EqualityMonitoring,
    Ethnicity,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    Religion,
    Role,
    SexualOrientation,
)
from recruit.statistics.suppression import NOTE
from tests import factories
from tests.factories_participants import EqualityFactory, ParticipantFactory

EDIT = {"first_name": "Changed", "last_name": "Name", "date_of_birth": "1990-01-01",
        "postcode": "OL1 1AA", "employment_status": "unemployed", "version": "1"}


@pytest.fixture
def two_organisations():
    mine, theirs = factories.PartnerFactory(), factories.PartnerFactory()
    own = ParticipantFactory(first_name="Ownperson", referring_partner=mine,
                             consent_to_share_with_partner=True)
    other = ParticipantFactory(first_name="Otherperson", email="other@example.org",
                               referring_partner=theirs)
    self_referred = ParticipantFactory(first_name="Selfreferred", referring_partner=None,
                                       source=ParticipantSource.self_referral)
    db.session.commit()
    return mine, own, other, self_referred


def test_a_partner_reaches_only_its_own_participants_on_every_url(login_as, client,
                                                                  two_organisations):
    mine, own, other, self_referred = two_organisations
    login_as(Role.partner, partner=mine)
    for person in (other, self_referred):
        for suffix in ("", "/edit", "/withdraw", "/equality"):
            assert client.get(f"/participants/{person.id}{suffix}").status_code == 404, suffix
        assert client.post(f"/participants/{person.id}/edit", data=EDIT).status_code == 404
        assert client.post(f"/participants/{person.id}/withdraw",
                           data={"reason": "Tampered"}).status_code == 404
        assert client.post(f"/participants/{person.id}/equality",
                           data={"ethnicity": "white_irish"}).status_code == 404
    db.session.expire_all()
    assert other.first_name == "Otherperson" and other.status is ParticipantStatus.registered
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EqualityMonitoring)) == 0
    for suffix in ("", "/edit", "/withdraw", "/equality"):
        assert client.get(f"/participants/{own.id}{suffix}").status_code == 200, suffix

    for url in ("/participants/", f"/participants/?partner_id={other.referring_partner_id}",
                "/participants/?q=otherperson", "/participants/export.csv",
                f"/participants/export.csv?partner_id={other.referring_partner_id}"):
        body = client.get(url).get_data(as_text=True)
        assert "Otherperson" not in body and "other@example.org" not in body, url
        assert "Selfreferred" not in body, url
    assert "Ownperson" in client.get("/participants/").get_data(as_text=True)
    assert "Ownperson" in client.get("/participants/export.csv").get_data(as_text=True)


def test_a_partner_cannot_move_a_participant_to_another_organisation(login_as, client,
                                                                     two_organisations):
    mine, own, other, _ = two_organisations
    login_as(Role.partner, partner=mine)
    response = client.post(f"/participants/{own.id}/edit", data={
        **EDIT, "version": own.version, "source": "partner_referral",
        "referring_partner_id": other.referring_partner_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert own.first_name == "Changed" and own.referring_partner_id == mine.id


def test_staff_see_everyone(login_as, client, two_organisations):
    login_as(Role.coordinator)
    page = client.get("/participants/").get_data(as_text=True)
    assert {"Ownperson", "Otherperson", "Selfreferred"} <= {
        n for n in ("Ownperson", "Otherperson", "Selfreferred") if n in page}


@pytest.mark.parametrize("role", [Role.board, Role.ambassador])
def test_board_members_and_ambassadors_never_see_a_person(login_as, client, role,
                                                          two_organisations):
    _, own, _, _ = two_organisations
    login_as(role)
    for url in ("/participants/", "/participants/export.csv", "/participants/new",
                f"/participants/{own.id}", f"/participants/{own.id}/equality"):
        assert client.get(url).status_code == 403, url


def test_without_consent_a_partner_does_not_see_progress(login_as, client):
    partner = factories.PartnerFactory()
    person = ParticipantFactory(referring_partner=partner, consent_to_share_with_partner=False,
                                status=ParticipantStatus.withdrawn,
                                withdrawn_reason="Private family matter")
    db.session.commit()
    login_as(Role.partner, partner=partner)
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "have not agreed to share their progress" in page
    assert "Private family matter" not in page and "Journey" not in page
    listing = client.get("/participants/").get_data(as_text=True)
    assert "Not shared" in listing and "Withdrawn" not in listing.split("<tbody")[1]
    export = client.get("/participants/export.csv").get_data(as_text=True)
    assert "Not shared" in export and "Private family matter" not in export


# -- equality monitoring: kept apart, read only by HR admins ----------------------------------

ANSWERS = {"ethnicity": "white_gypsy_irish_traveller", "sex": "female",
           "gender_same_as_birth": "no", "religion": "buddhist", "disability": "yes",
           "sexual_orientation": "bisexual", "carer": "yes", "care_leaver": "yes",
           "armed_forces": "prefer_not_to_say"}
ANSWER_LABELS = ("Gypsy or Irish Traveller", "Buddhist", "Bisexual")


def test_the_journey_record_has_no_path_to_the_answers():
    assert not any(rel.mapper.class_ is EqualityMonitoring
                   for rel in Participant.__mapper__.relationships)


def test_a_coordinator_records_answers_but_cannot_read_them_back(login_as, client):
    person = ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    form = client.get(f"/participants/{person.id}/equality").get_data(as_text=True)
    assert form.count("Prefer not to say") >= 9  # every question offers it
    response = client.post(f"/participants/{person.id}/equality", data=ANSWERS)
    assert response.status_code == 302
    record = db.session.scalars(sa.select(EqualityMonitoring)).one()
    assert record.ethnicity is Ethnicity.white_gypsy_irish_traveller
    assert record.religion is Religion.buddhist
    assert record.sexual_orientation is SexualOrientation.bisexual
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "equality monitoring saved")).one()
    assert not any(label in (audit.detail or "") for label in ANSWER_LABELS)

    screens = [
        client.get(f"/participants/{person.id}").get_data(as_text=True),
        client.get("/participants/").get_data(as_text=True),
        client.get("/participants/export.csv").get_data(as_text=True),
        client.get(f"/participants/{person.id}/edit").get_data(as_text=True),
        client.get(f"/participants/{person.id}/equality").get_data(as_text=True),
    ]
    for screen in screens:
        for label in ANSWER_LABELS:
            assert label not in screen
    assert "Only HR admins can see or change them" in screens[-1]
    assert "Answers recorded (only HR admins can see them)" in screens[0]

    overwrite = client.post(f"/participants/{person.id}/equality",
                            data={**ANSWERS, "religion": "christian"})
    assert overwrite.status_code == 200
    db.session.expire_all()
    assert record.religion is Religion.buddhist


def test_every_question_is_optional(login_as, client):
    person = ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    assert client.post(f"/participants/{person.id}/equality", data={}).status_code == 302
    record = db.session.scalars(sa.select(EqualityMonitoring)).one()
    assert record.ethnicity is None and record.sexual_orientation is None


def test_a_partner_may_record_answers_for_its_own_participant(login_as, client):
    partner = factories.PartnerFactory()
    person = ParticipantFactory(referring_partner=partner)
    db.session.commit()
    login_as(Role.partner, partner=partner)
    assert client.post(f"/participants/{person.id}/equality", data=ANSWERS).status_code == 302
    page = client.get(f"/participants/{person.id}/equality").get_data(as_text=True)
    assert not any(label in page for label in ANSWER_LABELS)


def test_an_hr_admin_reads_and_corrects_one_persons_answers_and_is_audited(login_as, client):
    record = EqualityFactory(religion=Religion.buddhist,
                             ethnicity=Ethnicity.white_gypsy_irish_traveller)
    db.session.commit()
    login_as(Role.admin)
    page = client.get(f"/participants/{record.participant_id}/equality").get_data(as_text=True)
    assert re.search(r'value="buddhist"\s+selected', page)
    assert re.search(r'value="white_gypsy_irish_traveller"\s+selected', page)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "view equality answers")) == 1
    response = client.post(f"/participants/{record.participant_id}/equality",
                           data={"religion": "prefer_not_to_say", "ethnicity": "",
                                 "version": record.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert record.religion is Religion.prefer_not_to_say
    assert record.ethnicity is None  # "Not answered"


# -- what partners see: suppressed aggregates of their own referrals -----------------------------

def test_a_partner_sees_suppressed_counts_of_its_own_referrals(login_as, client):
    partner, other = factories.PartnerFactory(), factories.PartnerFactory()
    for _ in range(9):
        ParticipantFactory(referring_partner=partner)
    for _ in range(3):
        ParticipantFactory(referring_partner=partner, status=ParticipantStatus.withdrawn)
    for _ in range(20):
        ParticipantFactory(referring_partner=other, status=ParticipantStatus.employed)
    db.session.commit()
    login_as(Role.partner, partner=partner)
    page = client.get("/partners/mine").get_data(as_text=True)
    table = page.split("Referrals by where they are now</caption>")[1].split("</table>")[0]
    rows = {label: value for label, value in (
        (cell.split("</th>")[0].split(">")[-1].strip(),
         cell.split("numeric\">")[1].split("<")[0].strip())
        for cell in table.split('<th scope="row"')[1:])}
    assert rows["Registered"] == "10"  # 9 rounded to the nearest 5
    assert rows["Withdrawn"] == "*"  # 1 to 7 is suppressed
    assert rows["Started at the anchor"] == "0"  # the other organisation's starts not counted
    assert rows["All referrals"] == "10"  # 12 rounded
    assert NOTE in page


def test_an_id_too_large_for_the_database_is_not_found(login_as, client):
    login_as(Role.admin)
    for url in ("/participants/9223372036854775808", "/participants/99999999999999999999/edit",
                "/cohorts/2147483648"):
        assert client.get(url).status_code == 404, url
