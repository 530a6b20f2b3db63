"""Faults: the database going away gives a clean 503, and the app recovers when it returns."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from recruit import create_app
from recruit.extensions import db
from recruit.models import Role
from tests import factories

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_unreachable_database_gives_a_clean_503_page(app):
    broken = create_app("testing", SQLALCHEMY_DATABASE_URI=(
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"))
    client = broken.test_client()
    with client.session_transaction() as session:  # a signed-in browser: loading the user fails
        session["_user_id"] = "1:1"
        session["started_at"] = session["last_seen_at"] = 1e12
    response = client.get("/partners/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in page
    assert "Traceback" not in page and "psycopg" not in page


@pytest.mark.skipif(not ON_POSTGRES, reason="terminating server connections needs PostgreSQL")
def test_app_recovers_after_the_database_drops_every_connection(login_as, client):
    factories.PartnerFactory(name="Still here")
    db.session.commit()
    login_as(Role.coordinator)
    assert client.get("/partners/").status_code == 200
    db.session.close()  # the test's own session gives its connection back to the pool
    with db.engine.connect() as connection:  # a restart: every other backend is killed
        connection.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        connection.commit()
    response = client.get("/partners/")  # pool_pre_ping replaces the dead connections
    assert response.status_code == 200
    assert "Still here" in response.get_data(as_text=True)
    assert client.get("/healthz").get_json()["database"] == "ok"


def test_nul_characters_are_refused_cleanly(login_as, client):
    login_as(Role.coordinator)
    response = client.post("/partners/new", data={"name": "A\x00B", "kind": "mosque"})
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
