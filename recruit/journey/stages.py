"""The journey's stages, and when each person first reached each one (``participant_stages``).

A stage is reached by a status change of a given subject to one of a few statuses (the table
below, DOMAIN.md §3). Every flush that adds status changes records the stages they reach, in the
same transaction, so the funnel never sees a change without its stage; whichever way a change was
added (:func:`recruit.journey.history.transition`, a factory, a back-dated entry) makes no
difference. Bulk loads that bypass the ORM call :func:`rebuild` afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from recruit.models import ParticipantStage, StatusChange

# (key, label, subject type, statuses that mean the stage was reached)
JOURNEY_STAGES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("registered", "Registered", "participant", ("registered",)),
    ("enrolled", "Enrolled in a cohort", "enrolment", ("enrolled",)),
    ("completed", "Completed the programme", "enrolment", ("completed",)),
    ("placed", "Started work experience", "placement", ("in_progress", "completed")),
    ("applied", "Applied for a role", "application", ("applied",)),
    ("offered", "Offered a role", "application", ("offered",)),
    ("started", "Started a role", "application", ("started",)),
)
STAGE_OF: dict[tuple[str, str], str] = {
    (subject, status): key
    for key, _label, subject, statuses in JOURNEY_STAGES for status in statuses
}

_TABLE = ParticipantStage.__table__


def _upsert(dialect: str):
    """INSERT that keeps the earlier date when the person already reached the stage."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(_TABLE)
    earlier = sa.case((stmt.excluded.reached_at < _TABLE.c.reached_at, stmt.excluded.reached_at),
                      else_=_TABLE.c.reached_at)
    return stmt.on_conflict_do_update(index_elements=["participant_id", "stage"],
                                      set_={"reached_at": earlier})


def reached(changes: Iterable[StatusChange]) -> list[dict]:
    """The stage rows that ``changes`` reach, earliest per person and stage."""
    first: dict[tuple[int, str], datetime] = {}
    for change in changes:
        key = STAGE_OF.get((change.subject_type, change.to_status))
        if key is None or change.participant_id is None:
            continue
        seen = first.get((change.participant_id, key))
        if seen is None or change.changed_at < seen:
            first[(change.participant_id, key)] = change.changed_at
    return [{"participant_id": pid, "stage": key, "reached_at": at}
            for (pid, key), at in sorted(first.items())]


@event.listens_for(Session, "after_flush")
def _record_stages(session: Session, _flush_context) -> None:
    """Record the stages reached by the status changes this flush inserted."""
    rows = reached(obj for obj in session.new if isinstance(obj, StatusChange))
    if rows:
        connection = session.connection()
        connection.execute(_upsert(connection.dialect.name), rows)


def rebuild(session: Session) -> int:
    """Derive every stage row again from ``status_changes`` (after a bulk load); the row count."""
    session.execute(sa.delete(ParticipantStage))
    stage = sa.case(*[((StatusChange.subject_type == subject) & (StatusChange.to_status == status),
                       key) for (subject, status), key in STAGE_OF.items()])
    firsts = (
        sa.select(StatusChange.participant_id, stage.label("stage"),
                  sa.func.min(StatusChange.changed_at))
        .where(StatusChange.participant_id.is_not(None),
               StatusChange.to_status.in_({status for _subject, status in STAGE_OF}),
               stage.is_not(None))
        .group_by(StatusChange.participant_id, stage)
    )
    session.execute(sa.insert(ParticipantStage).from_select(
        ["participant_id", "stage", "reached_at"], firsts))
    return session.scalar(sa.select(sa.func.count()).select_from(ParticipantStage))
