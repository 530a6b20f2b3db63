"""Upload forms for the data imports page: a file, and what the person must say about it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired
from wtforms import DateField, FileField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from recruit.reference.importers.census_tables import TABLES


class UploadForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import")],
                     description="Saved as CSV (UTF-8). Larger files: use the flask import "
                                 "command.")


class EditionUploadForm(UploadForm):
    edition = StringField("Edition (optional)", validators=[Optional(), Length(max=40)],
                          description="Leave blank to take it from the file.")


class CensusUploadForm(EditionUploadForm):
    table = SelectField("Census table", validators=[Optional()], choices=[
        ("", "Recognise it from the columns"),
        *[(code, f"{code} {table.prefix.lower()}") for code, table in TABLES.items()],
    ])


class WorkforceUploadForm(UploadForm):
    as_of = DateField("Date the extract describes",
                      validators=[InputRequired("Enter the date the extract describes")])


FORMS: dict[str, type[UploadForm]] = {
    "census": CensusUploadForm,
    "imd": EditionUploadForm,
    "lsoa-wards": EditionUploadForm,
    "postcodes": EditionUploadForm,
    "workforce": WorkforceUploadForm,
    "diversity-return": UploadForm,
    "recruitment": UploadForm,
}
