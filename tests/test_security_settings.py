"""Session lifetimes, production cookie and transport settings, and caching of personal data."""

from __future__ import annotations

from recruit import create_app
from recruit.extensions import db
from recruit.models import Role
from tests import factories
from tests.conftest import sign_in
from tests.factories_participants import ParticipantFactory


def test_absolute_session_lifetime_is_twelve_hours_even_when_active(client):
    user = factories.UserFactory()
    db.session.commit()
    sign_in(client, user.email)
    with client.session_transaction() as session:
        session["started_at"] -= 12 * 3600 + 60  # signed in 12 hours ago, active a moment ago
    response = client.get("/")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]


def test_production_cookies_and_transport(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a production secret for this test only")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers.get("Set-Cookie", "")
    if cookie:  # the session cookie, when one is set, carries the flags
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    import pytest

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_pages_with_personal_data_are_not_cached(login_as, client):
    person = ParticipantFactory()
    db.session.commit()
    login_as(Role.coordinator)
    response = client.get(f"/participants/{person.id}")
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/static/recruit.css").headers.get("Cache-Control") != "no-store"


def test_no_page_can_be_framed(client):
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
