"""Suppression (DOMAIN.md §7): the rule itself, by example and as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recruit.statistics.suppression import (
    SUPPRESSED,
    suppress_count,
    suppress_mean,
    suppress_rows,
    suppress_share,
)


def test_worked_examples():
    assert [suppress_count(n) for n in (0, 1, 7, 8, 12, 13, 17, 18, 242)] == [
        0, "*", "*", 10, 10, 15, 15, 20, 240]


@given(st.integers(min_value=0, max_value=10**7))
def test_no_published_count_is_between_one_and_seven(count):
    published = suppress_count(count)
    if published != SUPPRESSED:
        assert published == 0 or published >= 8 and published % 5 == 0
        assert abs(published - count) <= 2
    assert (published == SUPPRESSED) == (1 <= count <= 7)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_shares_use_rounded_counts(numerator, denominator):
    share = suppress_share(numerator, denominator)
    if 1 <= numerator <= 7 or denominator <= 7:
        assert share == SUPPRESSED
    else:
        assert share == suppress_count(numerator) / suppress_count(denominator)


def test_mean_over_a_small_group_is_suppressed():
    assert suppress_mean(70.0, 7) == SUPPRESSED
    assert suppress_mean(80.0, 8) == 10.0
    assert suppress_mean(0.0, 0) is None


def test_rows_are_copied_not_changed():
    rows = [{"ward": "Coldhurst", "starters": 3, "staff": 121}]
    published = suppress_rows(rows, ["starters", "staff"])
    assert published == [{"ward": "Coldhurst", "starters": "*", "staff": 120}]
    assert rows[0]["starters"] == 3
