"""Factories for the representativeness engine: import batches, Census counts, staff, outcomes."""

from __future__ import annotations

import hashlib
from datetime import date

import factory

from recruit.extensions import db
from recruit.models import (
    AreaType,
    Characteristic,
    EntryRoute,
    ImportBatch,
    ImportKind,
    PopulationStatistic,
    RecruitmentOutcome,
    StaffGroup,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.statistics import workforce_counts
from tests.factories import Base


class ImportBatchFactory(Base):
    class Meta:
        model = ImportBatch

    kind = ImportKind.census
    source_filename = factory.Sequence(lambda n: f"file{n}.csv")
    checksum = factory.Sequence(lambda n: hashlib.sha256(f"file {n}".encode()).hexdigest())
    edition = "Census 2021"


class PopulationFactory(Base):
    class Meta:
        model = PopulationStatistic

    import_batch = factory.SubFactory(ImportBatchFactory)
    area_code = "E08000004"
    area_name = "Oldham"
    area_type = AreaType.la
    characteristic = Characteristic.ethnicity
    category = "White: English, Welsh, Scottish, Northern Irish or British"
    count = 100
    edition = "Census 2021"


def population(area_code: str, counts: dict[str, int], *, area_type: AreaType = AreaType.la,
               characteristic: Characteristic = Characteristic.ethnicity,
               edition: str = "Census 2021", batch: ImportBatch | None = None) -> None:
    """Census rows for one area: ``{category label: count}``."""
    batch = batch or ImportBatchFactory()
    for category, count in counts.items():
        PopulationFactory(import_batch=batch, area_code=area_code, area_name=area_code,
                          area_type=area_type, characteristic=characteristic,
                          category=category, count=count, edition=edition)


class SnapshotFactory(Base):
    class Meta:
        model = WorkforceSnapshot

    as_of = date(2025, 3, 31)
    organisation = "Test Trust"
    label = factory.LazyAttribute(lambda o: f"Workforce at {o.as_of.isoformat()}")
    source_kind = WorkforceSource.person_extract


class StaffFactory(Base):
    class Meta:
        model = WorkforceRecord

    snapshot = factory.SubFactory(SnapshotFactory)
    staff_ref = factory.Sequence(lambda n: f"S{n:06d}")
    site = "Royal Oldham Hospital"
    locality = "Oldham"
    staff_group = StaffGroup.nursing_midwifery
    pay_band = "Band 5"
    ethnic_category = "A"
    started_on = date(2015, 1, 1)
    entry_route = EntryRoute.other

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Keep the snapshot's counts current, as the import does (one rebuild a record)."""
        super()._after_postgeneration(instance, create, results)
        if create:
            workforce_counts.rebuild(db.session, instance.snapshot_id)


def staff(snapshot: WorkforceSnapshot, number: int, **fields) -> None:
    """``number`` staff in ``snapshot`` sharing ``fields``, then the snapshot's counts rebuilt."""
    db.session.add_all(StaffFactory.build_batch(number, snapshot=snapshot, **fields))
    db.session.flush()
    workforce_counts.rebuild(db.session, snapshot.id)


class OutcomeFactory(Base):
    class Meta:
        model = RecruitmentOutcome

    import_batch = factory.SubFactory(ImportBatchFactory, kind=ImportKind.recruitment,
                                      edition=None)
    applicant_ref = factory.Sequence(lambda n: f"APP{n:06d}")
    vacancy_ref = "VAC1"
    decided_on = date(2025, 1, 15)
    ethnic_category = "A"
    shortlisted = True
    appointed = False
    route = EntryRoute.other


def outcomes(number: int, **fields) -> None:
    """``number`` shortlisting decisions sharing ``fields`` (and one import batch)."""
    if "import_batch" not in fields:  # not setdefault: that would create a stray batch
        fields["import_batch"] = ImportBatchFactory(kind=ImportKind.recruitment, edition=None)
    for _ in range(number):
        OutcomeFactory(**fields)
