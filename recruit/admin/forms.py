from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from recruit.forms.fields import EnumSelectField, optional_int
from recruit.models import Role


class RoleFields:
    role = EnumSelectField("Role", Role, blank="Choose a role",
                           validators=[InputRequired("Choose a role")])
    partner_id = SelectField("Partner organisation", coerce=optional_int,
                             validators=[Optional()],
                             description="Only for users of the partner role")
    ambassador_id = SelectField("Ambassador record", coerce=optional_int,
                                validators=[Optional()],
                                description="Only for users of the career ambassador role")


class InviteForm(RoleFields, FlaskForm):
    name = StringField("Full name", validators=[InputRequired("Enter the user's name"),
                                                Length(max=120)])
    email = EmailField("Email address", validators=[
        InputRequired("Enter the user's email address"),
        Email("Enter a valid email address"), Length(max=254)])


class RoleForm(RoleFields, FlaskForm):
    pass
