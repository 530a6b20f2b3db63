"""Two coordinators saving the same record at once: one wins, the other is told, nothing is lost.

Run with real concurrent transactions on PostgreSQL (the suite's second pass); SQLite serialises
writers, so there the race cannot happen and the tests are skipped.
"""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from recruit.extensions import db
from recruit.models import Application, Cohort, Role
from tests import factories
from tests.conftest import sign_in
from tests.factories_cohorts import CohortFactory
from tests.factories_vacancies import ApplicationFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs concurrent transactions (PostgreSQL)")


@pytest.mark.parametrize(("model", "make", "field"), [
    (Cohort, CohortFactory, "venue"),
    (Application, ApplicationFactory, "feedback"),
])
def test_database_refuses_the_second_of_two_overlapping_saves(model, make, field):
    record = make()
    db.session.commit()
    first, second = Session(db.engine), Session(db.engine)
    try:
        mine, theirs = first.get(model, record.id), second.get(model, record.id)
        setattr(mine, field, "saved first")
        setattr(theirs, field, "saved second")
        first.flush()  # holds the row lock, not yet committed
        outcome = {}

        def save_second():
            try:
                second.commit()  # waits for the lock, then finds the version has moved on
            except StaleDataError:
                second.rollback()
                outcome["refused"] = True

        thread = threading.Thread(target=save_second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second save should be waiting for the first"
        first.commit()
        thread.join(timeout=10)
        assert outcome == {"refused": True}
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    saved = db.session.get(model, record.id)
    assert getattr(saved, field) == "saved first" and saved.version == 2


def test_two_coordinators_posting_the_same_cohort_at_once(app):
    cohort = CohortFactory(venue="Before")
    coordinators = [factories.UserFactory(role=Role.coordinator) for _ in range(2)]
    db.session.commit()
    clients = []
    for user in coordinators:
        client = app.test_client()
        sign_in(client, user.email)
        clients.append(client)
    form = {"programme_id": cohort.programme_id, "name": cohort.name,
            "host_partner_id": cohort.host_partner_id, "ward_id": cohort.ward_id,
            "starts_on": cohort.starts_on.isoformat(), "ends_on": cohort.ends_on.isoformat(),
            "capacity": "10", "version": "1"}
    start = threading.Barrier(2)
    responses = [None, None]

    def post(index):
        start.wait()
        responses[index] = clients[index].post(
            f"/cohorts/{cohort.id}/edit", data={**form, "venue": f"Venue {index}"})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
    assert "Someone else changed this" in refused
    db.session.expire_all()
    saved = db.session.scalar(sa.select(Cohort).where(Cohort.id == cohort.id))
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    assert saved.venue == f"Venue {winner}" and saved.version == 2
