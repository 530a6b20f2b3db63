"""Several app servers behind a load balancer: the client's own address still counts.

Every request reaches a worker from the balancer's address. With ``TRUSTED_PROXY_HOPS`` set the
address comes from ``X-Forwarded-For`` (so one person's failed sign-ins do not lock out everyone
behind the same balancer); without it the header is ignored, so nobody can forge it.
"""

from __future__ import annotations

import pytest

from recruit import create_app
from recruit.extensions import db
from tests import factories
from tests.conftest import PASSWORD

BALANCER = "10.0.0.2"


def _app(app, hops: int):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                      TRUSTED_PROXY_HOPS=hops, LOGIN_MAX_FAILURES_PER_ADDRESS=3)


def _sign_in(client, email: str, password: str, address: str):
    return client.post("/login", data={"email": email, "password": password},
                       headers={"X-Forwarded-For": address},
                       environ_base={"REMOTE_ADDR": BALANCER})


@pytest.mark.parametrize(("hops", "locked_out"), [(1, False), (0, True)])
def test_failed_sign_ins_count_against_the_client_not_the_balancer(app, hops, locked_out):
    server = _app(app, hops)
    with server.app_context():
        user = factories.UserFactory()
        db.session.commit()
        email = user.email
    client = server.test_client()
    for attempt in range(3):  # someone else, guessing, from another address
        _sign_in(client, f"nobody{attempt}@example.org", "wrong password", "198.51.100.23")

    response = _sign_in(server.test_client(), email, PASSWORD, "203.0.113.7")
    with server.app_context():
        db.engine.dispose()  # this second app's connections, before the tables are emptied

    if locked_out:  # the header was not trusted: everyone shares the balancer's address
        assert response.status_code == 200
        assert b"Too many failed attempts" in response.data
    else:
        assert response.status_code == 302
