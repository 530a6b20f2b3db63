"""Crosswalks between workforce codes and Census 2021 categories (DOMAIN.md §4, §5, §6).

Workforce and population are compared only at a level both sides support: the five Census groups,
or the sixteen NHS ethnic categories with the Census rows merged as in DOMAIN.md §5. A
:class:`Dimension` says, for one characteristic at one level, which groups exist and how a raw
workforce value, a Census label and a participant's answer each fall into them; the aggregate SQL
in :mod:`recruit.statistics.queries` groups by the raw value and these functions fold the handful
of aggregated rows into groups. Nothing here touches the database or Flask.

Local method, to be labelled as such in reports: the age comparison covers the working ages 16 to
64 only, and Census publishes ages 15 to 19 as one band, so the youngest group's population
includes 15-year-olds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from recruit.models.equality import Answer, EthnicGroup, Ethnicity, Religion, Sex

UNKNOWN_CODES = frozenset({"Z", "99"})
WHITE, BME = "White", "BME"
DISABLED, NOT_DISABLED = "Disabled", "Not disabled"


@dataclass(frozen=True)
class NhsCategory:
    code: str
    label: str
    census: tuple[Ethnicity, ...]  # the Census 2021 categories merged into this one

    @property
    def group(self) -> EthnicGroup:
        return self.census[0].group

    @property
    def wres_group(self) -> str:
        return WHITE if self.group is EthnicGroup.white else BME


_E = Ethnicity
NHS_CATEGORIES: dict[str, NhsCategory] = {
    c.code: c
    for c in (
        NhsCategory("A", "White - British", (_E.white_british,)),
        NhsCategory("B", "White - Irish", (_E.white_irish,)),
        NhsCategory("C", "White - Any other White background",
                    (_E.white_gypsy_irish_traveller, _E.white_roma, _E.white_other)),
        NhsCategory("D", "Mixed - White and Black Caribbean", (_E.mixed_white_black_caribbean,)),
        NhsCategory("E", "Mixed - White and Black African", (_E.mixed_white_black_african,)),
        NhsCategory("F", "Mixed - White and Asian", (_E.mixed_white_asian,)),
        NhsCategory("G", "Mixed - Any other mixed background", (_E.mixed_other,)),
        NhsCategory("H", "Asian or Asian British - Indian", (_E.asian_indian,)),
        NhsCategory("J", "Asian or Asian British - Pakistani", (_E.asian_pakistani,)),
        NhsCategory("K", "Asian or Asian British - Bangladeshi", (_E.asian_bangladeshi,)),
        NhsCategory("L", "Asian or Asian British - Any other Asian background", (_E.asian_other,)),
        NhsCategory("M", "Black or Black British - Caribbean", (_E.black_caribbean,)),
        NhsCategory("N", "Black or Black British - African", (_E.black_african,)),
        NhsCategory("P", "Black or Black British - Any other Black background",
                    (_E.black_other,)),
        # Chinese is an Asian category in Census 2021 but an "Other" code in the NHS list.
        NhsCategory("R", "Other Ethnic Groups - Chinese", (_E.asian_chinese,)),
        NhsCategory("S", "Other Ethnic Groups - Any other ethnic group",
                    (_E.other_arab, _E.other_any)),
    )
}
UNKNOWN_LABELS = {"Z": "Not stated", "99": "Not known"}
NHS_CODE_OF: dict[Ethnicity, str] = {
    census: category.code for category in NHS_CATEGORIES.values() for census in category.census
}

_CODE_PATTERN = re.compile(r"^\s*(99|[A-HJ-NPRSZ])(?:\s+\S.*)?$", re.IGNORECASE)


@lru_cache(maxsize=1024)  # a pure function of the text, called once per row of every count
def parse_nhs_code(value: str | None) -> str | None:
    """Return the NHS ethnic code in ``value``: a bare code, or a code, a space and a label.

    ESR writes ``"A White - British"``; ``"99"`` and ``"Z"`` (not known, not stated) are valid
    codes. Returns ``None`` for anything else, including an empty value.
    """
    if value is None:
        return None
    match = _CODE_PATTERN.match(value)
    return match.group(1).upper() if match else None


def ethnic_group_of_code(code: str | None) -> EthnicGroup | None:
    """The Census five-group parent of an NHS code; ``None`` for unknown or invalid codes."""
    category = NHS_CATEGORIES.get(code or "")
    return category.group if category else None


def wres_group_of_code(code: str | None) -> str | None:
    """``"White"`` or ``"BME"`` for a known NHS code; ``None`` (unknown) for Z, 99 and others."""
    category = NHS_CATEGORIES.get(code or "")
    return category.wres_group if category else None


def census_categories_of_code(code: str | None) -> tuple[Ethnicity, ...]:
    category = NHS_CATEGORIES.get(code or "")
    return category.census if category else ()


# -- Census labels --------------------------------------------------------------------------

_SUFFIX = re.compile(r";\s*measures:\s*value\s*$", re.IGNORECASE)


def normalise_label(label: str) -> str:
    """Lower-case a Census label, drop the ``; measures: Value`` suffix and extra spaces."""
    return " ".join(_SUFFIX.sub("", label).split()).lower()


def _strip_prefix(label: str, *prefixes: str) -> str:
    for prefix in prefixes:
        if label.startswith(prefix):
            return label[len(prefix):]
    return label


DETAIL, AGGREGATE = "detail", "aggregate"
PopulationKey = tuple[str, str] | None  # (DETAIL | AGGREGATE, group label), or None: not used

_TOTALS = {"total", "all usual residents", "total: all usual residents", "all persons",
           "all categories"}
_ETHNICITY_BY_LABEL: dict[str, Ethnicity] = {}
for _member in Ethnicity:
    if _member.group is not None:
        _ETHNICITY_BY_LABEL[normalise_label(_member.value)] = _member
        _ETHNICITY_BY_LABEL[normalise_label(f"{_member.group.value}: {_member.value}")] = _member
_GROUP_BY_LABEL = {normalise_label(g.value): g for g in EthnicGroup}


@lru_cache(maxsize=1024)  # a pure function of the label, called once per area and category
def census_ethnicity(label: str) -> Ethnicity | EthnicGroup | None:
    """Read a TS021 label: a category (any spelling the files use), a group total, or ``None``.

    Accepts ``"Pakistani"``, ``"Asian, Asian British or Asian Welsh: Pakistani"`` and the same
    with an ``"Ethnic group: "`` prefix or a ``"; measures: Value"`` suffix. Totals give ``None``.
    """
    text = _strip_prefix(normalise_label(label), "ethnic group: ")
    if text in _TOTALS:
        return None
    return _ETHNICITY_BY_LABEL.get(text) or _GROUP_BY_LABEL.get(text)


# -- Dimensions -----------------------------------------------------------------------------

OUT_OF_SCOPE = object()  # a declared value outside the comparison (staff aged 65 and over)


@dataclass(frozen=True)
class Dimension:
    """One characteristic at one level: its groups and how each source's values fall into them.

    ``workforce`` maps a raw workforce value to a group label, ``None`` (not declared) or
    :data:`OUT_OF_SCOPE`; ``population`` maps a Census label to ``(DETAIL | AGGREGATE, group)``
    or ``None``; ``participant`` maps an equality-monitoring answer to a group or ``None``.
    """

    characteristic: str
    level: str
    groups: tuple[str, ...]
    workforce: Callable[[Any], Any]
    population: Callable[[str], PopulationKey]
    participant: Callable[[Any], str | None]

    def fold_workforce(self, raw_counts: Iterable[tuple[Any, int]]) -> tuple[dict[str, int], int]:
        """Fold ``(raw value, count)`` pairs into ``({group: count}, undeclared)``."""
        counts = dict.fromkeys(self.groups, 0)
        undeclared = 0
        for raw, count in raw_counts:
            group = self.workforce(raw)
            if group is None:
                undeclared += count
            elif group is not OUT_OF_SCOPE:
                counts[group] += count
        return counts, undeclared

    def fold_population(self, label_counts: Iterable[tuple[str, int]]) -> dict[str, int] | None:
        """Fold ``(Census label, count)`` pairs for one area into ``{group: count}``.

        Detailed categories are used when the area has any; group totals only otherwise, so that
        a file carrying both is not counted twice. ``None`` when nothing usable is there.
        """
        detail = dict.fromkeys(self.groups, 0)
        aggregate = dict.fromkeys(self.groups, 0)
        seen = {DETAIL: False, AGGREGATE: False}
        for label, count in label_counts:
            key = self.population(label)
            if key is None:
                continue
            kind, group = key
            seen[kind] = True
            (detail if kind == DETAIL else aggregate)[group] += count
        if seen[DETAIL]:
            return detail
        return aggregate if seen[AGGREGATE] else None

    def fold_participants(self, raw_counts: Iterable[tuple[Any, int]]) -> dict[str, int]:
        counts = dict.fromkeys(self.groups, 0)
        for raw, count in raw_counts:
            group = self.participant(raw)
            if group is not None:
                counts[group] += count
        return counts


def _ethnicity_dimension(level: str) -> Dimension:
    if level == "group":
        groups = tuple(g.value for g in EthnicGroup)

        def workforce(code):
            group = ethnic_group_of_code(parse_nhs_code(code))
            return group.value if group else None

        def population(label):
            found = census_ethnicity(label)
            if isinstance(found, Ethnicity):
                return DETAIL, found.group.value
            if isinstance(found, EthnicGroup):
                return AGGREGATE, found.value
            return None

        def participant(answer):
            group = answer.group if isinstance(answer, Ethnicity) else None
            return group.value if group else None
    else:
        groups = tuple(c.label for c in NHS_CATEGORIES.values())

        def workforce(code):
            category = NHS_CATEGORIES.get(parse_nhs_code(code) or "")
            return category.label if category else None

        def population(label):
            found = census_ethnicity(label)
            if isinstance(found, Ethnicity):
                return DETAIL, NHS_CATEGORIES[NHS_CODE_OF[found]].label
            return None

        def participant(answer):
            code = NHS_CODE_OF.get(answer) if isinstance(answer, Ethnicity) else None
            return NHS_CATEGORIES[code].label if code else None

    return Dimension("ethnicity", level, groups, workforce, population, participant)


def _enum_dimension(characteristic: str, labels: Mapping[Any, str],
                    census: Callable[[str], PopulationKey]) -> Dimension:
    groups = tuple(dict.fromkeys(labels.values()))

    def workforce(value):
        return labels.get(value)

    return Dimension(characteristic, "group", groups, workforce, census, workforce)


def _sex_population(label: str) -> PopulationKey:
    text = _strip_prefix(normalise_label(label), "sex: ")
    return {"female": (DETAIL, "Female"), "male": (DETAIL, "Male")}.get(text)


def _disability_population(label: str) -> PopulationKey:
    text = _strip_prefix(normalise_label(label), "disability: ")
    for prefix, group in (("disabled under the equality act", DISABLED),
                          ("not disabled under the equality act", NOT_DISABLED)):
        if text == prefix:
            return AGGREGATE, group
        if text.startswith(prefix + ":"):
            return DETAIL, group
    return None


_RELIGIONS = {r: r.value for r in Religion if r is not Religion.prefer_not_to_say}
_RELIGION_BY_LABEL = {normalise_label(label): label for label in _RELIGIONS.values()}


def _religion_population(label: str) -> PopulationKey:
    # "Not answered" is the Census's own undeclared answer: left out, like undeclared staff.
    text = _strip_prefix(normalise_label(label), "religion: ")
    group = _RELIGION_BY_LABEL.get(text)
    return (DETAIL, group) if group else None


AGE_GROUPS = ("16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64")
_NUMBERS = re.compile(r"\d+")


def age_group(years: int) -> Any:
    """The comparison age group of an age; :data:`OUT_OF_SCOPE` outside 15 to 64."""
    if years < 15 or years > 64:
        return OUT_OF_SCOPE
    if years < 25:
        return AGE_GROUPS[0]
    return AGE_GROUPS[min((years - 25) // 10 + 1, len(AGE_GROUPS) - 1)]


def workforce_age_group(band: str | None) -> Any:
    """Place an ESR age band (``"<=20 Years"``, ``"21-25"``, ``"71 & above"``) by its middle."""
    if not band:
        return None
    numbers = [int(n) for n in _NUMBERS.findall(band)]
    if not numbers:
        return None
    middle = (numbers[0] + numbers[1]) // 2 if len(numbers) > 1 else numbers[0]
    return age_group(max(middle, 16))


def _age_population(label: str) -> PopulationKey:
    text = _strip_prefix(normalise_label(label), "age: ")
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    if not numbers:
        return None
    group = age_group(numbers[0])
    return None if group is OUT_OF_SCOPE else (DETAIL, group)


def _age_participant(value: Any) -> str | None:
    return None  # participants' ages are not compared (no date of birth in aggregates)


CHARACTERISTICS = ("ethnicity", "sex", "age", "disability", "religion")
LEVELS = ("group", "category")


def dimension(characteristic: str, level: str = "group") -> Dimension:
    """The :class:`Dimension` for a characteristic; only ethnicity has a ``category`` level."""
    if characteristic == "ethnicity":
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        return _ethnicity_dimension(level)
    if characteristic == "sex":
        return _enum_dimension("sex", {Sex.female: "Female", Sex.male: "Male"}, _sex_population)
    if characteristic == "disability":
        return _enum_dimension("disability", {Answer.yes: DISABLED, Answer.no: NOT_DISABLED},
                               _disability_population)
    if characteristic == "religion":
        return _enum_dimension("religion", _RELIGIONS, _religion_population)
    if characteristic == "age":
        return Dimension("age", "group", AGE_GROUPS, workforce_age_group, _age_population,
                         _age_participant)
    raise ValueError(f"unknown characteristic {characteristic!r}")
