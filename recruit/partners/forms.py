from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from recruit.forms.fields import EnumSelectField, VersionField, optional_int
from recruit.models import PartnerKind


class PartnerForm(FlaskForm):
    name = StringField(
        "Organisation name",
        validators=[InputRequired("Enter the organisation's name"), Length(max=200)],
    )
    kind = EnumSelectField(
        "Kind of organisation", PartnerKind, blank="Choose a kind",
        validators=[InputRequired("Choose the kind of organisation")],
    )
    ward_id = SelectField("Ward", coerce=optional_int, validators=[Optional()],
                          description="Where the organisation is based")
    local_authority_id = SelectField(
        "Local authority", coerce=optional_int, validators=[Optional()],
        description="Filled in from the ward when you choose one",
    )
    contact_name = StringField("Contact name", validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        "Contact email", validators=[Optional(), Email("Enter a valid email address"),
                                     Length(max=254)]
    )
    contact_phone = TelField("Contact phone", validators=[Optional(), Length(max=40)])
    data_sharing_agreement_on = DateField(
        "Data-sharing agreement signed on", validators=[Optional()],
        description="Leave empty if not yet signed. Partners cannot enrol participants until "
                    "an agreement is in place.",
    )
    is_active = BooleanField("Active partner", default=True)
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    version = VersionField()


class PartnerFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Name contains", validators=[Optional(), Length(max=100)])
    kind = EnumSelectField("Kind", PartnerKind, blank="Any kind", validators=[Optional()])
    local_authority_id = SelectField(
        "Local authority", coerce=optional_int, validators=[Optional()]
    )
    status = SelectField("Status", choices=[("", "Any status"), ("active", "Active"),
                                            ("inactive", "Inactive")], validators=[Optional()])
