"""The audit trail, searchable by admins (it is append-only: nothing here edits it)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from recruit.auth.access import roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.models import AuditEvent, Role, User
from recruit.pagination import page_links, paginate

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField("Action", validators=[Optional(), Length(max=40)],
                         description="For example view, export, erase, login_failed")
    actor = StringField("User's email contains", validators=[Optional(), Length(max=254)])
    subject_type = SelectField("Record type", validators=[Optional()])
    subject_id = IntegerField("Record ID", validators=[Optional(), NumberRange(min=1)])
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    types = db.session.scalars(sa.select(AuditEvent.subject_type).distinct()
                               .where(AuditEvent.subject_type.is_not(None))
                               .order_by(AuditEvent.subject_type))
    form.subject_type.choices = [("", "Any"), *[(t, t.replace("_", " ")) for t in types]]
    form.validate()
    return form


def _filtered(form: AuditFilterForm) -> sa.Select:
    stmt = (sa.select(AuditEvent).outerjoin(User, User.id == AuditEvent.actor_id)
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()))
    if form.action.data:
        stmt = stmt.where(AuditEvent.action == form.action.data.strip())
    if form.actor.data:
        stmt = stmt.where(User.email.ilike(f"%{form.actor.data.strip()}%"))
    if form.subject_type.data:
        stmt = stmt.where(AuditEvent.subject_type == form.subject_type.data)
    if form.subject_id.data:
        stmt = stmt.where(AuditEvent.subject_id == form.subject_id.data)
    if form.since.data:
        since = datetime.combine(form.since.data, time.min, UTC)
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if form.until.data:
        before = datetime.combine(form.until.data + timedelta(days=1), time.min, UTC)
        stmt = stmt.where(AuditEvent.occurred_at < before)
    return stmt


@bp.route("/")
@roles(Role.admin)
def index():
    """Search who did what to which record, when and from where."""
    form = _form()
    pagination = paginate(_filtered(form))
    return render_template("admin/audit.html", form=form, pagination=pagination,
                           links=page_links(pagination))


@bp.route("/export.csv")
@roles(Role.admin)
def export():
    """The filtered audit trail as CSV (the export is itself audited)."""
    stmt = _filtered(_form()).with_only_columns(
        AuditEvent.occurred_at, AuditEvent.action, User.email, AuditEvent.subject_type,
        AuditEvent.subject_id, AuditEvent.remote_addr, AuditEvent.detail,
        maintain_column_froms=False,
    ).limit(100_000)

    def rows():
        for occurred_at, action, email, *rest in rows_of(stmt):
            yield [occurred_at.strftime("%Y-%m-%d %H:%M:%S"), action, email or "", *rest]

    return csv_response("audit-trail.csv",
                        ["When (UTC)", "Action", "User", "Record type", "Record ID", "From",
                         "Detail"], rows())
