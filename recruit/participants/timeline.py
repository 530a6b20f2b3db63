"""A participant's journey timeline, and the plain-words guidance on what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from recruit.extensions import db
from recruit.models import (
    ApplicationStage,
    EnrolmentStatus,
    Participant,
    ParticipantStatus,
    PlacementStatus,
    StatusChange,
)

STAGE_NAMES = {
    "participant": ("Programme", ParticipantStatus),
    "enrolment": ("Cohort", EnrolmentStatus),
    "application": ("Application", ApplicationStage),
    "placement": ("Work experience", PlacementStatus),
}


@dataclass(frozen=True)
class TimelineEntry:
    changed_at: datetime
    stage: str
    from_label: str | None
    to_label: str
    who: str
    reason: str | None


def _label(enum_cls, name: str | None) -> str | None:
    if name is None:
        return None
    try:
        return enum_cls[name].value
    except (KeyError, TypeError):
        return name.replace("_", " ").capitalize()


def timeline(participant: Participant) -> list[TimelineEntry]:
    """Every dated status change on the participant's journey, oldest first."""
    changes = db.session.scalars(
        sa.select(StatusChange)
        .where(sa.or_(
            StatusChange.participant_id == participant.id,
            sa.and_(StatusChange.subject_type == "participant",
                    StatusChange.subject_id == participant.id),
        ))
        .options(selectinload(StatusChange.changed_by))
        .order_by(StatusChange.changed_at, StatusChange.id)
    )
    entries = []
    for change in changes:
        stage, enum_cls = STAGE_NAMES.get(
            change.subject_type, (change.subject_type.capitalize(), None)
        )
        entries.append(TimelineEntry(
            changed_at=change.changed_at,
            stage=stage,
            from_label=_label(enum_cls, change.from_status),
            to_label=_label(enum_cls, change.to_status),
            who=change.changed_by.name if change.changed_by else "The system",
            reason=change.reason,
        ))
    return entries


def next_step(participant: Participant) -> str:
    """What should happen next on this participant's journey, in plain words."""
    config = current_app.config
    attendance = round(100 * config.get("COMPLETION_ATTENDANCE_RATE", 0.8))
    weeks = config.get("PLACEMENT_GUARANTEE_WEEKS", 8)
    steps = {
        ParticipantStatus.registered: (
            "Enrol them in a cohort of the pre-employment programme that is recruiting near "
            "them (cohorts have 8 to 10 people)."),
        ParticipantStatus.enrolled: (
            f"Support them through the cohort's sessions: completion needs at least "
            f"{attendance}% attendance, confirmed by a coordinator."),
        ParticipantStatus.completed: (
            f"Offer a tailored two-week work experience placement, within {weeks} weeks of "
            "completion (the programme's guarantee)."),
        ParticipantStatus.placed: (
            "After the placement, help them apply for an entry-level role: completers are not "
            "asked to a formal interview, and the programme counts as the GCSE minimum."),
        ParticipantStatus.applied: (
            "Follow the application through to an offer and pre-employment checks. If it is "
            "unsuccessful, give written feedback and consider volunteering until a role opens."),
        ParticipantStatus.employed: (
            "Check they are still in post 13 and 26 weeks after their start date, and record "
            "any progression to a higher band."),
        ParticipantStatus.other_outcome: (
            "A positive outcome elsewhere. Keep in touch in case an entry-level role at the "
            "trust suits them later."),
        ParticipantStatus.withdrawn: "They have withdrawn from the programme: nothing more to do.",
    }
    step = steps[participant.status]
    if participant.status is ParticipantStatus.registered and participant.eligible is not True:
        step += (" First check their eligibility: " + (participant.eligibility_reason or
                                                       "not yet decided") + ".")
    return step
