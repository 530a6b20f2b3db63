"""Applications by participants to entry-level vacancies, through to a start (DOMAIN.md §3)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.outcomes import Outcome
    from recruit.models.participants import Participant
    from recruit.models.vacancies import Vacancy


class ApplicationStage(enum.Enum):
    applied = "Applied"
    shortlisted = "Shortlisted"
    interview = "Interview"
    offered = "Offered"
    pre_employment_checks = "Pre-employment checks"
    started = "Started"
    unsuccessful = "Unsuccessful"
    withdrawn = "Withdrawn"


class Application(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "vacancy_id"),
        sa.CheckConstraint(
            "NOT interview_waived OR waiver_recorded_at IS NOT NULL", name="waiver_recorded"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"))
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id"), index=True)
    stage: Mapped[ApplicationStage] = mapped_column(
        enum_column(ApplicationStage), default=ApplicationStage.applied, index=True
    )
    applied_on: Mapped[date] = mapped_column(index=True)
    # Programme completers skip the formal interview and meet the GCSE minimum (DOMAIN.md §1).
    interview_waived: Mapped[bool] = mapped_column(default=False)
    waiver_recorded_at: Mapped[datetime | None]
    gcse_equivalence_applied: Mapped[bool] = mapped_column(default=False)
    # Required before an application is closed as unsuccessful (enforced in the service).
    feedback: Mapped[str | None] = mapped_column(sa.Text)
    feedback_given_on: Mapped[date | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    offered_on: Mapped[date | None] = mapped_column(index=True)
    started_on: Mapped[date | None] = mapped_column(index=True)

    participant: Mapped[Participant] = relationship(back_populates="applications")
    vacancy: Mapped[Vacancy] = relationship(back_populates="applications")
    outcome: Mapped[Outcome | None] = relationship(back_populates="application")
