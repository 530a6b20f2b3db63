"""The public self-referral form: signed per-partner links, languages, checks and a rate limit."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AuditEvent, Participant, ParticipantSource, ParticipantStatus, Role
from recruit.referrals.links import token_for
from tests import factories


@pytest.fixture
def partner(db):
    partner = factories.PartnerFactory(name="Werneth Family Centre")
    db.session.commit()
    return partner


@pytest.fixture
def link(app, partner):
    with app.test_request_context():
        return f"/refer/{token_for(partner.id)}"


def _answers(**overrides):
    data = {"first_name": "Amina", "last_name": "Begum", "phone": "07700 900123", "email": "",
            "postcode": "ol9 6ab", "date_of_birth": "2001-05-04",
            "employment_status": "unemployed", "consent_to_contact": "y"}
    data.update(overrides)
    return data


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant))


def test_resident_registers_for_the_partner_that_handed_out_the_link(client, link, partner):
    page = client.get(link).get_data(as_text=True)
    assert "Tell us you would like to work for the NHS" in page and 'lang="en"' in page
    response = client.post(link, data=_answers(needs_interpreter="y"))
    assert response.status_code == 302 and "/thanks" in response.headers["Location"]
    person = db.session.scalar(sa.select(Participant))
    assert person.source is ParticipantSource.self_referral
    assert person.referring_partner_id == partner.id
    assert person.status is ParticipantStatus.registered
    assert person.postcode == "OL9 6AB" and person.phone == "07700900123"
    assert person.consent_to_contact and person.consent_to_contact_on == date.today()
    assert person.needs_interpreter and person.preferred_language == "English"
    assert "within 2 weeks" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_forged_or_altered_link_is_not_found(client, link):
    assert client.get("/refer/1").status_code == 404
    assert client.get(link[:-2] + "xx").status_code == 404


def test_urdu_page_is_right_to_left_and_translated(client, link):
    page = client.get(f"{link}?lang=ur").get_data(as_text=True)
    assert 'lang="ur"' in page and 'dir="rtl"' in page
    assert "ہمیں بتائیں کہ آپ NHS کے لیے کام کرنا چاہتے ہیں" in page
    errors = client.post(f"{link}?lang=ur", data={}).get_data(as_text=True)
    assert "اپنا پہلا نام لکھیں" in errors  # the error messages too


def test_every_offered_language_has_its_own_heading(client, link):
    headings = set()
    for code in ("en", "ur", "bn", "pa", "pl", "ar"):
        page = client.get(f"{link}?lang={code}").get_data(as_text=True)
        assert f'lang="{code}"' in page
        headings.add(page.split("<h1>")[1].split("</h1>")[0])
    assert len(headings) == 6
    assert 'lang="en"' in client.get(f"{link}?lang=xx").get_data(as_text=True)


def test_plain_english_errors_and_nothing_saved(client, link):
    page = client.post(link, data=_answers(
        first_name="", phone="", email="", postcode="NOT A POSTCODE",
        date_of_birth=date.today().replace(year=date.today().year - 12).isoformat(),
        consent_to_contact="")).get_data(as_text=True)
    for message in ("Enter your first name", "Give us a phone number or an email address",
                    "Enter a real postcode, like OL1 1AA", "You must be 16 or older to join",
                    "Tick the box to say we can contact you"):
        assert message in page
    assert _count() == 0


def test_possible_duplicate_is_registered_but_flagged_without_revealing_anyone(client, link):
    client.post(link, data=_answers())
    page = client.post(link, data=_answers(phone="07700900123"), follow_redirects=True)
    assert "Thank you" in page.get_data(as_text=True)
    flagged = db.session.scalars(sa.select(Participant).order_by(Participant.id)).all()[-1]
    assert "Possible duplicate" in flagged.notes


def test_rate_limit_per_address(client, link, app):
    app.config["REFERRAL_LIMIT_PER_ADDRESS"] = 2
    try:
        for index in range(2):
            assert client.post(link, data=_answers(
                phone=f"0770090012{index}", first_name=f"P{index}")).status_code == 302
        blocked = client.post(link, data=_answers(phone="07700900129", first_name="Third"))
    finally:
        app.config["REFERRAL_LIMIT_PER_ADDRESS"] = 10
    assert blocked.status_code == 429
    assert "Please try again later" in blocked.get_data(as_text=True)
    assert _count() == 2


def test_link_of_a_partner_without_agreement_is_closed(client, app):
    partner = factories.PartnerFactory(data_sharing_agreement_on=None)
    db.session.commit()
    with app.test_request_context():
        response = client.get(f"/refer/{token_for(partner.id)}")
    assert response.status_code == 410


def test_partner_user_sees_their_link_and_qr_code(login_as, client, partner, link):
    login_as(Role.partner, partner=partner)
    page = client.get("/partners/mine").get_data(as_text=True)
    assert link in page and "<svg" in page


def test_self_referral_is_audited_without_personal_details(client, link):
    client.post(link, data=_answers())
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "self_referral"))
    assert event is not None and "Amina" not in (event.detail or "")
