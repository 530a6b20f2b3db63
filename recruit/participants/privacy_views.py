"""Admin pages for data-subject rights: everything held about a person, and erasure."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from recruit.auth.access import roles
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Participant, Role
from recruit.participants import privacy
from recruit.pdf import render_pdf

bp = Blueprint("privacy", __name__, url_prefix="/participants")


class EraseForm(FlaskForm):
    reason = TextAreaField(
        "Why is this person's data being erased?",
        description="For example: the person asked us to erase it (an erasure request).",
        validators=[InputRequired("Enter the reason for erasing"), Length(max=200)],
    )


def subject_access_document(participant: Participant, fmt: str) -> Response:
    """The subject access bundle as a JSON or PDF download (shared by page and command)."""
    data = privacy.subject_access(participant, current_user._get_current_object()
                                  if current_user and current_user.is_authenticated else None)
    db.session.commit()
    name = f"subject-access-{participant.id}"
    if fmt == "pdf":
        pdf = render_pdf(render_template("participants/subject_access.html", data=data,
                                         participant_id=participant.id))
        return Response(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return Response(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.json"'})


@bp.route("/<int:participant_id>/subject-access")
@roles(Role.admin)
def subject_access(participant_id: int):
    """Everything held about one person, as JSON or a readable PDF."""
    participant = db.get_or_404(Participant, participant_id)
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "pdf"):
        fmt = "json"
    return subject_access_document(participant, fmt)


@bp.route("/<int:participant_id>/erase", methods=["GET", "POST"])
@roles(Role.admin)
def erase(participant_id: int):
    """Erase a person's personal data; their anonymous journey stays in the counts."""
    participant = db.get_or_404(Participant, participant_id)
    form = EraseForm()
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: privacy.erase(
            participant, current_user._get_current_object(), form.reason.data), "participant")
        if saved:
            flash("The person's personal data has been erased.", "success")
            return redirect(url_for("participants.detail", participant_id=participant.id))
    return render_template("participants/erase.html", participant=participant, form=form)
