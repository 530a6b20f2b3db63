"""Outcomes (a start, or a positive result elsewhere), sustainment checks, interim volunteering."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column
from recruit.models.vacancies import AfcBand

if TYPE_CHECKING:
    from recruit.models.applications import Application
    from recruit.models.participants import Participant


# Sustained 13 / 26 weeks: still in post at start + 91 / + 182 days (DOMAIN.md §3).
SUSTAINED_13_WEEKS_DAYS = 91
SUSTAINED_26_WEEKS_DAYS = 182


class OutcomeKind(enum.Enum):
    entry_level_role_at_anchor = "Entry-level role at the anchor"
    job_elsewhere = "Job elsewhere"
    apprenticeship = "Apprenticeship"
    college_or_training = "College or training place"
    volunteering = "Volunteering"
    other = "Other"


class Outcome(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    # Set when a start at the anchor created this outcome; other kinds have no application.
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id"), unique=True
    )
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind), index=True)
    started_on: Mapped[date] = mapped_column(index=True)
    employer: Mapped[str | None] = mapped_column(sa.String(200))
    role_title: Mapped[str | None] = mapped_column(sa.String(200))
    band: Mapped[AfcBand | None] = mapped_column(enum_column(AfcBand))
    # Still employed at started_on + 91 / + 182 days (DOMAIN.md §3); None until checked.
    sustained_13_weeks: Mapped[bool | None]
    checked_13_on: Mapped[date | None]
    sustained_26_weeks: Mapped[bool | None]
    checked_26_on: Mapped[date | None]
    progressed_band: Mapped[AfcBand | None] = mapped_column(enum_column(AfcBand))
    progressed_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant] = relationship(back_populates="outcomes")
    application: Mapped[Application | None] = relationship(back_populates="outcome")

    @property
    def check_13_due_on(self) -> date:
        """The day the 13-week sustainment check falls due (start + 91 days)."""
        return self.started_on + timedelta(days=SUSTAINED_13_WEEKS_DAYS)

    @property
    def check_26_due_on(self) -> date:
        """The day the 26-week sustainment check falls due (start + 182 days)."""
        return self.started_on + timedelta(days=SUSTAINED_26_WEEKS_DAYS)


class Volunteering(VersionedMixin, TimestampMixin, Base):
    """Volunteering that keeps a participant engaged while waiting for a suitable role."""

    __tablename__ = "volunteering_roles"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    organisation: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str | None] = mapped_column(sa.String(200))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date | None]
    hours: Mapped[int | None]

    participant: Mapped[Participant] = relationship(back_populates="volunteering")
