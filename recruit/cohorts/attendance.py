"""Sessions, the attendance register and completion by the attendance rule (DOMAIN.md §3).

The rule: a participant completes when they were present at no less than
``COMPLETION_ATTENDANCE_RATE`` (0.8 by default) of *all* the cohort's sessions, and a coordinator
confirms it. "Excused" counts as absent: the rule is about sessions attended, and an excused
absence still means the person missed the content (the register keeps the distinction so a
coordinator can take it into account before withdrawing anyone). A session whose register has not
been taken counts as not attended, so a missing register shows up as low attendance, not as a
silent pass. Comparisons use exact fractions: 8 of 10 at a rate of 0.8 meets the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import selectinload

from recruit import audit
from recruit.cohorts.services import ENROLMENT_ALLOWED, long_date
from recruit.errors import RecruitError, ValidationFailed
from recruit.extensions import db
from recruit.journey.history import transition
from recruit.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortSession,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    ParticipantStatus,
    User,
)
from recruit.models.base import utcnow

DEFAULT_RATE = 0.8


def completion_rate() -> Fraction:
    """The configured share of sessions to attend, as an exact fraction (0.8 → 4/5)."""
    rate = DEFAULT_RATE
    if has_app_context():
        rate = current_app.config.get("COMPLETION_ATTENDANCE_RATE", DEFAULT_RATE)
    return Fraction(str(rate))


def meets_attendance_rule(present: int, sessions: int, rate: Fraction | None = None) -> bool:
    """Whether attending ``present`` of ``sessions`` meets the rule; no sessions never does."""
    rate = completion_rate() if rate is None else rate
    return sessions > 0 and Fraction(present, sessions) >= rate


@dataclass(frozen=True)
class EnrolmentAttendance:
    enrolment: Enrolment
    present: int
    absent: int
    excused: int
    sessions: int
    meets_rule: bool

    @property
    def percent(self) -> int:
        """Attendance as a whole percentage, rounded down so it never flatters."""
        return self.present * 100 // self.sessions if self.sessions else 0

    @property
    def can_confirm(self) -> bool:
        return self.meets_rule and self.enrolment.status is EnrolmentStatus.enrolled


def attendance(cohort: Cohort) -> list[EnrolmentAttendance]:
    """Each enrolment's attendance against the rule, counted in the database, names in order."""
    sessions = len(cohort.sessions)
    counts: dict[int, dict[AttendanceStatus, int]] = {}
    rows = db.session.execute(
        sa.select(Attendance.enrolment_id, Attendance.status, sa.func.count())
        .join(Attendance.enrolment)
        .where(Enrolment.cohort_id == cohort.id)
        .group_by(Attendance.enrolment_id, Attendance.status)
    )
    for enrolment_id, status, count in rows:
        counts.setdefault(enrolment_id, {})[status] = count
    rate = completion_rate()
    result = []
    for enrolment in sorted(_enrolments(cohort), key=lambda e: (
        e.status is EnrolmentStatus.withdrawn, e.participant.last_name, e.participant.first_name,
        e.id,
    )):
        mine = counts.get(enrolment.id, {})
        present = mine.get(AttendanceStatus.present, 0)
        result.append(EnrolmentAttendance(
            enrolment=enrolment, present=present,
            absent=mine.get(AttendanceStatus.absent, 0),
            excused=mine.get(AttendanceStatus.excused, 0),
            sessions=sessions, meets_rule=meets_attendance_rule(present, sessions, rate),
        ))
    return result


def present_counts(cohort: Cohort) -> dict[int, tuple[int, int]]:
    """``{session id: (present, recorded)}`` for every session of a cohort, in one query."""
    present = sa.func.sum(sa.case((Attendance.status == AttendanceStatus.present, 1), else_=0))
    rows = db.session.execute(
        sa.select(CohortSession.id, sa.func.coalesce(present, 0), sa.func.count(Attendance.id))
        .outerjoin(Attendance, Attendance.session_id == CohortSession.id)
        .where(CohortSession.cohort_id == cohort.id).group_by(CohortSession.id)
    )
    return {session_id: (int(p), int(recorded)) for session_id, p, recorded in rows}


def _enrolments(cohort: Cohort) -> list[Enrolment]:
    """The cohort's enrolments with their participants, in two queries whatever the size."""
    return list(db.session.scalars(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id)
        .options(selectinload(Enrolment.participant))
    ))


# -- sessions --------------------------------------------------------------------------------

def _apply_session(cohort_session: CohortSession, cohort: Cohort, data: dict) -> None:
    held_on = data.get("held_on")
    if held_on is None:
        raise ValidationFailed("Enter the date of the session", "held_on")
    if not cohort.starts_on <= held_on <= cohort.ends_on:
        raise ValidationFailed(
            f"The session must be between the cohort's start ({long_date(cohort.starts_on)}) and "
            f"end ({long_date(cohort.ends_on)})", "held_on",
        )
    topic = (data.get("topic") or "").strip()
    if not topic:
        raise ValidationFailed("Enter the session's topic", "topic")
    cohort_session.held_on = held_on
    cohort_session.starts_at = data.get("starts_at")
    cohort_session.topic = topic
    cohort_session.is_equality_training = bool(data.get("is_equality_training"))


def add_session(cohort: Cohort, data: dict, actor: User) -> CohortSession:
    """Add a session to a cohort that is not cancelled."""
    if cohort.status is CohortStatus.cancelled:
        raise RecruitError(f"{cohort.name} is cancelled, so sessions cannot be added to it")
    cohort_session = CohortSession(cohort=cohort)
    _apply_session(cohort_session, cohort, data)
    db.session.add(cohort_session)
    db.session.flush()
    audit.record("create", cohort_session, actor=actor)
    return cohort_session


def update_session(cohort_session: CohortSession, data: dict, actor: User) -> None:
    """Change a session's date, time, topic or equality-training flag."""
    _apply_session(cohort_session, cohort_session.cohort, data)
    db.session.flush()
    audit.record("update", cohort_session, actor=actor)


# -- the register ----------------------------------------------------------------------------

def register_enrolments(cohort_session: CohortSession) -> list[Enrolment]:
    """Who is on a session's register: everyone enrolled or completed, by name."""
    return sorted(
        (e for e in _enrolments(cohort_session.cohort)
         if e.status is not EnrolmentStatus.withdrawn),
        key=lambda e: (e.participant.last_name, e.participant.first_name, e.id),
    )


def save_register(
    cohort_session: CohortSession,
    marks: dict[int, AttendanceStatus],
    actor: User | None,
    *,
    at: datetime | None = None,
) -> dict[AttendanceStatus, int]:
    """Record every mark on the register at once; all or nothing.

    :param marks: enrolment id → status, one for each person on the register.
    :returns: how many were marked present, absent and excused.
    """
    cohort = cohort_session.cohort
    if cohort.status is CohortStatus.cancelled:
        raise RecruitError(f"{cohort.name} is cancelled, so its registers cannot be changed")
    if at is None and cohort_session.held_on > date.today():
        raise RecruitError("This session has not happened yet: take the register on the day")
    people = {e.id: e for e in register_enrolments(cohort_session)}
    unknown = set(marks) - set(people)
    if unknown:
        raise RecruitError("The register lists someone who is not enrolled in this cohort: "
                           "reload the page and try again")
    missing = [people[i].participant.display_name for i in people if i not in marks]
    if missing:
        raise RecruitError(f"Mark {missing[0]} as present, absent or excused")
    existing = {a.enrolment_id: a for a in cohort_session.attendances}
    when = at or utcnow()
    totals = dict.fromkeys(AttendanceStatus, 0)
    for enrolment_id, status in marks.items():
        record = existing.get(enrolment_id)
        if record is None:
            record = Attendance(session=cohort_session, enrolment_id=enrolment_id)
            db.session.add(record)
        if record.status is not status:
            record.status = status
            record.recorded_by_id = getattr(actor, "id", None)
            record.recorded_at = when
        totals[status] += 1
    db.session.flush()
    audit.record("register", cohort_session, actor=actor, detail=f"{len(marks)} marks")
    return totals


# -- completion ------------------------------------------------------------------------------

def _attendance_of(enrolment: Enrolment) -> EnrolmentAttendance:
    return next(a for a in attendance(enrolment.cohort) if a.enrolment.id == enrolment.id)


def confirm_completion(
    enrolment: Enrolment,
    actor: User | None,
    *,
    completed_on: date | None = None,
    at: datetime | None = None,
) -> None:
    """Confirm that a participant completed: the enrolment and the participant become completed.

    :raises RecruitError: the attendance rule is not met (the message gives their attendance),
        the cohort has not started, or the participant has withdrawn.
    """
    cohort = enrolment.cohort
    participant = enrolment.participant
    name = participant.display_name
    if cohort.status not in (CohortStatus.running, CohortStatus.completed):
        raise RecruitError(
            f"{cohort.name} is {cohort.status.value.lower()}: completion is confirmed once it "
            "is running or completed"
        )
    if participant.status is ParticipantStatus.withdrawn:
        raise RecruitError(f"{name} has withdrawn from the programme")
    record = _attendance_of(enrolment)
    if not record.meets_rule:
        needed = completion_rate() * 100
        raise RecruitError(
            f"{name} attended {record.present} of {record.sessions} sessions "
            f"({record.percent}%): completion needs at least {float(needed):g}%"
        )
    completed_on = completed_on or (at.date() if at else date.today())
    transition(enrolment, EnrolmentStatus.completed, actor=actor, at=at,
               reason=f"Attended {record.present} of {record.sessions} sessions",
               allowed=ENROLMENT_ALLOWED, what="This enrolment")
    enrolment.completed_on = max(completed_on, enrolment.enrolled_on)
    enrolment.completion_confirmed_by_id = getattr(actor, "id", None)
    if participant.status is ParticipantStatus.enrolled:
        transition(participant, ParticipantStatus.completed, actor=actor, at=at,
                   reason=f"Completed {cohort.name}")
    participant.last_activity_at = at or utcnow()
    db.session.flush()
    audit.record("complete", enrolment, actor=actor)


def confirm_all(cohort: Cohort, actor: User | None) -> list[Enrolment]:
    """Confirm completion for everyone still enrolled who meets the rule; return them."""
    confirmed = []
    for record in attendance(cohort):
        if record.can_confirm and record.enrolment.participant.status is not \
                ParticipantStatus.withdrawn:
            confirm_completion(record.enrolment, actor)
            confirmed.append(record.enrolment)
    if not confirmed:
        raise RecruitError("No one still enrolled meets the attendance rule yet")
    return confirmed
