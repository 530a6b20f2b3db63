"""Factories for programmes, cohorts, sessions, enrolments and placements."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from recruit.models import (
    Cohort,
    CohortSession,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    ParticipantStatus,
    Placement,
    PlacementStatus,
    Programme,
)
from tests import factories
from tests.factories import Base
from tests.factories_participants import ParticipantFactory


class ProgrammeFactory(Base):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Step into the NHS {n}")
    curriculum = "Careers in the NHS, equality and diversity, applications and interviews"


class CohortFactory(Base):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    host_partner = factory.SubFactory(factories.PartnerFactory)
    venue = "Community centre, main hall"
    ward = factory.SelfAttribute("host_partner.ward")
    starts_on = date(2024, 9, 2)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=34))
    capacity = 10
    status = CohortStatus.running


class SessionFactory(Base):
    class Meta:
        model = CohortSession

    cohort = factory.SubFactory(CohortFactory)
    held_on = factory.LazyAttribute(lambda o: o.cohort.starts_on)
    topic = factory.Sequence(lambda n: f"Session topic {n}")


class EnrolmentFactory(Base):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(ParticipantFactory, status=ParticipantStatus.enrolled)
    status = EnrolmentStatus.enrolled
    enrolled_on = factory.LazyAttribute(lambda o: o.cohort.starts_on - timedelta(days=7))
    eligible_at_enrolment = True


class CompletedEnrolmentFactory(EnrolmentFactory):
    participant = factory.SubFactory(ParticipantFactory, status=ParticipantStatus.completed)
    status = EnrolmentStatus.completed
    completed_on = factory.LazyAttribute(lambda o: o.cohort.ends_on)


class PlacementFactory(Base):
    class Meta:
        model = Placement

    enrolment = factory.SubFactory(CompletedEnrolmentFactory)
    participant = factory.SelfAttribute("enrolment.participant")
    department = "Outpatients"
    site = "Royal Oldham Hospital"
    supervisor_name = "Sister Jones"
    role_sought = "Healthcare assistant"
    status = PlacementStatus.offered
    offered_on = factory.LazyAttribute(lambda o: o.enrolment.completed_on + timedelta(days=7))
