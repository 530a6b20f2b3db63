"""Form pieces shared by several blueprints."""

from __future__ import annotations

import enum

from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.validators import Optional


def enum_choices(enum_cls: type[enum.Enum], blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(member.name, member.value) for member in enum_cls]
    return [("", blank), *choices] if blank is not None else choices


def coerce_enum(enum_cls: type[enum.Enum]):
    def coerce(value):
        if isinstance(value, enum_cls) or value in (None, ""):
            return value or None
        try:
            return enum_cls[value]
        except KeyError:
            raise ValueError(f"{value!r} is not one of the choices") from None

    return coerce


def EnumSelectField(label: str, enum_cls: type[enum.Enum], blank: str | None = None, **kwargs):  # noqa: N802
    """A select over an enum's members, submitted by name, giving the member back."""
    return SelectField(
        label, choices=enum_choices(enum_cls, blank), coerce=coerce_enum(enum_cls), **kwargs
    )


class VersionField(HiddenField):
    """The record version the form was rendered from (see :mod:`recruit.concurrency`)."""

    def __init__(self, **kwargs):
        super().__init__(validators=[Optional()], **kwargs)


MAX_ID = 2**31 - 1  # the largest primary key an ``Integer`` column holds on PostgreSQL


def record_id(value) -> int:
    """Parse a submitted record ID, refusing what no row can have (ValueError).

    A number too large for the database would otherwise reach the driver and fail there
    (SQLite raises ``OverflowError``), turning a tampered form into a server error.
    """
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(f"{value!r} is not a record ID")
    return number


NO_RECORD = 0  # an ID no row has


def optional_int(value) -> int | None:
    """Coerce a select's submitted ID, treating the blank choice as ``None``.

    Anything that is not an ID (tampered or garbled) becomes :data:`NO_RECORD`, which matches no
    choice, so the select says in its own words to choose from the list.
    """
    if value in (None, ""):
        return None
    try:
        return record_id(value)
    except ValueError:
        return NO_RECORD


class RepeatedSelectField(SelectMultipleField):
    """Several choices from a long list, shown as a few selects that share one name.

    A checkbox per option is unusable with a hundred options on a phone; a few native selects
    work everywhere without JavaScript. Empty selects are ignored.
    """

    def __init__(self, *args, slots: int = 3, slot_label: str = "Choice", **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.slot_label = slot_label

    def process_formdata(self, valuelist):
        super().process_formdata([value for value in valuelist if value not in ("", None)])
