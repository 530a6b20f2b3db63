"""Tables of figures as plain data: shown on the dashboard, printed in the board pack, exported.

A :class:`Table` holds values exactly as published (an ``int``, ``"*"`` for a suppressed count, a
share between 0 and 1, a date, text) and says for each column what kind of figure it holds, so
the page, the PDF, the CSV and the spreadsheet all format the same values the same way.
Tables below whole-organisation level are marked ``suppressed``: their counts went through
:mod:`recruit.statistics.suppression`, counts of outreach activities and of partner organisations
included, so that no number from 1 to 7 appears in them at all.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from recruit.charts import percent
from recruit.statistics.suppression import SUPPRESSED

# Column kinds: how a value is written. "count" is a number of people (suppressed in a
# sub-organisation table); "number" is any other whole number (organisations, activities).
KINDS = ("text", "count", "number", "pct", "days", "ratio", "gap", "date", "status")


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    suppressed: bool = False  # below whole-organisation level: counts suppressed
    note: str = ""  # shown under the table
    declaration: str = ""  # the declaration rate beside an equality figure

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        return cls(**{**data, "columns": [Column(**c) for c in data["columns"]]})

    def column(self, label: str) -> list[Any]:
        """Every value in the column headed ``label``."""
        index = [c.label for c in self.columns].index(label)
        return [row[index] for row in self.rows]


def count_text(value: Any) -> str:
    if value is None:
        return "no data"
    if isinstance(value, str):
        return value
    return f"{value:,.0f}".replace("-", "\u2212")


def days_text(value: Any) -> str:
    if value is None:
        return "no data"
    # Half up (0.25 is 0.3), as people round, not as binary floating point happens to.
    return value if isinstance(value, str) else f"{math.floor(value * 10 + 0.5 + 1e-9) / 10:.1f}"


def ratio_text(value: Any) -> str:
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:.2f}"


def gap_text(value: Any) -> str:
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:+.1f}".replace("-", "\u2212")


def date_text(value: Any) -> str:
    if value is None or value == "":
        return "no date"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def cell_text(value: Any, kind: str) -> str:
    """A value as the page and the PDF show it (text, such as ``*``, as it is)."""
    if isinstance(value, str) and kind != "date":
        return value
    if kind in ("count", "number"):
        return count_text(value)
    if kind == "pct":
        return percent(value)
    if kind == "days":
        return days_text(value)
    if kind == "ratio":
        return ratio_text(value)
    if kind == "gap":
        return gap_text(value)
    if kind == "date":
        return date_text(value)
    return "" if value is None else str(value)


def export_header(table: Table) -> list[str]:
    return [f"{c.label} (%)" if c.kind == "pct" else c.label for c in table.columns]


def export_value(value: Any, kind: str) -> Any:
    """A value for a CSV or spreadsheet cell: numbers stay numbers, shares become percentages."""
    if value is None or value == SUPPRESSED or isinstance(value, str) and kind != "date":
        return "" if value is None else value
    if kind == "pct":
        return round(value * 100, 1)
    if kind in ("days", "gap"):
        return round(value, 1)
    if kind == "ratio":
        return round(value, 2)
    if kind == "date":
        return date_text(value) if isinstance(value, str) else value
    return value


def export_rows(table: Table) -> list[list[Any]]:
    kinds = [c.kind for c in table.columns]
    return [[export_value(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.rows]
