"""Vacancy ledger forms: the post's details, the list filters and a status move."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from recruit.forms.fields import EnumSelectField, VersionField
from recruit.forms.validators import DateInRange
from recruit.models import AfcBand, StaffGroup, VacancyStatus

EARLIEST_VACANCY = date(2015, 1, 1)
MAX_POSTS = 500


class VacancyForm(FlaskForm):
    title = StringField("Job title", validators=[InputRequired("Enter the job title"),
                                                 Length(max=200)])
    band = EnumSelectField(
        "Agenda for Change band", AfcBand, blank="Choose a band",
        validators=[InputRequired("Choose the Agenda for Change band")],
        description="Entry-level roles are Band 2 or Band 3",
    )
    staff_group = EnumSelectField("Staff group", StaffGroup, blank="Not known",
                                  validators=[Optional()])
    department = StringField("Department", validators=[Optional(), Length(max=120)],
                             description="For example, Estates and Facilities")
    site = StringField("Site", validators=[Optional(), Length(max=120)],
                       description="For example, Royal Oldham Hospital")
    locality = StringField("Locality", validators=[Optional(), Length(max=120)],
                           description="The town the post is in, for example Oldham")
    posts = IntegerField(
        "Number of posts", default=1,
        validators=[InputRequired("Enter the number of posts"),
                    NumberRange(min=1, max=MAX_POSTS,
                                message=f"The number of posts must be between 1 and {MAX_POSTS}")],
    )
    is_ring_fenced = BooleanField("Ring-fenced for programme completers")
    nhs_jobs_reference = StringField("NHS Jobs reference", validators=[Optional(), Length(max=60)])
    identified_on = DateField(
        "Date identified", default=date.today,
        validators=[InputRequired("Enter the date the post was identified"),
                    DateInRange("The date identified", EARLIEST_VACANCY)],
        description="When the post joined the ledger",
    )
    opens_on = DateField("Opening date", validators=[Optional()],
                         description="When the advert opens on NHS Jobs")
    closes_on = DateField("Closing date", validators=[Optional()])
    version = VersionField()

    def validate_closes_on(self, field) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("The closing date must be the same as or after the opening date")


class VacancyStatusForm(FlaskForm):
    """A status move from the vacancy page: one button per allowed move."""

    to = HiddenField(validators=[InputRequired("Choose the new status")])
    version = VersionField()


class VacancyFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = EnumSelectField("Status", VacancyStatus, blank="Any status", validators=[Optional()])
    band = EnumSelectField("Band", AfcBand, blank="Any band", validators=[Optional()])
    staff_group = EnumSelectField("Staff group", StaffGroup, blank="Any staff group",
                                  validators=[Optional()])
    site = SelectField("Site", validators=[Optional()])
    locality = SelectField("Locality", validators=[Optional()])
    ring_fenced = SelectField(
        "Ring-fenced", validators=[Optional()],
        choices=[("", "Either"), ("yes", "Ring-fenced for completers"), ("no", "Open to all")],
    )
