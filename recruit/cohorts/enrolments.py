"""Enrolling participants in cohorts and withdrawing them, with the capacity rule.

A cohort takes as many people as its capacity; an admin may enrol beyond it by writing down why
(the reason and who gave it are kept on the cohort). A participant holds one open enrolment at a
time, and someone who withdrew from the programme or has already completed it is refused.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from recruit import audit
from recruit.cohorts.services import (
    ENROLMENT_ALLOWED,
    OPEN_STATUSES,
    places_taken,
    refuse_unless_open,
    release,
)
from recruit.concurrency import check_version
from recruit.errors import RecruitError, ValidationFailed
from recruit.extensions import db
from recruit.journey.history import transition
from recruit.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Participant,
    ParticipantStatus,
    Role,
    User,
)
from recruit.models.base import utcnow

# Participants at these stages have finished the programme: they are not enrolled again.
BEYOND_COMPLETION = {
    ParticipantStatus.completed, ParticipantStatus.placed, ParticipantStatus.applied,
    ParticipantStatus.employed, ParticipantStatus.other_outcome,
}


def current_enrolment(participant: Participant) -> Enrolment | None:
    """The participant's enrolment that is neither completed nor withdrawn, if any."""
    return db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.participant_id == participant.id,
            Enrolment.status == EnrolmentStatus.enrolled,
        ).order_by(Enrolment.enrolled_on.desc()).limit(1)
    )


def candidates() -> sa.Select:
    """Participants who may be enrolled: registered, not anonymised, not enrolled anywhere."""
    return (
        sa.select(Participant)
        .where(Participant.status == ParticipantStatus.registered,
               Participant.is_anonymised.is_(False),
               ~Participant.enrolments.any(Enrolment.status == EnrolmentStatus.enrolled))
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    )


def _refuse_participant(cohort: Cohort, participant: Participant) -> None:
    name = participant.display_name
    if participant.is_anonymised:
        raise RecruitError("This participant's record has been anonymised", "participant_id")
    if participant.status is ParticipantStatus.withdrawn:
        raise RecruitError(f"{name} has withdrawn from the programme, so they cannot be enrolled",
                           "participant_id")
    here = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.participant_id == participant.id,
                                   Enrolment.cohort_id == cohort.id)
    )
    if here is not None:
        if here.status is EnrolmentStatus.withdrawn:
            raise RecruitError(f"{name} withdrew from {cohort.name} and cannot rejoin it",
                               "participant_id")
        raise RecruitError(f"{name} is already enrolled in {cohort.name}", "participant_id")
    elsewhere = current_enrolment(participant)
    if elsewhere is not None and elsewhere.cohort.status in OPEN_STATUSES:
        raise RecruitError(f"{name} is already enrolled in {elsewhere.cohort.name}",
                           "participant_id")
    if elsewhere is not None:
        raise RecruitError(
            f"{name} is still enrolled in {elsewhere.cohort.name}, which has finished: confirm "
            "their completion or withdraw them from it first", "participant_id",
        )
    if participant.status in BEYOND_COMPLETION:
        raise RecruitError(f"{name} has already completed the programme", "participant_id")


def _check_capacity(cohort: Cohort, actor: User | None, override_reason: str | None) -> str | None:
    """Refuse a place beyond capacity unless an admin gives a reason; return the reason used."""
    # Hold the cohort's row so that two people enrolling at once cannot both take the last place
    # (PostgreSQL; SQLite serialises writers anyway).
    db.session.execute(sa.select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    taken = places_taken(cohort)
    if taken < cohort.capacity:
        return None
    full = f"{cohort.name} is full: {taken} of {cohort.capacity} places are taken."
    if actor is None or actor.role is not Role.admin:
        raise RecruitError(f"{full} Only an admin can enrol someone beyond the capacity.",
                           "participant_id")
    if not override_reason:
        raise ValidationFailed(
            f"{full} Enter the reason for enrolling beyond the capacity.", "override_reason"
        )
    return override_reason


def enrol(
    cohort: Cohort,
    participant: Participant,
    actor: User | None,
    *,
    enrolled_on: date | None = None,
    override_reason: str | None = None,
    at: datetime | None = None,
) -> Enrolment:
    """Enrol ``participant`` in ``cohort``, moving them to "enrolled".

    :param override_reason: an admin's reason for enrolling beyond capacity; kept on the cohort.
    :param at: when it happened (default now), for back-dated entries.
    :raises RecruitError: the cohort is finished or full, or the participant cannot join it.
    """
    refuse_unless_open(cohort, "no one can be enrolled in it")
    _refuse_participant(cohort, participant)
    enrolled_on = enrolled_on or (at.date() if at else date.today())
    if at is None and enrolled_on > date.today():
        raise ValidationFailed("The enrolment date must be today or in the past", "enrolled_on")
    if enrolled_on > cohort.ends_on:
        raise ValidationFailed("The enrolment date must be on or before the cohort's end date",
                               "enrolled_on")
    override = _check_capacity(cohort, actor, (override_reason or "").strip() or None)
    if override:
        stamp = f"{enrolled_on.isoformat()}, enrolling {participant.display_name}: {override}"
        cohort.capacity_override_reason = "\n".join(
            filter(None, [cohort.capacity_override_reason, stamp])
        )
        cohort.capacity_overridden_by_id = actor.id
    enrolment = Enrolment(
        participant=participant, cohort=cohort, enrolled_on=enrolled_on,
        eligible_at_enrolment=bool(participant.eligible),
    )
    db.session.add(enrolment)
    transition(enrolment, EnrolmentStatus.enrolled, actor=actor, at=at,
               allowed=ENROLMENT_ALLOWED, what="This enrolment")
    if participant.status is not ParticipantStatus.enrolled:
        transition(participant, ParticipantStatus.enrolled, actor=actor, at=at,
                   reason=f"Enrolled in {cohort.name}")
    participant.last_activity_at = at or utcnow()
    db.session.flush()
    audit.record("enrol", enrolment, actor=actor,
                 detail="beyond capacity" if override else None)
    return enrolment


def withdraw(
    enrolment: Enrolment,
    actor: User | None,
    reason: str | None,
    *,
    leaves_programme: bool = False,
    withdrawn_on: date | None = None,
    version: int | str | None = None,
) -> None:
    """Withdraw an enrolment with a reason; optionally the participant leaves the programme.

    :raises ValidationFailed: no reason given, or the date is before the enrolment.
    """
    if version is not None:
        check_version(enrolment, version, "enrolment")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Enter the reason for the withdrawal", "reason")
    if withdrawn_on is not None and withdrawn_on > date.today():
        raise ValidationFailed("The withdrawal date must be today or in the past", "withdrawn_on")
    release(enrolment, actor, reason, leaves_programme=leaves_programme, on=withdrawn_on)
    enrolment.participant.last_activity_at = utcnow()
    db.session.flush()
    audit.record("withdraw", enrolment, actor=actor)
