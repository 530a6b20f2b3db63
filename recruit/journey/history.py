"""Status changes on journey records: the one place a status moves, leaving a dated history row.

Each aggregate's service declares which moves make sense (``ALLOWED``) and calls
:func:`transition`; a move outside that table is refused with a reason the user can read.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime

from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.models import (
    Application,
    Cohort,
    Enrolment,
    Participant,
    Placement,
    StatusChange,
    User,
    Vacancy,
)
from recruit.models.base import utcnow

# model -> (subject_type stored in status_changes, name of its status attribute)
SUBJECTS: dict[type, tuple[str, str]] = {
    Participant: ("participant", "status"),
    Enrolment: ("enrolment", "status"),
    Application: ("application", "stage"),
    Placement: ("placement", "status"),
    Cohort: ("cohort", "status"),
    Vacancy: ("vacancy", "status"),
}


class TransitionRefused(RecruitError):
    """The requested status change makes no sense from where the record is now."""


def check_transition(
    allowed: Mapping[enum.Enum | None, set[enum.Enum]],
    current: enum.Enum | None,
    wanted: enum.Enum,
    what: str,
) -> None:
    """Refuse ``current`` → ``wanted`` unless ``allowed`` lists it.

    :param what: how the message names the record, e.g. ``"This application"``.
    """
    if wanted not in allowed.get(current, set()):
        here = current.value.lower() if current is not None else "new"
        raise TransitionRefused(f"{what} is {here}, so it cannot move to "
                                f"“{wanted.value.lower()}”", "status")


def participant_id_of(subject) -> int | None:
    if isinstance(subject, Participant):
        return subject.id
    return getattr(subject, "participant_id", None)


def transition(
    subject,
    to_status: enum.Enum,
    *,
    actor: User | None,
    reason: str | None = None,
    at: datetime | None = None,
    allowed: Mapping[enum.Enum | None, set[enum.Enum]] | None = None,
    what: str = "This record",
) -> StatusChange:
    """Move ``subject`` to ``to_status`` and record who did it, when, from what, and why.

    :param at: when the change took effect (default now); for back-dated entries and demo data.
    :param allowed: the moves that make sense; when given, any other move is refused.
    """
    subject_type, attribute = SUBJECTS[type(subject)]
    current = getattr(subject, attribute)
    if allowed is not None:
        check_transition(allowed, current, to_status, what)
    if subject.id is None:
        db.session.flush()
    setattr(subject, attribute, to_status)
    change = StatusChange(
        subject_type=subject_type,
        subject_id=subject.id,
        participant_id=participant_id_of(subject),
        from_status=current.name if current is not None else None,
        to_status=to_status.name,
        changed_at=at or utcnow(),
        changed_by_id=getattr(actor, "id", None),
        reason=reason,
    )
    db.session.add(change)
    return change
