"""Quarterly board reports: drafts for HR, published packs for the board."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import ReportStatus, Role
from recruit.reports import services
from recruit.reports.forms import CommentaryForm, NewReportForm, PublishForm
from recruit.statistics.periods import Quarter

bp = Blueprint("reports", __name__, url_prefix="/reports")
VIEWERS = (STAFF, Role.board)


def _new_form() -> NewReportForm:
    form = NewReportForm()
    form.quarter.choices = [(str(q), q.label) for q in services.open_quarters(date.today())]
    return form


def _index(form: NewReportForm | None = None, status: int = 200):
    reports = services.visible_reports(current_user)
    labels = {r.id: Quarter.parse(r.quarter).label for r in reports}
    staff = current_user.role in STAFF
    return render_template("reports/index.html", reports=reports, labels=labels,
                           form=(form or _new_form()) if staff else None), status


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Board reports by quarter; HR can start one."""
    return _index()


@bp.route("/new", methods=["POST"])
@roles(STAFF)
def new():
    """Start the draft report for a quarter."""
    form = _new_form()
    if form.validate_on_submit():
        saved, report = submit(form, lambda: services.create_draft(form.quarter.data,
                                                                   current_user), "report")
        if saved:
            flash(f"Draft report for {Quarter.parse(report.quarter).label} started.", "success")
            return redirect(url_for(".edit", report_id=report.id))
    return _index(form)


@bp.route("/<int:report_id>", methods=["GET", "POST"])
@roles(STAFF)
def edit(report_id: int):
    """A report's status and commentary; publishing for the programme lead."""
    report = services.get_report_or_404(report_id, current_user)
    form = CommentaryForm(obj=report)
    if request.method == "POST" and report.status is ReportStatus.published:
        flash("This report is published: its commentary can no longer change.", "error")
        return redirect(url_for(".edit", report_id=report.id))
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_commentary(report, form.data,
                                                                   current_user), "report")
        if saved:
            flash("Commentary saved.", "success")
            return redirect(url_for(".edit", report_id=report.id))
    elif request.method == "GET":
        form.version.data = report.version
    return render_template("reports/edit.html", report=report, form=form,
                           label=Quarter.parse(report.quarter).label,
                           publish_form=PublishForm(formdata=None, version=report.version))


@bp.route("/<int:report_id>/preview")
@roles(*VIEWERS)
def preview(report_id: int):
    """The pack as a web page: current figures for a draft, frozen ones once published."""
    report = services.get_report_or_404(report_id, current_user)
    return Response(services.html_for(report, date.today()), mimetype="text/html")


@bp.route("/<int:report_id>/board-pack.pdf")
@roles(*VIEWERS)
def download(report_id: int):
    """The pack as a PDF: the stored bytes once published."""
    report = services.get_report_or_404(report_id, current_user)
    content = services.pdf_for(report, date.today(), current_user)
    db.session.commit()  # the download's audit event
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{services.filename(report)}"'})


@bp.route("/<int:report_id>/publish", methods=["POST"])
@roles(Role.admin)
def publish(report_id: int):
    """Publish a draft: freeze its figures and PDF."""
    report = services.get_report_or_404(report_id, current_user)
    form = PublishForm()
    form.validate_on_submit()
    try:
        services.publish(report, form.version.data, current_user, date.today())
        db.session.commit()
    except RecruitError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Report for {Quarter.parse(report.quarter).label} published. Its PDF will not "
              "change.", "success")
    return redirect(url_for(".edit", report_id=report_id))
