"""Outreach activities: talks, sessions and drop-ins where ambassadors meet residents."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.partners import Ambassador, PartnerOrganisation
    from recruit.models.reference import Ward
    from recruit.models.users import User


class ActivityKind(enum.Enum):
    school_talk = "School talk"
    college_talk = "College talk"
    community_group_session = "Community group session"
    faith_venue_session = "Faith venue session"
    careers_fair = "Careers fair"
    door_to_door = "Door-to-door"
    drop_in = "Drop-in"
    online = "Online"


class Barrier(enum.Enum):
    """Perceived barriers to NHS employment, from community research (DOMAIN.md §1)."""

    local_visibility = "Lack of local visibility"
    advertising = "Ineffective advertising"
    discrimination = "Perceived discrimination"
    application_process = "The application process"
    language = "Language"
    childcare = "Childcare"
    transport = "Transport"
    digital_access = "Digital access"
    confidence = "Confidence"
    qualifications = "Qualifications"


activity_ambassadors = sa.Table(
    "outreach_activity_ambassadors",
    Base.metadata,
    sa.Column(
        "activity_id",
        sa.ForeignKey("outreach_activities.id", ondelete="CASCADE",
                      name="fk_outreach_activity_ambassadors_activity"),
        primary_key=True,
    ),
    sa.Column("ambassador_id", sa.ForeignKey("ambassadors.id"), primary_key=True, index=True),
)


class OutreachActivity(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "outreach_activities"
    __table_args__ = (
        sa.CheckConstraint("people_reached >= 0", name="people_reached_not_negative"),
        sa.CheckConstraint(
            "young_people_reached >= 0 AND young_people_reached <= people_reached",
            name="young_people_within_reached",
        ),
        sa.CheckConstraint(
            "expressions_of_interest >= 0 AND expressions_of_interest <= people_reached",
            name="interest_within_reached",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind), index=True)
    venue: Mapped[str] = mapped_column(sa.String(200))
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisations.id"), index=True
    )
    people_reached: Mapped[int] = mapped_column(default=0)
    young_people_reached: Mapped[int] = mapped_column(default=0)
    expressions_of_interest: Mapped[int] = mapped_column(default=0)
    # Barrier names, comma separated: small, fixed vocabulary, read with the activity.
    barriers_raised: Mapped[str] = mapped_column(sa.String(400), default="")
    notes: Mapped[str | None] = mapped_column(sa.Text)
    logged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    ward: Mapped[Ward | None] = relationship()
    partner: Mapped[PartnerOrganisation | None] = relationship(back_populates="activities")
    ambassadors: Mapped[list[Ambassador]] = relationship(secondary=activity_ambassadors)
    logged_by: Mapped[User | None] = relationship()

    @property
    def barriers(self) -> list[Barrier]:
        return [Barrier[name] for name in self.barriers_raised.split(",") if name]

    @barriers.setter
    def barriers(self, values: list[Barrier]) -> None:
        self.barriers_raised = ",".join(b.name for b in values)
