"""Data imports (admin): the list of every import and an upload page per kind of file."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.utils import secure_filename

from recruit.auth.access import roles
from recruit.extensions import db
from recruit.models import Role
from recruit.pagination import page_links, paginate
from recruit.reference import services
from recruit.reference.forms import FORMS
from recruit.reference.importers import IMPORTERS, ImportRefused, SourceFile

bp = Blueprint("imports", __name__, url_prefix="/admin/imports")
ERRORS_SHOWN = 100


@bp.route("/")
@roles(Role.admin)
def index():
    """Every import made, newest first, and the kinds of file that can be imported."""
    pagination = paginate(services.batches_query())
    return render_template("reference/imports.html", pagination=pagination,
                           links=page_links(pagination), importers=IMPORTERS.values())


@bp.route("/<kind>", methods=["GET", "POST"])
@roles(Role.admin)
def upload(kind: str):
    """Upload one file; a refused file shows every problem found, row by row."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        abort(404)
    form = FORMS[kind]()
    refused = None
    if form.validate_on_submit():
        source = _source(form)
        if source is not None:
            refused = _import(kind, form, source)
            if refused is None:
                return redirect(url_for(".index"))
    return render_template("reference/upload.html", form=form, importer=importer,
                           refused=refused, errors_shown=ERRORS_SHOWN)


def _source(form) -> SourceFile | None:
    limit = current_app.config["IMPORT_UPLOAD_MAX_BYTES"]
    data = form.file.data.stream.read(limit + 1)
    if len(data) > limit:
        form.file.errors.append(f"The file is larger than {limit // (1024 * 1024)} MB: import "
                                "it with the flask import command instead.")
        return None
    name = secure_filename(form.file.data.filename or "") or "upload.csv"
    return SourceFile.from_bytes(data, name)


def _import(kind: str, form, source: SourceFile) -> ImportRefused | None:
    options = {name: getattr(form, name).data or None for name in ("edition", "as_of", "table")
               if hasattr(form, name)}
    try:
        summary = services.import_file(kind, source, actor=current_user, **options)
        db.session.commit()
    except ImportRefused as exc:
        db.session.rollback()
        form.file.errors.append(exc.message)
        return exc
    except sa.exc.IntegrityError:
        db.session.rollback()
        form.file.errors.append("The same file was being imported at the same moment by "
                                "someone else: check the list of imports.")
        return ImportRefused([])
    flash(" ".join(summary.lines()), "success")
    return None
