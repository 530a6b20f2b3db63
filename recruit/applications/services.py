"""Applications: recording one, moving it through the stages, the completer route, the history.

The programme changes recruitment for its completers (DOMAIN.md §1, point 5): a completer skips
the formal interview and the programme counts as the GCSE minimum. Both are decided here from the
participant's completed enrolments and recorded on the application, so that they can be seen
and reported (WRES indicator 2 is reported with and without the programme route).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.journey.history import TransitionRefused, check_transition, transition
from recruit.models import (
    Application,
    ApplicationStage,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    Programme,
    StatusChange,
    User,
    Vacancy,
    VacancyStatus,
)
from recruit.models.base import utcnow
from recruit.vacancies.services import moment

A = ApplicationStage
FINAL = frozenset({A.started, A.unsuccessful, A.withdrawn})
# Unsuccessful or withdrawn from any stage that is not final; otherwise one step at a time.
# The shortlisted row lists both interview and offered: which one a given application may take
# depends on the completer waiver (see :func:`next_stages`).
ALLOWED: dict[ApplicationStage | None, set[ApplicationStage]] = {
    None: {A.applied},
    A.applied: {A.shortlisted, A.unsuccessful, A.withdrawn},
    A.shortlisted: {A.interview, A.offered, A.unsuccessful, A.withdrawn},
    A.interview: {A.offered, A.unsuccessful, A.withdrawn},
    A.offered: {A.pre_employment_checks, A.unsuccessful, A.withdrawn},
    A.pre_employment_checks: {A.started, A.unsuccessful, A.withdrawn},
    A.started: set(),
    A.unsuccessful: set(),
    A.withdrawn: set(),
}
# Participants who have not yet applied move to "applied" with their first application.
BEFORE_APPLYING = frozenset({ParticipantStatus.registered, ParticipantStatus.enrolled,
                             ParticipantStatus.completed, ParticipantStatus.placed})
MIN_FEEDBACK = 20
WHAT = "This application"


def filtered(filters: dict) -> sa.Select:
    """Applications (participant and vacancy loaded with them), narrowed by the list filters."""
    stmt = sa.select(Application).options(sa.orm.joinedload(Application.participant),
                                          sa.orm.joinedload(Application.vacancy))
    if filters.get("stage"):
        stmt = stmt.where(Application.stage == filters["stage"])
    if filters.get("vacancy_id"):
        stmt = stmt.where(Application.vacancy_id == filters["vacancy_id"])
    if filters.get("waived") in ("yes", "no"):
        stmt = stmt.where(Application.interview_waived.is_(filters["waived"] == "yes"))
    return stmt.order_by(Application.applied_on.desc(), Application.id.desc())


def completed_programmes(participant: Participant) -> list[Programme]:
    """The programmes the participant has completed (a completed enrolment in a cohort)."""
    return list(db.session.scalars(
        sa.select(Programme).join(Cohort, Cohort.programme_id == Programme.id)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.participant_id == participant.id,
               Enrolment.status == EnrolmentStatus.completed)
        .distinct().order_by(Programme.name)
    ))


def apply_completer_route(application: Application, participant: Participant, at) -> None:
    """Record the interview waiver and GCSE equivalence a completer has earned.

    Called when the application is made and again at shortlisting, so that someone who completes
    the programme after applying still gets the route. Never undone once recorded.
    """
    programmes = completed_programmes(participant)
    if any(p.waives_interview for p in programmes) and not application.interview_waived:
        application.interview_waived = True
        application.waiver_recorded_at = at
    if any(p.counts_as_gcse_equivalent for p in programmes):
        application.gcse_equivalence_applied = True


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _check_day(day: date | None, field: str, what: str) -> date:
    if day is None:
        raise ValidationFailed(f"Enter {what}", field)
    if day > utcnow().date():
        raise ValidationFailed(f"{what[0].upper()}{what[1:]} must be today or in the past", field)
    return day


def create_application(participant: Participant, vacancy: Vacancy, applied_on: date | None,
                       actor: User | None) -> Application:
    """Record a participant's application to an open vacancy.

    Refused when the participant has withdrawn, the vacancy is not open, the date is outside the
    advert, or the participant has already applied for it.
    """
    applied_on = _check_day(applied_on, "applied_on", "the date of the application")
    if participant.status is ParticipantStatus.withdrawn or participant.is_anonymised:
        raise ValidationFailed(f"{participant.display_name} has withdrawn from the programme, so "
                               "an application cannot be recorded for them", "participant_id")
    if vacancy.status is not VacancyStatus.open:
        raise ValidationFailed(f"{vacancy.title} is not open for applications (it is "
                               f"{vacancy.status.value.lower()})", "vacancy_id")
    if vacancy.opens_on and applied_on < vacancy.opens_on:
        raise ValidationFailed("The date of the application must be on or after the opening "
                               f"date, {vacancy.opens_on:%-d %B %Y}", "applied_on")
    if vacancy.closes_on and applied_on > vacancy.closes_on:
        raise ValidationFailed("The date of the application must be on or before the closing "
                               f"date, {vacancy.closes_on:%-d %B %Y}", "applied_on")
    existing = db.session.scalar(sa.select(Application).where(
        Application.participant_id == participant.id, Application.vacancy_id == vacancy.id))
    if existing is not None:
        raise ValidationFailed(f"{participant.display_name} has already applied for this "
                               f"vacancy (stage: {existing.stage.value.lower()})", "vacancy_id")
    at = moment(applied_on)
    application = Application(participant=participant, vacancy=vacancy, applied_on=applied_on)
    db.session.add(application)
    # The history row first: any query before it would flush the row with its default stage.
    transition(application, A.applied, actor=actor, at=at, allowed=ALLOWED, what=WHAT)
    apply_completer_route(application, participant, at)
    if participant.status in BEFORE_APPLYING:
        transition(participant, ParticipantStatus.applied, actor=actor, at=at,
                   reason=f"Applied for {vacancy.title}")
    participant.last_activity_at = utcnow()
    db.session.flush()
    audit.record("create", application, actor=actor)
    return application


def next_stages(application: Application) -> list[ApplicationStage]:
    """The moves that make sense for this application now, in journey order.

    From shortlisted, a completer goes straight to an offer (the interview is waived); anyone
    else goes to interview.
    """
    allowed = set(ALLOWED.get(application.stage, set()))
    if application.stage is A.shortlisted:
        allowed.discard(A.interview if application.interview_waived else A.offered)
    return [stage for stage in ApplicationStage if stage in allowed]


def history(subject_type: str, subject_id: int) -> list[StatusChange]:
    """The dated status changes of one record, oldest first, with who made them."""
    return list(db.session.scalars(
        sa.select(StatusChange)
        .where(StatusChange.subject_type == subject_type, StatusChange.subject_id == subject_id)
        .options(sa.orm.selectinload(StatusChange.changed_by))
        .order_by(StatusChange.changed_at, StatusChange.id)
    ))


def _last_change_on(application: Application) -> date:
    last = db.session.scalar(
        sa.select(sa.func.max(StatusChange.changed_at))
        .where(StatusChange.subject_type == "application",
               StatusChange.subject_id == application.id)
    )
    return application.applied_on if last is None else last.date()


def _refuse_skips(application: Application, to: ApplicationStage) -> None:
    """Explain the refusals people meet most, in words that say what to do instead."""
    name = application.participant.display_name
    current = application.stage
    if to is A.started and current is not A.pre_employment_checks and current not in FINAL:
        if current is A.offered:
            raise TransitionRefused("Record the pre-employment checks before the start: a start "
                                    "follows an offer and completed checks", "stage")
        raise TransitionRefused(f"{name} has not been offered this post: a start needs an offer "
                                "and pre-employment checks first", "stage")
    if current is A.shortlisted and to is A.offered and not application.interview_waived:
        raise TransitionRefused(f"{name} has not completed the programme, so the interview "
                                "cannot be skipped: record the interview first", "stage")
    if current is A.shortlisted and to is A.interview and application.interview_waived:
        raise TransitionRefused(f"{name} completed the programme, so the formal interview is "
                                "waived: record the offer instead", "stage")


def refusal(application: Application, to: ApplicationStage) -> str | None:
    """Why ``to`` is not a move this application can make now, or ``None`` if it can."""
    try:
        _refuse_skips(application, to)
        check_transition(ALLOWED, application.stage, to, WHAT)
    except TransitionRefused as exc:
        return exc.message
    return None


def move_application(application: Application, to: ApplicationStage, data: dict,
                     actor: User | None, *, trusted: bool = False) -> Outcome | None:
    """Move an application to its next stage and keep the dated history.

    ``data`` carries ``on`` (the day it happened), ``version`` (the version the user saw),
    ``feedback`` and ``feedback_given_on`` (required to close as unsuccessful) and ``reason``
    (required to withdraw).

    :param trusted: skip the version check (seeding and commands, not forms).
    :returns: the outcome a start creates, otherwise ``None``.
    """
    if not trusted:
        check_version(application, data.get("version"), "application")
    day = _check_day(data.get("on"), "on", "the date of this change")
    if day < _last_change_on(application):
        raise ValidationFailed("The date of this change must be on or after the date of the "
                               f"last one, {_last_change_on(application):%-d %B %Y}", "on")
    participant = application.participant
    at = moment(day)
    if to is A.shortlisted:
        apply_completer_route(application, participant, at)
    _refuse_skips(application, to)
    reason = None
    if to is A.unsuccessful:
        feedback = _clean(data.get("feedback"))
        if feedback is None or len(feedback) < MIN_FEEDBACK:
            raise ValidationFailed("Write the feedback given to the applicant (at least "
                                   f"{MIN_FEEDBACK} characters): every unsuccessful applicant "
                                   "gets written feedback", "feedback")
        given_on = _check_day(data.get("feedback_given_on"), "feedback_given_on",
                              "the date the feedback was given")
        if given_on < application.applied_on:
            raise ValidationFailed("The feedback must be given on or after the date of the "
                                   "application", "feedback_given_on")
        application.feedback, application.feedback_given_on = feedback, given_on
    elif to is A.withdrawn:
        reason = _clean(data.get("reason"))
        if reason is None:
            raise ValidationFailed("Enter the reason the application was withdrawn", "reason")
        application.withdrawn_reason = reason
    elif to is A.offered:
        application.offered_on = day
        if application.interview_waived:
            reason = "Formal interview waived: programme completer"
    transition(application, to, actor=actor, at=at, allowed=ALLOWED, what=WHAT, reason=reason)
    outcome = None
    if to is A.started:
        application.started_on = day
        outcome = _record_start(application, participant, day, actor, at)
    participant.last_activity_at = utcnow()
    db.session.flush()
    audit.record("stage", application, actor=actor, detail=f"to {to.name}")
    return outcome


def _record_start(application, participant, day, actor, at) -> Outcome:
    """A start is an outcome: an entry-level role at the anchor, and the participant employed."""
    vacancy = application.vacancy
    outcome = Outcome(
        participant=participant, application=application,
        kind=OutcomeKind.entry_level_role_at_anchor, started_on=day,
        employer=current_app.config["ORGANISATION_NAME"], role_title=vacancy.title,
        band=vacancy.band,
    )
    db.session.add(outcome)
    if participant.status is not ParticipantStatus.employed:
        transition(participant, ParticipantStatus.employed, actor=actor, at=at,
                   reason=f"Started as {vacancy.title}")
    db.session.flush()
    audit.record("create", outcome, actor=actor)
    return outcome


def update_application(application: Application, data: dict, actor: User | None) -> None:
    """Correct the date of the application or the feedback given, refusing a stale save."""
    check_version(application, data.get("version"), "application")
    applied_on = _check_day(data.get("applied_on"), "applied_on", "the date of the application")
    later = [c for c in history("application", application.id) if c.from_status is not None]
    if later and applied_on > later[0].changed_at.date():
        raise ValidationFailed("The date of the application must be on or before the date it "
                               f"was {ApplicationStage[later[0].to_status].value.lower()}, "
                               f"{later[0].changed_at:%-d %B %Y}", "applied_on")
    application.applied_on = applied_on
    if application.stage is A.unsuccessful:
        feedback = _clean(data.get("feedback"))
        if feedback is None or len(feedback) < MIN_FEEDBACK:
            raise ValidationFailed("Write the feedback given to the applicant (at least "
                                   f"{MIN_FEEDBACK} characters)", "feedback")
        given_on = _check_day(data.get("feedback_given_on"), "feedback_given_on",
                              "the date the feedback was given")
        application.feedback, application.feedback_given_on = feedback, given_on
    db.session.flush()
    audit.record("update", application, actor=actor)
