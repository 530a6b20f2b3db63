"""The shared CSV export: defusedcsv's escaping, streaming, the audit record, and the rows of
exports built from joined columns (counts, lists grouped back into one line, partner scope)."""

from __future__ import annotations

import contextvars
import csv
import io

import sqlalchemy as sa
from defusedcsv import csv as defusedcsv
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from recruit.exports import defuse, defuse_row
from recruit.extensions import db
from recruit.models import AuditEvent, EnrolmentStatus, ParticipantSource, Role
from tests import factories
from tests import factories_cohorts as fc
from tests.factories_participants import ParticipantFactory

TRICKY = ["=1+2", "+44 161", "-5", "-5.5", "-1,000", "@SUM(A1)", "|pipe", "%", "=a|b", "", "-",
          "plain", " =space", "\t=tab", "=HYPERLINK(\"http://evil.example\")", 0, -3, 2.5, True,
          None]


def _written(row, writer_module) -> str:
    buffer = io.StringIO()
    writer_module.writer(buffer).writerow(row)
    return buffer.getvalue()


def test_defuse_writes_what_defusedcsv_writes():
    assert _written([defuse(v) for v in TRICKY], csv) == _written(TRICKY, defusedcsv)
    assert _written(defuse_row(TRICKY), csv) == _written(TRICKY, defusedcsv)


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(),
                          st.dates(), st.datetimes(), st.decimals(allow_nan=False)),
                max_size=6))
def test_defuse_matches_defusedcsv_on_any_row(row):
    assert _written(defuse_row(row), csv) == _written(row, defusedcsv)


def test_an_export_is_streamed_and_audited_with_its_row_count(login_as, client):
    for name in ("Plain School", "=Bad"):
        factories.PartnerFactory(name=name)
    db.session.commit()
    login_as(Role.coordinator)
    response = client.get("/partners/export.csv")
    assert "Content-Length" not in response.headers  # streamed, not built whole first
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["'=Bad", "Plain School"]
    details = db.session.scalars(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "export")).all()
    assert details == ["partners.csv: 2 rows"]


def _rows(client, url: str) -> list[dict]:
    body = client.get(url).get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def test_cohort_export_counts_sessions_and_enrolments_by_status(login_as, client):
    cohort = fc.CohortFactory(name="Counted")
    fc.CohortFactory(name="Empty")
    for _ in range(3):
        fc.SessionFactory(cohort=cohort)
    for status, count in ((EnrolmentStatus.enrolled, 2), (EnrolmentStatus.completed, 1),
                          (EnrolmentStatus.withdrawn, 1)):
        for _ in range(count):
            fc.EnrolmentFactory(cohort=cohort, status=status)
    db.session.commit()
    login_as(Role.coordinator)
    rows = {r["Cohort"]: r for r in _rows(client, "/cohorts/export.csv")}
    assert [rows["Counted"][k] for k in ("Sessions", "Enrolled", "Completed", "Withdrawn")] == [
        "3", "2", "1", "1"]
    assert [rows["Empty"][k] for k in ("Sessions", "Enrolled", "Completed", "Withdrawn")] == [
        "0", "0", "0", "0"]


def test_partner_cohort_export_has_schedule_columns_only(login_as, client):
    partner = factories.PartnerFactory()
    fc.CohortFactory(name="Hosted", host_partner=partner)
    fc.CohortFactory(name="Elsewhere")
    db.session.commit()
    login_as(Role.partner, partner=partner)
    response = client.get("/cohorts/export.csv")
    assert 'filename="cohort-schedules.csv"' in response.headers["Content-Disposition"]
    rows = _rows(client, "/cohorts/export.csv")
    assert [r["Cohort"] for r in rows] == ["Hosted"]
    assert "Enrolled" not in rows[0] and rows[0]["Host partner"] == partner.name


def test_outreach_export_lists_each_activity_once_with_all_its_ambassadors(login_as, client):
    first, second, third = (factories.AmbassadorFactory(name=n) for n in ("Ann", "Bob", "Cy"))
    factories.ActivityFactory(venue="Three", ambassadors=[first, second, third])
    factories.ActivityFactory(venue="None", ambassadors=[])
    factories.ActivityFactory(venue="One", ambassadors=[second])
    db.session.commit()
    login_as(Role.coordinator)
    rows = {r["Venue"]: r["Ambassadors"] for r in _rows(client, "/outreach/export.csv")}
    assert rows == {"Three": "Ann; Bob; Cy", "None": "", "One": "Bob"}


def test_partner_participant_export_holds_only_their_referrals(login_as, client):
    partner = factories.PartnerFactory()
    ParticipantFactory(last_name="Ours", referring_partner=partner,
                       consent_to_share_with_partner=False)
    ParticipantFactory(last_name="Theirs", referring_partner=factories.PartnerFactory())
    ParticipantFactory(last_name="Nobodys", referring_partner=None,
                       source=ParticipantSource.self_referral)
    db.session.commit()
    login_as(Role.partner, partner=partner)
    rows = _rows(client, "/participants/export.csv")
    assert [(r["Last name"], r["Status"], r["Referring partner"]) for r in rows] == [
        ("Ours", "Not shared", partner.name)]


def test_a_download_stopped_part_way_is_still_audited(login_as, client, monkeypatch):
    monkeypatch.setattr("recruit.exports.BATCH_ROWS", 1)
    for name in ("First", "Second", "Third"):
        factories.PartnerFactory(name=name)
    db.session.commit()
    login_as(Role.coordinator)

    def read_one_chunk_and_go_away() -> str:
        # The body read lazily (not buffered), in the request's own context, as a server does.
        response = FlaskClient.open(client, "/partners/export.csv", buffered=False)
        first = next(iter(response.response)).decode()
        response.close()  # the client went away: the server closes the body
        return first

    assert "First" in contextvars.Context().run(read_one_chunk_and_go_away)
    details = db.session.scalars(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "export")).all()
    assert details == ["partners.csv: 1 rows, stopped before the end"]


def test_an_export_longer_than_a_batch_reads_every_batch_from_the_cursor(
        login_as, client, monkeypatch):
    """On PostgreSQL the rows come from a server-side cursor a batch at a time."""
    monkeypatch.setattr("recruit.exports.BATCH_ROWS", 2)
    names = [f"Partner {n}" for n in range(5)]
    for name in names:
        factories.PartnerFactory(name=name)
    db.session.commit()
    login_as(Role.coordinator)
    assert [row["Name"] for row in _rows(client, "/partners/export.csv")] == names
    details = db.session.scalars(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "export")).all()
    assert details == ["partners.csv: 5 rows"]
