"""The demo vacancy ledger and journey: 750 posts, rules obeyed, dated history, idempotent."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from recruit.demo.vacancies import FIRST_DAY, LAST_DAY, journey_participants, seed_vacancies
from recruit.extensions import db
from recruit.models import (
    Application,
    ApplicationStage,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from recruit.models.base import utcnow
from tests import factories_vacancies as fv
from tests.factories_participants import ParticipantFactory


def _people():
    rng = random.Random(3)
    programme = fv.ProgrammeFactory()
    completers, others = [], []
    for n in range(60):
        registered = date(2024, 4, 1) + timedelta(days=rng.randrange(500))
        if n % 3:
            participant = ParticipantFactory(status=ParticipantStatus.completed,
                                             registered_on=registered)
            cohort = fv.CohortFactory(programme=programme, starts_on=registered,
                                      ends_on=registered + timedelta(days=50))
            fv.EnrolmentFactory(participant=participant, cohort=cohort, enrolled_on=registered,
                                completed_on=registered + timedelta(days=50))
            completers.append(participant)
        else:
            others.append(ParticipantFactory(registered_on=registered))
    withdrawn = ParticipantFactory(status=ParticipantStatus.withdrawn)
    for participant in [*completers, *others, withdrawn]:  # back-date registration
        db.session.execute(sa.update(StatusChange).where(
            StatusChange.participant_id == participant.id).values(
            changed_at=datetime.combine(participant.registered_on, datetime.min.time(), UTC)))
    db.session.flush()
    return completers, [*others, withdrawn], withdrawn


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_ledger_and_journey_follow_the_rules():
    completers, others, withdrawn = _people()
    assert journey_participants() == (completers, others)
    lines = seed_vacancies(random.Random(1), completers, others)
    assert "750 posts identified" in lines[0]
    db.session.commit()

    posts = db.session.scalar(sa.select(sa.func.sum(Vacancy.posts))
                              .where(Vacancy.status != VacancyStatus.withdrawn))
    assert posts == 750
    sites = set(db.session.scalars(sa.select(Vacancy.site).distinct()))
    assert sites == {"Royal Oldham Hospital", "Fairfield General Hospital",
                     "Rochdale Infirmary", "Salford Royal"}
    identified = db.session.execute(sa.select(sa.func.min(Vacancy.identified_on),
                                              sa.func.max(Vacancy.identified_on))).one()
    assert FIRST_DAY <= identified[0] and identified[1] <= LAST_DAY

    applications = db.session.scalars(sa.select(Application)).all()
    assert applications, "completers applied"
    completer_ids = set(db.session.scalars(sa.select(Enrolment.participant_id).where(
        Enrolment.status == EnrolmentStatus.completed)))
    for application in applications:
        assert application.interview_waived == (application.participant_id in completer_ids)
        if application.stage is ApplicationStage.unsuccessful:
            assert application.feedback and application.feedback_given_on
        if application.stage is ApplicationStage.started:
            assert application.outcome.kind is OutcomeKind.entry_level_role_at_anchor
            assert application.participant.status is ParticipantStatus.employed
        if application.vacancy.is_ring_fenced:
            assert application.participant_id in completer_ids
        stages = [c.to_status for c in db.session.scalars(
            sa.select(StatusChange).where(StatusChange.subject_type == "application",
                                          StatusChange.subject_id == application.id)
            .order_by(StatusChange.changed_at, StatusChange.id))]
        if application.interview_waived:
            assert "interview" not in stages
        assert stages[0] == "applied" and stages[-1] == application.stage.name
    assert withdrawn.id not in {a.participant_id for a in applications}
    assert db.session.scalar(sa.select(sa.func.max(StatusChange.changed_at))) <= utcnow()
    starts = sum(a.stage is ApplicationStage.started for a in applications)
    assert 0 < starts <= 250
    assert _count(Outcome) >= starts

    before = {model: _count(model) for model in (Vacancy, Application, Outcome, StatusChange)}
    assert seed_vacancies(random.Random(1), completers, others) == [
        "Vacancies already present: none added"]
    assert {model: _count(model) for model in before} == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 61
