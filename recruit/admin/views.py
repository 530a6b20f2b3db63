"""User administration: list, invite, change role, deactivate and reactivate."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from recruit.admin.forms import InviteForm, RoleForm
from recruit.auth import services as accounts
from recruit.auth.access import roles
from recruit.auth.forms import ConfirmForm
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import Ambassador, PartnerOrganisation, Role, User
from recruit.pagination import page_links, paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with_choices(form):
    form.partner_id.choices = [("", "Not a partner user")] + [
        (p.id, p.name) for p in db.session.execute(
            sa.select(PartnerOrganisation.id, PartnerOrganisation.name)
            .order_by(PartnerOrganisation.name))
    ]
    form.ambassador_id.choices = [("", "Not an ambassador")] + [
        (a.id, f"{a.name} ({a.work_email})") for a in db.session.execute(
            sa.select(Ambassador.id, Ambassador.name, Ambassador.work_email)
            .order_by(Ambassador.name))
    ]
    return form


def _assignment(form):
    partner = db.session.get(PartnerOrganisation, form.partner_id.data) \
        if form.partner_id.data else None
    ambassador = db.session.get(Ambassador, form.ambassador_id.data) \
        if form.ambassador_id.data else None
    return partner, ambassador


@bp.route("/users")
@roles(Role.admin)
def users():
    """Every user account."""
    pagination = paginate(
        sa.select(User).options(sa.orm.selectinload(User.partner))
        .order_by(User.is_active_user.desc(), User.name)
    )
    return render_template("admin/users.html", pagination=pagination,
                           links=page_links(pagination))


@bp.route("/users/invite", methods=["GET", "POST"])
@roles(Role.admin)
def invite():
    """Create an account with a one-off temporary password to pass on in person."""
    form = _with_choices(InviteForm())
    if form.validate_on_submit():
        temporary = secrets.token_urlsafe(12)
        partner, ambassador = _assignment(form)
        saved, user = submit(form, lambda: accounts.create_user(
            email=form.email.data, name=form.name.data, role=form.role.data,
            password=temporary, partner=partner, ambassador=ambassador, actor=current_user,
        ), "user")
        if saved:
            return render_template("admin/invited.html", user=user, temporary=temporary)
    return render_template("admin/invite.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.admin)
def user(user_id: int):
    """Change a user's role, or deactivate them."""
    account = db.get_or_404(User, user_id)
    form = _with_choices(RoleForm(obj=account))
    if form.validate_on_submit():
        partner, ambassador = _assignment(form)
        saved, _ = submit(form, lambda: accounts.change_role(
            account, form.role.data, partner=partner, ambassador=ambassador, actor=current_user,
        ), "user")
        if saved:
            flash(f"{account.name} is now a {account.role.label.lower()}.", "success")
            return redirect(url_for(".users"))
    return render_template("admin/user.html", account=account, form=form,
                           confirm=ConfirmForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles(Role.admin)
def toggle_active(user_id: int):
    """Deactivate an active user (ending their sessions) or reactivate an inactive one."""
    account = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        saved, _ = submit(form, lambda: accounts.set_active(
            account, not account.is_active_user, actor=current_user), "user")
        if saved:
            state = "reactivated" if account.is_active_user else "deactivated"
            flash(f"{account.name} has been {state}.", "success")
        else:
            flash(form.form_errors[0], "error")
    return redirect(url_for(".user", user_id=account.id))


