"""Factories for participants, their reference geography and equality monitoring answers."""

from __future__ import annotations

from datetime import date

import factory
import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    EmploymentStatus,
    EqualityMonitoring,
    Lsoa,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    Postcode,
    PostcodeStatus,
    StatusChange,
)
from tests import factories
from tests.factories import Base


class LsoaFactory(Base):
    class Meta:
        model = Lsoa

    code = factory.Sequence(lambda n: f"E01{n:06d}")
    name = factory.Sequence(lambda n: f"Town {n}A")
    edition = "2021"
    ward = factory.SubFactory(factories.WardFactory)
    local_authority = factory.SelfAttribute("ward.local_authority")
    imd_rank = 1234
    imd_decile = 1
    imd_edition = "IoD2019"


class PostcodeFactory(Base):
    class Meta:
        model = Postcode

    postcode = factory.Sequence(lambda n: f"OL{n % 9 + 1} {n % 10}AB")
    lsoa21_code = factory.LazyAttribute(lambda o: o.lsoa.code if o.lsoa else None)
    ward_code = factory.LazyAttribute(lambda o: o.lsoa.ward.code if o.lsoa else None)
    local_authority_code = factory.LazyAttribute(
        lambda o: o.lsoa.local_authority.code if o.lsoa else None)
    source = "ONSPD test"

    class Params:
        lsoa = factory.SubFactory(LsoaFactory)


class ParticipantFactory(Base):
    """A registered participant referred by a partner, with the history row registration writes."""

    class Meta:
        model = Participant

    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = factory.Sequence(lambda n: f"Lastname{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = factory.Sequence(lambda n: f"07700{n:06d}")
    date_of_birth = date(1995, 5, 17)
    postcode = "OL1 1AA"
    postcode_status = PostcodeStatus.unknown
    employment_status = EmploymentStatus.unemployed
    source = ParticipantSource.partner_referral
    referring_partner = factory.SubFactory(factories.PartnerFactory)
    consent_to_contact = True
    consent_to_contact_on = date(2024, 6, 1)
    consent_to_share_with_partner = False
    consent_to_share_on = factory.LazyAttribute(
        lambda o: date(2024, 6, 1) if o.consent_to_share_with_partner else None)
    status = ParticipantStatus.registered
    registered_on = date(2024, 6, 1)
    eligible = True
    eligibility_reason = "Lives in the catchment and is unemployed"

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            db.session.flush()
            db.session.add(StatusChange(
                subject_type="participant", subject_id=self.id, participant_id=self.id,
                from_status=None, to_status=self.status.name,
            ))
            db.session.flush()


class EqualityFactory(Base):
    class Meta:
        model = EqualityMonitoring

    participant = factory.SubFactory(ParticipantFactory)


def bulk_participants(count: int, **fields) -> None:
    """Insert ``count`` registered participants in one statement, for pages tested at size.

    Much faster than the factory (no history rows, no partner each); names are
    ``Bulkname<n>`` so a test can search for one of them.
    """
    rows = [{"first_name": f"Bulk{n}", "last_name": f"Bulkname{n:04d}",
             "email": f"bulk{n}@example.org", "date_of_birth": date(1995, 5, 17),
             "postcode": "OL1 1AA", "postcode_status": PostcodeStatus.unknown,
             "source": ParticipantSource.self_referral, "status": ParticipantStatus.registered,
             "registered_on": date(2024, 6, 1), "consent_to_contact": True,
             "consent_to_contact_on": date(2024, 6, 1), **fields}
            for n in range(count)]
    db.session.execute(sa.insert(Participant), rows)
    db.session.commit()
