"""CSRF protection, switched on (the rest of the suite turns it off for brevity)."""

from __future__ import annotations

import re

import pytest

from recruit.extensions import db
from recruit.models import PartnerOrganisation, Role
from tests import factories
from tests.conftest import PASSWORD


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_post_without_token_is_refused_and_saves_nothing(csrf_on, client):
    user = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    response = client.post("/partners/new", data={"name": "Forged", "kind": "mosque"})
    assert response.status_code == 400
    assert db.session.query(PartnerOrganisation).count() == 0


def test_post_with_token_is_accepted(csrf_on, client):
    user = factories.UserFactory(role=Role.coordinator)
    db.session.commit()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    token = _token(client.get("/partners/new").get_data(as_text=True))
    response = client.post("/partners/new", data={
        "name": "Real", "kind": "mosque", "version": "1", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.query(PartnerOrganisation).count() == 1


def test_login_without_token_is_refused(csrf_on, client):
    user = factories.UserFactory()
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
