"""Data-subject rights: everything held about one person, erasure, and retention.

*Subject access* gathers every record about one participant (and nothing about anyone else).
*Erasure* anonymises the person: names, contacts, date of birth, postcode, free text and equality
answers go, while the anonymous journey (statuses, dates, ward, deprivation decile) stays, so
counts already published do not change. *Retention* erases people whose last activity is older
than the configured period. Every use is audited; the audit trail names no personal values.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from recruit import audit
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.models import (
    Application,
    Attendance,
    AuditEvent,
    Enrolment,
    EqualityMonitoring,
    Outcome,
    Participant,
    Placement,
    StatusChange,
    User,
    Volunteering,
)
from recruit.models.base import UTCDateTime, utcnow

ERASED = "Erased"
_PERIOD = re.compile(r"^(\d+)\s*([ymd])$")


def _row(record, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record's columns as plain values (enums by label, dates as ISO text)."""
    values = {}
    for column in sa.inspect(type(record)).columns:
        if column.key in exclude:
            continue
        value = getattr(record, column.key)
        if hasattr(value, "value") and hasattr(value, "name"):
            value = value.value
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        values[column.key] = value
    return values


def _all(model, *conditions) -> list:
    return list(db.session.scalars(sa.select(model).where(*conditions).order_by(model.id)))


def subject_access(participant: Participant, actor: User | None) -> dict[str, Any]:
    """Everything held about ``participant``, as plain data ready for JSON or a PDF.

    Records about other people never appear: attendance and placements are this person's own
    rows, and the audit section names the role of whoever acted, not the person.
    """
    enrolments = _all(Enrolment, Enrolment.participant_id == participant.id)
    enrolment_ids = [enrolment.id for enrolment in enrolments]
    equality = db.session.scalar(
        sa.select(EqualityMonitoring).where(EqualityMonitoring.participant_id == participant.id))
    roles = dict(db.session.execute(sa.select(User.id, User.role)).all())
    events = _all(AuditEvent, AuditEvent.subject_type == "participants",
                  AuditEvent.subject_id == participant.id)
    audit.record("subject_access", participant, actor=actor)
    return {
        "generated_at": utcnow().isoformat(),
        "participant": _row(participant),
        "equality_monitoring": _row(equality, ("participant_id",)) if equality else None,
        "status_history": [_row(change, ("participant_id",)) for change in _all(
            StatusChange, StatusChange.participant_id == participant.id)],
        "enrolments": [_row(enrolment) for enrolment in enrolments],
        "attendance": [_row(mark) for mark in _all(
            Attendance, Attendance.enrolment_id.in_(enrolment_ids))] if enrolment_ids else [],
        "placements": [_row(p) for p in _all(
            Placement, Placement.participant_id == participant.id)],
        "applications": [_row(a) for a in _all(
            Application, Application.participant_id == participant.id)],
        "outcomes": [_row(o) for o in _all(Outcome, Outcome.participant_id == participant.id)],
        "volunteering": [_row(v) for v in _all(
            Volunteering, Volunteering.participant_id == participant.id)],
        "access_log": [
            {"when": event.occurred_at.isoformat(), "action": event.action,
             "by_role": roles[event.actor_id].value if event.actor_id in roles else None}
            for event in events
        ],
    }


def erase(participant: Participant, actor: User | None, reason: str) -> None:
    """Anonymise ``participant`` for good, keeping the anonymous journey for the counts.

    :raises ValidationFailed: when already erased.
    """
    if participant.is_anonymised:
        raise ValidationFailed("This person's personal data has already been erased")
    participant.first_name, participant.last_name = ERASED, f"#{participant.id}"
    for name in ("preferred_name", "email", "phone", "date_of_birth", "postcode", "lsoa_id",
                 "preferred_language", "notes", "how_heard", "withdrawn_reason"):
        setattr(participant, name, None)
    participant.barriers_raised = ""
    participant.consent_to_contact = participant.consent_to_share_with_partner = False
    participant.consent_to_contact_on = participant.consent_to_share_on = None
    participant.is_anonymised, participant.anonymised_at = True, utcnow()
    pid = participant.id
    db.session.execute(sa.delete(EqualityMonitoring)
                       .where(EqualityMonitoring.participant_id == pid))
    for model, fields in (
        (Application, ("feedback", "withdrawn_reason")),
        (Placement, ("participant_feedback", "supervisor_feedback")),
        (Outcome, ("notes", "employer")),
        (Enrolment, ("withdrawal_reason",)),
        (StatusChange, ("reason",)),
    ):
        db.session.execute(sa.update(model).where(model.participant_id == pid)
                           .values(dict.fromkeys(fields)))
    db.session.execute(sa.update(Volunteering).where(Volunteering.participant_id == pid)
                       .values(organisation=ERASED, role=None))
    db.session.flush()
    audit.record("erase", participant, actor=actor, detail=reason[:200])


def parse_period(text: str) -> timedelta:
    """Read ``6y``, ``18m`` or ``90d`` (years of 365.25 days, months of 30.44)."""
    match = _PERIOD.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a period such as 6y, 18m or 90d")
    number, unit = int(match.group(1)), match.group(2)
    return timedelta(days=number * {"y": 365.25, "m": 30.44, "d": 1}[unit])


def last_activity() -> sa.Select:
    """Each participant's last activity: their own record or the newest history row."""
    newest_change = (sa.select(sa.func.max(StatusChange.changed_at))
                     .where(StatusChange.participant_id == Participant.id)
                     .scalar_subquery())
    # SQLite's two-argument max() is PostgreSQL's greatest().
    latest = sa.func.max if db.engine.dialect.name == "sqlite" else sa.func.greatest
    last_at = sa.func.coalesce(latest(newest_change, Participant.last_activity_at),
                               Participant.last_activity_at)
    return sa.select(Participant.id, sa.type_coerce(last_at, UTCDateTime()).label("last_at"))


def due_for_erasure(older_than: timedelta, now: datetime | None = None) -> list[int]:
    """IDs of people not yet erased whose last activity is older than ``older_than``."""
    cutoff = (now or utcnow()) - older_than
    activity = last_activity().where(Participant.is_anonymised.is_(False)).subquery()
    stmt = sa.select(activity.c.id).where(activity.c.last_at < cutoff).order_by(activity.c.id)
    return list(db.session.scalars(stmt))


def purge(older_than: timedelta, *, dry_run: bool, actor: User | None = None) -> list[int]:
    """Erase everyone due under the retention period; with ``dry_run`` only list them."""
    ids = due_for_erasure(older_than)
    if not dry_run:
        people = db.session.scalars(sa.select(Participant).where(Participant.id.in_(ids)))
        for participant in people:
            erase(participant, actor, f"retention period ({older_than.days} days) passed")
        audit.record("retention_purge", actor=actor, detail=f"{len(ids)} erased")
    return ids
