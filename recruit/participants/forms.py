"""Participant enrolment and edits, withdrawal, the list filters and equality monitoring."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from recruit.forms.fields import (
    EnumSelectField,
    VersionField,
    coerce_enum,
    enum_choices,
    optional_int,
)
from recruit.models import (
    Answer,
    Barrier,
    EmploymentStatus,
    Ethnicity,
    ParticipantSource,
    ParticipantStatus,
    QualificationLevel,
    Religion,
    Sex,
    SexualOrientation,
)
from recruit.participants.duplicates import InvalidPhone, normalise_phone
from recruit.participants.services import MAXIMUM_AGE, MINIMUM_AGE, age_on
from recruit.reference.postcodes import InvalidPostcode, normalise_postcode


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _name(label: str, message: str) -> StringField:
    return StringField(label, validators=[InputRequired(message), Length(max=100)],
                       filters=[_strip])


class ParticipantForm(FlaskForm):
    first_name = _name("First name", "Enter their first name")
    last_name = _name("Last name", "Enter their last name")
    preferred_name = StringField(
        "Preferred name", validators=[Optional(), Length(max=100)], filters=[_strip],
        description="What they like to be called, if different from their first name",
    )
    email = EmailField("Email address", filters=[_strip], validators=[
        Optional(), Email("Enter an email address in the correct format, like name@example.com"),
        Length(max=254)])
    phone = TelField("Phone number", validators=[Optional(), Length(max=40)], filters=[_strip],
                     description="For example, 07700 900123")
    date_of_birth = DateField(
        "Date of birth", validators=[InputRequired("Enter their date of birth")],
        description=f"The programme is open to people aged {MINIMUM_AGE} or over",
    )
    postcode = StringField(
        "Home postcode", validators=[InputRequired("Enter their home postcode"),
                                     Length(max=10, message="Enter a full UK postcode, "
                                                            "like OL1 1AA")],
        description="Used to find their neighbourhood; the address itself is not recorded",
    )
    preferred_language = StringField(
        "Preferred language", validators=[Optional(), Length(max=60)],
        description="For example, English, Urdu, Bengali or Polish",
    )
    needs_interpreter = BooleanField("They need an interpreter")
    employment_status = EnumSelectField(
        "Employment status", EmploymentStatus, blank="Choose a status",
        validators=[InputRequired("Choose their employment status")],
    )
    highest_qualification = EnumSelectField(
        "Highest qualification", QualificationLevel, blank="Not asked",
        validators=[Optional()],
    )
    barriers = SelectMultipleField(
        "Barriers they mention", choices=enum_choices(Barrier), coerce=coerce_enum(Barrier),
        validators=[Optional()], description="Select all that apply",
        invalid_choice_message="Choose barriers from the list",
    )
    how_heard = StringField(
        "How they heard about the programme", validators=[Optional(), Length(max=200)],
        description="For example, a talk at their mosque, a friend, or the Jobcentre",
    )
    # Staff only: a partner user's enrolments are always their own organisation's referrals.
    source = RadioField(
        "How they came to the programme", choices=enum_choices(ParticipantSource),
        coerce=coerce_enum(ParticipantSource),
        validators=[InputRequired("Choose how they came to the programme")],
    )
    referring_partner_id = SelectField(
        "Referring partner organisation", coerce=optional_int, validators=[Optional()],
        description="If a partner referred them",
    )
    source_activity_id = SelectField(
        "Outreach activity", coerce=optional_int, validators=[Optional()],
        description="If they came from an outreach activity",
    )
    consent_to_contact = BooleanField(
        "They agree to be contacted by the programme team about the programme")
    consent_to_share_with_partner = BooleanField(
        "They agree that their progress may be shared with the organisation that referred them")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    confirm_duplicate = HiddenField()
    version = VersionField()

    def validate_date_of_birth(self, field) -> None:
        born = field.data
        if born is None:
            return
        today = date.today()
        if born >= today:
            raise ValidationError("Date of birth must be in the past")
        if age_on(born, today) < MINIMUM_AGE:
            raise ValidationError(f"They must be {MINIMUM_AGE} or older to join the programme")
        if age_on(born, today) > MAXIMUM_AGE:
            raise ValidationError(
                f"Check the date of birth: it makes them older than {MAXIMUM_AGE}")

    def validate_postcode(self, field) -> None:
        try:
            field.data = normalise_postcode(field.data)
        except InvalidPostcode as exc:
            raise ValidationError(exc.message) from None

    def validate_phone(self, field) -> None:
        try:
            normalise_phone(field.data)
        except InvalidPhone as exc:
            raise ValidationError(exc.message) from None

    def validate(self, extra_validators=None) -> bool:
        """Also require the partner or the activity that the chosen source needs."""
        valid = super().validate(extra_validators)
        if "source" not in self:
            return valid
        needed = {
            ParticipantSource.partner_referral: (
                self.referring_partner_id, "Choose the partner organisation that referred them"),
            ParticipantSource.outreach_activity: (
                self.source_activity_id,
                "Choose the outreach activity where they heard about the programme"),
        }.get(self.source.data)
        if needed and not needed[0].data and not needed[0].errors:
            needed[0].errors = [*needed[0].errors, needed[1]]
            valid = False
        return valid


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        "Why are they withdrawing?",
        validators=[InputRequired("Enter the reason they are withdrawing"), Length(max=2000)],
        description="For example, found work elsewhere, caring responsibilities, moved away",
    )


class ParticipantFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Name or email contains", validators=[Optional(), Length(max=100)])
    status = EnumSelectField("Status", ParticipantStatus, blank="Any status",
                             validators=[Optional()])
    partner_id = SelectField("Referring partner", coerce=optional_int, validators=[Optional()])
    ward_id = SelectField("Ward", coerce=optional_int, validators=[Optional()])
    eligible = SelectField(
        "Eligibility",
        choices=[("", "Any"), ("yes", "Eligible"), ("no", "Not eligible"),
                 ("undecided", "Not decided")],
        validators=[Optional()],
    )


def _question(label: str, enum_cls, description: str | None = None) -> RadioField:
    return RadioField(label, choices=enum_choices(enum_cls), coerce=coerce_enum(enum_cls),
                      validators=[Optional()], description=description,
                      validate_choice=True)


class EqualityForm(FlaskForm):
    """Every question optional, every question with "Prefer not to say" (DOMAIN.md §2)."""

    ethnicity = SelectField(
        "What is their ethnic group?",
        choices=[("", "Not answered"),
                 *[(e.name, e.value if e.group is None else f"{e.group.value}: {e.value}")
                   for e in Ethnicity]],
        coerce=coerce_enum(Ethnicity), validators=[Optional()],
        description="The Census 2021 categories",
    )
    sex = _question("What is their sex?", Sex)
    gender_same_as_birth = _question(
        "Is the gender they identify with the same as their sex registered at birth?", Answer)
    religion = SelectField(
        "What is their religion?", choices=enum_choices(Religion, "Not answered"),
        coerce=coerce_enum(Religion), validators=[Optional()],
    )
    disability = _question(
        "Do they have a physical or mental health condition or illness lasting or expected "
        "to last 12 months or more?", Answer)
    sexual_orientation = _question("Which best describes their sexual orientation?",
                                   SexualOrientation)
    carer = _question("Do they look after or give help or support to anyone because of a "
                      "long-term condition or old age?", Answer)
    care_leaver = _question("Have they ever been in care?", Answer)
    armed_forces = _question("Have they served in the UK armed forces?", Answer)
    version = VersionField()
