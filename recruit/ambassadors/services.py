"""Career ambassadors: creating, updating, totals, and the scoped loader for ambassador users."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.models import Ambassador, Role, User

FIELDS = ("name", "work_email", "job_role", "site", "trained_on", "equality_training_on",
          "is_active")


def get_ambassador_or_404(ambassador_id: int, user: User) -> Ambassador:
    """Load an ambassador the user may see: an ambassador user reaches only their own record."""
    if user.role is Role.ambassador and user.ambassador_id != ambassador_id:
        abort(404)
    return db.get_or_404(Ambassador, ambassador_id)


def trained_ambassador_count() -> int:
    """Active ambassadors who have been trained."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Ambassador)
        .where(Ambassador.trained_on.is_not(None), Ambassador.is_active)
    )


def site_names() -> list[str]:
    """Every site named on an ambassador record, for the list filter."""
    return list(db.session.scalars(
        sa.select(Ambassador.site).where(Ambassador.site.is_not(None), Ambassador.site != "")
        .distinct().order_by(Ambassador.site)
    ))


def _clean(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def _apply(ambassador: Ambassador, data: dict) -> None:
    values = {field: _clean(data.get(field)) for field in FIELDS}
    if not values["name"]:
        raise ValidationFailed("Enter the ambassador's name", "name")
    if not values["work_email"]:
        raise ValidationFailed("Enter the ambassador's work email address", "work_email")
    email = values["work_email"].lower()
    clash = db.session.scalar(
        sa.select(Ambassador.id).where(
            sa.func.lower(Ambassador.work_email) == email,
            Ambassador.id != (ambassador.id or 0),
        )
    )
    if clash:
        raise ValidationFailed(f"An ambassador with the work email {email} already exists",
                               "work_email")
    values["work_email"] = email
    values["is_active"] = bool(values["is_active"])
    for field, value in values.items():
        setattr(ambassador, field, value)


def create_ambassador(data: dict, actor: User) -> Ambassador:
    """Create an ambassador from validated form data."""
    ambassador = Ambassador()
    _apply(ambassador, data)
    db.session.add(ambassador)
    db.session.flush()
    audit.record("create", ambassador, actor=actor)
    return ambassador


def update_ambassador(ambassador: Ambassador, data: dict, actor: User) -> None:
    """Update an ambassador, refusing a save made from a stale copy."""
    check_version(ambassador, data.get("version"), "ambassador")
    _apply(ambassador, data)
    db.session.flush()
    audit.record("update", ambassador, actor=actor)
