"""Applications: list, export, record, view with history, move through the stages, correct.

No screen here shows equality monitoring answers: they are used for selection decisions
(DOMAIN.md §2).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.applications import services
from recruit.applications.forms import (
    ApplicationEditForm,
    ApplicationFilterForm,
    ApplicationForm,
    MoveForm,
)
from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.fields import record_id
from recruit.forms.handling import submit
from recruit.models import Application, ApplicationStage, Participant, Vacancy
from recruit.pagination import page_links, paginate
from recruit.participants.pickers import participant_picker
from recruit.vacancies.pickers import open_vacancy_picker

bp = Blueprint("applications", __name__, url_prefix="/applications")
A = ApplicationStage
# The button on the application page, and the heading of the page that records the move.
ACTIONS = {
    A.shortlisted: "Shortlist",
    A.interview: "Record the interview",
    A.offered: "Record an offer",
    A.pre_employment_checks: "Start pre-employment checks",
    A.started: "Record the start",
    A.unsuccessful: "Close as unsuccessful",
    A.withdrawn: "Record a withdrawal",
}
DONE = {
    A.shortlisted: "shortlisted", A.interview: "moved to interview", A.offered: "offered the post",
    A.pre_employment_checks: "moved to pre-employment checks", A.started: "recorded as started",
    A.unsuccessful: "closed as unsuccessful", A.withdrawn: "recorded as withdrawn",
}


def _vacancy_filter_choices() -> list[tuple]:
    rows = db.session.execute(
        sa.select(Vacancy.id, Vacancy.title, Vacancy.identified_on)
        .order_by(Vacancy.identified_on.desc(), Vacancy.id.desc()))
    return [("", "Any vacancy"),
            *[(id_, f"{title} ({day:%b %Y})") for id_, title, day in rows]]


def _filter_form() -> ApplicationFilterForm:
    form = ApplicationFilterForm(request.args)
    form.vacancy_id.choices = _vacancy_filter_choices()
    if not form.validate():
        for field in form:  # an invalid or unknown value filters nothing
            if field.errors:
                field.data = None
    return form


def _filters(form) -> dict:
    return {name: form[name].data for name in ("stage", "vacancy_id", "waived")}


@bp.route("/")
@roles(STAFF)
def index():
    """Applications, filtered by stage, vacancy and waiver, and paginated."""
    form = _filter_form()
    pagination = paginate(services.filtered(_filters(form)))
    return render_template("applications/index.html", form=form, pagination=pagination,
                           links=page_links(pagination))


@bp.route("/export.csv")
@roles(STAFF)
def export():
    """The filtered applications as CSV (no equality monitoring data)."""
    stmt = (
        services.filtered(_filters(_filter_form()))
        .with_only_columns(
            Participant.id, Participant.preferred_name, Participant.first_name,
            Participant.last_name, Vacancy.title, Vacancy.band, Vacancy.site,
            Application.applied_on, Application.stage, Application.interview_waived,
            Application.waiver_recorded_at, Application.gcse_equivalence_applied,
            Application.offered_on, Application.started_on, Application.feedback_given_on,
            maintain_column_froms=False)
        .join(Participant, Participant.id == Application.participant_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
    )

    def rows():
        for (person_id, preferred, first, last, title, band, site, applied_on, stage, waived,
             waiver_recorded_at, gcse, offered_on, started_on, feedback_on) in rows_of(stmt):
            yield [person_id, f"{preferred or first} {last}", title, band.value, site,
                   applied_on, stage.value, "Yes" if waived else "No",
                   waiver_recorded_at.strftime("%Y-%m-%d %H:%M") if waiver_recorded_at else "",
                   "Yes" if gcse else "No", offered_on, started_on, feedback_on]

    return csv_response(
        "applications.csv",
        ["Participant reference", "Participant", "Vacancy", "Band", "Site", "Applied on",
         "Stage", "Interview waived", "Waiver recorded at", "GCSE equivalence applied",
         "Offered on", "Started on", "Feedback given on"],
        rows(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Record an application by a participant to an open vacancy."""
    form = ApplicationForm()
    participant_picker(form.participant_id, current_user)
    asked_for = (request.args if request.method == "GET" else request.form).get(
        "vacancy_id", type=record_id)  # offered even when not open, so the refusal can say why
    open_vacancy_picker(form.vacancy_id, asked_for)
    if form.validate_on_submit():
        participant = db.session.get(Participant, form.participant_id.data)
        vacancy = db.session.get(Vacancy, form.vacancy_id.data)
        saved, application = submit(form, lambda: services.create_application(
            participant, vacancy, form.applied_on.data, current_user), "application")
        if saved:
            flash(f"Application by {participant.display_name} for {vacancy.title} recorded.",
                  "success")
            return redirect(url_for(".detail", application_id=application.id))
    return render_template("applications/form.html", form=form)


def _history_rows(application: Application) -> list[dict]:
    return [
        {"on": change.changed_at, "from": A[change.from_status].value if change.from_status
         else None, "to": A[change.to_status].value, "reason": change.reason,
         "by": change.changed_by.name if change.changed_by else "Not recorded"}
        for change in services.history("application", application.id)
    ]


@bp.route("/<int:application_id>")
@roles(STAFF)
def detail(application_id: int):
    """One application: where it stands, its history, and the moves that make sense next."""
    application = db.get_or_404(Application, application_id)
    return render_template(
        "applications/detail.html", application=application,
        participant=application.participant, vacancy=application.vacancy,
        history=_history_rows(application), moves=services.next_stages(application),
        actions=ACTIONS,
    )


def _move_form(to: ApplicationStage) -> MoveForm:
    form = MoveForm()
    if to is not A.unsuccessful:
        del form.feedback, form.feedback_given_on
    if to is not A.withdrawn:
        del form.reason
    return form


@bp.route("/<int:application_id>/move/<stage_name>", methods=["GET", "POST"])
@roles(STAFF)
def move(application_id: int, stage_name: str):
    """Record the next stage of an application, with its date (and feedback or reason)."""
    application = db.get_or_404(Application, application_id)
    to = A.__members__.get(stage_name)
    if to is None or to is A.applied:
        abort(404)
    refused = services.refusal(application, to)
    if refused and request.method == "GET":
        flash(refused, "error")
        return redirect(url_for(".detail", application_id=application.id))
    form = _move_form(to)
    participant = application.participant
    if form.validate_on_submit():
        saved, outcome = submit(form, lambda: services.move_application(
            application, to, form.data, current_user), "application")
        if saved:
            flash(f"{participant.display_name} {DONE[to]}.", "success")
            if outcome is not None:
                flash("The start has been recorded as an outcome; its sustainment checks fall "
                      f"due on {outcome.check_13_due_on:%-d %B %Y} and "
                      f"{outcome.check_26_due_on:%-d %B %Y}.", "success")
            return redirect(url_for(".detail", application_id=application.id))
    elif request.method == "GET":
        form.version.data = application.version
    return render_template("applications/move.html", form=form, application=application,
                           participant=participant, vacancy=application.vacancy, to=to,
                           heading=ACTIONS[to])


@bp.route("/<int:application_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(application_id: int):
    """Correct the date of an application, or the feedback given after it was unsuccessful."""
    application = db.get_or_404(Application, application_id)
    form = ApplicationEditForm(obj=application)
    if application.stage is not A.unsuccessful:
        del form.feedback, form.feedback_given_on
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_application(
            application, form.data, current_user), "application")
        if saved:
            flash("Application updated.", "success")
            return redirect(url_for(".detail", application_id=application.id))
    elif request.method == "GET":
        form.version.data = application.version
    return render_template("applications/edit.html", form=form, application=application,
                           participant=application.participant, vacancy=application.vacancy)
