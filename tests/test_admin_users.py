"""User administration: invite, change role, deactivate and reactivate; friendly error pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AuditEvent, Role, User
from tests import factories
from tests.conftest import sign_in


def test_admin_invites_a_partner_user_who_can_then_sign_in(app, login_as, client):
    partner = factories.PartnerFactory(name="Glodwick Women's Group")
    db.session.commit()
    login_as(Role.admin)
    page = client.post("/admin/users/invite", data={
        "name": "Shazia Akhtar", "email": "Shazia@Glodwick.example", "role": "partner",
        "partner_id": partner.id}).get_data(as_text=True)
    temporary = re.search(r"Temporary password: ([\w-]+)", page).group(1)
    user = db.session.scalar(sa.select(User).where(User.email == "shazia@glodwick.example"))
    assert user.partner_id == partner.id and user.role is Role.partner
    assert sign_in(app.test_client(), "shazia@glodwick.example", temporary).status_code == 302
    assert temporary not in (db.session.scalar(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "user_created")) or "")


def test_invite_checks_each_field(login_as, client):
    login_as(Role.admin)
    page = client.post("/admin/users/invite", data={
        "name": "", "email": "not-an-email", "role": "partner"}).get_data(as_text=True)
    assert "Enter the user&#39;s name" in page and "Enter a valid email address" in page
    page = client.post("/admin/users/invite", data={
        "name": "P", "email": "p@x.example", "role": "partner"}).get_data(as_text=True)
    assert "Choose the partner organisation this user belongs to" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1  # the admin


def test_role_change_ends_the_users_sessions(app, login_as, client):
    target = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    theirs = app.test_client()
    sign_in(theirs, target.email)
    login_as(Role.admin)
    response = client.post(f"/admin/users/{target.id}", data={"role": "board"})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role is Role.board
    assert theirs.get("/").status_code == 302


def test_admin_cannot_demote_or_deactivate_themselves(login_as, client):
    admin = login_as(Role.admin)
    page = client.post(f"/admin/users/{admin.id}", data={"role": "board"}).get_data(as_text=True)
    assert "You cannot remove your own admin role" in page
    client.post(f"/admin/users/{admin.id}/active")
    db.session.refresh(admin)
    assert admin.role is Role.admin and admin.is_active_user


def test_deactivated_user_is_reactivated(login_as, client):
    target = factories.UserFactory(is_active_user=False)
    db.session.commit()
    login_as(Role.admin)
    client.post(f"/admin/users/{target.id}/active")
    db.session.refresh(target)
    assert target.is_active_user


def test_friendly_error_pages(login_as, client):
    login_as(Role.board)
    forbidden = client.get("/partners/")
    assert forbidden.status_code == 403
    assert "You do not have access to this page" in forbidden.get_data(as_text=True)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
