"""Pre-employment programmes, their cohorts of 8 to 10, sessions, attendance and enrolments."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column, utcnow

if TYPE_CHECKING:
    from recruit.models.participants import Participant
    from recruit.models.partners import PartnerOrganisation
    from recruit.models.reference import Ward
    from recruit.models.users import User


class Programme(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    curriculum: Mapped[str | None] = mapped_column(sa.Text)
    # The recruitment changes a completer earns (DOMAIN.md §1, point 5).
    counts_as_gcse_equivalent: Mapped[bool] = mapped_column(default=True)
    waives_interview: Mapped[bool] = mapped_column(default=True)
    is_active: Mapped[bool] = mapped_column(default=True, index=True)

    cohorts: WriteOnlyMapped[Cohort] = relationship(back_populates="programme")

    def __str__(self) -> str:
        return self.name


class CohortStatus(enum.Enum):
    planned = "Planned"
    recruiting = "Recruiting"
    running = "Running"
    completed = "Completed"
    cancelled = "Cancelled"


class Cohort(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "cohorts"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "name"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    host_partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisations.id"), index=True
    )
    venue: Mapped[str | None] = mapped_column(sa.String(200))
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date] = mapped_column(index=True)
    capacity: Mapped[int] = mapped_column(default=10)
    status: Mapped[CohortStatus] = mapped_column(
        enum_column(CohortStatus), default=CohortStatus.planned, index=True
    )
    # Enrolling beyond capacity needs an admin and a reason (issue 3).
    capacity_override_reason: Mapped[str | None] = mapped_column(sa.Text)
    capacity_overridden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    programme: Mapped[Programme] = relationship(back_populates="cohorts")
    host_partner: Mapped[PartnerOrganisation | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    capacity_overridden_by: Mapped[User | None] = relationship()
    sessions: Mapped[list[CohortSession]] = relationship(
        back_populates="cohort",
        cascade="all, delete-orphan",
        order_by="[CohortSession.held_on, CohortSession.starts_at]",
    )
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="cohort")

    def __str__(self) -> str:
        return self.name


class CohortSession(Base):
    __tablename__ = "cohort_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time | None]
    topic: Mapped[str] = mapped_column(sa.String(200))
    # The same equality and diversity training the anchor's own staff receive.
    is_equality_training: Mapped[bool] = mapped_column(default=False)

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )


class AttendanceStatus(enum.Enum):
    present = "Present"
    absent = "Absent"
    excused = "Excused"


class Attendance(Base):
    __tablename__ = "attendances"
    __table_args__ = (sa.UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort_sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[CohortSession] = relationship(back_populates="attendances")
    enrolment: Mapped[Enrolment] = relationship(back_populates="attendances")
    recorded_by: Mapped[User | None] = relationship()


class EnrolmentStatus(enum.Enum):
    enrolled = "Enrolled"
    completed = "Completed"
    withdrawn = "Withdrawn"


class Enrolment(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "enrolments"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "cohort_id"),
        sa.CheckConstraint("completed_on >= enrolled_on", name="completed_after_enrolled"),
        sa.CheckConstraint("withdrawn_on >= enrolled_on", name="withdrawn_after_enrolled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"))
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus), default=EnrolmentStatus.enrolled, index=True
    )
    enrolled_on: Mapped[date] = mapped_column(index=True)
    completed_on: Mapped[date | None] = mapped_column(index=True)
    completion_confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_on: Mapped[date | None] = mapped_column(index=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Snapshot for the target count (DOMAIN.md §3): eligibility may be re-assessed later.
    eligible_at_enrolment: Mapped[bool] = mapped_column(default=False)

    participant: Mapped[Participant] = relationship(back_populates="enrolments")
    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    completion_confirmed_by: Mapped[User | None] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan", passive_deletes=True
    )
