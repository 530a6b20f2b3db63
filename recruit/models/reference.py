"""Reference geography: local authorities, wards, LSOAs with deprivation, and postcodes.

Codes change between editions (DOMAIN.md §8), so every row keeps the edition it came from.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base


class LocalAuthority(Base):
    __tablename__ = "local_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(9), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Catchment authorities are the towns the anchor institution serves.
    in_catchment: Mapped[bool] = mapped_column(default=False)

    wards: Mapped[list[Ward]] = relationship(back_populates="local_authority")

    def __str__(self) -> str:
        return self.name


class Ward(Base):
    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(9), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    edition: Mapped[str] = mapped_column(sa.String(10))  # e.g. "2022", the Census output edition
    local_authority_id: Mapped[int] = mapped_column(
        sa.ForeignKey("local_authorities.id"), index=True
    )

    local_authority: Mapped[LocalAuthority] = relationship(back_populates="wards")

    def __str__(self) -> str:
        return f"{self.name} ({self.local_authority.name})"


class Lsoa(Base):
    __tablename__ = "lsoas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(9), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(120))
    edition: Mapped[str] = mapped_column(sa.String(10))  # "2021" or "2011"
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    local_authority_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("local_authorities.id"), index=True
    )
    imd_rank: Mapped[int | None]
    imd_decile: Mapped[int | None] = mapped_column(index=True)
    imd_edition: Mapped[str | None] = mapped_column(sa.String(20))  # "IoD2019", "IoD2025"

    ward: Mapped[Ward | None] = relationship()
    local_authority: Mapped[LocalAuthority | None] = relationship()


class Postcode(Base):
    __tablename__ = "postcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(sa.String(8), unique=True)  # "pcds": one space
    lsoa21_code: Mapped[str | None] = mapped_column(sa.String(9), index=True)
    lsoa11_code: Mapped[str | None] = mapped_column(sa.String(9))
    ward_code: Mapped[str | None] = mapped_column(sa.String(9))
    local_authority_code: Mapped[str | None] = mapped_column(sa.String(9))
    terminated_on: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(sa.String(120))
