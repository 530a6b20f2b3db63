"""Forms for programmes, cohorts, enrolment, withdrawal, sessions and the attendance register."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from recruit.cohorts.services import DEFAULT_CAPACITY, MAX_CAPACITY
from recruit.forms.fields import EnumSelectField, VersionField, enum_choices, optional_int
from recruit.forms.validators import DateInRange
from recruit.models import AttendanceStatus, CohortStatus

EARLIEST = date(2015, 1, 1)


class ProgrammeForm(FlaskForm):
    name = StringField("Programme name",
                       validators=[InputRequired("Enter the programme's name"), Length(max=200)])
    curriculum = TextAreaField(
        "Curriculum", validators=[Optional(), Length(max=10000)],
        description="What the sessions cover, including the equality and diversity training",
    )
    counts_as_gcse_equivalent = BooleanField(
        "Completion counts as equivalent to the GCSE minimum for entry-level roles", default=True
    )
    waives_interview = BooleanField(
        "Completers apply for entry-level roles without a formal interview", default=True
    )
    is_active = BooleanField("Running: new cohorts can be planned", default=True)
    version = VersionField()


class CohortForm(FlaskForm):
    programme_id = SelectField("Programme", coerce=optional_int,
                               validators=[InputRequired("Choose a programme")])
    name = StringField("Cohort name", validators=[InputRequired("Enter the cohort's name"),
                                                  Length(max=120)],
                       description="For example, Oldham spring 2025")
    host_partner_id = SelectField("Host partner", coerce=optional_int, validators=[Optional()],
                                  description="The community organisation hosting the sessions")
    venue = StringField("Community venue", validators=[Optional(), Length(max=200)])
    ward_id = SelectField("Ward", coerce=optional_int, validators=[Optional()],
                          description="The ward the venue is in")
    starts_on = DateField("Start date", validators=[InputRequired("Enter the start date")])
    ends_on = DateField("End date", validators=[InputRequired("Enter the end date")])
    capacity = IntegerField(
        "Capacity", default=DEFAULT_CAPACITY,
        description="Cohorts run with 8 to 10 people",
        validators=[InputRequired("Enter the capacity"),
                    NumberRange(min=1, max=MAX_CAPACITY,
                                message=f"The capacity must be between 1 and {MAX_CAPACITY}")],
    )
    version = VersionField()

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be the same as or after the start date")


class CohortFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = EnumSelectField("Status", CohortStatus, blank="Any status", validators=[Optional()])
    programme_id = SelectField("Programme", coerce=optional_int, validators=[Optional()])
    host_partner_id = SelectField("Host partner", coerce=optional_int, validators=[Optional()])
    ward_id = SelectField("Ward", coerce=optional_int, validators=[Optional()])
    date_from = DateField("Running on or after", validators=[Optional()])
    date_to = DateField("Running on or before", validators=[Optional()])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The 'on or before' date must be after the 'on or after' date")


class CohortStatusForm(FlaskForm):
    # Every status is accepted here so that the service, not the form, explains a refusal.
    status = RadioField("Move the cohort to", choices=enum_choices(CohortStatus),
                        invalid_choice_message="Choose the new status")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)],
                           description="Needed when cancelling; say why")
    version = VersionField()


class EnrolForm(FlaskForm):
    # Not limited to the listed choices: the service explains why someone cannot join.
    participant_id = SelectField("Participant", coerce=optional_int, validate_choice=False,
                                 validators=[InputRequired("Choose a participant")])
    enrolled_on = DateField("Date of enrolment", default=date.today,
                            validators=[InputRequired("Enter the date of enrolment"),
                                        DateInRange("The date of enrolment", EARLIEST)])
    override_reason = TextAreaField(
        "Reason for enrolling beyond the capacity", validators=[Optional(), Length(max=2000)],
        description="Admins only, when the cohort is full",
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Reason for withdrawing",
                           validators=[InputRequired("Enter the reason for the withdrawal"),
                                       Length(max=2000)])
    withdrawn_on = DateField("Date of withdrawal", default=date.today,
                             validators=[InputRequired("Enter the date of withdrawal"),
                                         DateInRange("The date of withdrawal", EARLIEST)])
    leaves_programme = BooleanField(
        "They are leaving the programme altogether",
        description="Leave unticked if they may join another cohort",
    )
    version = VersionField()


class SessionForm(FlaskForm):
    held_on = DateField("Date", validators=[InputRequired("Enter the date of the session")])
    starts_at = TimeField("Start time", validators=[Optional()],
                          description="For example, 10:00")
    topic = StringField("Topic", validators=[InputRequired("Enter the session's topic"),
                                             Length(max=200)])
    is_equality_training = BooleanField(
        "This is the equality and diversity training",
        description="The same training the trust's own staff receive",
    )


def register_form(enrolments, marks: dict | None = None) -> FlaskForm:
    """A register with one present / absent / excused question per person, named by enrolment.

    :param marks: enrolment id → the status already recorded, to show when the page opens.
    """
    marks = marks or {}

    class RegisterForm(FlaskForm):
        pass

    for enrolment in enrolments:
        name = enrolment.participant.display_name
        setattr(RegisterForm, f"e{enrolment.id}", RadioField(
            name, choices=enum_choices(AttendanceStatus),
            default=marks[enrolment.id].name if enrolment.id in marks else None,
            invalid_choice_message=f"Mark {name} as present, absent or excused",
        ))
    return RegisterForm()
