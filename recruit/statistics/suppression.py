"""Small-number suppression for every published output (DOMAIN.md §7, NHS Digital method).

Any table below whole-organisation level: 0 stays 0; 1–7 becomes ``*``; 8 and above is rounded
to the nearest 5; shares and ratios are computed from the rounded numerator and denominator; a
share or mean over 1–7 people is ``*``. This is the only implementation: board packs, partner
views and exports all call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SUPPRESSED = "*"
THRESHOLD = 7
NOTE = (
    "Small numbers are suppressed to protect privacy: counts from 1 to 7 are shown as *, other "
    "counts are rounded to the nearest 5, and percentages are calculated from the rounded counts."
)

Published = int | str


def suppress_count(count: int | None) -> Published | None:
    """Publish a count: 0 stays 0, 1–7 becomes ``*``, 8 or more is rounded to the nearest 5."""
    if count is None:
        return None
    if count < 0:
        raise ValueError("a count cannot be negative")
    if count == 0:
        return 0
    if count <= THRESHOLD:
        return SUPPRESSED
    return 5 * ((count + 2) // 5)  # integers never sit exactly between two multiples of 5


def suppress_share(numerator: int | None, denominator: int | None) -> float | str | None:
    """Publish ``numerator / denominator`` from the rounded counts; ``*`` when either is small.

    :returns: a fraction between 0 and 1, ``*``, or ``None`` when the denominator is 0 or missing.
    """
    if numerator is None or not denominator:
        return None
    top, bottom = suppress_count(numerator), suppress_count(denominator)
    if top == SUPPRESSED or bottom == SUPPRESSED:
        return SUPPRESSED
    return top / bottom


def suppress_mean(total: float, people: int) -> float | str | None:
    """A mean over a group of people, ``*`` when the group has 1–7 people."""
    if not people:
        return None
    if people <= THRESHOLD:
        return SUPPRESSED
    return total / people


def suppress_rows(
    rows: Iterable[Mapping[str, Any]], count_keys: Iterable[str]
) -> list[dict[str, Any]]:
    """Return copies of ``rows`` with every field in ``count_keys`` suppressed."""
    keys = tuple(count_keys)
    return [{**row, **{key: suppress_count(row[key]) for key in keys}} for row in rows]


def is_suppressed(value: object) -> bool:
    return value == SUPPRESSED
