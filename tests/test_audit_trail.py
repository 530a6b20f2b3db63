"""The admin's audit search: filters, export, and that it shows no personal values."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AuditEvent, Role
from tests.factories_participants import ParticipantFactory


def test_admin_finds_who_viewed_a_participant(login_as, client, app):
    person = ParticipantFactory(first_name="Rukhsana")
    db.session.commit()
    coordinator = login_as(Role.coordinator)
    client.get(f"/participants/{person.id}")
    client.post("/logout")
    login_as(Role.admin)
    page = client.get(f"/admin/audit/?action=view&subject_type=participants"
                      f"&subject_id={person.id}").get_data(as_text=True)
    assert "Showing 1 to 1 of 1 entries" in page
    assert coordinator.email in page
    assert "Rukhsana" not in page
    export = client.get(f"/admin/audit/export.csv?subject_id={person.id}")
    assert coordinator.email in export.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).where(
        AuditEvent.action == "export", AuditEvent.detail.like("audit-trail.csv%"))) == 1


def test_filters_by_date_and_user(login_as, client):
    login_as(Role.admin)
    page = client.get("/admin/audit/?since=2000-01-01&until=2000-01-02").get_data(as_text=True)
    assert "No entries match these filters" in page
    page = client.get("/admin/audit/?actor=nobody-like-this").get_data(as_text=True)
    assert "No entries match" in page
