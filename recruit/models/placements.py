"""Work experience placements: the two weeks every completer is guaranteed (DOMAIN.md §1, §3)."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.cohorts import Enrolment
    from recruit.models.participants import Participant


class PlacementStatus(enum.Enum):
    offered = "Offered"
    scheduled = "Scheduled"
    in_progress = "In progress"
    completed = "Completed"
    declined = "Declined"
    did_not_start = "Did not start"


class Placement(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "placements"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    # The completed enrolment that earned the guarantee.
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolments.id"), index=True)
    department: Mapped[str] = mapped_column(sa.String(120))
    site: Mapped[str | None] = mapped_column(sa.String(120))
    supervisor_name: Mapped[str | None] = mapped_column(sa.String(120))
    role_sought: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[PlacementStatus] = mapped_column(
        enum_column(PlacementStatus), default=PlacementStatus.offered, index=True
    )
    # The guarantee is met by an offer within the period after completion, not by a start.
    offered_on: Mapped[date] = mapped_column(index=True)
    starts_on: Mapped[date | None] = mapped_column(index=True)
    ends_on: Mapped[date | None]
    participant_feedback: Mapped[str | None] = mapped_column(sa.Text)
    supervisor_feedback: Mapped[str | None] = mapped_column(sa.Text)

    participant: Mapped[Participant] = relationship(back_populates="placements")
    enrolment: Mapped[Enrolment | None] = relationship()
