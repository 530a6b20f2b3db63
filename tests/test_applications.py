"""Applications: every stage rule, the completer route, feedback, starts and their outcomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.applications import services
from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.models import (
    AfcBand,
    ApplicationStage,
    EnrolmentStatus,
    Outcome,
    OutcomeKind,
    ParticipantStatus,
    StatusChange,
    VacancyStatus,
)
from recruit.models.base import utcnow
from tests import factories_vacancies as fv
from tests.factories_participants import ParticipantFactory

A = ApplicationStage
TODAY = date.today()
DAY = timedelta(days=1)


def _apply(participant=None, vacancy=None, on=TODAY - 20 * DAY):
    participant = participant or ParticipantFactory()
    vacancy = vacancy or fv.VacancyFactory()
    return services.create_application(participant, vacancy, on, actor=None)


def _move(application, to, on=TODAY - 5 * DAY, **data):
    return services.move_application(application, to, {"on": on, **data}, actor=None,
                                     trusted=True)


def _to_offer(application, completer: bool):
    _move(application, A.shortlisted, on=TODAY - 15 * DAY)
    if not completer:
        _move(application, A.interview, on=TODAY - 12 * DAY)
    _move(application, A.offered, on=TODAY - 10 * DAY)


def _history(application) -> list[tuple[str | None, str]]:
    return [(c.from_status, c.to_status)
            for c in services.history("application", application.id)]


# Creating an application ------------------------------------------------------------------------

def test_application_records_history_and_moves_participant_to_applied():
    participant = ParticipantFactory(status=ParticipantStatus.completed)
    application = _apply(participant)
    assert application.stage is A.applied
    assert _history(application) == [(None, "applied")]
    assert participant.status is ParticipantStatus.applied
    change = db.session.scalar(sa.select(StatusChange).where(
        StatusChange.subject_type == "participant", StatusChange.to_status == "applied"))
    assert change.changed_at.date() == TODAY - 20 * DAY
    # A second application leaves the participant's status and history alone.
    _apply(participant)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange).where(
        StatusChange.subject_type == "participant", StatusChange.to_status == "applied")) == 1


def test_application_by_withdrawn_participant_is_refused():
    participant = ParticipantFactory(status=ParticipantStatus.withdrawn, first_name="Saima",
                                     last_name="Begum")
    with pytest.raises(RecruitError, match="Saima Begum has withdrawn from the programme"):
        _apply(participant)


@pytest.mark.parametrize("status", [VacancyStatus.identified, VacancyStatus.closed,
                                    VacancyStatus.filled, VacancyStatus.withdrawn])
def test_application_to_a_vacancy_not_open_is_refused(status):
    vacancy = fv.VacancyFactory(title="Porter", status=status)
    with pytest.raises(RecruitError, match="Porter is not open for applications") as refused:
        _apply(vacancy=vacancy)
    assert status.value.lower() in refused.value.message


def test_duplicate_application_is_refused():
    participant, vacancy = ParticipantFactory(), fv.VacancyFactory()
    _apply(participant, vacancy)
    with pytest.raises(RecruitError, match="has already applied for this vacancy"):
        _apply(participant, vacancy)


def test_application_dates_must_fall_within_the_advert():
    vacancy = fv.VacancyFactory(opens_on=TODAY - 10 * DAY, closes_on=TODAY - 2 * DAY)
    with pytest.raises(RecruitError, match="on or after the opening date"):
        _apply(vacancy=vacancy, on=TODAY - 11 * DAY)
    with pytest.raises(RecruitError, match="on or before the closing date"):
        _apply(vacancy=vacancy, on=TODAY - DAY)
    with pytest.raises(RecruitError, match="must be today or in the past"):
        _apply(on=TODAY + DAY)


# The completer route ----------------------------------------------------------------------------

def test_completer_skips_the_interview_with_waiver_and_gcse_recorded():
    application = _apply(fv.completer())
    assert application.interview_waived is True
    assert application.waiver_recorded_at is not None
    assert application.gcse_equivalence_applied is True
    _move(application, A.shortlisted, on=TODAY - 15 * DAY)
    assert services.next_stages(application) == [A.offered, A.unsuccessful, A.withdrawn]
    with pytest.raises(RecruitError, match="formal interview is waived: record the offer"):
        _move(application, A.interview)
    _move(application, A.offered, on=TODAY - 10 * DAY)
    assert application.stage is A.offered
    assert application.offered_on == TODAY - 10 * DAY
    assert _history(application) == [(None, "applied"), ("applied", "shortlisted"),
                                      ("shortlisted", "offered")]
    offer = services.history("application", application.id)[-1]
    assert offer.reason == "Formal interview waived: programme completer"


def test_non_completer_must_be_interviewed():
    participant = ParticipantFactory()
    fv.EnrolmentFactory(participant=participant, status=EnrolmentStatus.enrolled,
                        completed_on=None)  # enrolled, not completed
    application = _apply(participant)
    assert application.interview_waived is False
    assert application.gcse_equivalence_applied is False
    _move(application, A.shortlisted, on=TODAY - 15 * DAY)
    assert services.next_stages(application) == [A.interview, A.unsuccessful, A.withdrawn]
    with pytest.raises(RecruitError, match="has not completed the programme, so the interview "
                                           "cannot be skipped"):
        _move(application, A.offered)
    _move(application, A.interview, on=TODAY - 12 * DAY)
    _move(application, A.offered, on=TODAY - 10 * DAY)
    assert application.stage is A.offered and application.interview_waived is False


def test_programme_settings_decide_waiver_and_gcse_separately():
    no_waiver = fv.ProgrammeFactory(waives_interview=False, counts_as_gcse_equivalent=True)
    application = _apply(fv.completer(no_waiver))
    assert application.interview_waived is False
    assert application.gcse_equivalence_applied is True
    no_gcse = fv.ProgrammeFactory(waives_interview=True, counts_as_gcse_equivalent=False)
    other = _apply(fv.completer(no_gcse))
    assert other.interview_waived is True
    assert other.gcse_equivalence_applied is False


def test_completing_after_applying_earns_the_waiver_at_shortlisting():
    participant = ParticipantFactory()
    enrolment = fv.EnrolmentFactory(participant=participant, status=EnrolmentStatus.enrolled,
                                    completed_on=None)
    application = _apply(participant)
    assert application.interview_waived is False
    enrolment.status, enrolment.completed_on = EnrolmentStatus.completed, TODAY - 16 * DAY
    _move(application, A.shortlisted, on=TODAY - 15 * DAY)
    assert application.interview_waived is True and application.gcse_equivalence_applied
    assert services.next_stages(application)[0] is A.offered


# Offers, checks and starts ----------------------------------------------------------------------

@pytest.mark.parametrize("stage", [A.applied, A.shortlisted, A.interview])
def test_start_without_an_offer_is_refused(stage):
    application = fv.ApplicationFactory(stage=stage)
    with pytest.raises(RecruitError, match="has not been offered this post: a start needs an "
                                           "offer"):
        _move(application, A.started)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0


def test_start_straight_from_offer_needs_pre_employment_checks():
    application = fv.ApplicationFactory(stage=A.offered)
    with pytest.raises(RecruitError, match="Record the pre-employment checks before the start"):
        _move(application, A.started)


def test_start_creates_an_entry_level_outcome_and_employs_the_participant():
    participant = fv.completer(status=ParticipantStatus.placed)
    vacancy = fv.VacancyFactory(title="Ward clerk", band=AfcBand.band_3)
    application = _apply(participant, vacancy)
    _to_offer(application, completer=True)
    _move(application, A.pre_employment_checks, on=TODAY - 8 * DAY)
    outcome = _move(application, A.started, on=TODAY - 2 * DAY)
    assert application.stage is A.started and application.started_on == TODAY - 2 * DAY
    assert outcome.kind is OutcomeKind.entry_level_role_at_anchor
    assert outcome.application_id == application.id
    assert (outcome.started_on, outcome.role_title, outcome.band) == (
        TODAY - 2 * DAY, "Ward clerk", AfcBand.band_3)
    assert participant.status is ParticipantStatus.employed
    statuses = [c.to_status for c in db.session.scalars(
        sa.select(StatusChange).where(StatusChange.subject_type == "participant",
                                      StatusChange.participant_id == participant.id)
        .order_by(StatusChange.id))]
    assert statuses[-2:] == ["applied", "employed"]
    assert services.next_stages(application) == []


@pytest.mark.parametrize("final", [A.started, A.unsuccessful, A.withdrawn])
def test_nothing_moves_after_a_final_stage(final):
    application = fv.ApplicationFactory(stage=final)
    for to in (A.shortlisted, A.offered, A.started, A.withdrawn, A.unsuccessful):
        with pytest.raises(RecruitError, match=f"is {final.value.lower()}, so it cannot move"):
            _move(application, to, feedback="x" * 30, feedback_given_on=TODAY, reason="x")


def test_stages_cannot_be_skipped_or_reversed():
    application = fv.ApplicationFactory(stage=A.applied)
    for to in (A.interview, A.offered, A.pre_employment_checks):
        with pytest.raises(RecruitError, match="is applied, so it cannot move"):
            _move(application, to)
    application.stage = A.offered
    with pytest.raises(RecruitError, match="is offered, so it cannot move to “shortlisted”"):
        _move(application, A.shortlisted)


def test_every_allowed_move_is_accepted():
    """Walk each row of the table from a fresh application at that stage."""
    for stage, targets in services.ALLOWED.items():
        for to in targets:
            if stage is None:
                continue
            completer = to is A.offered and stage is A.shortlisted
            participant = fv.completer() if completer else ParticipantFactory()
            application = fv.ApplicationFactory(participant=participant, stage=stage,
                                                interview_waived=completer,
                                                waiver_recorded_at=utcnow()
                                                if completer else None)
            if stage is A.shortlisted and to is A.interview:
                application.interview_waived, application.waiver_recorded_at = False, None
            _move(application, to, feedback="Strong values; practise examples of teamwork.",
                  feedback_given_on=TODAY, reason="Took a job nearer home")
            assert application.stage is to, (stage, to)


# Feedback and withdrawal ------------------------------------------------------------------------

def test_unsuccessful_needs_written_feedback_and_its_date():
    application = fv.ApplicationFactory(stage=A.interview)
    with pytest.raises(RecruitError, match="Write the feedback given to the applicant"):
        _move(application, A.unsuccessful)
    with pytest.raises(RecruitError, match="at least 20 characters"):
        _move(application, A.unsuccessful, feedback="No.", feedback_given_on=TODAY)
    with pytest.raises(RecruitError, match="Enter the date the feedback was given"):
        _move(application, A.unsuccessful, feedback="You interviewed well; apply again soon.")
    assert application.stage is A.interview
    _move(application, A.unsuccessful, feedback="You interviewed well; apply again soon.",
          feedback_given_on=TODAY - DAY)
    assert application.stage is A.unsuccessful
    assert application.feedback == "You interviewed well; apply again soon."
    assert application.feedback_given_on == TODAY - DAY


def test_withdrawal_needs_a_reason():
    application = fv.ApplicationFactory(stage=A.shortlisted)
    with pytest.raises(RecruitError, match="Enter the reason the application was withdrawn"):
        _move(application, A.withdrawn, reason="  ")
    _move(application, A.withdrawn, reason="Accepted a job nearer home")
    assert application.withdrawn_reason == "Accepted a job nearer home"
    assert services.history("application", application.id)[-1].reason == \
        "Accepted a job nearer home"


def test_change_dates_cannot_go_backwards_or_into_the_future():
    application = _apply(on=TODAY - 20 * DAY)
    with pytest.raises(RecruitError, match="on or after the date of the last one"):
        _move(application, A.shortlisted, on=TODAY - 21 * DAY)
    with pytest.raises(RecruitError, match="must be today or in the past"):
        _move(application, A.shortlisted, on=TODAY + DAY)
    _move(application, A.shortlisted, on=TODAY - 15 * DAY)
    with pytest.raises(RecruitError, match="on or after the date of the last one"):
        _move(application, A.interview, on=TODAY - 16 * DAY)


def test_refusal_explains_without_changing_anything():
    application = fv.ApplicationFactory(stage=A.applied)
    assert "start needs an offer" in services.refusal(application, A.started)
    assert services.refusal(application, A.shortlisted) is None
    assert application.stage is A.applied


def test_every_application_stage_has_a_row_in_the_table():
    assert set(services.ALLOWED) == {None, *A}
