"""Career ambassadors: list, export, add, view, edit; an ambassador user's own record."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.ambassadors import services
from recruit.ambassadors.forms import AmbassadorFilterForm, AmbassadorForm
from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Ambassador, OutreachActivity, Role
from recruit.outreach import services as outreach
from recruit.pagination import page_links, paginate

bp = Blueprint("ambassadors", __name__, url_prefix="/ambassadors")


def _filtered(form: AmbassadorFilterForm):
    stmt = sa.select(Ambassador).order_by(Ambassador.name, Ambassador.id)
    if form.q.data:
        term = f"%{form.q.data.strip()}%"
        stmt = stmt.where(sa.or_(Ambassador.name.ilike(term), Ambassador.work_email.ilike(term)))
    if form.site.data:
        stmt = stmt.where(Ambassador.site == form.site.data)
    if form.trained.data == "yes":
        stmt = stmt.where(Ambassador.trained_on.is_not(None))
    elif form.trained.data == "no":
        stmt = stmt.where(Ambassador.trained_on.is_(None))
    if form.status.data:
        stmt = stmt.where(Ambassador.is_active.is_(form.status.data == "active"))
    return stmt


def _filter_form() -> AmbassadorFilterForm:
    form = AmbassadorFilterForm(request.args)
    form.site.choices = [("", "Any site"), *[(site, site) for site in services.site_names()]]
    if not form.validate():
        for field in form:  # a value that is not one of the choices filters nothing
            if field.errors:
                field.data = None
    return form


@bp.route("/")
@roles(STAFF)
def index():
    """All ambassadors, filtered and paginated, with progress towards the target."""
    form = _filter_form()
    pagination = paginate(_filtered(form))
    trained = services.trained_ambassador_count()
    target = current_app.config["AMBASSADOR_TARGET"]
    progress = min(100, round(100 * trained / target)) if target else 0
    return render_template(
        "ambassadors/index.html", form=form, pagination=pagination,
        links=page_links(pagination), trained=trained, target=target, progress=progress,
    )


@bp.route("/export.csv")
@roles(STAFF)
def export():
    """Download the filtered ambassador list as CSV."""
    stmt = _filtered(_filter_form()).with_only_columns(
        Ambassador.name, Ambassador.work_email, Ambassador.job_role, Ambassador.site,
        Ambassador.trained_on, Ambassador.equality_training_on, Ambassador.is_active,
    )

    def rows():
        for *columns, is_active in rows_of(stmt):
            yield [*columns, "Yes" if is_active else "No"]

    return csv_response(
        "ambassadors.csv",
        ["Name", "Work email", "Job role", "Site", "Trained on",
         "Equality and diversity training on", "Active"],
        rows(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Add a career ambassador."""
    form = AmbassadorForm()
    del form.version  # a new record has no version to compare
    if form.validate_on_submit():
        saved, ambassador = submit(
            form, lambda: services.create_ambassador(form.data, current_user), "ambassador"
        )
        if saved:
            flash(f"{ambassador.name} added.", "success")
            return redirect(url_for(".detail", ambassador_id=ambassador.id))
    return render_template("ambassadors/form.html", form=form, ambassador=None)


@bp.route("/<int:ambassador_id>")
@roles(STAFF, Role.ambassador)
def detail(ambassador_id: int):
    """One ambassador with their outreach totals; an ambassador user sees only their own."""
    ambassador = services.get_ambassador_or_404(ambassador_id, current_user)
    return render_template(
        "ambassadors/detail.html", ambassador=ambassador,
        **outreach.summary(OutreachActivity.ambassadors.any(Ambassador.id == ambassador.id)),
    )


@bp.route("/<int:ambassador_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(ambassador_id: int):
    """Change an ambassador's details."""
    ambassador = db.get_or_404(Ambassador, ambassador_id)
    form = AmbassadorForm(obj=ambassador)
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.update_ambassador(ambassador, form.data, current_user),
            "ambassador",
        )
        if saved:
            flash(f"{ambassador.name} updated.", "success")
            return redirect(url_for(".detail", ambassador_id=ambassador.id))
    elif request.method == "GET":
        form.version.data = ambassador.version
    return render_template("ambassadors/form.html", form=form, ambassador=ambassador)
