"""The programme dashboard: the home page of HR and the board, its downloads."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.dashboard import services
from recruit.dashboard.diversity_return import HEADER, return_row
from recruit.dashboard.periods import choose
from recruit.dashboard.tables import cell_text, export_header, export_rows
from recruit.exports import csv_response, xlsx_response
from recruit.extensions import db
from recruit.models import Role
from recruit.statistics import programme
from recruit.statistics.calculations import DEFAULT_THRESHOLD
from recruit.statistics.funnel import BREAKDOWNS
from recruit.statistics.suppression import NOTE

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
VIEWERS = (STAFF, Role.board)
bp.add_app_template_filter(cell_text, "cell")


def _options() -> services.Options:
    return services.Options(
        today=date.today(), published=current_user.role is Role.board,
        guarantee_weeks=current_app.config["PLACEMENT_GUARANTEE_WEEKS"],
        threshold=current_app.config.get("REPRESENTATION_THRESHOLD", DEFAULT_THRESHOLD),
    )


def _period(options: services.Options):
    first, last = programme.data_span(db.session)
    return choose(request.args, options.today, first, last)


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Targets, the funnel, breakdowns, guarantee, feedback and representativeness."""
    options = _options()
    period, quarters, years = _period(options)
    dashboard = services.build(db.session, period, options, request.args.get("by", ""))
    return render_template(
        "dashboard/index.html", dashboard=dashboard, quarters=quarters, years=years,
        breakdown_labels=BREAKDOWNS, note=NOTE,
        snapshot=services.latest_snapshot(db.session, options.today),
    )


@bp.route("/tables/<table_key>.<fmt>")
@roles(*VIEWERS)
def download(table_key: str, fmt: str):
    """One of the dashboard's tables as CSV or XLSX, for the period shown."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    options = _options()
    period, _quarters, _years = _period(options)
    table = services.table_for(db.session, table_key, period, options)
    if table is None:
        abort(404)
    filename = f"{table_key}-{period.key.replace('/', '-')}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, export_header(table), export_rows(table))
    return xlsx_response(filename, export_header(table), export_rows(table),
                         sheet_title=table.title)


@bp.route("/diversity-return.csv")
@roles(*VIEWERS)
def diversity_return():
    """The latest workforce snapshot as an Open Innovations diversity return (suppressed)."""
    snapshot = services.latest_snapshot(db.session, date.today())
    if snapshot is None:
        flash("No workforce snapshot has been imported yet, so there is no return to download.")
        return redirect(url_for(".index"))
    return csv_response(f"diversity-return-{snapshot.as_of.isoformat()}.csv", HEADER,
                        [return_row(db.session, snapshot)])
