"""Board-level targets, their planned trajectory, and manual readings for custom counts."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.users import User


class TargetMetric(enum.Enum):
    residents_employed = "Residents employed in entry-level roles"
    places_filled = "Pre-employment places filled"
    ambassadors_trained = "Ambassadors trained"
    posts_identified = "Entry-level posts identified"
    custom = "Custom count"


class Target(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "targets"
    __table_args__ = (
        sa.CheckConstraint("value > 0", name="value_positive"),
        sa.CheckConstraint("deadline_on >= starts_on", name="deadline_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    metric: Mapped[TargetMetric] = mapped_column(enum_column(TargetMetric))
    value: Mapped[int]
    starts_on: Mapped[date]
    deadline_on: Mapped[date]
    description: Mapped[str | None] = mapped_column(sa.Text)

    milestones: Mapped[list[TargetMilestone]] = relationship(
        back_populates="target", cascade="all, delete-orphan", order_by="TargetMilestone.due_on"
    )
    readings: Mapped[list[TargetReading]] = relationship(
        back_populates="target", cascade="all, delete-orphan", order_by="TargetReading.as_of"
    )

    def __str__(self) -> str:
        return self.name


class TargetMilestone(Base):
    """The planned cumulative value by a date (usually each quarter end)."""

    __tablename__ = "target_milestones"
    __table_args__ = (
        sa.UniqueConstraint("target_id", "due_on"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("targets.id", ondelete="CASCADE"))
    due_on: Mapped[date]
    value: Mapped[int]

    target: Mapped[Target] = relationship(back_populates="milestones")


class TargetReading(Base):
    """An actual cumulative value recorded by hand, for ``custom`` targets the app cannot count."""

    __tablename__ = "target_readings"
    __table_args__ = (
        sa.UniqueConstraint("target_id", "as_of"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("targets.id", ondelete="CASCADE"))
    as_of: Mapped[date]
    value: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    target: Mapped[Target] = relationship(back_populates="readings")
    recorded_by: Mapped[User | None] = relationship()
