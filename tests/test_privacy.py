"""Data-subject rights: subject access, erasure that keeps the counts, retention, view audit."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from recruit.extensions import db
from recruit.models import (
    Application,
    AuditEvent,
    EqualityMonitoring,
    Ethnicity,
    Participant,
    Role,
)
from recruit.models.base import utcnow
from recruit.statistics import funnel
from tests.factories_participants import EqualityFactory, ParticipantFactory
from tests.factories_vacancies import ApplicationFactory


def _person():
    person = ParticipantFactory(first_name="Nasreen", last_name="Chowdhury",
                                notes="Prefers mornings")
    EqualityFactory(participant=person, ethnicity=Ethnicity.asian_bangladeshi)
    ApplicationFactory(participant=person)
    stranger = ParticipantFactory(first_name="Zygmunt", last_name="Nowak")
    db.session.commit()
    return person, stranger


def test_subject_access_json_holds_everything_about_them_and_nobody_else(login_as, client):
    person, stranger = _person()
    login_as(Role.admin)
    response = client.get(f"/participants/{person.id}/subject-access?format=json")
    data = json.loads(response.get_data(as_text=True))
    assert response.headers["Content-Disposition"].endswith(f'subject-access-{person.id}.json"')
    assert data["participant"]["first_name"] == "Nasreen"
    assert data["equality_monitoring"]["ethnicity"] == "Bangladeshi"
    assert len(data["applications"]) == 1 and data["status_history"]
    assert "Zygmunt" not in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).where(
        AuditEvent.action == "subject_access", AuditEvent.subject_id == person.id)) == 1


def test_subject_access_pdf_is_readable(login_as, client):
    person, _ = _person()
    login_as(Role.admin)
    response = client.get(f"/participants/{person.id}/subject-access?format=pdf")
    assert response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Nasreen" in text and "Everything held about participant" in text


def test_subject_access_command(runner, tmp_path):
    person, _ = _person()
    result = runner.invoke(args=["participants", "export", str(person.id)])
    assert result.exit_code == 0 and json.loads(result.output)["participant"]["last_name"] \
        == "Chowdhury"
    pdf = tmp_path / "sar.pdf"
    result = runner.invoke(args=["participants", "export", str(person.id), "--format", "pdf",
                                 "--output", str(pdf)])
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(args=["participants", "export", "999999"])
    assert missing.exit_code != 0 and "No participant has the ID 999999" in missing.output


def test_only_admins_reach_subject_access_and_erasure(login_as, client):
    person, _ = _person()
    login_as(Role.coordinator)
    assert client.get(f"/participants/{person.id}/subject-access").status_code == 403
    assert client.post(f"/participants/{person.id}/erase", data={"reason": "x"}).status_code == 403


def test_erasure_removes_personal_data_but_keeps_the_counts(login_as, client):
    person, _ = _person()
    period = (date(2000, 1, 1), date.today() + timedelta(days=1))
    before = funnel.stage_counts(db.session, *period)
    login_as(Role.admin)
    response = client.post(f"/participants/{person.id}/erase",
                           data={"reason": "The person asked us to erase their data"})
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(Participant, person.id)
    assert erased.is_anonymised and erased.first_name == "Erased"
    assert (erased.email, erased.phone, erased.date_of_birth, erased.postcode, erased.notes) \
        == (None, None, None, None, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EqualityMonitoring)
                             .where(EqualityMonitoring.participant_id == person.id)) == 0
    assert db.session.scalar(sa.select(Application.feedback)
                             .where(Application.participant_id == person.id)) is None
    assert funnel.stage_counts(db.session, *period) == before
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Nasreen" not in page
    again = client.post(f"/participants/{person.id}/erase", data={"reason": "again"})
    assert "already been erased" in again.get_data(as_text=True)


def test_erasure_needs_a_reason(login_as, client):
    person, _ = _person()
    login_as(Role.admin)
    page = client.post(f"/participants/{person.id}/erase", data={"reason": ""})
    assert "Enter the reason for erasing" in page.get_data(as_text=True)
    assert not db.session.get(Participant, person.id).is_anonymised


def test_retention_purge_dry_run_then_for_real(runner):
    old, recent = _person()
    long_ago = utcnow() - timedelta(days=7 * 365)
    db.session.execute(sa.update(Participant).where(Participant.id == old.id)
                       .values(last_activity_at=long_ago))
    from recruit.models import StatusChange

    db.session.execute(sa.update(StatusChange).where(StatusChange.participant_id == old.id)
                       .values(changed_at=long_ago))
    db.session.commit()
    dry = runner.invoke(args=["participants", "purge", "--older-than", "6y", "--dry-run"])
    assert dry.exit_code == 0 and f"1 participant(s) would be erased: IDs {old.id}" in dry.output
    db.session.expire_all()
    assert not db.session.get(Participant, old.id).is_anonymised
    real = runner.invoke(args=["participants", "purge", "--older-than", "6y"])
    assert "1 participant(s) erased" in real.output
    db.session.expire_all()
    assert db.session.get(Participant, old.id).is_anonymised
    assert not db.session.get(Participant, recent.id).is_anonymised
    bad = runner.invoke(args=["participants", "purge", "--older-than", "six years"])
    assert bad.exit_code != 0 and "not a period such as 6y" in bad.output


def test_every_view_of_a_participant_record_is_audited(login_as, client):
    person, _ = _person()
    user = login_as(Role.coordinator)
    client.get(f"/participants/{person.id}")
    client.get(f"/participants/{person.id}/edit")
    views = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.subject_id == person.id)).all()
    assert len(views) == 2 and all(v.actor_id == user.id for v in views)
    assert all("Nasreen" not in (v.detail or "") for v in views)


def test_pdf_rendering_refuses_anything_but_static_files(app):
    import pytest
    from weasyprint.urls import FatalURLFetchingError

    from recruit.pdf import render_pdf

    with app.test_request_context():
        assert render_pdf('<html lang="en"><title>t</title><link rel="stylesheet" '
                          'href="/static/subject_access.css"><p>ok</p></html>').startswith(b"%PDF")
        for outside in ("file:///etc/passwd", "http://127.0.0.1:9/x.css", "/static/../config.py"):
            with pytest.raises(FatalURLFetchingError):
                render_pdf(f'<html lang="en"><title>t</title><link rel="stylesheet" '
                           f'href="{outside}"></html>')
