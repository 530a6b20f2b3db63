"""The vacancy ledger: list against the pipeline target, export, add, view, edit, status moves."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Application, Participant, Vacancy, VacancyStatus
from recruit.pagination import page_links, paginate
from recruit.vacancies import services
from recruit.vacancies.forms import VacancyFilterForm, VacancyForm, VacancyStatusForm

bp = Blueprint("vacancies", __name__, url_prefix="/vacancies")
FILTERS = ("status", "band", "staff_group", "site", "locality", "ring_fenced")


def _filter_form() -> VacancyFilterForm:
    form = VacancyFilterForm(request.args)
    form.site.choices = [("", "Any site"), *[(s, s) for s in services.distinct_values(
        Vacancy.site)]]
    form.locality.choices = [("", "Any locality"), *[(x, x) for x in services.distinct_values(
        Vacancy.locality)]]
    if not form.validate():
        for field in form:  # an invalid or unknown value filters nothing
            if field.errors:
                field.data = None
    return form


def _filters(form: VacancyFilterForm) -> dict:
    return {name: form[name].data for name in FILTERS}


@bp.route("/")
@roles(STAFF)
def index():
    """The ledger, filtered and paginated, with posts identified against the pipeline target."""
    form = _filter_form()
    stmt = services.filtered(_filters(form))
    pagination = paginate(stmt)
    return render_template(
        "vacancies/index.html", form=form, pagination=pagination, links=page_links(pagination),
        pipeline=services.pipeline(), filtered_posts=services.posts_in(stmt),
    )


@bp.route("/export.csv")
@roles(STAFF)
def export():
    """The filtered ledger as CSV."""
    stmt = services.filtered(_filters(_filter_form())).with_only_columns(
        Vacancy.title, Vacancy.band, Vacancy.staff_group, Vacancy.department, Vacancy.site,
        Vacancy.locality, Vacancy.posts, Vacancy.is_ring_fenced, Vacancy.nhs_jobs_reference,
        Vacancy.identified_on, Vacancy.opens_on, Vacancy.closes_on, Vacancy.status,
    )

    def rows():
        for (title, band, staff_group, department, site, locality, posts, ring_fenced,
             reference, identified_on, opens_on, closes_on, status) in rows_of(stmt):
            yield [title, band.value, staff_group.value if staff_group else "", department, site,
                   locality, posts, "Yes" if ring_fenced else "No", reference, identified_on,
                   opens_on, closes_on, status.value]

    return csv_response(
        "vacancies.csv",
        ["Job title", "Band", "Staff group", "Department", "Site", "Locality", "Posts",
         "Ring-fenced for completers", "NHS Jobs reference", "Identified on", "Opens on",
         "Closes on", "Status"],
        rows(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Add posts to the ledger."""
    form = VacancyForm()
    del form.version  # a new record has no version to compare
    if form.validate_on_submit():
        saved, vacancy = submit(
            form, lambda: services.create_vacancy(form.data, current_user), "vacancy"
        )
        if saved:
            flash(f"{vacancy.title} added to the vacancy ledger.", "success")
            return redirect(url_for(".detail", vacancy_id=vacancy.id))
    return render_template("vacancies/form.html", form=form, vacancy=None)


@bp.route("/<int:vacancy_id>")
@roles(STAFF)
def detail(vacancy_id: int):
    """One vacancy: its details, status moves and the applications made to it."""
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    applications = db.session.execute(
        sa.select(Application, Participant)
        .join(Application.participant)
        .where(Application.vacancy_id == vacancy.id)
        .order_by(Application.applied_on, Application.id)
    ).all()
    status_form = VacancyStatusForm()
    status_form.version.data = vacancy.version
    return render_template(
        "vacancies/detail.html", vacancy=vacancy, applications=applications,
        moves=services.next_statuses(vacancy), status_form=status_form,
    )


@bp.route("/<int:vacancy_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(vacancy_id: int):
    """Change a vacancy's details (its status moves from the vacancy page)."""
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    form = VacancyForm(obj=vacancy)
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.update_vacancy(vacancy, form.data, current_user), "vacancy"
        )
        if saved:
            flash(f"{vacancy.title} updated.", "success")
            return redirect(url_for(".detail", vacancy_id=vacancy.id))
    elif request.method == "GET":
        form.version.data = vacancy.version
    return render_template("vacancies/form.html", form=form, vacancy=vacancy)


@bp.route("/<int:vacancy_id>/status", methods=["POST"])
@roles(STAFF)
def status(vacancy_id: int):
    """Open, close, fill or withdraw a vacancy."""
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    form = VacancyStatusForm()
    if form.validate_on_submit():
        to = VacancyStatus.__members__.get(form.to.data or "")
        if to is None:
            flash("Choose a status from the vacancy page.", "error")
            return redirect(url_for(".detail", vacancy_id=vacancy.id))
        saved, _ = submit(form, lambda: services.move_vacancy(
            vacancy, to, current_user, version=form.version.data or ""), "vacancy")
        if saved:
            flash(f"{vacancy.title} is now {to.value.lower()}.", "success")
        else:
            flash(form.form_errors[0], "error")
    else:
        flash("The status was not changed: reload the page and try again.", "error")
    return redirect(url_for(".detail", vacancy_id=vacancy.id))
