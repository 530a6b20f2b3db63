"""Outreach activities: list, export, log, view, edit; scoped to what each role may see."""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.exports import ListLabels, csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import (
    Ambassador,
    Barrier,
    OutreachActivity,
    PartnerOrganisation,
    Role,
    Ward,
)
from recruit.models.outreach import activity_ambassadors
from recruit.outreach import services
from recruit.outreach.forms import ActivityFilterForm, ActivityForm
from recruit.pagination import page_links, paginate
from recruit.reference.choices import ward_choices

bp = Blueprint("outreach", __name__, url_prefix="/outreach")

VIEWERS = (STAFF, Role.ambassador, Role.partner)
LOGGERS = (STAFF, Role.ambassador)


def _partner_choices(blank: str, include_id: int | None = None, active_only: bool = False):
    stmt = sa.select(PartnerOrganisation.id, PartnerOrganisation.name).order_by(
        PartnerOrganisation.name
    )
    if current_user.role is Role.partner:
        stmt = stmt.where(PartnerOrganisation.id == current_user.partner_id)
    elif active_only:
        stmt = stmt.where(sa.or_(PartnerOrganisation.is_active,
                                 PartnerOrganisation.id == include_id))
    return [("", blank), *[(id_, name) for id_, name in db.session.execute(stmt)]]


def _ambassador_choices(blank: str | None, include_ids=(), active_only: bool = False):
    stmt = sa.select(Ambassador.id, Ambassador.name).order_by(Ambassador.name, Ambassador.id)
    if active_only:
        stmt = stmt.where(sa.or_(Ambassador.is_active, Ambassador.id.in_(list(include_ids))))
    choices = [(id_, name) for id_, name in db.session.execute(stmt)]
    return [("", blank), *choices] if blank is not None else choices


def _filter_form() -> tuple[ActivityFilterForm, list[str]]:
    """Build the filter form for this user's role; return it and the filters to show."""
    form = ActivityFilterForm(request.args)
    form.ward_id.choices = ward_choices("Any ward")
    form.partner_id.choices = _partner_choices("Any partner")
    shown = ["date_from", "date_to", "kind", "ward_id"]
    if current_user.role in STAFF:
        form.ambassador_id.choices = _ambassador_choices("Any ambassador")
        shown += ["partner_id", "ambassador_id"]
    else:
        form.ambassador_id.choices = [("", "Any ambassador")]
        if current_user.role is Role.ambassador:
            shown.append("partner_id")
    if not form.validate():
        for field in form:  # an invalid or unknown value filters nothing
            if field.errors:
                field.data = None
    return form, shown


def _filters(form: ActivityFilterForm) -> dict:
    return {name: form[name].data for name in
            ("date_from", "date_to", "kind", "ward_id", "partner_id", "ambassador_id")}


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Activities the user may see, filtered and paginated, with totals for the filtered set."""
    form, shown = _filter_form()
    stmt = services.filtered(current_user, _filters(form))
    pagination = paginate(services.with_related(stmt))
    return render_template(
        "outreach/index.html", form=form, shown=shown, pagination=pagination,
        links=page_links(pagination), totals=services.totals(stmt),
        can_log=current_user.role in STAFF or current_user.role is Role.ambassador,
    )


@bp.route("/export.csv")
@roles(*VIEWERS)
def export():
    """Download the filtered activities as CSV, scoped like the list."""
    form, _shown = _filter_form()
    ward, partner = sa.orm.aliased(Ward), sa.orm.aliased(PartnerOrganisation)
    ambassador, a = sa.orm.aliased(Ambassador), OutreachActivity
    # One row per activity and ambassador, grouped back into one line per activity below: a
    # single streamed query, whatever the number of activities.
    stmt = (
        services.with_related(services.filtered(current_user, _filters(form)))
        .with_only_columns(
            a.id, a.held_on, a.kind, a.venue, ward.name, partner.name, a.people_reached,
            a.young_people_reached, a.expressions_of_interest, a.barriers_raised, a.notes,
            ambassador.name, maintain_column_froms=False)
        .outerjoin(ward, ward.id == a.ward_id)
        .outerjoin(partner, partner.id == a.partner_id)
        .outerjoin(activity_ambassadors, activity_ambassadors.c.activity_id == a.id)
        .outerjoin(ambassador, ambassador.id == activity_ambassadors.c.ambassador_id)
        .order_by(ambassador.id)  # after the list's order: ambassadors in the order added
    )
    barriers = ListLabels(Barrier)

    def rows():
        for _id, group in groupby(rows_of(stmt), key=itemgetter(0)):
            lines = list(group)
            (_, held_on, kind, venue, ward_name, partner_name, reached, young, interested,
             barriers_raised, notes, _name) = lines[0]
            names = [line[-1] for line in lines if line[-1] is not None]
            yield [held_on, kind.value, venue, ward_name or "", partner_name or "",
                   "; ".join(names), reached, young, interested, barriers[barriers_raised],
                   notes]

    return csv_response(
        "outreach.csv",
        ["Date", "Kind", "Venue", "Ward", "Partner", "Ambassadors", "People reached",
         "Young people (under 25)", "Expressions of interest", "Barriers raised", "Notes"],
        rows(),
    )


def _form(activity: OutreachActivity | None = None) -> ActivityForm:
    form = ActivityForm(obj=activity)
    form.ward_id.choices = ward_choices("Not known")
    form.partner_id.choices = _partner_choices(
        "None", include_id=activity.partner_id if activity else None, active_only=True
    )
    if current_user.role is Role.ambassador:
        del form.ambassador_ids  # an ambassador logs their own activities: they are always added
    else:
        current = [a.id for a in activity.ambassadors] if activity else []
        form.ambassador_ids.choices = _ambassador_choices(None, current, active_only=True)
        if request.method == "GET":
            form.ambassador_ids.data = current
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(*LOGGERS)
def new():
    """Log an outreach activity."""
    form = _form()
    del form.version  # a new record has no version to compare
    if form.validate_on_submit():
        saved, activity = submit(
            form, lambda: services.create_activity(form.data, current_user), "outreach activity"
        )
        if saved:
            flash(f"{activity.kind.value} at {activity.venue} logged.", "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return render_template("outreach/form.html", form=form, activity=None)


@bp.route("/<int:activity_id>")
@roles(*VIEWERS)
def detail(activity_id: int):
    """One activity; only one the user may see, else 404."""
    activity = services.get_activity_or_404(activity_id, current_user)
    return render_template(
        "outreach/detail.html", activity=activity,
        can_edit=current_user.role in STAFF or current_user.role is Role.ambassador,
    )


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@roles(*LOGGERS)
def edit(activity_id: int):
    """Change an activity: staff any, an ambassador only one they took part in."""
    activity = services.get_activity_or_404(activity_id, current_user)
    form = _form(activity)
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.update_activity(activity, form.data, current_user),
            "outreach activity",
        )
        if saved:
            flash(f"{activity.kind.value} at {activity.venue} updated.", "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    elif request.method == "GET":
        form.version.data = activity.version
    return render_template("outreach/form.html", form=form, activity=activity)
