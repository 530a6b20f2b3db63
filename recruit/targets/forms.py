from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from recruit.forms.fields import EnumSelectField, VersionField
from recruit.models import TargetMetric


class TargetForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Enter a name for the target"),
                                           Length(max=200)],
                       description="For example: Residents employed in entry-level roles")
    metric = EnumSelectField(
        "What is counted", TargetMetric, blank="Choose what is counted",
        validators=[InputRequired("Choose what the target counts")],
        description="Custom counts are recorded by hand as readings; the others are counted "
                    "from the programme's records.",
    )
    value = IntegerField("Target value", validators=[
        InputRequired("Enter the target value as a whole number"),
        NumberRange(min=1, max=10_000_000, message="Enter a target of at least 1"),
    ])
    starts_on = DateField("Start date", validators=[InputRequired("Enter the start date")])
    deadline_on = DateField("Deadline", validators=[InputRequired("Enter the deadline")])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    version = VersionField()


class MilestoneForm(FlaskForm):
    due_on = DateField("Due by", validators=[InputRequired("Enter the date the milestone is due")])
    value = IntegerField("Cumulative value planned by then", validators=[
        InputRequired("Enter the planned value as a whole number"),
        NumberRange(min=0, message="Enter a value of 0 or more"),
    ])
    version = VersionField()


class ReadingForm(FlaskForm):
    as_of = DateField("Reading on", validators=[InputRequired("Enter the date of the reading")])
    value = IntegerField("Cumulative value reached", validators=[
        InputRequired("Enter the value as a whole number"),
        NumberRange(min=0, message="Enter a value of 0 or more"),
    ])
    version = VersionField()


class VersionForm(FlaskForm):
    """A POST-only button that changes a target: carries the version it was shown at."""

    version = VersionField()
