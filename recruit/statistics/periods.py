"""Financial periods: quarters run April–June (Q1) to January–March (Q4); years April to March."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTHS = ("April to June", "July to September", "October to December", "January to March")


@dataclass(frozen=True, order=True)
class Quarter:
    """Financial quarter ``number`` of the year starting in April of ``year``."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2025-Q1`` (April to June 2025)."""
        match = _QUARTER.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a financial quarter such as 2025-Q1")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @property
    def starts_on(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def ends_on(self) -> date:
        return self.next().starts_on - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def back(self, count: int) -> list[Quarter]:
        """Return ``count`` quarters ending with this one, oldest first."""
        quarters = [self]
        for _ in range(count - 1):
            quarters.insert(0, quarters[0].previous())
        return quarters

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """``Q1 2025/26 (April to June 2025)``."""
        calendar_year = self.starts_on.year
        return f"Q{self.number} {self.financial_year} ({_MONTHS[self.number - 1]} {calendar_year})"


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The year from 1 April ``year`` to 31 March ``year + 1``."""

    year: int

    @property
    def starts_on(self) -> date:
        return date(self.year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self.year, number) for number in range(1, 5)]

    def __str__(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"
