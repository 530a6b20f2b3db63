"""Placements: list, export, the waiting list, offer, view, edit and move on. Staff only."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Enrolment, Participant, Placement, PlacementStatus
from recruit.pagination import page_links, paginate
from recruit.participants.pickers import participant_picker
from recruit.placements import services
from recruit.placements.forms import PlacementFilterForm, PlacementForm, PlacementStatusForm

bp = Blueprint("placements", __name__, url_prefix="/placements")


def _filter_form() -> PlacementFilterForm:
    form = PlacementFilterForm(request.args)
    if not form.validate():
        for field in form:
            if field.errors:
                field.data = None
    return form


def _filters(form: PlacementFilterForm) -> dict:
    return {"status": form.status.data, "q": form.q.data}


@bp.route("/")
@roles(STAFF)
def index():
    """Every placement, filtered and paginated, with how many completers are still waiting."""
    form = _filter_form()
    pagination = paginate(services.filtered(_filters(form)))
    waiting, overdue = services.waiting_totals()
    return render_template("placements/index.html", form=form, pagination=pagination,
                           links=page_links(pagination), waiting=waiting, overdue=overdue)


@bp.route("/export.csv")
@roles(STAFF)
def export():
    """The filtered placements as CSV."""
    stmt = (
        services.filtered(_filters(_filter_form()))
        .with_only_columns(
            Participant.preferred_name, Participant.first_name, Participant.last_name,
            Placement.role_sought, Placement.department, Placement.site,
            Placement.supervisor_name, Placement.status, Placement.offered_on,
            Placement.starts_on, Placement.ends_on, Enrolment.completed_on,
            maintain_column_froms=False)
        .join(Participant, Participant.id == Placement.participant_id)
        .outerjoin(Enrolment, Enrolment.id == Placement.enrolment_id)
    )
    within = services.offered_within_days
    days = services.guarantee_days()
    met = {True: "Yes", False: "No", None: ""}

    def rows():
        for (preferred, first, last, role_sought, department, site, supervisor, status,
             offered_on, starts_on, ends_on, completed_on) in rows_of(stmt):
            yield [f"{preferred or first} {last}", role_sought, department, site, supervisor,
                   status.value, offered_on, starts_on, ends_on, completed_on,
                   met[within(offered_on, completed_on, days)]]

    return csv_response(
        "placements.csv",
        ["Participant", "Role sought", "Department", "Site", "Supervisor", "Status", "Offered",
         "Starts", "Ends", "Completed programme", "Offered within guarantee"],
        rows(),
    )


@bp.route("/waiting")
@roles(STAFF)
def waiting():
    """Completers still waiting for a placement offer, longest first, against the guarantee."""
    pagination = paginate(services.waiting_statement())
    waiting_total, overdue = services.waiting_totals()
    return render_template(
        "placements/waiting.html", rows=services.waiting(pagination.items),
        pagination=pagination, links=page_links(pagination), total=waiting_total,
        overdue=overdue, weeks=services.guarantee_days() // 7,
    )


def _completer_label(participant: Participant) -> str:
    return f"{participant.display_name} (reference {participant.id})"


def _form(placement: Placement | None = None) -> PlacementForm:
    form = PlacementForm(obj=placement)
    if placement is None:
        participant_picker(form.participant_id, current_user, offered=services.completers(),
                           label=_completer_label, any_visible=True)
        del form.participant_feedback, form.supervisor_feedback, form.version
    else:
        del form.participant_id
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Offer a placement to someone who has completed a cohort."""
    form = _form()
    if form.validate_on_submit():
        participant = form.participant_id.picker.chosen
        if participant is None:
            form.participant_id.errors.append(form.participant_id.picker.missing
                                              or "Choose a participant from the list")
        else:
            saved, placement = submit(form, lambda: services.create_placement(
                participant, form.data, current_user), "placement")
            if saved:
                flash(f"Placement in {placement.department} offered to "
                      f"{participant.display_name}.", "success")
                return redirect(url_for(".detail", placement_id=placement.id))
    return render_template("placements/form.html", form=form, placement=None)


@bp.route("/<int:placement_id>")
@roles(STAFF)
def detail(placement_id: int):
    """One placement, its guarantee and its feedback."""
    placement = db.get_or_404(Placement, placement_id)
    return render_template(
        "placements/detail.html", placement=placement,
        next_statuses=services.next_statuses(placement),
        within_guarantee=services.offered_within_guarantee(placement),
        weeks=services.guarantee_days() // 7,
    )


@bp.route("/<int:placement_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(placement_id: int):
    """Change a placement's details or record feedback; a stale save is refused."""
    placement = db.get_or_404(Placement, placement_id)
    form = _form(placement)
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_placement(
            placement, form.data, current_user), "placement")
        if saved:
            flash("Placement updated.", "success")
            return redirect(url_for(".detail", placement_id=placement.id))
    elif request.method == "GET":
        form.version.data = placement.version
    return render_template("placements/form.html", form=form, placement=placement)


@bp.route("/<int:placement_id>/status", methods=["GET", "POST"])
@roles(STAFF)
def change_status(placement_id: int):
    """Move a placement on: scheduled, in progress, completed, declined or did not start."""
    placement = db.get_or_404(Placement, placement_id)
    form = PlacementStatusForm()
    if form.validate_on_submit():
        wanted = PlacementStatus[form.status.data]
        saved, _ = submit(form, lambda: services.change_status(
            placement, wanted, current_user, reason=form.reason.data, version=form.version.data,
        ), "placement")
        if saved:
            flash(f"The placement is now {placement.status.value.lower()}.", "success")
            return redirect(url_for(".detail", placement_id=placement.id))
    elif request.method == "GET":
        form.version.data = placement.version
    form.status.choices = [(s.name, s.value) for s in services.next_statuses(placement)]
    return render_template("placements/status.html", form=form, placement=placement)
