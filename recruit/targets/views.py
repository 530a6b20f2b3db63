"""Board targets: their progress for HR and the board; setting them up for the programme lead."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.dashboard.figures import targets_table
from recruit.dashboard.services import trajectory_charts
from recruit.dashboard.tables import Column, Table
from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Role, Target, TargetMetric, TargetMilestone, TargetReading
from recruit.targets import services
from recruit.targets.forms import MilestoneForm, ReadingForm, TargetForm, VersionForm
from recruit.targets.progress import METHOD_NOTES, all_progress, progress_for

bp = Blueprint("targets", __name__, url_prefix="/targets")
VIEWERS = (STAFF, Role.board)


def _target_or_404(target_id: int) -> Target:
    return db.get_or_404(Target, target_id)


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Every target with its progress today."""
    progress = all_progress(db.session, date.today())
    return render_template("targets/index.html", progress=progress,
                           table=targets_table(progress), notes=METHOD_NOTES)


def _detail(target: Target, milestone_form=None, reading_form=None, status: int = 200):
    progress = progress_for(db.session, target, date.today())
    table = Table(
        "target-points", "Planned and actual at each quarter end",
        [Column("Quarter"), Column("Quarter end", "date"), Column("Planned", "number"),
         Column("Actual", "number")],
        [[p.label, p.ends_on, p.planned, p.actual if p.actual is not None else "not yet"]
         for p in progress.points],
    )
    milestone_form = milestone_form or MilestoneForm(formdata=None, prefix="milestone",
                                                     version=target.version)
    reading_form = reading_form or ReadingForm(formdata=None, prefix="reading",
                                               version=target.version)
    return render_template(
        "targets/detail.html", target=target, progress=progress, table=table,
        chart=trajectory_charts([progress])[f"trajectory-{target.id}"],
        milestone_form=milestone_form, reading_form=reading_form,
        button=VersionForm(formdata=None, version=target.version),
        custom=target.metric is TargetMetric.custom, notes=METHOD_NOTES,
    ), status


@bp.route("/<int:target_id>")
@roles(*VIEWERS)
def detail(target_id: int):
    """One target: position, trajectory chart and table, milestones and readings."""
    return _detail(_target_or_404(target_id))


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.admin)
def new():
    """Set a new target."""
    form = TargetForm()
    if form.validate_on_submit():
        saved, target = submit(form, lambda: services.create_target(form.data, current_user),
                               "target")
        if saved:
            flash(f"Target {target.name} added.", "success")
            return redirect(url_for(".detail", target_id=target.id))
    return render_template("targets/form.html", form=form, target=None)


@bp.route("/<int:target_id>/edit", methods=["GET", "POST"])
@roles(Role.admin)
def edit(target_id: int):
    """Change a target's name, value or dates."""
    target = _target_or_404(target_id)
    form = TargetForm(obj=target)
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.update_target(target, form.data, current_user),
                          "target")
        if saved:
            flash(f"Target {target.name} updated.", "success")
            return redirect(url_for(".detail", target_id=target.id))
    elif request.method == "GET":
        form.version.data = target.version
    return render_template("targets/form.html", form=form, target=target)


def _run(target: Target, action, done: str):
    """Run a button's change and go back to the target, saying what happened."""
    try:
        action()
        db.session.commit()
    except RecruitError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        flash("The target could not be changed: someone else changed it at the same time. "
              "Reload the page and try again.", "error")
    else:
        flash(done, "success")
    return redirect(url_for(".detail", target_id=target.id))


@bp.route("/<int:target_id>/delete", methods=["POST"])
@roles(Role.admin)
def delete(target_id: int):
    """Delete a target, its milestones and readings."""
    target = _target_or_404(target_id)
    form = VersionForm()
    try:
        form.validate_on_submit()
        services.delete_target(target, form.version.data, current_user)
        db.session.commit()
    except RecruitError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".detail", target_id=target_id))
    flash("Target deleted.", "success")
    return redirect(url_for(".index"))


@bp.route("/<int:target_id>/milestones", methods=["POST"])
@roles(Role.admin)
def add_milestone(target_id: int):
    """Add a milestone to the plan."""
    target = _target_or_404(target_id)
    form = MilestoneForm(prefix="milestone")
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.add_milestone(
            target, form.due_on.data, form.value.data, form.version.data, current_user),
            "target")
        if saved:
            flash("Milestone added.", "success")
            return redirect(url_for(".detail", target_id=target.id))
    return _detail(target, milestone_form=form, status=200)


def _child_or_404(model, child_id: int, target: Target):
    child = db.get_or_404(model, child_id)
    if child.target_id != target.id:
        abort(404)
    return child


@bp.route("/<int:target_id>/milestones/<int:milestone_id>/delete", methods=["POST"])
@roles(Role.admin)
def delete_milestone(target_id: int, milestone_id: int):
    """Remove a milestone from the plan."""
    target = _target_or_404(target_id)
    milestone = _child_or_404(TargetMilestone, milestone_id, target)
    form = VersionForm()
    form.validate_on_submit()
    return _run(target, lambda: services.delete_milestone(target, milestone, form.version.data,
                                                          current_user), "Milestone removed.")


@bp.route("/<int:target_id>/milestones/quarterly", methods=["POST"])
@roles(Role.admin)
def quarterly(target_id: int):
    """Replace the milestones with a straight line of quarterly ones."""
    target = _target_or_404(target_id)
    form = VersionForm()
    form.validate_on_submit()
    return _run(target, lambda: services.quarterly_milestones(target, form.version.data,
                                                              current_user),
                "Quarterly milestones set on a straight line from the start to the deadline.")


@bp.route("/<int:target_id>/readings", methods=["POST"])
@roles(Role.admin)
def add_reading(target_id: int):
    """Record a reading of a custom target."""
    target = _target_or_404(target_id)
    form = ReadingForm(prefix="reading")
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: services.add_reading(
            target, form.as_of.data, form.value.data, form.version.data, current_user),
            "target")
        if saved:
            flash("Reading recorded.", "success")
            return redirect(url_for(".detail", target_id=target.id))
    return _detail(target, reading_form=form, status=200)


@bp.route("/<int:target_id>/readings/<int:reading_id>/delete", methods=["POST"])
@roles(Role.admin)
def delete_reading(target_id: int, reading_id: int):
    """Remove a reading."""
    target = _target_or_404(target_id)
    reading = _child_or_404(TargetReading, reading_id, target)
    form = VersionForm()
    form.validate_on_submit()
    return _run(target, lambda: services.delete_reading(target, reading, form.version.data,
                                                        current_user), "Reading removed.")
