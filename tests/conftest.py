"""Test fixtures: a real database (SQLite, or PostgreSQL when DATABASE_URL points at one).

``make test`` sets ``DATABASE_URL`` from ``TEST_DATABASE_URL`` for the PostgreSQL pass. Each test
runs on empty tables created from the models; migration tests build their own schema.
"""

from __future__ import annotations

import contextvars
import os
import time

import pyotp
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import settings

from recruit import create_app
from recruit.extensions import db as _db
from recruit.models import Role, User
from recruit.models.base import utcnow
from tests import (
    board_world,
    factories,
    factories_cohorts,
    factories_participants,
    factories_vacancies,
)

PASSWORD = "correct horse battery staple"


def unused_code(secret: str, last_step: int | None) -> str:
    """An authenticator code the app has not yet accepted (each code works once): the current
    one, or the next one when the current one was used, waiting for it as a person would."""
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // totp.interval
    if last_step is not None and last_step >= step:
        step = last_step + 1
        time.sleep(max(0.0, (step - 1) * totp.interval - time.time()))  # until it is in the window
    return totp.generate_otp(step)

# Property tests draw the same examples on every run, so a red run can be repeated and CI is
# not a lottery. ``HYPOTHESIS_PROFILE=explore`` draws fresh examples each run: use it (a few
# times) when changing a form or an importer, and add what it finds as an explicit test.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own context, as in a real server.

    Without this, requests would reuse the test's application context, sharing ``g`` (and the
    signed-in user cached there) and the database session between requests.
    """

    def open(self, *args, **kwargs):
        # Read a streamed body (a CSV export) within the request's context too, as a server does.
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url() or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        yield app
        _db.session.remove()
        _db.drop_all()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


@pytest.fixture(autouse=True)
def db(app):
    """Give each test empty tables, whatever the previous test left behind."""
    yield _db
    _db.session.rollback()
    _db.session.remove()
    tables = reversed(_db.metadata.sorted_tables)
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(t.name for t in _db.metadata.sorted_tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def login_as(client):
    """Create a user of ``role`` (with its partner or ambassador record) and sign them in."""

    def login(role: Role | str, **kwargs) -> User:
        role = Role[role] if isinstance(role, str) else role
        if role is Role.partner and "partner" not in kwargs:
            kwargs["partner"] = factories.PartnerFactory()
        if role is Role.ambassador and "ambassador" not in kwargs:
            kwargs["ambassador"] = factories.AmbassadorFactory()
        if role is Role.admin:  # admins must have a second factor
            kwargs.setdefault("totp_secret", pyotp.random_base32())
            kwargs.setdefault("totp_enabled_at", utcnow())
        user = factories.UserFactory(role=role, **kwargs)
        _db.session.commit()
        response = sign_in(client, user.email)
        if user.totp_secret:
            code = unused_code(user.totp_secret, user.totp_last_step)
            response = client.post("/login/two-factor", data={"code": code})
        assert response.status_code == 302, "sign-in failed in the fixture"
        assert "two-factor" not in response.headers["Location"]
        return user

    return login




@pytest.fixture
def world(login_as):
    """Rows every role may legitimately reach, and a signed-in user of the requested role."""

    def build(role: Role | None):
        partner = factories.PartnerFactory()
        ambassador = factories.AmbassadorFactory()
        activity = factories.ActivityFactory(partner=partner, ambassadors=[ambassador])
        other_user = factories.UserFactory(role=Role.coordinator)
        participant = factories_participants.ParticipantFactory(referring_partner=partner)
        application = factories_vacancies.ApplicationFactory(participant=participant)
        outcome = factories_vacancies.OutcomeFactory(participant=participant)
        volunteering = factories_vacancies.VolunteeringFactory(participant=participant)
        enrolment = factories_cohorts.EnrolmentFactory(
            cohort=factories_cohorts.CohortFactory(host_partner=partner))
        cohort_session = factories_cohorts.SessionFactory(cohort=enrolment.cohort)
        placement = factories_cohorts.PlacementFactory()
        board_rows = board_world.access_rows()  # targets and a published board report
        _db.session.commit()
        user = None
        if role is Role.partner:
            user = login_as(role, partner=partner)
        elif role is Role.ambassador:
            user = login_as(role, ambassador=ambassador)
        elif role is not None:
            user = login_as(role)
        return {
            "partner_id": partner.id,
            "ambassador_id": ambassador.id,
            "activity_id": activity.id,
            "user_id": other_user.id,
            "participant_id": participant.id,
            "vacancy_id": application.vacancy_id,
            "application_id": application.id,
            "stage_name": "shortlisted",
            "outcome_id": outcome.id,
            "weeks": 13,
            "volunteering_id": volunteering.id,
            "cohort_id": enrolment.cohort_id,
            "enrolment_id": enrolment.id,
            "session_id": cohort_session.id,
            "programme_id": enrolment.cohort.programme_id,
            "placement_id": placement.id,
            "filename": "x",
            "kind": "census",
            **board_rows,
        }, user

    return build


def url_for_rule(app, rule, ids):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{arg: ids[arg] for arg in rule.arguments})
