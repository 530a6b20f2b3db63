"""The crosswalks of DOMAIN.md §5 and the folding of raw values into groups; no app needed."""

from __future__ import annotations

import pytest

from recruit.models import Answer, EthnicGroup, Ethnicity, Religion, Sex
from recruit.statistics.calculations import represent
from recruit.statistics.categories import (
    AGE_GROUPS,
    NHS_CATEGORIES,
    NHS_CODE_OF,
    census_ethnicity,
    dimension,
    ethnic_group_of_code,
    parse_nhs_code,
    workforce_age_group,
    wres_group_of_code,
)


@pytest.fixture(autouse=True)
def db():
    """Pure functions: no application and no database (overrides the conftest fixture)."""
    yield None


@pytest.mark.parametrize(("value", "code"), [
    ("A White - British", "A"),
    ("A", "A"),
    ("  J Asian or Asian British - Pakistani ", "J"),
    ("99", "99"),
    ("99 Not known", "99"),
    ("Z Not stated", "Z"),
    ("r", "R"),
    ("White - British", None),  # a label without its code
    ("Something", None),  # starts with S but is not "S" and a space
    ("I", None), ("O", None), ("Q", None),  # letters the NHS list skips
    ("AB", None), ("", None), (None, None),
])
def test_nhs_code_parsing(value, code):
    assert parse_nhs_code(value) == code


def test_crosswalk_table():
    assert len(NHS_CATEGORIES) == 16
    assert ethnic_group_of_code("R") is EthnicGroup.asian  # Chinese: Asian in the Census
    assert NHS_CATEGORIES["R"].label == "Other Ethnic Groups - Chinese"
    assert ethnic_group_of_code("S") is EthnicGroup.other
    assert ethnic_group_of_code("C") is EthnicGroup.white
    assert ethnic_group_of_code("D") is EthnicGroup.mixed
    assert [wres_group_of_code(c) for c in "ABCDNRS"] == ["White"] * 3 + ["BME"] * 4
    assert wres_group_of_code("Z") is None and wres_group_of_code("99") is None
    # Every Census category lands in exactly one NHS category.
    assert set(NHS_CODE_OF) == {e for e in Ethnicity if e is not Ethnicity.prefer_not_to_say}
    assert NHS_CODE_OF[Ethnicity.white_roma] == "C"
    assert NHS_CODE_OF[Ethnicity.other_arab] == "S"


@pytest.mark.parametrize(("label", "expected"), [
    ("Asian, Asian British or Asian Welsh: Pakistani", Ethnicity.asian_pakistani),
    ("Pakistani", Ethnicity.asian_pakistani),
    ("Ethnic group: White: Roma; measures: Value", Ethnicity.white_roma),
    ("ethnic group:  other ethnic group: arab", Ethnicity.other_arab),
    ("Asian, Asian British or Asian Welsh", EthnicGroup.asian),
    ("Total", None), ("Ethnic group: Total: All usual residents", None), ("Nonsense", None),
])
def test_census_labels(label, expected):
    assert census_ethnicity(label) is expected


def test_unknown_codes_are_left_out_of_shares_but_lower_the_declaration_rate():
    dim = dimension("ethnicity", "group")
    counts, undeclared = dim.fold_workforce(
        [("A", 80), ("J", 10), ("Z", 6), ("99", 4), ("??", 1)])
    assert counts["White"] == 80
    assert counts["Asian, Asian British or Asian Welsh"] == 10
    assert undeclared == 11  # Z, 99 and an unreadable value
    known = sum(counts.values())
    row = represent("X", "X", "White", workforce_count=80, workforce_known=known,
                    workforce_total=known + undeclared, population_count=1,
                    population_total=2)
    assert row.workforce_share == pytest.approx(80 / 90)
    assert row.declaration_rate == pytest.approx(90 / 101)


def test_census_rows_merge_into_nhs_categories():
    dim = dimension("ethnicity", "category")
    folded = dim.fold_population([
        ("White: Gypsy or Irish Traveller", 10), ("White: Roma", 20), ("White: Other White", 70),
        ("Other ethnic group: Arab", 5), ("Other ethnic group: Any other ethnic group", 15),
        ("Asian, Asian British or Asian Welsh: Chinese", 8),
        ("White", 100), ("Total", 128),  # group and total rows are not counted again
    ])
    assert folded["White - Any other White background"] == 100
    assert folded["Other Ethnic Groups - Any other ethnic group"] == 20
    assert folded["Other Ethnic Groups - Chinese"] == 8
    assert sum(folded.values()) == 128


def test_group_level_uses_categories_when_present_and_group_rows_otherwise():
    dim = dimension("ethnicity", "group")
    both = dim.fold_population([("White", 999), ("White: Irish", 3), ("White: Other White", 4)])
    assert both["White"] == 7
    only_groups = dim.fold_population([("White", 90), ("Mixed or Multiple ethnic groups", 10),
                                       ("Total", 100)])
    assert only_groups["White"] == 90 and sum(only_groups.values()) == 100
    assert dim.fold_population([("Total", 5)]) is None
    # The NHS-category level cannot be made from group rows.
    assert dimension("ethnicity", "category").fold_population([("White", 90)]) is None


def test_other_characteristics():
    sex = dimension("sex")
    assert sex.fold_workforce([(Sex.female, 7), (Sex.male, 3), (Sex.prefer_not_to_say, 2),
                               (None, 1)]) == ({"Female": 7, "Male": 3}, 3)
    assert sex.fold_population([("Female", 5), ("Male", 4), ("All persons", 9)]) == \
        {"Female": 5, "Male": 4}
    disability = dimension("disability")
    assert disability.fold_population([
        ("Disabled under the Equality Act", 30),
        ("Disabled under the Equality Act: Day-to-day activities limited a lot", 10),
        ("Disabled under the Equality Act: Day-to-day activities limited a little", 20),
        ("Not disabled under the Equality Act: No long term physical or mental health "
         "conditions", 70),
    ]) == {"Disabled": 30, "Not disabled": 70}
    assert disability.fold_workforce([(Answer.yes, 1), (Answer.no, 9), (None, 2)]) == \
        ({"Disabled": 1, "Not disabled": 9}, 2)
    religion = dimension("religion")
    folded = religion.fold_population([("Muslim", 40), ("Not answered", 9), ("Christian", 60)])
    assert folded["Muslim"] == 40 and sum(folded.values()) == 100
    assert religion.fold_workforce([(Religion.prefer_not_to_say, 4), (Religion.sikh, 1)])[1] == 4


def test_age_compares_working_ages_only():
    assert workforce_age_group("<=20 Years") == AGE_GROUPS[0]
    assert workforce_age_group("21-25") == "16 to 24"
    assert workforce_age_group("26-30") == "25 to 34"
    assert workforce_age_group("61-65") == "55 to 64"
    age = dimension("age")
    counts, undeclared = age.fold_workforce([("26-30", 5), ("71 & above", 3), (None, 2)])
    assert counts["25 to 34"] == 5 and sum(counts.values()) == 5  # 71+ outside the comparison
    assert undeclared == 2
    folded = age.fold_population([("Aged 10 to 14 years", 100), ("Aged 15 to 19 years", 40),
                                  ("Aged 20 to 24 years", 60), ("Aged 60 to 64 years", 30),
                                  ("Aged 85 years and over", 9), ("Total", 239)])
    assert folded == {"16 to 24": 100, "25 to 34": 0, "35 to 44": 0, "45 to 54": 0,
                      "55 to 64": 30}


def test_unknown_characteristic_is_refused():
    with pytest.raises(ValueError):
        dimension("height")
    with pytest.raises(ValueError):
        dimension("ethnicity", "detail")
