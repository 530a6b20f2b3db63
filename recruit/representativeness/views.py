"""Representativeness pages for HR and the board: where the workforce is not reflective."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response
from recruit.extensions import db
from recruit.models import Role, StaffGroup, WorkforceRecord
from recruit.pagination import page_links, paginate_list
from recruit.representativeness import services
from recruit.representativeness.forms import RepresentativenessForm, SnapshotForm
from recruit.statistics import queries
from recruit.statistics.calculations import DEFAULT_THRESHOLD, band_sort_key
from recruit.statistics.categories import dimension
from recruit.statistics.queries import SUBSET_LABELS, Subset
from recruit.statistics.representation import Selector
from recruit.statistics.suppression import NOTE

bp = Blueprint("representativeness", __name__, url_prefix="/representativeness")

VIEWERS = (STAFF, Role.board)
SHORT_TABLE = 40  # a table up to this long is shown whole; a longer one flagged rows first
TABLE_PAGE_SIZE = 50  # rows of the long tables shown at once


@bp.context_processor
def formatting():
    return services.FORMATTERS


def _snapshot_choices(snapshots) -> list[tuple[int, str]]:
    return [(s.id, f"{s.label} ({s.as_of.strftime('%-d %b %Y')})") for s in snapshots]


def _subset_choices(snapshot_id: int) -> list[tuple[str, str]]:
    bands = db.session.scalars(
        sa.select(WorkforceRecord.pay_band).distinct()
        .where(WorkforceRecord.snapshot_id == snapshot_id)
    ).all()
    choices = list(SUBSET_LABELS.items())
    choices += [(f"staff_group:{g.name}", g.value) for g in StaffGroup]
    choices += [(f"band:{b}", b) for b in sorted(bands, key=band_sort_key)]
    return choices


def _chosen(field, default):
    """The submitted value when it is one of the choices, otherwise the default."""
    values = [value for value, *_rest in field.choices]
    if field.data in values:
        return field.data
    field.data = default
    return default


def _form(snapshots):
    form = RepresentativenessForm(request.args)
    form.snapshot.choices = _snapshot_choices(snapshots)
    form.area_type.choices = list(services.AREA_TYPE_LABELS.items())
    form.characteristic.choices = list(services.CHARACTERISTIC_LABELS.items())
    snapshot_id = _chosen(form.snapshot, snapshots[0].id)
    form.subset.choices = _subset_choices(snapshot_id)
    characteristic = _chosen(form.characteristic, "ethnicity")
    level = _chosen(form.level, "group") if characteristic == "ethnicity" else "group"
    form.focus.choices = [(g, g) for g in dimension(characteristic, level).groups]
    return form, snapshot_id, characteristic, level


def _selection(snapshots):
    form, snapshot_id, characteristic, level = _form(snapshots)
    snapshot = next(s for s in snapshots if s.id == snapshot_id)
    selector = Selector(
        snapshot_id=snapshot.id, as_of=snapshot.as_of,
        area_type=_chosen(form.area_type, "catchment"), characteristic=characteristic,
        level=level, subset=Subset.parse(_chosen(form.subset, "all")),
        threshold=current_app.config.get("REPRESENTATION_THRESHOLD", DEFAULT_THRESHOLD),
    )
    return form, snapshot, selector


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Workforce against population: table, chart, where next, deprivation, map and trend."""
    snapshots = queries.person_snapshots(db.session)
    if not snapshots:
        return render_template("representativeness/empty.html")
    form, snapshot, selector = _selection(snapshots)
    focus = form.focus.data if form.focus.data in dict(form.focus.choices) else None
    page = services.build_page(selector, snapshot, published=current_user.role is Role.board,
                               focus=focus, data_dir=current_app.config["RECRUIT_DATA_DIR"])
    form.focus.data = page.focus
    # Every ward is thousands of rows: the page shows them a page at a time, the CSV in full.
    every_row = paginate_list(page.rows, per_page=TABLE_PAGE_SIZE)
    map_rows = paginate_list(page.map.wards if page.map else [], per_page=TABLE_PAGE_SIZE,
                             arg="map_page")
    return render_template("representativeness/index.html", form=form, page=page,
                           note=NOTE, labels=services.AREA_TYPE_LABELS, every_row=every_row,
                           every_row_links=page_links(every_row, anchor="every-row"),
                           map_rows=map_rows, map_links=page_links(map_rows, anchor="map-rows"),
                           flagged_shown=TABLE_PAGE_SIZE, short_table=SHORT_TABLE)


@bp.route("/rows.csv")
@roles(*VIEWERS)
def export():
    """Every row of the page's table as CSV, suppressed as on the page for the board."""
    snapshots = queries.person_snapshots(db.session)
    if not snapshots:  # like the page's empty state: nothing to compare yet
        return csv_response("representativeness.csv", services.CSV_HEADER, [])
    _form_, _snapshot, selector = _selection(snapshots)
    rows = services.table_rows(selector, published=current_user.role is Role.board)
    return csv_response(f"representativeness-{selector.area_type}.csv", services.CSV_HEADER,
                        (services.csv_row(row) for row in rows))


@bp.route("/equality-standards")
@roles(*VIEWERS)
def standards():
    """WRES indicators 1 and 2 and WDES metric 2 for one snapshot."""
    snapshots = queries.person_snapshots(db.session)
    if not snapshots:
        return render_template("representativeness/empty.html")
    form = SnapshotForm(request.args)
    form.snapshot.choices = _snapshot_choices(snapshots)
    snapshot_id = _chosen(form.snapshot, snapshots[0].id)
    snapshot = next(s for s in snapshots if s.id == snapshot_id)
    published = current_user.role is Role.board
    report = services.standards_for(snapshot, published=published)
    return render_template("representativeness/standards.html", form=form, report=report,
                           snapshot=snapshot, published=published, note=NOTE)
