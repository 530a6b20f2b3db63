"""Factories for vacancies, applications, outcomes and volunteering, and programme completers."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from recruit.models import (
    AfcBand,
    Application,
    ApplicationStage,
    CohortStatus,
    Outcome,
    OutcomeKind,
    Programme,
    StaffGroup,
    Vacancy,
    VacancyStatus,
    Volunteering,
)
from tests import factories_cohorts
from tests.factories import Base
from tests.factories_participants import ParticipantFactory

TODAY = date.today()


class ProgrammeFactory(factories_cohorts.ProgrammeFactory):
    """A programme whose completers skip the interview and count as GCSE-equivalent."""

    counts_as_gcse_equivalent = True
    waives_interview = True


class CohortFactory(factories_cohorts.CohortFactory):
    programme = factory.SubFactory(ProgrammeFactory)
    ends_on = date(2024, 10, 25)
    status = CohortStatus.completed


class EnrolmentFactory(factories_cohorts.CompletedEnrolmentFactory):
    participant = factory.SubFactory(ParticipantFactory)
    cohort = factory.SubFactory(CohortFactory)
    enrolled_on = date(2024, 8, 20)
    completed_on = date(2024, 10, 25)


def completer(programme: Programme | None = None, **participant_fields):
    """A participant with a completed enrolment (in ``programme`` when given)."""
    participant = ParticipantFactory(**participant_fields)
    cohort = CohortFactory(programme=programme) if programme else CohortFactory()
    EnrolmentFactory(participant=participant, cohort=cohort)
    return participant


class VacancyFactory(Base):
    class Meta:
        model = Vacancy

    title = factory.Sequence(lambda n: f"Healthcare support worker {n}")
    band = AfcBand.band_2
    staff_group = StaffGroup.additional_clinical
    department = "Medicine"
    site = "Royal Oldham Hospital"
    locality = "Oldham"
    posts = 2
    is_ring_fenced = True
    identified_on = TODAY - timedelta(days=60)
    opens_on = TODAY - timedelta(days=30)
    closes_on = TODAY + timedelta(days=14)
    status = VacancyStatus.open


class ApplicationFactory(Base):
    class Meta:
        model = Application

    participant = factory.SubFactory(ParticipantFactory)
    vacancy = factory.SubFactory(VacancyFactory)
    applied_on = TODAY - timedelta(days=20)
    stage = ApplicationStage.applied


class OutcomeFactory(Base):
    class Meta:
        model = Outcome

    participant = factory.SubFactory(ParticipantFactory)
    kind = OutcomeKind.job_elsewhere
    started_on = TODAY - timedelta(days=30)
    employer = "Oldham Care Homes Ltd"
    role_title = "Care assistant"


class VolunteeringFactory(Base):
    class Meta:
        model = Volunteering

    participant = factory.SubFactory(ParticipantFactory)
    organisation = "Oldham Foodbank"
    role = "Warehouse volunteer"
    starts_on = TODAY - timedelta(days=50)
    hours = 24
