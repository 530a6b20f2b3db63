"""The expression-of-interest form: plain English (reading age about 9), few questions."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, RadioField, StringField, TelField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from recruit.models import EmploymentStatus
from recruit.participants.duplicates import InvalidPhone, normalise_phone
from recruit.participants.services import MAXIMUM_AGE, MINIMUM_AGE, age_on
from recruit.reference.postcodes import is_valid_postcode


def _one_way_to_contact(form, field) -> None:
    if not (form.phone.data or "").strip() and not (form.email.data or "").strip():
        raise ValidationError(_l("Give us a phone number or an email address"))


class ReferralForm(FlaskForm):
    first_name = StringField(_l("Your first name"), validators=[
        InputRequired(_l("Enter your first name")), Length(max=100)])
    last_name = StringField(_l("Your last name"), validators=[
        InputRequired(_l("Enter your last name")), Length(max=100)])
    phone = TelField(_l("Your phone number"), validators=[_one_way_to_contact, Length(max=40)],
                     description=_l("Give us a phone number or an email address, or both."))
    email = EmailField(_l("Your email address"), validators=[
        Optional(), Email(_l("Enter a real email address")), Length(max=254)])
    postcode = StringField(_l("Your postcode"), validators=[
        InputRequired(_l("Enter your postcode"))],
        description=_l("For example, OL1 1AA"))
    date_of_birth = DateField(_l("Your date of birth"), validators=[
        InputRequired(_l("Enter your date of birth"))])
    employment_status = RadioField(_l("Are you working at the moment?"), choices=[
        (EmploymentStatus.unemployed.name, _l("No, I am looking for work")),
        (EmploymentStatus.economically_inactive.name, _l("No, I am not looking for work yet")),
        (EmploymentStatus.employed_part_time.name, _l("Yes, part-time")),
        (EmploymentStatus.employed_full_time.name, _l("Yes, full-time")),
        (EmploymentStatus.in_education.name, _l("I am at school or college")),
    ], validators=[InputRequired(_l("Tell us if you are working at the moment"))])
    needs_interpreter = BooleanField(_l("I would like an interpreter"))
    consent_to_contact = BooleanField(_l("Yes, you can contact me about NHS jobs and training"),
                                      validators=[InputRequired(
                                          _l("Tick the box to say we can contact you"))])
    consent_to_share_with_partner = BooleanField(
        _l("Yes, you can tell the group that gave me this form how I am getting on"))

    def validate_postcode(self, field) -> None:
        if not is_valid_postcode(field.data):
            raise ValidationError(_l("Enter a real postcode, like OL1 1AA"))

    def validate_phone(self, field) -> None:
        try:
            normalise_phone(field.data)
        except InvalidPhone:
            raise ValidationError(_l("Enter a real phone number, like 07700 900123")) from None

    def validate_date_of_birth(self, field) -> None:
        today = date.today()
        if field.data and age_on(field.data, today) < MINIMUM_AGE:
            raise ValidationError(_l("You must be 16 or older to join"))
        if field.data and field.data.year < today.year - MAXIMUM_AGE:
            raise ValidationError(_l("Check your date of birth"))
