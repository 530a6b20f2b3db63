"""Eligibility: residence in the catchment, deprivation and employment; never equality data."""

from __future__ import annotations

import inspect

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import EmploymentStatus, Participant, Role
from recruit.participants.eligibility import (
    EligibilityRule,
    Residence,
    assess,
    decide_eligibility,
)
from tests import factories
from tests.factories_participants import LsoaFactory, PostcodeFactory

RULE = EligibilityRule()
OLDHAM_DEPRIVED = Residence(ward_code="E05000733", ward_name="Coldhurst", town_name="Oldham",
                            town_in_catchment=True, imd_decile=1)
OLDHAM_AFFLUENT = Residence(ward_code="E05000740", ward_name="Saddleworth South",
                            town_name="Oldham", town_in_catchment=True, imd_decile=9)
TRAFFORD = Residence(ward_code="E05000829", ward_name="Clifford", town_name="Trafford",
                     town_in_catchment=False, imd_decile=1)
EMPLOYED = EmploymentStatus.employed_full_time


def test_a_deprived_neighbourhood_in_the_catchment_is_eligible_whatever_the_job():
    eligible, reason = decide_eligibility(OLDHAM_DEPRIVED, EMPLOYED, RULE)
    assert eligible is True
    assert reason.startswith("Lives in Coldhurst (Oldham), in the catchment")
    assert "IMD decile 1" in reason


def test_an_unemployed_resident_of_an_affluent_catchment_area_is_eligible():
    eligible, reason = decide_eligibility(OLDHAM_AFFLUENT, EmploymentStatus.unemployed, RULE)
    assert eligible is True
    assert reason.endswith("and is unemployed")


def test_an_employed_resident_of_an_affluent_catchment_area_is_not():
    eligible, reason = decide_eligibility(OLDHAM_AFFLUENT, EMPLOYED, RULE)
    assert eligible is False
    assert "IMD decile 9 (decile 3 or below qualifies)" in reason
    assert "employed full-time, which does not qualify" in reason


def test_living_outside_the_catchment_is_not_eligible_even_in_a_deprived_area():
    eligible, reason = decide_eligibility(TRAFFORD, EmploymentStatus.unemployed, RULE)
    assert eligible is False
    assert reason == "Lives in Clifford (Trafford), outside the programme's catchment"


def test_an_unknown_residence_is_left_undecided_not_refused():
    for residence in (None, Residence()):
        eligible, reason = decide_eligibility(residence, EmploymentStatus.unemployed, RULE)
        assert eligible is None
        assert "postcode was not found" in reason


def test_the_rule_is_configurable():
    config = {"ELIGIBILITY_MAX_IMD_DECILE": 9, "ELIGIBILITY_QUALIFYING_EMPLOYMENT": []}
    assert decide_eligibility(OLDHAM_AFFLUENT, EMPLOYED, EligibilityRule.from_config(config))[0]
    strict = EligibilityRule.from_config({"ELIGIBILITY_NEEDS_BOTH": True})
    assert decide_eligibility(OLDHAM_DEPRIVED, EMPLOYED, strict)[0] is False
    assert decide_eligibility(OLDHAM_DEPRIVED, EmploymentStatus.unemployed, strict)[0] is True
    wards = EligibilityRule.from_config({"ELIGIBILITY_CATCHMENT_WARD_CODES": ["e05000829 "]})
    # A configured ward list replaces the catchment towns.
    assert decide_eligibility(TRAFFORD, EMPLOYED, wards)[0] is True
    eligible, reason = decide_eligibility(OLDHAM_DEPRIVED, EMPLOYED, wards)
    assert eligible is False and "not one of the programme's wards" in reason
    with pytest.raises(ValueError, match="between 1 and 10"):
        EligibilityRule.from_config({"ELIGIBILITY_MAX_IMD_DECILE": 0})


def test_the_decision_cannot_be_given_any_protected_characteristic():
    parameters = set(inspect.signature(decide_eligibility).parameters)
    assert parameters == {"residence", "employment_status", "rule"}
    fields = set(Residence.__dataclass_fields__)
    assert fields == {"ward_code", "ward_name", "town_name", "town_in_catchment", "imd_decile"}


def _enrol(client, partner, first_name, **extra):
    data = {"first_name": first_name, "last_name": "Test", "date_of_birth": "1990-03-04",
            "postcode": "OL1 1AB", "employment_status": "employed_full_time",
            "source": "partner_referral", "referring_partner_id": partner.id, **extra}
    response = client.post("/participants/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Participant).where(Participant.first_name == first_name))


def test_equality_answers_never_change_eligibility(login_as, client, app):
    town = factories.LocalAuthorityFactory(name="Oldham", in_catchment=True)
    ward = factories.WardFactory(name="Coldhurst", local_authority=town)
    PostcodeFactory(postcode="OL1 1AB", lsoa=LsoaFactory(ward=ward, imd_decile=5))
    partner = factories.PartnerFactory()
    db.session.commit()
    login_as(Role.coordinator)
    answered = _enrol(client, partner, "Answered")
    client.post(f"/participants/{answered.id}/equality", data={
        "ethnicity": "asian_pakistani", "sex": "female", "religion": "muslim",
        "disability": "yes", "sexual_orientation": "bisexual"})
    silent = _enrol(client, partner, "Silent")
    db.session.expire_all()
    assert (answered.eligible, answered.eligibility_reason) == (
        silent.eligible, silent.eligibility_reason)
    assert answered.eligible is False
    # Deciding again after the answers exist gives the same result.
    with app.test_request_context():
        assert assess(answered, RULE) == (silent.eligible, silent.eligibility_reason)


def test_the_application_settings_drive_enrolment(login_as, client, app, monkeypatch):
    town = factories.LocalAuthorityFactory(name="Bury", in_catchment=True)
    ward = factories.WardFactory(name="Radcliffe West", local_authority=town)
    PostcodeFactory(postcode="OL1 1AB", lsoa=LsoaFactory(ward=ward, imd_decile=5))
    partner = factories.PartnerFactory()
    db.session.commit()
    login_as(Role.coordinator)
    assert _enrol(client, partner, "Before").eligible is False
    monkeypatch.setitem(app.config, "ELIGIBILITY_MAX_IMD_DECILE", 5)
    after = _enrol(client, partner, "After")
    assert after.eligible is True and "IMD decile 5 (decile 5 or below qualifies)" in (
        after.eligibility_reason)
