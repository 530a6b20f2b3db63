from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from recruit.forms.fields import VersionField
from recruit.forms.validators import DateInRange

# Ambassador training began long after this; an earlier date is a typing slip.
EARLIEST_TRAINING = date(2000, 1, 1)


class AmbassadorForm(FlaskForm):
    name = StringField(
        "Full name", validators=[InputRequired("Enter the ambassador's name"), Length(max=120)]
    )
    work_email = EmailField(
        "Work email address",
        validators=[InputRequired("Enter the ambassador's work email address"),
                    Email("Enter a work email address in the correct format, "
                          "like name@nhs.net"),
                    Length(max=254)],
    )
    job_role = StringField("Job role", validators=[Optional(), Length(max=120)],
                           description="For example, staff nurse or porter")
    site = StringField("Site", validators=[Optional(), Length(max=120)],
                       description="The hospital or base where they work")
    trained_on = DateField(
        "Ambassador training completed on",
        validators=[Optional(), DateInRange("The ambassador training date", EARLIEST_TRAINING)],
        description="Leave empty if not trained yet. Only trained ambassadors count towards "
                    "the target.",
    )
    equality_training_on = DateField(
        "Equality and diversity training completed on",
        validators=[Optional(),
                    DateInRange("The equality and diversity training date", EARLIEST_TRAINING)],
        description="Leave empty if not completed yet",
    )
    is_active = BooleanField("Active ambassador", default=True)
    version = VersionField()


class AmbassadorFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Name or email contains", validators=[Optional(), Length(max=100)])
    site = SelectField("Site", validators=[Optional()])
    trained = SelectField("Training", choices=[("", "Any"), ("yes", "Trained"),
                                               ("no", "Not trained yet")],
                          validators=[Optional()])
    status = SelectField("Status", choices=[("", "Any status"), ("active", "Active"),
                                            ("inactive", "Inactive")], validators=[Optional()])
