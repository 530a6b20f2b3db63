"""Second factor: required for admins, optional for others; recovery codes; throttling."""

from __future__ import annotations

import re

import pyotp
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import AuditEvent, LoginThrottle, RecoveryCode, Role
from recruit.models.base import utcnow
from tests import factories
from tests.conftest import PASSWORD, sign_in, unused_code


def _enrol(client):
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r"Key: ([A-Z2-7]+)", page).group(1)
    assert "<svg" in page  # the QR code, inline
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    return secret, done.get_data(as_text=True)


def test_admin_without_a_second_factor_must_set_one_up_first(client):
    admin = factories.UserFactory(role=Role.admin)
    db.session.commit()
    sign_in(client, admin.email)
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/two-factor")
    secret, page = _enrol(client)
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", page)
    assert len(codes) == 10
    assert client.get("/admin/users").status_code == 200
    db.session.refresh(admin)
    assert admin.totp_secret == secret and admin.totp_enabled_at is not None


def test_wrong_setup_code_is_refused(client):
    user = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    sign_in(client, user.email)
    client.get("/account/two-factor")
    page = client.post("/account/two-factor", data={"code": "000000"}).get_data(as_text=True)
    assert "That code is not right" in page
    db.session.refresh(user)
    assert user.totp_enabled_at is None


def test_sign_in_asks_for_the_code_and_accepts_a_recovery_code_once(app, client):
    user = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    sign_in(client, user.email)
    secret, page = _enrol(client)
    recovery = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", page)[0]
    client.post("/logout")

    response = sign_in(client, user.email)
    assert response.headers["Location"].startswith("/login/two-factor")
    assert client.get("/").status_code == 302  # not signed in until the second step
    wrong = client.post("/login/two-factor", data={"code": "123456"}).get_data(as_text=True)
    assert "Enter the 6-digit code" in wrong
    assert client.post("/login/two-factor", data={"code": recovery}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")

    other = app.test_client()
    sign_in(other, user.email)
    again = other.post("/login/two-factor", data={"code": recovery})
    assert again.status_code == 200  # a recovery code works once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.used_at.is_not(None))) == 1
    db.session.refresh(user)
    assert other.post("/login/two-factor",
                      data={"code": unused_code(secret, user.totp_last_step)}).status_code == 302


def test_an_authenticator_code_signs_in_once_only(app, client):
    secret = pyotp.random_base32()
    user = factories.UserFactory(role=Role.coordinator, totp_secret=secret,
                                 totp_enabled_at=utcnow())
    db.session.commit()
    code = unused_code(secret, None)
    sign_in(client, user.email)
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302
    client.post("/logout")

    eavesdropper = app.test_client()  # someone who saw the code typed, trying it at once
    sign_in(eavesdropper, user.email)
    replay = eavesdropper.post("/login/two-factor", data={"code": code})
    assert replay.status_code == 200 and "Enter the 6-digit code" in replay.get_data(as_text=True)
    assert eavesdropper.get("/").status_code == 302
    db.session.refresh(user)
    later = unused_code(secret, user.totp_last_step)  # the next code from the app
    assert eavesdropper.post("/login/two-factor", data={"code": later}).status_code == 302


def test_the_code_that_confirmed_set_up_cannot_sign_in(app, client):
    user = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    sign_in(client, user.email)
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r"Key: ([A-Z2-7]+)", page).group(1)
    code = unused_code(secret, None)
    client.post("/account/two-factor", data={"code": code})
    client.post("/logout")
    sign_in(client, user.email)
    assert client.post("/login/two-factor", data={"code": code}).status_code == 200


def test_admin_cannot_turn_the_second_factor_off(login_as, client):
    admin = login_as(Role.admin)
    client.post("/account/two-factor/off")
    db.session.refresh(admin)
    assert admin.totp_enabled_at is not None


def test_account_locks_after_five_failures_even_with_the_right_password(client, app):
    user = factories.UserFactory()
    db.session.commit()
    for _ in range(5):
        sign_in(client, user.email, "wrong password here")
    page = sign_in(client, user.email, PASSWORD).get_data(as_text=True)
    assert "Too many failed attempts to sign in" in page
    assert client.get("/").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).where(
        AuditEvent.action == "login_locked")) >= 1
    # the lock is in the database, so another worker process sees it too
    row = db.session.scalar(sa.select(LoginThrottle).where(
        LoginThrottle.key == f"account:{user.email}"))
    assert row.locked_until > utcnow()


def test_unknown_accounts_are_throttled_like_real_ones(client):
    for _ in range(5):
        sign_in(client, "nobody@recruit.example", "guess guess guess")
    page = sign_in(client, "nobody@recruit.example", "guess").get_data(as_text=True)
    assert "Too many failed attempts" in page


def test_address_locks_after_twenty_failures_across_accounts(client, app):
    user = factories.UserFactory()
    db.session.commit()
    for index in range(20):
        sign_in(client, f"spray{index}@recruit.example", "password1234")
    page = sign_in(client, user.email, PASSWORD).get_data(as_text=True)
    assert "Too many failed attempts" in page


def test_lock_expires(client):
    user = factories.UserFactory()
    db.session.commit()
    for _ in range(5):
        sign_in(client, user.email, "wrong password here")
    db.session.execute(sa.update(LoginThrottle).values(locked_until=utcnow()))
    db.session.commit()
    assert sign_in(client, user.email).status_code == 302
