"""Dated status history for every journey record: who moved what from which status to which, when.

One generic table rather than one per model, so time-in-stage and stage conversion for any period
are one query shape (DOMAIN.md §3). Statuses are stored by enum *name*, as in the subject's table.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, utcnow

if TYPE_CHECKING:
    from recruit.models.participants import Participant
    from recruit.models.users import User


class StatusChange(Base):
    __tablename__ = "status_changes"
    __table_args__ = (
        sa.Index("ix_status_changes_subject", "subject_type", "subject_id"),
        sa.Index("ix_status_changes_stage", "subject_type", "to_status", "changed_at"),
        # When each person first reached a stage (the funnel): read from the index alone.
        sa.Index("ix_status_changes_reached", "subject_type", "to_status", "participant_id",
                 "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "participant", "enrolment", "application", "placement", "cohort", "vacancy"
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int]
    # The person whose journey this is (None for cohorts and vacancies), so a timeline and a funnel
    # broken down by partner, ward or equality group need one join, not one per subject type.
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(40))
    to_status: Mapped[str] = mapped_column(sa.String(40))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant | None] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return (
            f"<StatusChange {self.subject_type}:{self.subject_id} "
            f"{self.from_status}->{self.to_status}>"
        )


class ParticipantStage(Base):
    """When each person first reached each journey stage: the funnel's figures, kept as they happen.

    Derived from ``status_changes`` (the record of what happened) by :mod:`recruit.journey.stages`
    at every flush, so the funnel counts one narrow row per person and stage by index instead of
    finding each person's first status change among all of them on every request. The earliest
    change wins, so a back-dated entry moves the date back and a later repeat leaves it alone.
    """

    __tablename__ = "participant_stages"
    __table_args__ = (
        # People reaching one stage in a period (medians), and every stage in a period (the
        # funnel and its breakdowns), each read from an index alone.
        sa.Index("ix_participant_stages_reached", "stage", "reached_at", "participant_id"),
        sa.Index("ix_participant_stages_period", "reached_at", "stage", "participant_id"),
    )

    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(sa.String(20), primary_key=True)  # funnel stage key
    reached_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<ParticipantStage {self.participant_id} {self.stage} {self.reached_at:%Y-%m-%d}>"
