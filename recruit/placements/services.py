"""Work experience placements: the two weeks every completer is guaranteed (DOMAIN.md §1, §3).

A placement is created only for someone who has completed a cohort; it ends ten working days
after it starts unless told otherwise (weekends skipped; bank holidays are not known to the app,
so a coordinator adjusts the end date in a week that has one). The guarantee is met by an *offer*
within ``PLACEMENT_GUARANTEE_WEEKS`` of completion; :func:`waiting` lists completers still
without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import selectinload

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import RecruitError, ValidationFailed
from recruit.extensions import db
from recruit.journey.history import check_transition, transition
from recruit.models import (
    Enrolment,
    EnrolmentStatus,
    Participant,
    ParticipantStatus,
    Placement,
    PlacementStatus,
    User,
)
from recruit.models.base import utcnow

WORKING_DAYS = 10
DEFAULT_GUARANTEE_WEEKS = 8

PLACEMENT_ALLOWED: dict[PlacementStatus | None, set[PlacementStatus]] = {
    None: {PlacementStatus.offered},
    PlacementStatus.offered: {PlacementStatus.scheduled, PlacementStatus.declined},
    PlacementStatus.scheduled: {
        PlacementStatus.in_progress, PlacementStatus.declined, PlacementStatus.did_not_start,
    },
    PlacementStatus.in_progress: {PlacementStatus.completed},
}
OPEN_STATUSES = (PlacementStatus.offered, PlacementStatus.scheduled, PlacementStatus.in_progress)
# Moves that end a placement without it happening: say why.
NEEDS_REASON = {PlacementStatus.declined, PlacementStatus.did_not_start}
# Still owed a placement if they have none: completers who have not left or found work.
OWED = (ParticipantStatus.completed, ParticipantStatus.applied)


def ten_working_days_end(starts_on: date, working_days: int = WORKING_DAYS) -> date:
    """The last day of a placement of ``working_days`` working days, counting the first day.

    Weekends are skipped: Monday 3 June 2024 → Friday 14 June 2024. A start on a weekend
    counts from the following Monday.
    """
    day, counted = starts_on, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == working_days:
                return day
        day += timedelta(days=1)


def guarantee_days() -> int:
    weeks = DEFAULT_GUARANTEE_WEEKS
    if has_app_context():
        weeks = current_app.config.get("PLACEMENT_GUARANTEE_WEEKS", DEFAULT_GUARANTEE_WEEKS)
    return weeks * 7


def completed_enrolment(participant: Participant) -> Enrolment | None:
    """The participant's most recent completed enrolment: what earns the guarantee."""
    return db.session.scalar(
        sa.select(Enrolment)
        .where(Enrolment.participant_id == participant.id,
               Enrolment.status == EnrolmentStatus.completed)
        .order_by(Enrolment.completed_on.desc())
        .limit(1)
    )


def completers() -> sa.Select:
    """Participants who may be offered a placement: completed, still on the programme."""
    return (
        sa.select(Participant)
        .where(
            Participant.is_anonymised.is_(False),
            Participant.status != ParticipantStatus.withdrawn,
            Participant.enrolments.any(Enrolment.status == EnrolmentStatus.completed),
            ~Participant.placements.any(Placement.status.in_(OPEN_STATUSES)),
        )
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    )


def filtered(filters: dict) -> sa.Select:
    """Placements narrowed by the list filters, newest offer first."""
    stmt = sa.select(Placement)
    if filters.get("status"):
        stmt = stmt.where(Placement.status == filters["status"])
    if filters.get("q"):
        term = f"%{filters['q'].strip().lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Placement.department).like(term),
                                 sa.func.lower(Placement.site).like(term)))
    return stmt.order_by(Placement.offered_on.desc(), Placement.id.desc()).options(
        selectinload(Placement.participant), selectinload(Placement.enrolment)
    )


# -- creating and changing -------------------------------------------------------------------

def _apply(placement: Placement, data: dict, completed_on: date) -> None:
    department = (data.get("department") or "").strip()
    if not department:
        raise ValidationFailed("Enter the department", "department")
    offered_on = data.get("offered_on")
    if offered_on is None:
        raise ValidationFailed("Enter the date the placement was offered", "offered_on")
    if offered_on < completed_on:
        raise ValidationFailed(
            f"The offer must be on or after the completion on {completed_on:%-d %B %Y}: "
            "a placement cannot come before completion", "offered_on",
        )
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if ends_on and not starts_on:
        raise ValidationFailed("Enter the start date as well as the end date", "starts_on")
    if starts_on and starts_on < offered_on:
        raise ValidationFailed("The placement cannot start before it was offered", "starts_on")
    if starts_on and not ends_on:
        ends_on = ten_working_days_end(starts_on)
    if ends_on and ends_on < starts_on:
        raise ValidationFailed("The end date must be the same as or after the start date",
                               "ends_on")
    placement.department = department
    for field in ("site", "supervisor_name", "role_sought"):
        setattr(placement, field, (data.get(field) or "").strip() or None)
    for field in ("participant_feedback", "supervisor_feedback"):
        if field in data:
            setattr(placement, field, (data.get(field) or "").strip() or None)
    placement.offered_on = offered_on
    placement.starts_on = starts_on
    placement.ends_on = ends_on


def create_placement(
    participant: Participant, data: dict, actor: User | None, *, at: datetime | None = None
) -> Placement:
    """Offer a placement to a completer.

    :raises RecruitError: they have not completed a cohort ("a placement before completion"),
        they have withdrawn, or they already have a placement under way.
    """
    name = participant.display_name
    if participant.status is ParticipantStatus.withdrawn or participant.is_anonymised:
        raise RecruitError(f"{name} has withdrawn from the programme", "participant_id")
    earned_by = completed_enrolment(participant)
    if earned_by is None:
        raise RecruitError(
            f"{name} has not completed a cohort yet: a placement before completion is not "
            "possible", "participant_id",
        )
    current = [p for p in participant.placements if p.status in OPEN_STATUSES]
    if current:
        raise RecruitError(
            f"{name} already has a placement {current[0].status.value.lower()} in "
            f"{current[0].department}", "participant_id",
        )
    placement = Placement(participant=participant, enrolment=earned_by)
    _apply(placement, data, earned_by.completed_on)
    db.session.add(placement)
    transition(placement, PlacementStatus.offered, actor=actor, at=at,
               allowed=PLACEMENT_ALLOWED, what="This placement",
               reason=f"Offered in {placement.department}")
    participant.last_activity_at = at or utcnow()
    db.session.flush()
    audit.record("create", placement, actor=actor)
    return placement


def update_placement(placement: Placement, data: dict, actor: User | None) -> None:
    """Change a placement's details or feedback, refusing a save from a stale copy."""
    check_version(placement, data.get("version"), "placement")
    completed_on = placement.enrolment.completed_on if placement.enrolment else placement.offered_on
    _apply(placement, data, completed_on)
    db.session.flush()
    audit.record("update", placement, actor=actor)


def next_statuses(placement: Placement) -> list[PlacementStatus]:
    allowed = PLACEMENT_ALLOWED.get(placement.status, set())
    return [status for status in PlacementStatus if status in allowed]


def change_status(
    placement: Placement,
    to_status: PlacementStatus,
    actor: User | None,
    *,
    reason: str | None = None,
    version: int | str | None = None,
    at: datetime | None = None,
) -> None:
    """Move a placement on; a completed placement moves a completer to "placed".

    :raises TransitionRefused: the move makes no sense from the current status.
    :raises ValidationFailed: a start date is missing or in the future, or a reason is needed.
    """
    if version is not None:
        check_version(placement, version, "placement")
    today = at.date() if at else date.today()
    reason = (reason or "").strip() or None
    check_transition(PLACEMENT_ALLOWED, placement.status, to_status, "This placement")
    if to_status in NEEDS_REASON and not reason:
        raise ValidationFailed(f"Enter the reason the placement was {to_status.value.lower()}",
                               "reason")
    if to_status is PlacementStatus.scheduled and placement.starts_on is None:
        raise ValidationFailed("Enter the start date before scheduling the placement", "status")
    if to_status in (PlacementStatus.in_progress, PlacementStatus.completed):
        if placement.starts_on is None or placement.starts_on > today:
            raise ValidationFailed(
                "The placement has not started yet: it can be marked "
                f"{to_status.value.lower()} from its start date", "status",
            )
    transition(placement, to_status, actor=actor, reason=reason, at=at,
               allowed=PLACEMENT_ALLOWED, what="This placement")
    participant = placement.participant
    if to_status is PlacementStatus.completed and participant.status is ParticipantStatus.completed:
        transition(participant, ParticipantStatus.placed, actor=actor, at=at,
                   reason=f"Completed a work experience placement in {placement.department}")
    participant.last_activity_at = at or utcnow()
    db.session.flush()
    audit.record("status", placement, actor=actor, detail=to_status.name)


# -- the guarantee ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    enrolment: Enrolment
    days_waited: int
    due_on: date
    guarantee_days: int

    @property
    def overdue(self) -> bool:
        return self.days_waited > self.guarantee_days


def waiting_statement() -> sa.Select:
    """Completed enrolments whose participant is owed a placement and has never been offered one.

    Longest waiting first.
    """
    return (
        sa.select(Enrolment)
        .join(Enrolment.participant)
        .where(
            Enrolment.status == EnrolmentStatus.completed,
            Participant.status.in_(OWED),
            Participant.is_anonymised.is_(False),
            ~Participant.placements.any(),
        )
        .order_by(Enrolment.completed_on, Enrolment.id)
        .options(selectinload(Enrolment.participant), selectinload(Enrolment.cohort))
    )


def waiting(enrolments, today: date | None = None) -> list[Waiting]:
    """How long each completer has waited, against the guarantee."""
    today = today or date.today()
    days = guarantee_days()
    return [
        Waiting(enrolment=e, days_waited=(today - e.completed_on).days,
                due_on=e.completed_on + timedelta(days=days), guarantee_days=days)
        for e in enrolments
    ]


def waiting_totals(today: date | None = None) -> tuple[int, int]:
    """``(waiting, over the guarantee)`` across everyone owed a placement, counted in SQL."""
    today = today or date.today()
    cutoff = today - timedelta(days=guarantee_days())
    stmt = waiting_statement().order_by(None).options()
    total = db.session.scalar(stmt.with_only_columns(sa.func.count(Enrolment.id)))
    overdue = db.session.scalar(
        stmt.where(Enrolment.completed_on < cutoff).with_only_columns(sa.func.count(Enrolment.id))
    )
    return total or 0, overdue or 0


def offered_within_guarantee(placement: Placement) -> bool | None:
    """Whether this offer met the guarantee; ``None`` when the completion is not known."""
    completed_on = placement.enrolment.completed_on if placement.enrolment else None
    return offered_within_days(placement.offered_on, completed_on, guarantee_days())


def offered_within_days(offered_on: date, completed_on: date | None, days: int) -> bool | None:
    """Whether an offer on ``offered_on`` came within ``days`` of completing the programme.

    :return: ``None`` when the completion date is not known.
    """
    if completed_on is None:
        return None
    return (offered_on - completed_on).days <= days
