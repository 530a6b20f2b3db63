"""Community partner organisations and the career ambassadors who do outreach."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.outreach import OutreachActivity
    from recruit.models.reference import LocalAuthority, Ward
    from recruit.models.users import User


class PartnerKind(enum.Enum):
    mosque = "Mosque"
    church = "Church"
    gurdwara = "Gurdwara"
    temple = "Temple"
    community_group = "Community group"
    school = "School"
    college = "College"
    housing_association = "Housing association"
    charity = "Charity"
    jobcentre = "Jobcentre"
    other = "Other"


class PartnerOrganisation(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "partner_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind), index=True)
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    local_authority_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("local_authorities.id"), index=True
    )
    contact_name: Mapped[str | None] = mapped_column(sa.String(120))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    data_sharing_agreement_on: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    ward: Mapped[Ward | None] = relationship()
    local_authority: Mapped[LocalAuthority | None] = relationship()
    users: Mapped[list[User]] = relationship(back_populates="partner")
    activities: WriteOnlyMapped[OutreachActivity] = relationship(back_populates="partner")

    def __str__(self) -> str:
        return self.name


class Ambassador(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "ambassadors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    work_email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    job_role: Mapped[str | None] = mapped_column(sa.String(120))
    site: Mapped[str | None] = mapped_column(sa.String(120))
    trained_on: Mapped[date | None] = mapped_column(index=True)
    equality_training_on: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True, index=True)

    user: Mapped[User | None] = relationship(back_populates="ambassador")

    @property
    def is_trained(self) -> bool:
        return self.trained_on is not None

    def __str__(self) -> str:
        return self.name
