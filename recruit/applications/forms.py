"""Application forms: record one, move it to a stage, correct it, and the list filters."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from recruit.forms.fields import EnumSelectField, VersionField, optional_int
from recruit.forms.validators import DateInRange
from recruit.models import ApplicationStage

EARLIEST = date(2015, 1, 1)


class ApplicationForm(FlaskForm):
    participant_id = SelectField(
        "Participant", coerce=optional_int,
        validators=[InputRequired("Choose the participant who applied")],
        invalid_choice_message="Choose a participant from the list",
    )
    vacancy_id = SelectField(
        "Vacancy", coerce=optional_int,
        validators=[InputRequired("Choose the vacancy")],
        description="Only vacancies open for applications are listed",
        invalid_choice_message="Choose an open vacancy from the list",
    )
    applied_on = DateField(
        "Date of the application", default=date.today,
        validators=[InputRequired("Enter the date of the application"),
                    DateInRange("The date of the application", EARLIEST)],
    )


def _feedback_field() -> TextAreaField:
    return TextAreaField(
        "Feedback given to the applicant", validators=[Optional(), Length(max=5000)],
        description="Every unsuccessful applicant gets written feedback: what went well, "
                    "what to work on, and what to apply for next",
    )


class MoveForm(FlaskForm):
    """Moving an application to one stage; the view removes the fields that stage does not use."""

    on = DateField("Date", default=date.today,
                   validators=[InputRequired("Enter the date of this change"),
                               DateInRange("The date of this change", EARLIEST)])
    feedback = _feedback_field()
    feedback_given_on = DateField(
        "Date the feedback was given", default=date.today,
        validators=[Optional(), DateInRange("The date the feedback was given", EARLIEST)],
    )
    reason = TextAreaField("Reason for withdrawing", validators=[Optional(), Length(max=2000)],
                           description="For example, accepted another job, or changed their mind")
    version = VersionField()


class ApplicationEditForm(FlaskForm):
    applied_on = DateField(
        "Date of the application",
        validators=[InputRequired("Enter the date of the application"),
                    DateInRange("The date of the application", EARLIEST)],
    )
    feedback = _feedback_field()
    feedback_given_on = DateField(
        "Date the feedback was given",
        validators=[Optional(), DateInRange("The date the feedback was given", EARLIEST)],
    )
    version = VersionField()


class ApplicationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    stage = EnumSelectField("Stage", ApplicationStage, blank="Any stage", validators=[Optional()])
    vacancy_id = SelectField("Vacancy", coerce=optional_int, validators=[Optional()])
    waived = SelectField(
        "Interview", validators=[Optional()],
        choices=[("", "Waived or not"), ("yes", "Waived (programme completers)"),
                 ("no", "Interview required")],
    )
