"""The home page for each role, and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user

from recruit.auth.access import EVERYONE, public, roles
from recruit.dashboard.views import index as dashboard
from recruit.extensions import db
from recruit.models import Role

bp = Blueprint("main", __name__)


@bp.route("/")
@roles(EVERYONE)
def home():
    """Each role's starting point."""
    if current_user.role is Role.partner:
        return redirect(url_for("partners.mine"))
    if current_user.role is Role.ambassador:
        return redirect(url_for("outreach.index"))
    return dashboard()  # HR and the board start on the programme dashboard


@bp.route("/healthz")
@public
def healthz():
    """Liveness and database reachability, for load balancers. No login."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")
