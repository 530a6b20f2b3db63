"""Signing in and out, sessions that end everywhere, and the health check."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.auth.passwords import hash_password, hasher
from recruit.extensions import db
from recruit.models import AuditEvent, Role
from tests import factories
from tests.conftest import PASSWORD, sign_in


def test_login_with_correct_password_lands_on_home(client):
    user = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    response = sign_in(client, user.email.upper())  # email is case-insensitive
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Programme overview" in client.get("/").get_data(as_text=True)


def test_wrong_password_says_so_without_revealing_which_part(client):
    user = factories.UserFactory()
    db.session.commit()
    wrong = sign_in(client, user.email, "not the password").get_data(as_text=True)
    unknown = sign_in(client, "nobody@recruit.example", "whatever").get_data(as_text=True)
    for page in (wrong, unknown):
        assert "Enter a correct email address and password" in page
    assert client.get("/").status_code == 302
    assert db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "login_failed")) == 1


def test_empty_login_form_names_each_missing_field(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert "There is a problem" in page


def test_deactivated_user_cannot_sign_in(client):
    user = factories.UserFactory(is_active_user=False)
    db.session.commit()
    assert "Enter a correct email" in sign_in(client, user.email).get_data(as_text=True)


def test_next_is_followed_only_within_the_site(client):
    user = factories.UserFactory()
    db.session.commit()
    ok = client.post("/login?next=/partners/", data={"email": user.email, "password": PASSWORD})
    assert ok.headers["Location"] == "/partners/"
    client.post("/logout")
    evil = client.post("/login?next=https://evil.example/",
                       data={"email": user.email, "password": PASSWORD})
    assert evil.headers["Location"] == "/"


def test_logout_ends_every_copy_of_the_session(app, client):
    user = factories.UserFactory()
    db.session.commit()
    sign_in(client, user.email)
    stolen = app.test_client()
    stolen.set_cookie("session", client.get_cookie("session").value)
    assert stolen.get("/").status_code == 200
    client.post("/logout")
    assert stolen.get("/").status_code == 302  # the copied cookie no longer works


def test_password_change_ends_other_sessions_but_not_this_one(app, client):
    user = factories.UserFactory()
    db.session.commit()
    sign_in(client, user.email)
    other = app.test_client()
    sign_in(other, user.email)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a much longer new passphrase"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert sign_in(app.test_client(), user.email, "a much longer new passphrase").status_code == 302


def test_short_new_password_is_refused(client):
    user = factories.UserFactory()
    db.session.commit()
    sign_in(client, user.email)
    page = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "short"}).get_data(as_text=True)
    assert "Password must be between 12 and 256 characters" in page


def test_old_password_hash_is_upgraded_on_login(client):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    user = factories.UserFactory(password_hash=weak)
    db.session.commit()
    sign_in(client, user.email)
    db.session.refresh(user)
    assert user.password_hash != weak
    assert not hasher.check_needs_rehash(user.password_hash)
    assert user.password_hash.startswith("$argon2id$")


def test_deactivation_ends_the_users_sessions(app, client, login_as):
    target = factories.UserFactory()
    db.session.commit()
    theirs = app.test_client()
    sign_in(theirs, target.email)
    login_as(Role.admin)
    client.post(f"/admin/users/{target.id}/active")
    assert theirs.get("/").status_code == 302


def test_idle_session_times_out(client):
    user = factories.UserFactory()
    db.session.commit()
    sign_in(client, user.email)
    with client.session_transaction() as session:
        session["last_seen_at"] -= 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]


def test_healthz_reports_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(app):
    from recruit import create_app

    broken = create_app("testing", SQLALCHEMY_DATABASE_URI=(
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    import pytest

    from recruit import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_hash_is_argon2id():
    assert hash_password("x" * 12).startswith("$argon2id$v=19$m=19456,t=2,p=1$")
