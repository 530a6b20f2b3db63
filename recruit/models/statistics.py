"""Imported reference and workforce figures for the representativeness engine (DOMAIN.md §6, §8).

Every imported row keeps the batch it came from (file, checksum, edition, who). No person-level
workforce row holds a postcode: home postcodes are resolved to areas at import and discarded.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from recruit.models.base import Base, enum_column, utcnow
from recruit.models.equality import Answer, Religion, Sex
from recruit.models.vacancies import StaffGroup

if TYPE_CHECKING:
    from recruit.models.users import User


class ImportKind(enum.Enum):
    census = "Census 2021 table"
    imd = "Indices of Deprivation"
    lsoa_wards = "LSOA to ward lookup"
    postcodes = "Postcode directory"
    workforce = "Workforce extract"
    diversity_return = "Aggregate diversity return"
    recruitment = "Recruitment outcomes"


class ImportBatch(Base):
    __tablename__ = "import_batches"
    __table_args__ = (
        # The same file imported twice is recognised and changes nothing.
        sa.UniqueConstraint("kind", "checksum"),
        sa.CheckConstraint(
            "rows_read >= 0 AND rows_inserted >= 0 AND rows_updated >= 0 AND rows_skipped >= 0",
            name="row_counts_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind))
    source_filename: Mapped[str] = mapped_column(sa.String(255))
    checksum: Mapped[str] = mapped_column(sa.String(64))  # SHA-256, hex
    edition: Mapped[str | None] = mapped_column(sa.String(40))  # "Census 2021", "IoD2019", ...
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    rows_read: Mapped[int] = mapped_column(default=0)
    rows_inserted: Mapped[int] = mapped_column(default=0)
    rows_updated: Mapped[int] = mapped_column(default=0)
    rows_skipped: Mapped[int] = mapped_column(default=0)

    imported_by: Mapped[User | None] = relationship()


class AreaType(enum.Enum):
    lsoa = "LSOA"
    ward = "Ward"
    la = "Local authority"


class Characteristic(enum.Enum):
    ethnicity = "Ethnic group"
    sex = "Sex"
    age = "Age"
    religion = "Religion"
    disability = "Disability"
    # Only in aggregate diversity returns (Open Innovations standard), not in Census imports.
    gender_identity = "Gender identity same as at birth"
    sexual_orientation = "Sexual orientation"
    carer = "Carer"


class PopulationStatistic(Base):
    """One Census count: people of one category of one characteristic living in one area."""

    __tablename__ = "population_statistics"
    __table_args__ = (
        sa.UniqueConstraint("area_code", "characteristic", "category", "edition"),
        sa.Index("ix_population_statistics_lookup", "characteristic", "area_type", "edition"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_batch_id: Mapped[int] = mapped_column(sa.ForeignKey("import_batches.id"), index=True)
    area_code: Mapped[str] = mapped_column(sa.String(9))
    area_name: Mapped[str | None] = mapped_column(sa.String(120))
    area_type: Mapped[AreaType] = mapped_column(enum_column(AreaType))
    characteristic: Mapped[Characteristic] = mapped_column(enum_column(Characteristic))
    category: Mapped[str] = mapped_column(sa.String(200))  # normalised Census label, or "Total"
    count: Mapped[int]
    edition: Mapped[str] = mapped_column(sa.String(40))

    import_batch: Mapped[ImportBatch] = relationship()


class WorkforceSource(enum.Enum):
    person_extract = "Person-level extract"
    diversity_return = "Aggregate diversity return"


class WorkforceSnapshot(Base):
    __tablename__ = "workforce_snapshots"
    __table_args__ = (
        # Aggregate returns can cover several organisations on the same date (Open Innovations).
        sa.UniqueConstraint("as_of", "organisation"),
        sa.CheckConstraint("headcount >= 0", name="headcount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(index=True)
    organisation: Mapped[str] = mapped_column(sa.String(200))
    label: Mapped[str] = mapped_column(sa.String(120))
    import_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batches.id"), index=True
    )
    source_kind: Mapped[WorkforceSource] = mapped_column(enum_column(WorkforceSource))
    headcount: Mapped[int | None]  # as reported by an aggregate return ("employees")

    import_batch: Mapped[ImportBatch | None] = relationship()
    records: WriteOnlyMapped[WorkforceRecord] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", passive_deletes=True
    )
    aggregates: WriteOnlyMapped[WorkforceAggregate] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", passive_deletes=True
    )
    counts: WriteOnlyMapped[WorkforceCount] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", passive_deletes=True
    )

    def __str__(self) -> str:
        return self.label


class EntryRoute(enum.Enum):
    programme = "Pre-employment programme"
    other = "Other"


class WorkforceRecord(Base):
    """One anonymised member of staff (or assignment) in a snapshot. No postcode, by design."""

    __tablename__ = "workforce_records"
    __table_args__ = (
        sa.UniqueConstraint("snapshot_id", "staff_ref"),
        sa.CheckConstraint("home_imd_decile BETWEEN 1 AND 10", name="home_imd_decile_in_range"),
        # Staff by where they live and their ethnic category, one snapshot at a time, counted
        # from the index alone (the representativeness engine's commonest question).
        sa.Index("ix_workforce_records_snapshot_areas", "snapshot_id", "home_la_code",
                 "home_ward_code", "ethnic_category"),
        # The deprivation lens and the pay-band filter, likewise from the index alone.
        sa.Index("ix_workforce_records_snapshot_deprivation", "snapshot_id", "home_la_code",
                 "home_lsoa_code", "home_imd_decile"),
        sa.Index("ix_workforce_records_snapshot_pay_band", "snapshot_id", "pay_band"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workforce_snapshots.id", ondelete="CASCADE")
    )
    staff_ref: Mapped[str] = mapped_column(sa.String(40))
    site: Mapped[str | None] = mapped_column(sa.String(120))
    locality: Mapped[str | None] = mapped_column(sa.String(120))
    staff_group: Mapped[StaffGroup | None] = mapped_column(enum_column(StaffGroup))
    pay_band: Mapped[str] = mapped_column(sa.String(40))  # "Band 5", or a medical grade
    ethnic_category: Mapped[str] = mapped_column(sa.String(2))  # NHS code A..S, Z or 99
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    age_band: Mapped[str | None] = mapped_column(sa.String(20))
    disability: Mapped[Answer | None] = mapped_column(enum_column(Answer))  # None: not declared
    religion: Mapped[Religion | None] = mapped_column(enum_column(Religion))
    # Derived from the home postcode at import (2021 LSOA, then the Census ward edition).
    home_lsoa_code: Mapped[str | None] = mapped_column(sa.String(9))
    home_ward_code: Mapped[str | None] = mapped_column(sa.String(9))
    home_la_code: Mapped[str | None] = mapped_column(sa.String(9))
    home_imd_decile: Mapped[int | None]
    started_on: Mapped[date | None]
    entry_route: Mapped[EntryRoute] = mapped_column(
        enum_column(EntryRoute), default=EntryRoute.other
    )

    snapshot: Mapped[WorkforceSnapshot] = relationship(back_populates="records")


class CountArea(enum.Enum):
    ward = "Home ward"
    la = "Home local authority"
    site = "Site locality"


class WorkforceCount(Base):
    """Staff of one person-level snapshot with one value of one characteristic, in one area.

    Written at import from the snapshot's records (:mod:`recruit.statistics.workforce_counts`),
    so that the representativeness page reads a few thousand counts instead of counting every
    record of every snapshot; snapshots do not change after import. Only for all staff: a page
    filtered to a pay band or staff group still counts the records.
    """

    __tablename__ = "workforce_counts"
    __table_args__ = (
        sa.Index("ix_workforce_counts_lookup", "snapshot_id", "area_type", "characteristic"),
        sa.CheckConstraint("count > 0", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workforce_snapshots.id", ondelete="CASCADE")
    )
    area_type: Mapped[CountArea] = mapped_column(enum_column(CountArea))
    # A ward or local-authority code where staff live, or a site locality's name.
    area_code: Mapped[str] = mapped_column(sa.String(120))
    # The home local authority of a ward's staff: the catchment is chosen when the page is read,
    # and a ward counts only its staff whose local authority is in it (as the records do).
    la_code: Mapped[str | None] = mapped_column(sa.String(9))
    characteristic: Mapped[Characteristic] = mapped_column(enum_column(Characteristic))
    # The value as the record stores it (NHS code, enum name, age band); None: not declared.
    category: Mapped[str | None] = mapped_column(sa.String(40))
    count: Mapped[int]

    snapshot: Mapped[WorkforceSnapshot] = relationship(back_populates="counts")


class WorkforceAggregate(Base):
    """One count from an aggregate diversity return, optionally for a sub-division or pay level."""

    __tablename__ = "workforce_aggregates"
    __table_args__ = (
        sa.UniqueConstraint("snapshot_id", "grouping", "level", "characteristic", "category"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workforce_snapshots.id", ondelete="CASCADE")
    )
    # Open Innovations "organisation_grouping" and "organisation_level"; "" for the whole body.
    grouping: Mapped[str] = mapped_column(sa.String(120), default="")
    level: Mapped[str] = mapped_column(sa.String(40), default="")
    characteristic: Mapped[Characteristic] = mapped_column(enum_column(Characteristic))
    category: Mapped[str] = mapped_column(sa.String(120))
    count: Mapped[int]

    snapshot: Mapped[WorkforceSnapshot] = relationship(back_populates="aggregates")


class RecruitmentOutcome(Base):
    """One shortlisting decision from the recruitment system, for WRES 2 and WDES 2."""

    __tablename__ = "recruitment_outcomes"
    __table_args__ = (sa.UniqueConstraint("applicant_ref", "vacancy_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_batch_id: Mapped[int] = mapped_column(sa.ForeignKey("import_batches.id"), index=True)
    applicant_ref: Mapped[str] = mapped_column(sa.String(60))
    vacancy_ref: Mapped[str] = mapped_column(sa.String(60))
    decided_on: Mapped[date] = mapped_column(index=True)
    ethnic_category: Mapped[str | None] = mapped_column(sa.String(2))  # NHS code
    disability: Mapped[Answer | None] = mapped_column(enum_column(Answer))
    shortlisted: Mapped[bool] = mapped_column(default=False)
    appointed: Mapped[bool] = mapped_column(default=False)
    declined_offer: Mapped[bool] = mapped_column(default=False)
    route: Mapped[EntryRoute] = mapped_column(enum_column(EntryRoute), default=EntryRoute.other)

    import_batch: Mapped[ImportBatch] = relationship()
