"""The Census 2021 tables we import and their categories, as stored in ``PopulationStatistic``.

Category keys are the exact ONS labels without the table's prefix (the part before the first
``": "`` of a nomis header), so they read the same in the database, in the tidy files and on
nomis:

* ``"Total"``: all usual residents. The published total where the file has one, otherwise the sum
  of the finest categories (the tidy files of Trafford Data Lab carry no total).
* TS021 ethnic group: the five groups (``"Asian, Asian British or Asian Welsh"``) and the nineteen
  categories as ``"<group>: <category>"`` (``"Asian, Asian British or Asian Welsh: Pakistani"``),
  DOMAIN.md §4; :func:`ethnicity_category` builds one from the ``Ethnicity`` enum.
* TS008 sex: ``"Female"``, ``"Male"`` (nomis's ``"All persons"`` is the total).
* TS007A age: the eighteen five-year bands, ``"Aged 4 years and under"`` … ``"Aged 85 years and
  over"``.
* TS030 religion: ``"No religion"``, ``"Christian"``, … ``"Other religion"``, ``"Not answered"``.
* TS038 disability: the two Equality Act groups (``"Disabled under the Equality Act"``, ``"Not
  disabled under the Equality Act"``) and their four categories as ``"<group>: <category>"``.

Group rows are stored for ethnicity and disability whichever layout was imported: published
where the file has them (and checked against their categories), otherwise summed.
"""

from __future__ import annotations

from dataclasses import dataclass

from recruit.models.equality import EthnicGroup, Ethnicity
from recruit.models.statistics import Characteristic
from recruit.reference.importers.core import header_key

TOTAL = "Total"


def ethnicity_category(ethnicity: Ethnicity) -> str:
    """The stored category key of a Census ethnic category (DOMAIN.md §4)."""
    return f"{ethnicity.group.value}: {ethnicity.value}"


@dataclass(frozen=True)
class CensusTable:
    code: str
    characteristic: Characteristic
    prefix: str  # the nomis header prefix, "Ethnic group"
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group label or "", its categories)
    total_labels: tuple[str, ...] = ("Total: All usual residents", "Total", "All usual residents")

    @property
    def categories(self) -> tuple[str, ...]:
        """The finest categories (the ones that add up to the total), in table order."""
        return tuple(category for _group, members in self.groups for category in members)

    @property
    def group_labels(self) -> tuple[str, ...]:
        return tuple(group for group, _members in self.groups if group)

    @property
    def stored_categories(self) -> tuple[str, ...]:
        """Every category key an import stores for this table, total first."""
        keys = [TOTAL]
        for group, members in self.groups:
            keys += [group, *members] if group else list(members)
        return tuple(keys)

    def keys(self) -> dict[str, str]:
        """Normalised header or label -> stored category key (with and without the prefix)."""
        labels = {label: TOTAL for label in self.total_labels}
        labels.update({key: key for key in self.stored_categories if key != TOTAL})
        found = {}
        for label, key in labels.items():
            found[header_key(label)] = key
            found[header_key(f"{self.prefix}: {label}")] = key
        return found


def _nested(*groups: tuple[str, tuple[str, ...]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((group, tuple(f"{group}: {member}" for member in members))
                 for group, members in groups)


_ETHNIC_GROUPS = tuple(
    (group.value, tuple(ethnicity_category(e) for e in Ethnicity if e.group is group))
    for group in EthnicGroup
)

_AGE_BANDS = ("Aged 4 years and under", *(f"Aged {low} to {low + 4} years"
                                          for low in range(5, 85, 5)), "Aged 85 years and over")

TABLES: dict[str, CensusTable] = {
    table.code: table
    for table in (
        CensusTable("TS021", Characteristic.ethnicity, "Ethnic group", _ETHNIC_GROUPS),
        CensusTable("TS008", Characteristic.sex, "Sex", (("", ("Female", "Male")),),
                    total_labels=("All persons", "Total", "Total: All usual residents")),
        CensusTable("TS007A", Characteristic.age, "Age", (("", _AGE_BANDS),)),
        CensusTable("TS030", Characteristic.religion, "Religion", (("", (
            "No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh",
            "Other religion", "Not answered")),)),
        CensusTable("TS038", Characteristic.disability, "Disability", _nested(
            ("Disabled under the Equality Act", (
                "Day-to-day activities limited a lot", "Day-to-day activities limited a little")),
            ("Not disabled under the Equality Act", (
                "Has long term physical or mental health condition but day-to-day activities "
                "are not limited",
                "No long term physical or mental health conditions")),
        )),
    )
}

TABLE_FOR: dict[Characteristic, CensusTable] = {t.characteristic: t for t in TABLES.values()}


def census_categories(characteristic: Characteristic) -> tuple[str, ...]:
    """Every stored category key of ``characteristic``, ``"Total"`` first, in table order."""
    return TABLE_FOR[characteristic].stored_categories
