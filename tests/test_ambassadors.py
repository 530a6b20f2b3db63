"""Career ambassadors: adding, validating, the target count, and who sees which record."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import Ambassador, AuditEvent, Role
from tests import factories


def _form(**overrides):
    data = {"name": "Amina Khan", "work_email": "Amina.Khan@NHS.net", "job_role": "Staff nurse",
            "site": "Royal Oldham Hospital", "trained_on": "2024-05-01",
            "equality_training_on": "2024-04-10", "is_active": "y"}
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Ambassador))


def test_coordinator_adds_an_ambassador_with_a_lower_case_email(login_as, client):
    login_as(Role.coordinator)
    response = client.post("/ambassadors/new", data=_form())
    assert response.status_code == 302
    ambassador = db.session.scalar(sa.select(Ambassador))
    assert ambassador.work_email == "amina.khan@nhs.net"
    assert ambassador.trained_on == date(2024, 5, 1) and ambassador.is_active
    assert db.session.scalar(sa.select(AuditEvent.action)
                             .where(AuditEvent.subject_type == "ambassadors")) == "create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Amina Khan" in page and "Royal Oldham Hospital" in page


def test_duplicate_email_is_refused_naming_the_email(login_as, client):
    factories.AmbassadorFactory(work_email="amina.khan@nhs.net")
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post("/ambassadors/new", data=_form()).get_data(as_text=True)
    assert "An ambassador with the work email amina.khan@nhs.net already exists" in page
    assert _count() == 1


def test_bad_fields_each_get_a_message(login_as, client):
    login_as(Role.coordinator)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    page = client.post("/ambassadors/new", data=_form(
        name="", work_email="not-an-email", trained_on=tomorrow,
        equality_training_on="1999-12-31")).get_data(as_text=True)
    assert "Enter the ambassador&#39;s name" in page
    assert "Enter a work email address in the correct format" in page
    assert "The ambassador training date must be today or in the past" in page
    assert "The equality and diversity training date must be on or after 1 January 2000" in page
    assert _count() == 0


def test_list_shows_trained_count_against_target_and_filters(login_as, client):
    factories.AmbassadorFactory(name="Trained One", site="Fairfield General Hospital")
    factories.AmbassadorFactory(name="Trained Two", site="Royal Oldham Hospital")
    factories.AmbassadorFactory(name="Not Yet", trained_on=None, site="Royal Oldham Hospital")
    factories.AmbassadorFactory(name="Left", is_active=False)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get("/ambassadors/").get_data(as_text=True)
    assert "trained ambassadors of a target of 1,000" in page
    assert ">2</span>" in page  # trained and still active
    untrained = client.get("/ambassadors/?trained=no").get_data(as_text=True)
    assert "Not Yet" in untrained and "Trained One" not in untrained
    by_site = client.get("/ambassadors/?site=Royal+Oldham+Hospital&status=active")
    assert "Trained Two" in by_site.get_data(as_text=True)
    assert "Trained One" not in by_site.get_data(as_text=True)
    by_name = client.get("/ambassadors/?q=trained+t").get_data(as_text=True)
    assert "Trained Two" in by_name and "Trained One" not in by_name


def test_stale_edit_is_refused(login_as, client):
    ambassador = factories.AmbassadorFactory(name="Before")
    db.session.commit()
    login_as(Role.coordinator)
    data = _form(work_email=ambassador.work_email, version="1")
    first = client.post(f"/ambassadors/{ambassador.id}/edit", data={**data, "name": "First"})
    assert first.status_code == 302
    second = client.post(f"/ambassadors/{ambassador.id}/edit", data={**data, "name": "Second"})
    assert "Someone else changed this ambassador" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Ambassador, ambassador.id).name == "First"


def test_ambassador_sees_only_their_own_record_with_totals(login_as, client):
    me, colleague = factories.AmbassadorFactory(), factories.AmbassadorFactory()
    factories.ActivityFactory(ambassadors=[me], people_reached=40, expressions_of_interest=6)
    factories.ActivityFactory(ambassadors=[me, colleague], people_reached=10,
                              young_people_reached=5, expressions_of_interest=1)
    factories.ActivityFactory(ambassadors=[colleague], people_reached=500)
    db.session.commit()
    login_as(Role.ambassador, ambassador=me)
    page = client.get(f"/ambassadors/{me.id}").get_data(as_text=True)
    assert ">50<" in page and ">7<" in page  # reached and interest across their two activities
    assert ">500<" not in page and "Edit this ambassador" not in page
    assert client.get(f"/ambassadors/{colleague.id}").status_code == 404
    assert client.get("/ambassadors/").status_code == 403
    assert client.get(f"/ambassadors/{me.id}/edit").status_code == 403


def test_export_is_filtered_and_formula_safe(login_as, client):
    factories.AmbassadorFactory(name="=cmd|' /C calc'!A0", site="Salford Royal")
    factories.AmbassadorFactory(name="Plain Name", trained_on=None)
    db.session.commit()
    login_as(Role.admin)
    body = client.get("/ambassadors/export.csv?trained=yes").get_data(as_text=True)
    assert "Plain Name" not in body
    assert "'=cmd" in body
