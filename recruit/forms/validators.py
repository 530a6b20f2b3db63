"""Field validators shared by several forms."""

from __future__ import annotations

from datetime import date

from wtforms.validators import ValidationError


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class DateInRange:
    """A date not in the future and, when ``earliest`` is given, not before it.

    :param what: how the message names the date, e.g. ``"The date of the activity"``.
    """

    def __init__(self, what: str, earliest: date | None = None) -> None:
        self.what = what
        self.earliest = earliest

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        if value > date.today():
            raise ValidationError(f"{self.what} must be today or in the past")
        if self.earliest is not None and value < self.earliest:
            raise ValidationError(f"{self.what} must be on or after {_long(self.earliest)}")
