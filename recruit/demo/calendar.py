"""The demo's calendar: eight financial quarters ending with the last complete one before today.

The demo modules write their dates as if the demo ended on 31 March 2026 (``WRITTEN_FOR``);
:func:`shift` moves each by whole quarters so that the newest demo quarter is always the one the
dashboard opens on. The same day gives the same demo data.
"""

from __future__ import annotations

import calendar
from datetime import date

WRITTEN_FOR = date(2026, 3, 31)  # the last day of the demo as its dates are written


def last_complete_quarter_end(today: date) -> date:
    """The last day of the newest financial quarter that ended before ``today``."""
    month = (today.month - 1) // 3 * 3  # the month before this quarter began (0: December)
    year = today.year if month else today.year - 1
    month = month or 12
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def shift(day: date, today: date | None = None) -> date:
    """``day`` moved by the whole quarters between ``WRITTEN_FOR`` and the demo's real end.

    A month end stays a month end (31 March moves to 30 September), and any other day keeps its
    number where the month has it.
    """
    months = _months_between(WRITTEN_FOR, last_complete_quarter_end(today or date.today()))
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if is_month_end else min(day.day, last))


FIRST_DAY = shift(date(2024, 4, 1))  # the demo's eight financial quarters, first day to last
LAST_DAY = shift(WRITTEN_FOR)
