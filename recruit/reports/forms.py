from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from recruit.forms.fields import VersionField


class NewReportForm(FlaskForm):
    quarter = SelectField("Quarter", validators=[InputRequired("Choose the quarter to report on")],
                          description="Financial quarters: Q1 is April to June.")


class CommentaryForm(FlaskForm):
    commentary = TextAreaField(
        "Commentary from HR", validators=[Optional(), Length(max=20_000)],
        description="Printed in the pack as written. Leave a blank line between paragraphs. "
                    "Do not name or describe individual people.",
    )
    version = VersionField()


class PublishForm(FlaskForm):
    version = VersionField()
