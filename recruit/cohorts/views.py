"""Cohorts: list, export, create, edit, status, enrolment, sessions, registers and completion.

Staff run cohorts; a partner user sees, read only, the schedules of cohorts its organisation
hosts or has participants in. Programmes are staff pages under ``/cohorts/programmes``.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.auth.forms import ConfirmForm
from recruit.cohorts import attendance, enrolments, services
from recruit.cohorts.forms import (
    CohortFilterForm,
    CohortForm,
    CohortStatusForm,
    EnrolForm,
    ProgrammeForm,
    SessionForm,
    WithdrawForm,
    register_form,
)
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import (
    AttendanceStatus,
    Cohort,
    CohortSession,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Participant,
    PartnerOrganisation,
    Programme,
    Role,
    Ward,
)
from recruit.pagination import page_links, paginate
from recruit.participants.pickers import participant_picker
from recruit.reference.choices import ward_choices

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")

VIEWERS = (STAFF, Role.partner)


def _programme_choices(blank: str, include_id: int | None = None, active_only: bool = False):
    stmt = sa.select(Programme.id, Programme.name).order_by(Programme.name)
    if active_only:
        stmt = stmt.where(sa.or_(Programme.is_active, Programme.id == include_id))
    return [("", blank), *[(id_, name) for id_, name in db.session.execute(stmt)]]


def _partner_choices(blank: str, include_id: int | None = None, active_only: bool = False):
    stmt = sa.select(PartnerOrganisation.id, PartnerOrganisation.name).order_by(
        PartnerOrganisation.name
    )
    if active_only:
        stmt = stmt.where(sa.or_(PartnerOrganisation.is_active,
                                 PartnerOrganisation.id == include_id))
    return [("", blank), *[(id_, name) for id_, name in db.session.execute(stmt)]]


def _filter_form() -> tuple[CohortFilterForm, list[str]]:
    """The list filters for this user's role; invalid values filter nothing."""
    form = CohortFilterForm(request.args)
    form.programme_id.choices = _programme_choices("Any programme")
    form.ward_id.choices = ward_choices("Any ward")
    shown = ["status", "programme_id", "ward_id", "date_from", "date_to"]
    if current_user.role in STAFF:
        form.host_partner_id.choices = _partner_choices("Any host")
        shown.insert(2, "host_partner_id")
    else:
        form.host_partner_id.choices = [("", "Any host")]
    if not form.validate():
        for field in form:
            if field.errors:
                field.data = None
    return form, shown


def _filters(form: CohortFilterForm) -> dict:
    return {name: form[name].data for name in
            ("status", "programme_id", "host_partner_id", "ward_id", "date_from", "date_to")}


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Cohorts the user may see, filtered and paginated; staff also see places and warnings."""
    form, shown = _filter_form()
    pagination = paginate(services.with_related(services.filtered(current_user, _filters(form))))
    staff = current_user.role in STAFF
    counts = services.enrolment_counts([c.id for c in pagination.items]) if staff else {}
    taken = {cohort_id: sum(by_status[s] for s in services.PLACE_HOLDING)
             for cohort_id, by_status in counts.items()}
    return render_template(
        "cohorts/index.html", form=form, shown=shown, pagination=pagination,
        links=page_links(pagination), taken=taken, staff=staff,
        min_size=services.MIN_COHORT_SIZE, open_statuses=services.OPEN_STATUSES,
    )


@bp.route("/export.csv")
@roles(*VIEWERS)
def export():
    """The filtered cohorts as CSV; a partner user gets the schedule columns only."""
    form, _shown = _filter_form()
    programme, host = sa.orm.aliased(Programme), sa.orm.aliased(PartnerOrganisation)
    ward = sa.orm.aliased(Ward)
    sessions = (sa.select(CohortSession.cohort_id, sa.func.count().label("count"))
                .group_by(CohortSession.cohort_id).subquery())
    columns = [Cohort.name, programme.name, host.name, Cohort.venue, ward.name, Cohort.starts_on,
               Cohort.ends_on, Cohort.status, sa.func.coalesce(sessions.c.count, 0)]
    staff = current_user.role in STAFF
    if staff:
        enrolments = (
            sa.select(
                Enrolment.cohort_id,
                *(sa.func.count().filter(Enrolment.status == status).label(status.name)
                  for status in _COUNTED))
            .group_by(Enrolment.cohort_id).subquery()
        )
        columns += [Cohort.capacity,
                    *(sa.func.coalesce(enrolments.c[status.name], 0) for status in _COUNTED)]
    stmt = (
        services.with_related(services.filtered(current_user, _filters(form)))
        .with_only_columns(*columns, maintain_column_froms=False)
        .join(programme, programme.id == Cohort.programme_id)
        .outerjoin(host, host.id == Cohort.host_partner_id)
        .outerjoin(ward, ward.id == Cohort.ward_id)
        .outerjoin(sessions, sessions.c.cohort_id == Cohort.id)
    )
    if staff:
        stmt = stmt.outerjoin(enrolments, enrolments.c.cohort_id == Cohort.id)

    def rows():
        for name, programme_name, host_name, venue, ward_name, *rest in rows_of(stmt):
            starts_on, ends_on, status, *counts = rest
            yield [name, programme_name, host_name or "", venue, ward_name or "", starts_on,
                   ends_on, status.value, *counts]

    header = ["Cohort", "Programme", "Host partner", "Venue", "Ward", "Starts", "Ends", "Status",
              "Sessions"]
    if not staff:
        return csv_response("cohort-schedules.csv", header, rows())
    header += ["Capacity", "Enrolled", "Completed", "Withdrawn"]
    return csv_response("cohorts.csv", header, rows())


_COUNTED = (EnrolmentStatus.enrolled, EnrolmentStatus.completed, EnrolmentStatus.withdrawn)



def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm(obj=cohort)
    form.programme_id.choices = _programme_choices(
        "Choose a programme", include_id=cohort.programme_id if cohort else None, active_only=True
    )
    form.host_partner_id.choices = _partner_choices(
        "None", include_id=cohort.host_partner_id if cohort else None, active_only=True
    )
    form.ward_id.choices = ward_choices("Not known")
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Plan a cohort."""
    form = _cohort_form()
    del form.version
    if form.validate_on_submit():
        saved, cohort = submit(form, lambda: services.create_cohort(form.data, current_user),
                               "cohort")
        if saved:
            flash(f"{cohort.name} planned.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>")
@roles(*VIEWERS)
def detail(cohort_id: int):
    """One cohort: the full picture for staff, the schedule only for a partner user."""
    cohort = services.get_cohort_or_404(cohort_id, current_user)
    if current_user.role not in STAFF:
        mine = services.partner_enrolments(cohort, current_user.partner_id)
        shared = [e for e in mine if e.participant.consent_to_share_with_partner]
        return render_template("cohorts/schedule.html", cohort=cohort, shared=shared,
                               not_shared=len(mine) - len(shared))
    taken = services.places_taken(cohort)
    records = attendance.attendance(cohort)
    registers = attendance.present_counts(cohort)
    return render_template(
        "cohorts/detail.html", cohort=cohort, taken=taken, records=records,
        registers=registers, warnings=services.size_warnings(cohort, taken),
        next_statuses=services.next_statuses(cohort), is_open=cohort.status in
        services.OPEN_STATUSES, rate=f"{float(attendance.completion_rate() * 100):g}",
        today=date.today(),
        confirm=ConfirmForm(), has_timeline="participants.detail" in current_app.view_functions,
        can_confirm_any=any(r.can_confirm for r in records),
        has_equality_training=any(s.is_equality_training for s in cohort.sessions),
    )


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(cohort_id: int):
    """Change a cohort's details; a save from a stale copy is refused."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = _cohort_form(cohort)
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_cohort(cohort, form.data, current_user),
                          "cohort")
        if saved:
            flash(f"{cohort.name} updated.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id))
    elif request.method == "GET":
        form.version.data = cohort.version
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.route("/<int:cohort_id>/status", methods=["GET", "POST"])
@roles(STAFF)
def change_status(cohort_id: int):
    """Move a cohort along its statuses, or cancel it with a reason."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CohortStatusForm()
    if form.validate_on_submit():
        wanted = CohortStatus[form.status.data]
        saved, _ = submit(form, lambda: services.change_status(
            cohort, wanted, current_user, reason=form.reason.data, version=form.version.data,
        ), "cohort")
        if saved:
            flash(f"{cohort.name} is now {cohort.status.value.lower()}.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id))
    elif request.method == "GET":
        form.version.data = cohort.version
    form.status.choices = [(s.name, s.value) for s in services.next_statuses(cohort)]
    return render_template("cohorts/status.html", form=form, cohort=cohort)


@bp.route("/<int:cohort_id>/enrol", methods=["GET", "POST"])
@roles(STAFF)
def enrol(cohort_id: int):
    """Enrol a registered participant; beyond capacity only an admin, with a reason."""
    cohort = db.get_or_404(Cohort, cohort_id)
    taken = services.places_taken(cohort)
    form = EnrolForm()
    picker = participant_picker(
        form.participant_id, current_user, label=_candidate_label, any_visible=True,
        offered=enrolments.candidates().options(sa.orm.selectinload(Participant.ward)))
    full = taken >= cohort.capacity
    if not (full and current_user.role is Role.admin):
        del form.override_reason
    if form.validate_on_submit():
        participant = picker.chosen
        if participant is None:
            form.participant_id.errors.append(
                picker.missing or "Choose a participant from the list")
        else:
            saved, _ = submit(form, lambda: enrolments.enrol(
                cohort, participant, current_user, enrolled_on=form.enrolled_on.data,
                override_reason=form.data.get("override_reason"),
            ), "enrolment")
            if saved:
                flash(f"{participant.display_name} enrolled in {cohort.name}.", "success")
                return redirect(url_for(".detail", cohort_id=cohort.id))
    return render_template("cohorts/enrol.html", form=form, cohort=cohort, taken=taken,
                           full=full, is_open=cohort.status in services.OPEN_STATUSES)


def _candidate_label(participant: Participant) -> str:
    parts = [participant.display_name, f"registered {participant.registered_on:%-d %b %Y}"]
    if participant.ward:
        parts.append(participant.ward.name)
    if participant.eligible is False:
        parts.append("not eligible")
    elif participant.eligible is None:
        parts.append("eligibility not assessed")
    return ", ".join(parts)


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["GET", "POST"])
@roles(STAFF)
def withdraw(enrolment_id: int):
    """Withdraw someone from a cohort, with the reason."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: enrolments.withdraw(
            enrolment, current_user, form.reason.data,
            leaves_programme=form.leaves_programme.data, withdrawn_on=form.withdrawn_on.data,
            version=form.version.data,
        ), "enrolment")
        if saved:
            flash(f"{enrolment.participant.display_name} withdrawn from "
                  f"{enrolment.cohort.name}.", "success")
            return redirect(url_for(".detail", cohort_id=enrolment.cohort_id))
    elif request.method == "GET":
        form.version.data = enrolment.version
    return render_template("cohorts/withdraw.html", form=form, enrolment=enrolment)


def _flash_outcome(form, saved: bool, message: str) -> None:
    if saved:
        flash(message, "success")
    elif form.form_errors:
        flash(form.form_errors[0], "error")


@bp.route("/enrolments/<int:enrolment_id>/complete", methods=["POST"])
@roles(STAFF)
def confirm_completion(enrolment_id: int):
    """Confirm one participant's completion, if their attendance meets the rule."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: attendance.confirm_completion(enrolment, current_user),
                          "enrolment")
        _flash_outcome(form, saved, f"{enrolment.participant.display_name} has completed "
                                    f"{enrolment.cohort.name}.")
    return redirect(url_for(".detail", cohort_id=enrolment.cohort_id))


@bp.route("/<int:cohort_id>/complete", methods=["POST"])
@roles(STAFF)
def confirm_all(cohort_id: int):
    """Confirm completion for everyone still enrolled who meets the attendance rule."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        saved, done = submit(form, lambda: attendance.confirm_all(cohort, current_user),
                             "cohort")
        count = len(done or [])
        _flash_outcome(form, saved, f"Completion confirmed for {count} "
                                    f"{'person' if count == 1 else 'people'}.")
    return redirect(url_for(".detail", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@roles(STAFF)
def new_session(cohort_id: int):
    """Add a session to a cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: attendance.add_session(cohort, form.data, current_user),
                          "session")
        if saved:
            flash(f"Session on {form.topic.data.strip()} added.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id))
    return render_template("cohorts/session_form.html", form=form, cohort=cohort,
                           cohort_session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit_session(session_id: int):
    """Change a session's date, time or topic."""
    cohort_session = db.get_or_404(CohortSession, session_id)
    form = SessionForm(obj=cohort_session)
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: attendance.update_session(
            cohort_session, form.data, current_user), "session")
        if saved:
            flash("Session updated.", "success")
            return redirect(url_for(".detail", cohort_id=cohort_session.cohort_id))
    return render_template("cohorts/session_form.html", form=form, cohort=cohort_session.cohort,
                           cohort_session=cohort_session)


@bp.route("/sessions/<int:session_id>/register", methods=["GET", "POST"])
@roles(STAFF)
def register(session_id: int):
    """The attendance register for one session: everyone marked, saved in one go."""
    cohort_session = db.get_or_404(CohortSession, session_id)
    people = attendance.register_enrolments(cohort_session)
    form = register_form(people, {a.enrolment_id: a.status for a in cohort_session.attendances})
    if form.validate_on_submit():
        marks = {e.id: AttendanceStatus[form[f"e{e.id}"].data] for e in people}
        saved, totals = submit(form, lambda: attendance.save_register(
            cohort_session, marks, current_user), "register")
        if saved:
            flash(f"Register saved: {totals[AttendanceStatus.present]} present, "
                  f"{totals[AttendanceStatus.absent]} absent, "
                  f"{totals[AttendanceStatus.excused]} excused.", "success")
            return redirect(url_for(".detail", cohort_id=cohort_session.cohort_id))
    return render_template("cohorts/register.html", form=form, people=people,
                           cohort_session=cohort_session, cohort=cohort_session.cohort)


@bp.route("/programmes/")
@roles(STAFF)
def programmes():
    """Every programme, running ones first."""
    rows = db.session.scalars(
        sa.select(Programme).order_by(Programme.is_active.desc(), Programme.name)
    ).all()
    counts = {programme_id: count for programme_id, count in db.session.execute(
        sa.select(Cohort.programme_id, sa.func.count()).group_by(Cohort.programme_id)
    )}
    return render_template("cohorts/programmes.html", programmes=rows, counts=counts)


@bp.route("/programmes/new", methods=["GET", "POST"])
@roles(STAFF)
def new_programme():
    """Add a programme."""
    form = ProgrammeForm()
    del form.version
    if form.validate_on_submit():
        saved, programme = submit(
            form, lambda: services.create_programme(form.data, current_user), "programme"
        )
        if saved:
            flash(f"{programme.name} added.", "success")
            return redirect(url_for(".programmes"))
    return render_template("cohorts/programme_form.html", form=form, programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit_programme(programme_id: int):
    """Change a programme; a save from a stale copy is refused."""
    programme = db.get_or_404(Programme, programme_id)
    form = ProgrammeForm(obj=programme)
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.update_programme(programme, form.data, current_user),
            "programme",
        )
        if saved:
            flash(f"{programme.name} updated.", "success")
            return redirect(url_for(".programmes"))
    elif request.method == "GET":
        form.version.data = programme.version
    return render_template("cohorts/programme_form.html", form=form, programme=programme)
