"""Participants: residents on the programme, from registration to an outcome (DOMAIN.md §3).

Equality monitoring answers live in :mod:`recruit.models.equality`, deliberately unreachable from
here: a participant loaded for a journey screen cannot carry them by accident (DOMAIN.md §2).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column, utcnow
from recruit.models.outreach import Barrier

if TYPE_CHECKING:
    from recruit.models.applications import Application
    from recruit.models.cohorts import Enrolment
    from recruit.models.history import StatusChange
    from recruit.models.outcomes import Outcome, Volunteering
    from recruit.models.outreach import OutreachActivity
    from recruit.models.partners import PartnerOrganisation
    from recruit.models.placements import Placement
    from recruit.models.reference import LocalAuthority, Lsoa, Ward
    from recruit.models.users import User


class ParticipantStatus(enum.Enum):
    """Where a participant is on the journey; the furthest stage reached, or how it ended."""

    registered = "Registered"
    enrolled = "Enrolled in a cohort"
    completed = "Completed the programme"
    placed = "Work experience placement"
    applied = "Applied for a role"
    employed = "Started at the anchor"
    other_outcome = "Positive outcome elsewhere"
    withdrawn = "Withdrawn"


class ParticipantSource(enum.Enum):
    partner_referral = "Partner referral"
    outreach_activity = "Outreach activity"
    self_referral = "Self-referral"


class PostcodeStatus(enum.Enum):
    resolved = "Resolved"
    unknown = "Not found in the postcode directory"


class EmploymentStatus(enum.Enum):
    unemployed = "Unemployed"
    economically_inactive = "Economically inactive"
    employed_part_time = "Employed part-time"
    employed_full_time = "Employed full-time"
    in_education = "In education"
    other = "Other"


class QualificationLevel(enum.Enum):
    none = "No qualifications"
    entry_level = "Entry level"
    level_1 = "Level 1"
    level_2 = "Level 2 (GCSE)"
    level_3 = "Level 3 (A level)"
    level_4_plus = "Level 4 or above"
    unknown = "Prefer not to say or unknown"


class Participant(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "participants"
    __table_args__ = (
        sa.Index("ix_participants_name_dob", "last_name", "first_name", "date_of_birth"),
        # People registered by a day, by ward or town ("where next"), from the index alone.
        sa.Index("ix_participants_registered_areas", "registered_on", "ward_id",
                 "local_authority_id", "id"),
        sa.CheckConstraint("imd_decile BETWEEN 1 AND 10", name="imd_decile_in_range"),
        sa.CheckConstraint(
            "source <> 'partner_referral' OR referring_partner_id IS NOT NULL",
            name="partner_referral_has_partner",
        ),
        sa.CheckConstraint(
            "NOT consent_to_contact OR consent_to_contact_on IS NOT NULL",
            name="contact_consent_dated",
        ),
        sa.CheckConstraint(
            "NOT consent_to_share_with_partner OR consent_to_share_on IS NOT NULL",
            name="share_consent_dated",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    preferred_name: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    date_of_birth: Mapped[date | None]

    # Residence, resolved through the reference tables at registration (DOMAIN.md §8).
    postcode: Mapped[str | None] = mapped_column(sa.String(8))  # normalised, one space
    postcode_status: Mapped[PostcodeStatus] = mapped_column(
        enum_column(PostcodeStatus), default=PostcodeStatus.unknown
    )
    lsoa_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lsoas.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    local_authority_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("local_authorities.id"), index=True
    )
    # A snapshot: later IMD editions must not change who was eligible when they registered.
    imd_decile: Mapped[int | None] = mapped_column(index=True)
    imd_edition: Mapped[str | None] = mapped_column(sa.String(20))

    preferred_language: Mapped[str | None] = mapped_column(sa.String(60))
    needs_interpreter: Mapped[bool] = mapped_column(default=False)
    employment_status: Mapped[EmploymentStatus | None] = mapped_column(
        enum_column(EmploymentStatus)
    )
    highest_qualification: Mapped[QualificationLevel | None] = mapped_column(
        enum_column(QualificationLevel)
    )
    # Barrier names, comma separated, as on OutreachActivity.
    barriers_raised: Mapped[str] = mapped_column(sa.String(400), default="")
    how_heard: Mapped[str | None] = mapped_column(sa.String(200))

    source: Mapped[ParticipantSource] = mapped_column(enum_column(ParticipantSource), index=True)
    # The partner-isolation key: a partner user reaches only rows carrying its own id.
    referring_partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisations.id"), index=True
    )
    source_activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outreach_activities.id"), index=True
    )

    consent_to_contact: Mapped[bool] = mapped_column(default=False)
    consent_to_contact_on: Mapped[date | None]
    consent_to_share_with_partner: Mapped[bool] = mapped_column(default=False)
    consent_to_share_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)

    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus), default=ParticipantStatus.registered, index=True
    )
    registered_on: Mapped[date] = mapped_column(default=lambda: utcnow().date(), index=True)
    # Decided on residence, deprivation and employment status only; None until assessed.
    eligible: Mapped[bool | None] = mapped_column(index=True)
    eligibility_reason: Mapped[str | None] = mapped_column(sa.String(255))
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    is_anonymised: Mapped[bool] = mapped_column(default=False, index=True)
    anonymised_at: Mapped[datetime | None]
    # Drives the retention purge (issue 6).
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    lsoa: Mapped[Lsoa | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    local_authority: Mapped[LocalAuthority | None] = relationship()
    referring_partner: Mapped[PartnerOrganisation | None] = relationship()
    source_activity: Mapped[OutreachActivity | None] = relationship()
    registered_by: Mapped[User | None] = relationship()

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="participant")
    placements: Mapped[list[Placement]] = relationship(back_populates="participant")
    applications: Mapped[list[Application]] = relationship(back_populates="participant")
    outcomes: Mapped[list[Outcome]] = relationship(back_populates="participant")
    volunteering: Mapped[list[Volunteering]] = relationship(back_populates="participant")
    status_changes: WriteOnlyMapped[StatusChange] = relationship(back_populates="participant")

    @property
    def barriers(self) -> list[Barrier]:
        return [Barrier[name] for name in self.barriers_raised.split(",") if name]

    @barriers.setter
    def barriers(self, values: list[Barrier]) -> None:
        self.barriers_raised = ",".join(b.name for b in values)

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    def __str__(self) -> str:
        return self.display_name
