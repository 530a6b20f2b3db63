"""The vacancy ledger: entry-level posts identified for programme completers (DOMAIN.md §1)."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column, utcnow

if TYPE_CHECKING:
    from recruit.models.applications import Application


class AfcBand(enum.Enum):
    """Agenda for Change pay bands, in pay order (WRES indicator 1 reports by these)."""

    band_1 = "Band 1"
    band_2 = "Band 2"
    band_3 = "Band 3"
    band_4 = "Band 4"
    band_5 = "Band 5"
    band_6 = "Band 6"
    band_7 = "Band 7"
    band_8a = "Band 8a"
    band_8b = "Band 8b"
    band_8c = "Band 8c"
    band_8d = "Band 8d"
    band_9 = "Band 9"
    vsm = "VSM"

    @property
    def is_entry_level(self) -> bool:
        return self in (AfcBand.band_2, AfcBand.band_3)


class StaffGroup(enum.Enum):
    """NHS staff groups, with the labels ESR uses."""

    add_prof_scientific = "Add Prof Scientific and Technic"
    additional_clinical = "Additional Clinical Services"
    admin_clerical = "Administrative and Clerical"
    allied_health = "Allied Health Professionals"
    estates_ancillary = "Estates and Ancillary"
    healthcare_scientists = "Healthcare Scientists"
    medical_dental = "Medical and Dental"
    nursing_midwifery = "Nursing and Midwifery Registered"
    students = "Students"

    @property
    def is_clinical(self) -> bool:
        """WRES split: administrative and clerical, and estates and ancillary, are non-clinical."""
        return self not in NON_CLINICAL_STAFF_GROUPS


NON_CLINICAL_STAFF_GROUPS = frozenset({StaffGroup.admin_clerical, StaffGroup.estates_ancillary})


class VacancyStatus(enum.Enum):
    identified = "Identified, not yet advertised"
    open = "Open"
    closed = "Closed"
    filled = "Filled"
    withdrawn = "Withdrawn"


class Vacancy(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "vacancies"
    __table_args__ = (
        sa.CheckConstraint("posts >= 1", name="posts_positive"),
        sa.CheckConstraint("closes_on >= opens_on", name="closes_after_opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    band: Mapped[AfcBand] = mapped_column(enum_column(AfcBand), index=True)
    staff_group: Mapped[StaffGroup | None] = mapped_column(enum_column(StaffGroup), index=True)
    department: Mapped[str | None] = mapped_column(sa.String(120))
    site: Mapped[str | None] = mapped_column(sa.String(120))
    locality: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    posts: Mapped[int] = mapped_column(default=1)
    is_ring_fenced: Mapped[bool] = mapped_column(default=False)
    nhs_jobs_reference: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    # When the posts joined the ledger: the "posts identified" target counts by this date.
    identified_on: Mapped[date] = mapped_column(default=lambda: utcnow().date(), index=True)
    opens_on: Mapped[date | None] = mapped_column(index=True)
    closes_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[VacancyStatus] = mapped_column(
        enum_column(VacancyStatus), default=VacancyStatus.identified, index=True
    )

    applications: WriteOnlyMapped[Application] = relationship(back_populates="vacancy")

    def __str__(self) -> str:
        return self.title
