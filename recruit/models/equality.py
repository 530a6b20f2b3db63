"""Equality monitoring answers: special category data, stored apart from the journey record.

UK GDPR Art. 9 (DOMAIN.md §2): every question is optional (``None`` = not asked or skipped) and has
"Prefer not to say". :class:`~recruit.models.participants.Participant` has no relationship to this
table on purpose; load answers explicitly, and only where HR admins or aggregate queries need them.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.participants import Participant


class EthnicGroup(enum.Enum):
    """The five Census 2021 ethnic groups, exact ONS labels, in TS021 column order."""

    asian = "Asian, Asian British or Asian Welsh"
    black = "Black, Black British, Black Welsh, Caribbean or African"
    mixed = "Mixed or Multiple ethnic groups"
    white = "White"
    other = "Other ethnic group"


class Ethnicity(enum.Enum):
    """The nineteen Census 2021 ethnic categories, exact ONS labels, in TS021 column order.

    The TS021 header of a category is ``f"Ethnic group: {e.group.value}: {e.value}"``.
    """

    asian_bangladeshi = "Bangladeshi"
    asian_chinese = "Chinese"
    asian_indian = "Indian"
    asian_pakistani = "Pakistani"
    asian_other = "Other Asian"
    black_african = "African"
    black_caribbean = "Caribbean"
    black_other = "Other Black"
    mixed_white_asian = "White and Asian"
    mixed_white_black_african = "White and Black African"
    mixed_white_black_caribbean = "White and Black Caribbean"
    mixed_other = "Other Mixed or Multiple ethnic groups"
    white_british = "English, Welsh, Scottish, Northern Irish or British"
    white_irish = "Irish"
    white_gypsy_irish_traveller = "Gypsy or Irish Traveller"
    white_roma = "Roma"
    white_other = "Other White"
    other_arab = "Arab"
    other_any = "Any other ethnic group"
    prefer_not_to_say = "Prefer not to say"

    @property
    def group(self) -> EthnicGroup | None:
        """The five-group parent (its ``value`` is the ONS label); ``None`` for no answer."""
        return _GROUP_OF.get(self)


_GROUP_OF: dict[Ethnicity, EthnicGroup] = {
    member: EthnicGroup[member.name.split("_", 1)[0]]
    for member in Ethnicity
    if member is not Ethnicity.prefer_not_to_say
}


class Sex(enum.Enum):
    female = "Female"
    male = "Male"
    prefer_not_to_say = "Prefer not to say"


class Answer(enum.Enum):
    """Yes / no / prefer not to say, for the questions that need nothing finer."""

    yes = "Yes"
    no = "No"
    prefer_not_to_say = "Prefer not to say"


class Religion(enum.Enum):
    """Census 2021 religion (TS030) categories."""

    no_religion = "No religion"
    christian = "Christian"
    buddhist = "Buddhist"
    hindu = "Hindu"
    jewish = "Jewish"
    muslim = "Muslim"
    sikh = "Sikh"
    other = "Other religion"
    prefer_not_to_say = "Prefer not to say"


class SexualOrientation(enum.Enum):
    straight = "Straight or heterosexual"
    gay_or_lesbian = "Gay or lesbian"
    bisexual = "Bisexual"
    other = "Other sexual orientation"
    prefer_not_to_say = "Prefer not to say"


class EqualityMonitoring(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "equality_monitoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    ethnicity: Mapped[Ethnicity | None] = mapped_column(enum_column(Ethnicity))
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    gender_same_as_birth: Mapped[Answer | None] = mapped_column(enum_column(Answer))
    religion: Mapped[Religion | None] = mapped_column(enum_column(Religion))
    disability: Mapped[Answer | None] = mapped_column(enum_column(Answer))
    sexual_orientation: Mapped[SexualOrientation | None] = mapped_column(
        enum_column(SexualOrientation)
    )
    carer: Mapped[Answer | None] = mapped_column(enum_column(Answer))
    care_leaver: Mapped[Answer | None] = mapped_column(enum_column(Answer))
    armed_forces: Mapped[Answer | None] = mapped_column(enum_column(Answer))

    # One direction only: see the module docstring.
    participant: Mapped[Participant] = relationship()
