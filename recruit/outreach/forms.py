from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from recruit.forms.fields import (
    EnumSelectField,
    RepeatedSelectField,
    VersionField,
    coerce_enum,
    enum_choices,
    optional_int,
)
from recruit.forms.validators import DateInRange
from recruit.models import ActivityKind, Barrier

# The programme's records start here; an earlier date is a typing slip.
EARLIEST_ACTIVITY = date(2015, 1, 1)
MAX_COUNT = 1_000_000


def _count(label: str, name: str, description: str | None = None) -> IntegerField:
    return IntegerField(
        label, default=0, description=description,
        validators=[InputRequired(f"Enter the number of {name}, or 0"),
                    NumberRange(min=0, max=MAX_COUNT,
                                message=f"The number of {name} must be between 0 and "
                                        f"{MAX_COUNT:,}")],
    )


def _within_reached(name: str):
    def check(form, field) -> None:
        reached = form.people_reached.data
        if field.data is not None and reached is not None and field.data > reached:
            raise ValidationError(f"{name} must not be more than the number of people reached")

    return check


class ActivityForm(FlaskForm):
    held_on = DateField(
        "Date of the activity",
        validators=[InputRequired("Enter the date of the activity"),
                    DateInRange("The date of the activity", EARLIEST_ACTIVITY)],
    )
    kind = EnumSelectField(
        "Kind of activity", ActivityKind, blank="Choose a kind",
        validators=[InputRequired("Choose the kind of activity")],
    )
    venue = StringField(
        "Venue",
        validators=[InputRequired("Enter the venue"), Length(max=200)],
        description="For example, the school, mosque or community centre",
    )
    ward_id = SelectField("Ward", coerce=optional_int, validators=[Optional()],
                          description="The ward the venue is in")
    partner_id = SelectField("Partner organisation", coerce=optional_int,
                             validators=[Optional()],
                             description="The partner that hosted or organised it, if any")
    ambassador_ids = RepeatedSelectField(
        "Ambassadors who took part", coerce=int, slot_label="Ambassador",
        validators=[InputRequired("Choose at least one ambassador")],
        invalid_choice_message="Choose ambassadors from the list",
    )
    people_reached = _count("People reached", "people reached")
    young_people_reached = _count("Of whom young people (under 25)", "young people",
                                  "Your best estimate if you did not ask everyone's age")
    expressions_of_interest = _count(
        "Expressions of interest", "expressions of interest",
        "People who asked to hear more or gave their contact details",
    )
    barriers = SelectMultipleField(
        "Barriers raised", choices=enum_choices(Barrier), coerce=coerce_enum(Barrier),
        validators=[Optional()], description="Select all that people mentioned",
        invalid_choice_message="Choose barriers from the list",
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    version = VersionField()

    validate_young_people_reached = staticmethod(_within_reached("Young people under 25"))
    validate_expressions_of_interest = staticmethod(_within_reached("Expressions of interest"))


class ActivityFilterForm(FlaskForm):
    class Meta:
        csrf = False

    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])
    kind = EnumSelectField("Kind", ActivityKind, blank="Any kind", validators=[Optional()])
    ward_id = SelectField("Ward", coerce=optional_int, validators=[Optional()])
    partner_id = SelectField("Partner", coerce=optional_int, validators=[Optional()])
    ambassador_id = SelectField("Ambassador", coerce=optional_int, validators=[Optional()])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date")
