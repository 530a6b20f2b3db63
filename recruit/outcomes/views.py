"""Outcomes, sustainment checks due, progression, and volunteering; one participant's results."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Application, Outcome, Participant, Vacancy, Volunteering
from recruit.models.base import utcnow
from recruit.outcomes import services
from recruit.outcomes.forms import (
    OutcomeFilterForm,
    OutcomeForm,
    ProgressionForm,
    SustainmentForm,
    VolunteeringForm,
)
from recruit.pagination import page_links, paginate, paginate_list
from recruit.participants.pickers import participant_picker

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _filter_form() -> OutcomeFilterForm:
    form = OutcomeFilterForm(request.args)
    if not form.validate():
        for field in form:  # an invalid or unknown value filters nothing
            if field.errors:
                field.data = None
    return form


def _filters(form) -> dict:
    return {name: form[name].data for name in ("kind", "started_from", "started_to",
                                                "sustained")}


@bp.route("/")
@roles(STAFF)
def index():
    """Outcomes, filtered by kind, start date and sustainment, and paginated."""
    form = _filter_form()
    pagination = paginate(services.filtered(_filters(form)))
    return render_template("outcomes/index.html", form=form, pagination=pagination,
                           links=page_links(pagination), due=services.checks_due_count())


@bp.route("/export.csv")
@roles(STAFF)
def export():
    """The filtered outcomes as CSV."""
    stmt = (
        services.filtered(_filters(_filter_form()))
        .with_only_columns(
            Participant.id, Participant.preferred_name, Participant.first_name,
            Participant.last_name, Outcome.kind, Outcome.started_on, Outcome.employer,
            Outcome.role_title, Outcome.band, Outcome.sustained_13_weeks, Outcome.checked_13_on,
            Outcome.sustained_26_weeks, Outcome.checked_26_on, Outcome.progressed_band,
            Outcome.progressed_on, maintain_column_froms=False)
        .join(Participant, Participant.id == Outcome.participant_id)
    )

    def rows():
        for (person_id, preferred, first, last, kind, started_on, employer, role_title, band,
             sustained_13, checked_13_on, sustained_26, checked_26_on, progressed_band,
             progressed_on) in rows_of(stmt):
            yield [person_id, f"{preferred or first} {last}", kind.value, started_on, employer,
                   role_title, band.value if band else "", _yes_no(sustained_13), checked_13_on,
                   _yes_no(sustained_26), checked_26_on,
                   progressed_band.value if progressed_band else "", progressed_on]

    return csv_response(
        "outcomes.csv",
        ["Participant reference", "Participant", "Kind", "Start date", "Employer", "Role",
         "Band", "Sustained 13 weeks", "Checked on (13 weeks)", "Sustained 26 weeks",
         "Checked on (26 weeks)", "Progressed to band", "Progressed on"],
        rows(),
    )


@bp.route("/checks-due")
@roles(STAFF)
def checks_due():
    """Sustainment checks that are overdue or fall due soon, paginated."""
    pagination = paginate_list(services.checks_due_keys())
    return render_template("outcomes/checks_due.html", rows=services.due_rows(pagination.items),
                           pagination=pagination, links=page_links(pagination))


def _participant_or_404(participant_id: int | None) -> Participant:
    participant = db.session.get(Participant, participant_id) if participant_id else None
    if participant is None:
        abort(404)
    return participant


def _new_form(form_class):
    """A form for a new record about a participant, who may be named in the query string."""
    form = form_class()
    del form.version  # a new record has no version to compare
    participant_picker(form.participant_id, current_user)
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Record an outcome other than a start at the anchor (a job elsewhere, a college place…)."""
    form = _new_form(OutcomeForm)
    if form.validate_on_submit():
        participant = _participant_or_404(form.participant_id.data)
        saved, outcome = submit(form, lambda: services.create_outcome(
            participant, form.data, current_user), "outcome")
        if saved:
            flash(f"{outcome.kind.value} recorded for {participant.display_name}.", "success")
            return redirect(url_for(".detail", outcome_id=outcome.id))
    return render_template("outcomes/form.html", form=form, outcome=None)


@bp.route("/<int:outcome_id>")
@roles(STAFF)
def detail(outcome_id: int):
    """One outcome with its sustainment checks and any progression."""
    outcome = db.get_or_404(Outcome, outcome_id)
    return render_template("outcomes/detail.html", outcome=outcome,
                           participant=outcome.participant, today=utcnow().date())


@bp.route("/<int:outcome_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(outcome_id: int):
    """Correct an outcome (a start at the anchor: its role title and notes only)."""
    outcome = db.get_or_404(Outcome, outcome_id)
    form = OutcomeForm(obj=outcome)
    del form.participant_id
    if outcome.application_id is not None:
        del form.kind, form.started_on, form.employer, form.band
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_outcome(outcome, form.data, current_user),
                          "outcome")
        if saved:
            flash("Outcome updated.", "success")
            return redirect(url_for(".detail", outcome_id=outcome.id))
    elif request.method == "GET":
        form.version.data = outcome.version
    return render_template("outcomes/form.html", form=form, outcome=outcome)


@bp.route("/<int:outcome_id>/check/<int:weeks>", methods=["GET", "POST"])
@roles(STAFF)
def check(outcome_id: int, weeks: int):
    """Record the 13- or 26-week sustainment check."""
    if weeks not in (13, 26):
        abort(404)
    outcome = db.get_or_404(Outcome, outcome_id)
    form = SustainmentForm()
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.record_check(
            outcome, weeks, form.data, current_user), "outcome")
        if saved:
            flash(f"{weeks}-week check recorded for {outcome.participant.display_name}.",
                  "success")
            return redirect(url_for(".detail", outcome_id=outcome.id))
    elif request.method == "GET":
        form.version.data = outcome.version
        recorded = outcome.sustained_13_weeks if weeks == 13 else outcome.sustained_26_weeks
        if recorded is not None:
            form.sustained.data = "yes" if recorded else "no"
            form.checked_on.data = outcome.checked_13_on if weeks == 13 else outcome.checked_26_on
    due_on = outcome.check_13_due_on if weeks == 13 else outcome.check_26_due_on
    return render_template("outcomes/check.html", form=form, outcome=outcome, weeks=weeks,
                           due_on=due_on, participant=outcome.participant)


@bp.route("/<int:outcome_id>/progression", methods=["GET", "POST"])
@roles(STAFF)
def progression(outcome_id: int):
    """Record a later move to a higher band."""
    outcome = db.get_or_404(Outcome, outcome_id)
    form = ProgressionForm(obj=outcome)
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.record_progression(
            outcome, form.data, current_user), "outcome")
        if saved:
            flash(f"Progression to {outcome.progressed_band.value} recorded.", "success")
            return redirect(url_for(".detail", outcome_id=outcome.id))
    elif request.method == "GET":
        form.version.data = outcome.version
    return render_template("outcomes/progression.html", form=form, outcome=outcome,
                           participant=outcome.participant)


@bp.route("/participant/<int:participant_id>")
@roles(STAFF)
def for_participant(participant_id: int):
    """One participant's applications, outcomes and volunteering."""
    participant = db.get_or_404(Participant, participant_id)
    applications = db.session.execute(
        sa.select(Application, Vacancy).join(Application.vacancy)
        .where(Application.participant_id == participant.id)
        .order_by(Application.applied_on.desc(), Application.id.desc())).all()
    outcomes = db.session.scalars(
        sa.select(Outcome).where(Outcome.participant_id == participant.id)
        .order_by(Outcome.started_on.desc(), Outcome.id.desc())).all()
    volunteering = db.session.scalars(
        sa.select(Volunteering).where(Volunteering.participant_id == participant.id)
        .order_by(Volunteering.starts_on.desc(), Volunteering.id.desc())).all()
    return render_template("outcomes/participant.html", participant=participant,
                           applications=applications, outcomes=outcomes,
                           volunteering=volunteering)


@bp.route("/volunteering/")
@roles(STAFF)
def volunteering():
    """Volunteering records, current ones first."""
    stmt = (sa.select(Volunteering).options(sa.orm.joinedload(Volunteering.participant))
            .order_by(Volunteering.ends_on.is_not(None), Volunteering.starts_on.desc(),
                      Volunteering.id.desc()))
    if request.args.get("current") == "yes":
        stmt = stmt.where(Volunteering.ends_on.is_(None))
    pagination = paginate(stmt)
    return render_template("outcomes/volunteering.html", pagination=pagination,
                           links=page_links(pagination))


@bp.route("/volunteering/new", methods=["GET", "POST"])
@roles(STAFF)
def new_volunteering():
    """Record volunteering for a participant waiting for a role."""
    form = _new_form(VolunteeringForm)
    if form.validate_on_submit():
        participant = _participant_or_404(form.participant_id.data)
        saved, _ = submit(form, lambda: services.create_volunteering(
            participant, form.data, current_user), "volunteering record")
        if saved:
            flash(f"Volunteering recorded for {participant.display_name}.", "success")
            return redirect(url_for(".for_participant", participant_id=participant.id))
    return render_template("outcomes/volunteering_form.html", form=form, record=None)


@bp.route("/volunteering/<int:volunteering_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit_volunteering(volunteering_id: int):
    """Change volunteering details, such as the end date and hours."""
    record = db.get_or_404(Volunteering, volunteering_id)
    form = VolunteeringForm(obj=record)
    del form.participant_id
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_volunteering(
            record, form.data, current_user), "volunteering record")
        if saved:
            flash("Volunteering updated.", "success")
            return redirect(url_for(".for_participant", participant_id=record.participant_id))
    elif request.method == "GET":
        form.version.data = record.version
    return render_template("outcomes/volunteering_form.html", form=form, record=record)
