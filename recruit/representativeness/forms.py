from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from recruit.forms.fields import optional_int


class RepresentativenessForm(FlaskForm):
    """What to compare; the view fills the choices and falls back to defaults when invalid."""

    class Meta:
        csrf = False

    snapshot = SelectField("Workforce snapshot", coerce=optional_int, validators=[Optional()])
    area_type = SelectField("Geography", validators=[Optional()])
    characteristic = SelectField("Characteristic", validators=[Optional()])
    level = SelectField("Ethnicity detail", validators=[Optional()],
                        choices=[("group", "Five groups"),
                                 ("category", "Sixteen NHS categories")])
    subset = SelectField("Staff", validators=[Optional()])
    focus = SelectField("Group for the map and trend", validators=[Optional()])


class SnapshotForm(FlaskForm):
    class Meta:
        csrf = False

    snapshot = SelectField("Workforce snapshot", coerce=optional_int, validators=[Optional()])
