"""factory_boy factories over the real session: tests build data the way the app does."""

from __future__ import annotations

from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory

from recruit.auth.passwords import hash_password
from recruit.extensions import db
from recruit.models import (
    ActivityKind,
    Ambassador,
    LocalAuthority,
    OutreachActivity,
    PartnerKind,
    PartnerOrganisation,
    Role,
    User,
    Ward,
)

PASSWORD_HASH = hash_password("correct horse battery staple")


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class LocalAuthorityFactory(Base):
    class Meta:
        model = LocalAuthority

    code = factory.Sequence(lambda n: f"E08{n:06d}")
    name = factory.Sequence(lambda n: f"Town {n}")
    in_catchment = True


class WardFactory(Base):
    class Meta:
        model = Ward

    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    edition = "2022"
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class PartnerFactory(Base):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = PartnerKind.community_group
    ward = factory.SubFactory(WardFactory)
    local_authority = factory.SelfAttribute("ward.local_authority")
    contact_email = factory.Sequence(lambda n: f"contact{n}@partner.example")
    data_sharing_agreement_on = date(2024, 1, 15)


class AmbassadorFactory(Base):
    class Meta:
        model = Ambassador

    name = factory.Sequence(lambda n: f"Ambassador {n}")
    work_email = factory.Sequence(lambda n: f"ambassador{n}@trust.example.nhs.uk")
    job_role = "Staff nurse"
    site = "Royal Oldham Hospital"
    trained_on = date(2024, 5, 1)


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@recruit.example")
    name = factory.Sequence(lambda n: f"User {n}")
    role = Role.coordinator
    password_hash = PASSWORD_HASH


class ActivityFactory(Base):
    class Meta:
        model = OutreachActivity

    held_on = date(2024, 6, 3)
    kind = ActivityKind.school_talk
    venue = factory.Sequence(lambda n: f"Venue {n}")
    ward = factory.SubFactory(WardFactory)
    people_reached = 40
    young_people_reached = 20
    expressions_of_interest = 6
    barriers_raised = ""

    @factory.post_generation
    def ambassadors(self, create, extracted, **kwargs):
        if extracted:
            self.ambassadors = list(extracted)
