"""The cohort demo generator keeps the rules the app enforces, and running it twice adds nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from recruit.cohorts.attendance import attendance
from recruit.demo.cohorts import seed_cohorts
from recruit.extensions import db
from recruit.models import (
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    ParticipantStatus,
    Placement,
    PlacementStatus,
    StatusChange,
)
from recruit.models.base import utcnow
from tests import factories
from tests import factories_cohorts as fc


def _world():
    partners = [factories.PartnerFactory() for _ in range(6)]
    wards = [p.ward for p in partners]
    people = [
        fc.ParticipantFactory(referring_partner=partners[n % 6],
                              registered_on=date(2024, 4, 1) + timedelta(days=n * 2))
        for n in range(300)
    ]
    db.session.flush()
    return people, partners, wards


def test_demo_cohorts_follow_the_rules_and_are_idempotent(app):
    people, partners, wards = _world()
    lines = seed_cohorts(random.Random(1), people, partners, wards)
    db.session.commit()
    assert lines[0].startswith("60 cohorts")
    statuses = set(db.session.scalars(sa.select(Cohort.status)))
    assert statuses == set(CohortStatus)
    for cohort in db.session.scalars(sa.select(Cohort)):
        for record in attendance(cohort):
            if record.enrolment.status is EnrolmentStatus.completed:
                assert record.meets_rule, cohort.name
        if cohort.status is CohortStatus.cancelled:
            assert all(e.status is EnrolmentStatus.withdrawn for e in cohort.enrolments)
    for placement in db.session.scalars(sa.select(Placement)):
        assert placement.offered_on >= placement.enrolment.completed_on
        if placement.status is PlacementStatus.completed:
            assert placement.participant.status is ParticipantStatus.placed
    assert db.session.scalar(sa.select(sa.func.max(StatusChange.changed_at))) <= utcnow()
    completed = db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(
        Enrolment.status == EnrolmentStatus.completed))
    assert completed > 0
    before = db.session.scalar(sa.select(sa.func.count(StatusChange.id)))
    assert seed_cohorts(random.Random(1), people, partners, wards) == [
        "Cohorts already present: none added"]
    assert db.session.scalar(sa.select(sa.func.count(StatusChange.id))) == before
