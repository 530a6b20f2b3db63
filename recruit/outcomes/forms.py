"""Outcome, sustainment, progression and volunteering forms, and the outcome list filters."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from recruit.forms.fields import EnumSelectField, VersionField, coerce_enum, optional_int
from recruit.forms.validators import DateInRange
from recruit.models import AfcBand, OutcomeKind

EARLIEST = date(2015, 1, 1)
MAX_HOURS = 10_000
# An entry-level role at the anchor is recorded by the start of an application, not by hand.
MANUAL_KINDS = [kind for kind in OutcomeKind if kind is not OutcomeKind.entry_level_role_at_anchor]


def _participant_field() -> SelectField:
    return SelectField("Participant", coerce=optional_int,
                       validators=[InputRequired("Choose the participant")],
                       invalid_choice_message="Choose a participant from the list")


class OutcomeForm(FlaskForm):
    participant_id = _participant_field()
    kind = SelectField(
        "Kind of outcome", coerce=coerce_enum(OutcomeKind),
        choices=[("", "Choose a kind"), *[(k.name, k.value) for k in MANUAL_KINDS]],
        validators=[InputRequired("Choose the kind of outcome")],
        description="A start in an entry-level role at the anchor is recorded from its "
                    "application",
        invalid_choice_message="Choose a kind of outcome from the list",
    )
    started_on = DateField("Start date", validators=[
        InputRequired("Enter the start date"), DateInRange("The start date", EARLIEST)])
    employer = StringField("Employer, college or organisation",
                           validators=[Optional(), Length(max=200)])
    role_title = StringField("Role or course", validators=[Optional(), Length(max=200)])
    band = EnumSelectField("Agenda for Change band", AfcBand, blank="Not an NHS role",
                           validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    version = VersionField()


class SustainmentForm(FlaskForm):
    sustained = RadioField(
        "Still in post?", choices=[("yes", "Yes, still in post"), ("no", "No, has left")],
        validators=[InputRequired("Say whether they are still in post")],
    )
    checked_on = DateField("Date checked", default=date.today, validators=[
        InputRequired("Enter the date of the check"), DateInRange("The date of the check",
                                                                  EARLIEST)])
    version = VersionField()


class ProgressionForm(FlaskForm):
    progressed_band = EnumSelectField(
        "New band", AfcBand, blank="Choose a band",
        validators=[InputRequired("Choose the band they moved to")],
    )
    progressed_on = DateField("Date of the change", validators=[
        InputRequired("Enter the date of the band change"),
        DateInRange("The date of the band change", EARLIEST)])
    version = VersionField()


class VolunteeringForm(FlaskForm):
    participant_id = _participant_field()
    organisation = StringField("Organisation", validators=[
        InputRequired("Enter the organisation"), Length(max=200)])
    role = StringField("Role", validators=[Optional(), Length(max=200)],
                       description="For example, ward volunteer or community café helper")
    starts_on = DateField("Start date", validators=[
        InputRequired("Enter the start date"), DateInRange("The start date", EARLIEST)])
    ends_on = DateField("End date", validators=[Optional()],
                        description="Leave empty if they are still volunteering")
    hours = IntegerField(
        "Hours so far", validators=[Optional(), NumberRange(
            min=0, max=MAX_HOURS, message=f"The hours must be between 0 and {MAX_HOURS:,}")],
    )
    version = VersionField()

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be the same as or after the start date")


class OutcomeFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = EnumSelectField("Kind", OutcomeKind, blank="Any kind", validators=[Optional()])
    started_from = DateField("Started from", validators=[Optional()])
    started_to = DateField("Started to", validators=[Optional()])
    sustained = SelectField(
        "Sustained 26 weeks", validators=[Optional()],
        choices=[("", "Any"), ("yes", "Yes"), ("no", "No"), ("unknown", "Not yet checked")],
    )

    def validate_started_to(self, field) -> None:
        if field.data and self.started_from.data and field.data < self.started_from.data:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date")
