"""Partner organisations: adding, validating, editing without overwriting, exporting."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AuditEvent, PartnerKind, PartnerOrganisation, Role
from tests import factories


def _form(**overrides):
    data = {"name": "Coldhurst Community Association", "kind": "community_group",
            "contact_email": "hello@coldhurst.example", "version": "1", "is_active": "y"}
    data.update(overrides)
    return data


def test_coordinator_adds_a_partner_in_a_ward(login_as, client):
    ward = factories.WardFactory(name="Coldhurst")
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post("/partners/new", data=_form(ward_id=ward.id))
    assert response.status_code == 302
    partner = db.session.scalar(sa.select(PartnerOrganisation))
    assert partner.kind is PartnerKind.community_group
    assert partner.local_authority_id == ward.local_authority_id  # taken from the ward
    assert db.session.scalar(sa.select(AuditEvent.action)
                             .where(AuditEvent.subject_type == "partner_organisations")) == "create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Coldhurst Community Association" in page and "Coldhurst" in page


def test_duplicate_name_is_refused_by_name_and_nothing_saved(login_as, client):
    factories.PartnerFactory(name="Oldham Mosque")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/partners/new", data=_form(name="oldham mosque")).get_data(as_text=True)
    assert "A partner organisation called oldham mosque already exists" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PartnerOrganisation)) == 1


def test_each_bad_field_gets_its_own_message(login_as, client):
    login_as(Role.coordinator)
    page = client.post("/partners/new", data=_form(
        name="", kind="spaceship", contact_email="not-an-email",
        data_sharing_agreement_on="31/02/2024")).get_data(as_text=True)
    assert "Enter the organisation&#39;s name" in page
    assert "Enter a valid email address" in page
    assert "Not a valid date value" in page or "valid date" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PartnerOrganisation)) == 0


def test_ward_and_local_authority_must_agree(login_as, client):
    ward = factories.WardFactory()
    elsewhere = factories.LocalAuthorityFactory(name="Elsewhere")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/partners/new", data=_form(
        ward_id=ward.id, local_authority_id=elsewhere.id)).get_data(as_text=True)
    assert f"{ward.name} is in {ward.local_authority.name}" in page


def test_stale_edit_is_refused_and_the_newer_save_survives(login_as, client):
    partner = factories.PartnerFactory(name="Before")
    db.session.commit()
    login_as(Role.coordinator)
    first = client.post(f"/partners/{partner.id}/edit", data=_form(name="First", version="1"))
    assert first.status_code == 302
    second = client.post(f"/partners/{partner.id}/edit", data=_form(name="Second", version="1"))
    assert second.status_code == 200
    assert "Someone else changed this partner organisation" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PartnerOrganisation, partner.id).name == "First"


def test_list_filters_and_paginates(login_as, client, app):
    for index in range(30):
        factories.PartnerFactory(name=f"Group {index:02d}",
                                 kind=PartnerKind.mosque if index < 3 else PartnerKind.school)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/partners/?kind=mosque").get_data(as_text=True)
    assert "Showing 1 to 3 of 3 organisations" in page
    first = client.get("/partners/").get_data(as_text=True)
    assert "Showing 1 to 25 of 30" in first and "Page 2 of 2" in first
    assert "Group 29" in client.get("/partners/?page=2").get_data(as_text=True)
    assert client.get("/partners/?page=9").status_code == 404


def test_export_is_filtered_and_formula_safe(login_as, client):
    factories.PartnerFactory(name="=HYPERLINK(\"http://evil.example\")", kind=PartnerKind.charity)
    factories.PartnerFactory(name="Plain School", kind=PartnerKind.school)
    db.session.commit()
    login_as(Role.coordinator)
    response = client.get("/partners/export.csv?kind=charity")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "Plain School" not in body
    assert "'=HYPERLINK" in body  # prefixed so a spreadsheet shows text, not a formula
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "export")) == 1


def test_partner_user_sees_their_own_organisation(login_as, client):
    partner = factories.PartnerFactory(name="Werneth Family Centre")
    db.session.commit()
    login_as(Role.partner, partner=partner)
    response = client.get("/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Werneth Family Centre" in page
    assert "Edit this organisation" not in page
