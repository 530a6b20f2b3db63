"""Forms for offering, editing and moving placements on."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from recruit.forms.fields import EnumSelectField, VersionField, enum_choices, optional_int
from recruit.forms.validators import DateInRange
from recruit.models import PlacementStatus

EARLIEST = date(2015, 1, 1)


class PlacementForm(FlaskForm):
    # Not limited to the listed choices: the service explains why someone cannot have one.
    participant_id = SelectField("Participant", coerce=optional_int, validate_choice=False,
                                 validators=[InputRequired("Choose a participant")])
    role_sought = StringField(
        "Role they want", validators=[Optional(), Length(max=120)],
        description="The entry-level role the placement is tailored to, for example "
                    "healthcare assistant",
    )
    department = StringField("Department", validators=[InputRequired("Enter the department"),
                                                       Length(max=120)])
    site = StringField("Site", validators=[Optional(), Length(max=120)])
    supervisor_name = StringField("Supervisor", validators=[Optional(), Length(max=120)])
    offered_on = DateField("Date offered", default=date.today,
                           validators=[InputRequired("Enter the date the placement was offered"),
                                       DateInRange("The date offered", EARLIEST)])
    starts_on = DateField("Start date", validators=[Optional()])
    ends_on = DateField("End date", validators=[Optional()],
                        description="Leave empty for ten working days from the start")
    participant_feedback = TextAreaField("Feedback from the participant",
                                         validators=[Optional(), Length(max=5000)])
    supervisor_feedback = TextAreaField("Feedback from the supervisor",
                                        validators=[Optional(), Length(max=5000)])
    version = VersionField()

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be the same as or after the start date")


class PlacementStatusForm(FlaskForm):
    # Every status is accepted here so that the service, not the form, explains a refusal.
    status = RadioField("Move the placement to", choices=enum_choices(PlacementStatus),
                        invalid_choice_message="Choose the new status")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)],
                           description="Needed when the offer is declined or it did not start")
    version = VersionField()


class PlacementFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = EnumSelectField("Status", PlacementStatus, blank="Any status",
                             validators=[Optional()])
    q = StringField("Department or site contains", validators=[Optional(), Length(max=100)])
