"""The period a dashboard shows: a financial quarter or a financial year, chosen by GET params.

``?quarter=2025-Q1`` or ``?year=2025`` (the year April 2025 to March 2026). Without either, or with
one that is not offered, the latest complete quarter that contains any data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recruit.statistics.periods import FinancialYear, Quarter


@dataclass(frozen=True)
class Period:
    kind: str  # "quarter" or "year"
    key: str  # "2025-Q1" or "2025"
    label: str
    starts_on: date
    ends_on: date

    @classmethod
    def of_quarter(cls, quarter: Quarter) -> Period:
        return cls("quarter", str(quarter), quarter.label, quarter.starts_on, quarter.ends_on)

    @classmethod
    def of_year(cls, year: FinancialYear) -> Period:
        return cls("year", str(year.year), f"Financial year {year} (April {year.year} to "
                   f"March {year.year + 1})", year.starts_on, year.ends_on)

    def as_of(self, today: date) -> date:
        """The day figures "to date" are counted to: the period's end, or today within it."""
        return min(self.ends_on, today)

    @property
    def args(self) -> dict[str, str]:
        return {self.kind: self.key}


def default_quarter(today: date, last_data_day: date | None) -> Quarter:
    """The latest complete quarter on ``today`` that contains data (or the latest complete)."""
    last_complete = Quarter.containing(today).previous()
    if last_data_day is not None and last_data_day < last_complete.starts_on:
        return Quarter.containing(last_data_day)
    return last_complete


def quarter_choices(today: date, first_day: date | None) -> list[Quarter]:
    """Every quarter from the first with data to the current one, newest first."""
    current = Quarter.containing(today)
    quarter = Quarter.containing(min(first_day or today, today))
    quarters = []
    while quarter <= current:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters[::-1]


def choose(args, today: date, first_day: date | None,
           last_day: date | None) -> tuple[Period, list[Quarter], list[FinancialYear]]:
    """The period asked for in ``args`` when it is offered, else the default quarter."""
    quarters = quarter_choices(today, first_day)
    years = sorted({q.financial_year for q in quarters}, reverse=True)
    year_text, quarter_text = args.get("year", ""), args.get("quarter", "")
    chosen_year = next((y for y in years if str(y.year) == year_text), None)
    if chosen_year is not None:
        return Period.of_year(chosen_year), quarters, years
    chosen = next((q for q in quarters if str(q) == quarter_text), None)
    if chosen is None:
        chosen = default_quarter(today, last_day)
        if chosen not in quarters:
            quarters = sorted({*quarters, chosen}, reverse=True)
    return Period.of_quarter(chosen), quarters, years
