"""Programmes and cohorts: who may see which, creating, editing, status and the capacity rule.

Isolation lives here in one place: :func:`visible_cohorts` is the only way views reach cohorts, so
a partner user sees only the cohorts its organisation hosts or has participants enrolled in, and
:func:`get_cohort_or_404` answers 404 for any other.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import contains_eager, selectinload

from recruit import audit
from recruit.auth.access import STAFF
from recruit.concurrency import check_version
from recruit.errors import RecruitError, ValidationFailed
from recruit.extensions import db
from recruit.journey.history import check_transition, transition
from recruit.models import (
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Participant,
    ParticipantStatus,
    PartnerOrganisation,
    Programme,
    Role,
    User,
    Ward,
)

# Cohorts run with 8 to 10 people (DOMAIN.md §1); fewer is worth a warning, not a refusal.
MIN_COHORT_SIZE = 8
DEFAULT_CAPACITY = 10
MAX_CAPACITY = 30

COHORT_ALLOWED: dict[CohortStatus | None, set[CohortStatus]] = {
    None: {CohortStatus.planned},
    CohortStatus.planned: {CohortStatus.recruiting, CohortStatus.cancelled},
    CohortStatus.recruiting: {CohortStatus.running, CohortStatus.cancelled},
    CohortStatus.running: {CohortStatus.completed, CohortStatus.cancelled},
}
# A cohort in one of these may still take enrolments.
OPEN_STATUSES = (CohortStatus.planned, CohortStatus.recruiting, CohortStatus.running)
# Enrolments that hold a place: a withdrawal frees it.
PLACE_HOLDING = (EnrolmentStatus.enrolled, EnrolmentStatus.completed)


# -- who may see what ------------------------------------------------------------------------

def visible_cohorts(user: User) -> sa.Select:
    """Select the cohorts ``user`` may see, as a statement to filter further.

    Staff see every cohort; a partner user those its organisation hosts or has a participant
    (not withdrawn) enrolled in; everyone else none.
    """
    stmt = sa.select(Cohort)
    if user.role in STAFF:
        return stmt
    if user.role is Role.partner and user.partner_id is not None:
        has_their_participant = (
            sa.select(Enrolment.id)
            .join(Enrolment.participant)
            .where(
                Enrolment.cohort_id == Cohort.id,
                Enrolment.status != EnrolmentStatus.withdrawn,
                Participant.referring_partner_id == user.partner_id,
            )
            .exists()
        )
        return stmt.where(sa.or_(Cohort.host_partner_id == user.partner_id, has_their_participant))
    return stmt.where(sa.false())


def get_cohort_or_404(cohort_id: int, user: User) -> Cohort:
    """One cohort the user may see; any other is a 404, not a 403."""
    cohort = db.session.scalar(visible_cohorts(user).where(Cohort.id == cohort_id))
    if cohort is None:
        abort(404)
    return cohort


def filtered(user: User, filters: dict) -> sa.Select:
    """Narrow the user's visible cohorts by the list filters.

    The date range keeps cohorts that run at any time within it (they overlap the range).
    """
    stmt = visible_cohorts(user)
    if filters.get("status"):
        stmt = stmt.where(Cohort.status == filters["status"])
    if filters.get("programme_id"):
        stmt = stmt.where(Cohort.programme_id == filters["programme_id"])
    if filters.get("host_partner_id"):
        stmt = stmt.where(Cohort.host_partner_id == filters["host_partner_id"])
    if filters.get("ward_id"):
        stmt = stmt.where(Cohort.ward_id == filters["ward_id"])
    if filters.get("date_from"):
        stmt = stmt.where(Cohort.ends_on >= filters["date_from"])
    if filters.get("date_to"):
        stmt = stmt.where(Cohort.starts_on <= filters["date_to"])
    return stmt


def with_related(stmt: sa.Select) -> sa.Select:
    """Newest first, with programme, host and ward loaded for a page in a few queries."""
    return stmt.order_by(Cohort.starts_on.desc(), Cohort.id.desc()).options(
        selectinload(Cohort.programme),
        selectinload(Cohort.host_partner),
        selectinload(Cohort.ward),
    )


def enrolment_counts(cohort_ids: list[int]) -> dict[int, dict[EnrolmentStatus, int]]:
    """Enrolments per cohort and status, for a page of cohorts in one query."""
    counts: dict[int, dict[EnrolmentStatus, int]] = {
        cohort_id: dict.fromkeys(EnrolmentStatus, 0) for cohort_id in cohort_ids
    }
    if not cohort_ids:
        return counts
    rows = db.session.execute(
        sa.select(Enrolment.cohort_id, Enrolment.status, sa.func.count())
        .where(Enrolment.cohort_id.in_(cohort_ids))
        .group_by(Enrolment.cohort_id, Enrolment.status)
    )
    for cohort_id, status, count in rows:
        counts[cohort_id][status] = count
    return counts


def partner_enrolments(cohort: Cohort, partner_id: int) -> list[Enrolment]:
    """The partner's own participants holding a place in ``cohort``, by name."""
    return list(db.session.scalars(
        sa.select(Enrolment).join(Enrolment.participant)
        .where(Enrolment.cohort_id == cohort.id,
               Enrolment.status != EnrolmentStatus.withdrawn,
               Participant.referring_partner_id == partner_id)
        .order_by(Participant.last_name, Participant.first_name)
        .options(contains_eager(Enrolment.participant))
    ))


def places_taken(cohort: Cohort) -> int:
    """People holding a place: enrolled or completed, not withdrawn."""
    return db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).where(
            Enrolment.cohort_id == cohort.id, Enrolment.status.in_(PLACE_HOLDING)
        )
    ) or 0


def size_warnings(cohort: Cohort, taken: int) -> list[str]:
    """What is wrong with the cohort's size: below 8 while it can still fill, or over capacity."""
    warnings = []
    if cohort.status in OPEN_STATUSES and taken < MIN_COHORT_SIZE:
        warnings.append(
            f"Only {taken} {'person holds' if taken == 1 else 'people hold'} a place: cohorts "
            f"should have at least {MIN_COHORT_SIZE} people."
        )
    if taken > cohort.capacity:
        warnings.append(
            f"{taken} people hold a place, more than the capacity of {cohort.capacity}."
        )
    return warnings


# -- programmes ------------------------------------------------------------------------------

PROGRAMME_FIELDS = ("curriculum", "counts_as_gcse_equivalent", "waives_interview", "is_active")


def _apply_programme(programme: Programme, data: dict) -> None:
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationFailed("Enter the programme's name", "name")
    clash = db.session.scalar(
        sa.select(Programme.id).where(
            sa.func.lower(Programme.name) == name.lower(), Programme.id != (programme.id or 0)
        )
    )
    if clash:
        raise ValidationFailed(f"A programme called {name} already exists", "name")
    programme.name = name
    programme.curriculum = (data.get("curriculum") or "").strip() or None
    for field in PROGRAMME_FIELDS[1:]:
        setattr(programme, field, bool(data.get(field)))


def create_programme(data: dict, actor: User) -> Programme:
    """Create a programme from validated form data."""
    programme = Programme()
    _apply_programme(programme, data)
    db.session.add(programme)
    db.session.flush()
    audit.record("create", programme, actor=actor)
    return programme


def update_programme(programme: Programme, data: dict, actor: User) -> None:
    """Update a programme, refusing a save made from a stale copy."""
    check_version(programme, data.get("version"), "programme")
    _apply_programme(programme, data)
    db.session.flush()
    audit.record("update", programme, actor=actor)


# -- cohorts ---------------------------------------------------------------------------------

def _check_cohort(cohort: Cohort, data: dict) -> None:
    """Check the rules a form cannot: references exist, names are unique, dates and sessions fit."""
    programme = db.session.get(Programme, data.get("programme_id") or 0)
    if programme is None:
        raise ValidationFailed("Choose a programme from the list", "programme_id")
    if not programme.is_active and programme.id != cohort.programme_id:
        raise ValidationFailed(f"{programme.name} is no longer running: choose another programme",
                               "programme_id")
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationFailed("Enter the cohort's name", "name")
    clash = db.session.scalar(
        sa.select(Cohort.id).where(
            Cohort.programme_id == programme.id,
            sa.func.lower(Cohort.name) == name.lower(),
            Cohort.id != (cohort.id or 0),
        )
    )
    if clash:
        raise ValidationFailed(f"{programme.name} already has a cohort called {name}", "name")
    if data.get("host_partner_id") and db.session.get(
        PartnerOrganisation, data["host_partner_id"]
    ) is None:
        raise ValidationFailed("Choose a host partner from the list", "host_partner_id")
    if data.get("ward_id") and db.session.get(Ward, data["ward_id"]) is None:
        raise ValidationFailed("Choose a ward from the list", "ward_id")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        raise ValidationFailed("Enter the date the cohort starts", "starts_on")
    if ends_on is None:
        raise ValidationFailed("Enter the date the cohort ends", "ends_on")
    if ends_on < starts_on:
        raise ValidationFailed("The end date must be the same as or after the start date",
                               "ends_on")
    capacity = data.get("capacity")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(f"The capacity must be between 1 and {MAX_CAPACITY}", "capacity")
    if cohort.id is not None:
        taken = places_taken(cohort)
        if capacity < taken and capacity != cohort.capacity:
            raise ValidationFailed(
                f"{taken} people already hold a place: the capacity cannot be less than that",
                "capacity",
            )
        outside = [s for s in cohort.sessions if not starts_on <= s.held_on <= ends_on]
        if outside:
            raise ValidationFailed(
                f"The session on {long_date(outside[0].held_on)} would fall outside these dates: "
                "move or remove it first", "starts_on",
            )


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _apply_cohort(cohort: Cohort, data: dict) -> None:
    _check_cohort(cohort, data)
    cohort.programme_id = data["programme_id"]
    cohort.name = data["name"].strip()
    cohort.host_partner_id = data.get("host_partner_id")
    cohort.venue = (data.get("venue") or "").strip() or None
    cohort.ward_id = data.get("ward_id")
    cohort.starts_on = data["starts_on"]
    cohort.ends_on = data["ends_on"]
    cohort.capacity = data["capacity"]


def create_cohort(data: dict, actor: User, *, at: datetime | None = None) -> Cohort:
    """Create a planned cohort from validated form data, recording its first status."""
    cohort = Cohort()
    _apply_cohort(cohort, data)
    db.session.add(cohort)
    transition(cohort, CohortStatus.planned, actor=actor, at=at, allowed=COHORT_ALLOWED,
               what="This cohort")
    db.session.flush()
    audit.record("create", cohort, actor=actor)
    return cohort


def update_cohort(cohort: Cohort, data: dict, actor: User) -> None:
    """Update a cohort's details, refusing a save made from a stale copy."""
    check_version(cohort, data.get("version"), "cohort")
    _apply_cohort(cohort, data)
    db.session.flush()
    audit.record("update", cohort, actor=actor)


def next_statuses(cohort: Cohort) -> list[CohortStatus]:
    """The statuses the cohort may move to now, in journey order."""
    allowed = COHORT_ALLOWED.get(cohort.status, set())
    return [status for status in CohortStatus if status in allowed]


def change_status(
    cohort: Cohort,
    to_status: CohortStatus,
    actor: User | None,
    *,
    reason: str | None = None,
    version: int | str | None = None,
    at: datetime | None = None,
) -> None:
    """Move the cohort along planned → recruiting → running → completed, or cancel it.

    Cancelling needs a reason and releases everyone still enrolled: their enrolment is withdrawn
    with that reason and they go back to waiting for a cohort.
    """
    if version is not None:
        check_version(cohort, version, "cohort")
    reason = (reason or "").strip() or None
    check_transition(COHORT_ALLOWED, cohort.status, to_status, cohort.name)
    if to_status is CohortStatus.cancelled and not reason:
        raise ValidationFailed("Enter the reason for cancelling the cohort", "reason")
    transition(cohort, to_status, actor=actor, reason=reason, at=at, allowed=COHORT_ALLOWED,
               what=cohort.name)
    if to_status is CohortStatus.cancelled:
        for enrolment in cohort.enrolments:
            if enrolment.status is EnrolmentStatus.enrolled:
                release(enrolment, actor, f"The cohort was cancelled: {reason}", at=at)
    db.session.flush()
    audit.record("status", cohort, actor=actor, detail=to_status.name)


ENROLMENT_ALLOWED: dict[EnrolmentStatus | None, set[EnrolmentStatus]] = {
    None: {EnrolmentStatus.enrolled},
    EnrolmentStatus.enrolled: {EnrolmentStatus.completed, EnrolmentStatus.withdrawn},
}


def release(
    enrolment: Enrolment,
    actor: User | None,
    reason: str,
    *,
    leaves_programme: bool = False,
    on: date | None = None,
    at: datetime | None = None,
) -> None:
    """Withdraw an enrolment; the participant leaves the programme or waits for another cohort.

    :param leaves_programme: the participant is withdrawing from the programme altogether.
    :param on: the date of the withdrawal (default: the day of ``at``, or today).
    """
    on = on or (at.date() if at else date.today())
    if on < enrolment.enrolled_on:
        raise ValidationFailed(
            f"The withdrawal date must be on or after the enrolment on "
            f"{long_date(enrolment.enrolled_on)}", "withdrawn_on",
        )
    transition(enrolment, EnrolmentStatus.withdrawn, actor=actor, reason=reason, at=at,
               allowed=ENROLMENT_ALLOWED, what="This enrolment")
    enrolment.withdrawn_on = on
    enrolment.withdrawal_reason = reason
    participant = enrolment.participant
    if leaves_programme and participant.status is not ParticipantStatus.withdrawn:
        transition(participant, ParticipantStatus.withdrawn, actor=actor, reason=reason, at=at)
        participant.withdrawn_reason = reason
    elif participant.status is ParticipantStatus.enrolled:
        # Back to waiting for a cohort: they may be enrolled in another one.
        transition(participant, ParticipantStatus.registered, actor=actor,
                   reason=f"Left {enrolment.cohort.name}: {reason}", at=at)


def refuse_unless_open(cohort: Cohort, doing: str) -> None:
    """Refuse ``doing`` in a cohort that is completed or cancelled."""
    if cohort.status not in OPEN_STATUSES:
        raise RecruitError(
            f"{cohort.name} is {cohort.status.value.lower()}, so {doing}", "participant_id"
        )


def participant_is_active(participant: Participant) -> bool:
    return participant.status is not ParticipantStatus.withdrawn and not participant.is_anonymised
