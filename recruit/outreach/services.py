"""Outreach activities: who may see which, filtering, totals, creating and updating.

Isolation lives here in one place: :func:`visible_activities` is the only way views reach
activities, so an ambassador sees only the activities they took part in and a partner user only
their own organisation's.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from recruit import audit
from recruit.auth.access import STAFF
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.models import Ambassador, OutreachActivity, PartnerOrganisation, Role, User, Ward

EARLIEST = date(2015, 1, 1)
MAX_COUNT = 1_000_000
COUNTS = (
    ("people_reached", "people reached"),
    ("young_people_reached", "young people"),
    ("expressions_of_interest", "expressions of interest"),
)


def visible_activities(user: User) -> sa.Select:
    """Select the activities ``user`` may see, as a statement to filter further."""
    stmt = sa.select(OutreachActivity)
    if user.role in STAFF:
        return stmt
    if user.role is Role.ambassador and user.ambassador_id is not None:
        return stmt.where(OutreachActivity.ambassadors.any(Ambassador.id == user.ambassador_id))
    if user.role is Role.partner and user.partner_id is not None:
        return stmt.where(OutreachActivity.partner_id == user.partner_id)
    return stmt.where(sa.false())


def get_activity_or_404(activity_id: int, user: User) -> OutreachActivity:
    """One activity the user may see; another's activity is a 404, not a 403."""
    activity = db.session.scalar(
        visible_activities(user).where(OutreachActivity.id == activity_id)
    )
    if activity is None:
        abort(404)
    return activity


def filtered(user: User, filters: dict) -> sa.Select:
    """Narrow the user's visible activities by the list filters."""
    stmt = visible_activities(user)
    if filters.get("date_from"):
        stmt = stmt.where(OutreachActivity.held_on >= filters["date_from"])
    if filters.get("date_to"):
        stmt = stmt.where(OutreachActivity.held_on <= filters["date_to"])
    if filters.get("kind"):
        stmt = stmt.where(OutreachActivity.kind == filters["kind"])
    if filters.get("ward_id"):
        stmt = stmt.where(OutreachActivity.ward_id == filters["ward_id"])
    if filters.get("partner_id"):
        stmt = stmt.where(OutreachActivity.partner_id == filters["partner_id"])
    if filters.get("ambassador_id"):
        stmt = stmt.where(
            OutreachActivity.ambassadors.any(Ambassador.id == filters["ambassador_id"])
        )
    return stmt


def with_related(stmt: sa.Select) -> sa.Select:
    """Load ward, partner and ambassadors for a page of activities in a few queries, not N."""
    return stmt.order_by(OutreachActivity.held_on.desc(), OutreachActivity.id.desc()).options(
        selectinload(OutreachActivity.ward),
        selectinload(OutreachActivity.partner),
        selectinload(OutreachActivity.ambassadors),
    )


def recent(stmt: sa.Select, limit: int = 10) -> list[OutreachActivity]:
    """The newest ``limit`` activities of ``stmt``."""
    return list(db.session.scalars(
        stmt.order_by(None).order_by(OutreachActivity.held_on.desc(), OutreachActivity.id.desc())
        .limit(limit)))


def summary(condition) -> dict:
    """Totals and the newest activities for one partner's or one ambassador's outreach."""
    stmt = sa.select(OutreachActivity).where(condition)
    return {"totals": totals(stmt), "activities": recent(stmt)}


def totals(stmt: sa.Select):
    """Activities, people reached, young people and expressions of interest for ``stmt``."""
    return db.session.execute(
        stmt.order_by(None).with_only_columns(
            sa.func.count(OutreachActivity.id).label("activities"),
            sa.func.coalesce(sa.func.sum(OutreachActivity.people_reached), 0).label("reached"),
            sa.func.coalesce(sa.func.sum(OutreachActivity.young_people_reached), 0)
            .label("young_people"),
            sa.func.coalesce(sa.func.sum(OutreachActivity.expressions_of_interest), 0)
            .label("interest"),
        )
    ).one()


def _check(data: dict) -> None:
    """Check the rules again, for callers that bypass the form (commands, seeding)."""
    held_on = data.get("held_on")
    if held_on is None:
        raise ValidationFailed("Enter the date of the activity", "held_on")
    if held_on > date.today():
        raise ValidationFailed("The date of the activity must be today or in the past", "held_on")
    if held_on < EARLIEST:
        raise ValidationFailed("The date of the activity must be on or after 1 January 2015",
                               "held_on")
    if not data.get("kind"):
        raise ValidationFailed("Choose the kind of activity", "kind")
    if not (data.get("venue") or "").strip():
        raise ValidationFailed("Enter the venue", "venue")
    for field, name in COUNTS:
        value = data.get(field)
        if value is None or not 0 <= value <= MAX_COUNT:
            raise ValidationFailed(
                f"The number of {name} must be between 0 and {MAX_COUNT:,}", field
            )
    reached = data["people_reached"]
    if data["young_people_reached"] > reached:
        raise ValidationFailed(
            "Young people under 25 must not be more than the number of people reached",
            "young_people_reached",
        )
    if data["expressions_of_interest"] > reached:
        raise ValidationFailed(
            "Expressions of interest must not be more than the number of people reached",
            "expressions_of_interest",
        )
    if data.get("ward_id") and db.session.get(Ward, data["ward_id"]) is None:
        raise ValidationFailed("Choose a ward from the list", "ward_id")
    if data.get("partner_id") and db.session.get(PartnerOrganisation, data["partner_id"]) is None:
        raise ValidationFailed("Choose a partner organisation from the list", "partner_id")


def _ambassadors(activity: OutreachActivity, data: dict, actor: User) -> list[Ambassador]:
    """Who took part: an ambassador user is always among them; staff choose from the form."""
    current = {a.id for a in activity.ambassadors}
    if actor.role is Role.ambassador:
        wanted = current | {actor.ambassador_id}
    else:
        wanted = set(data.get("ambassador_ids") or ())
    if not wanted:
        raise ValidationFailed("Choose at least one ambassador", "ambassador_ids")
    found = list(db.session.scalars(sa.select(Ambassador).where(Ambassador.id.in_(wanted))))
    if len(found) != len(wanted):
        raise ValidationFailed("Choose ambassadors from the list", "ambassador_ids")
    for ambassador in found:
        if ambassador.id not in current and not ambassador.is_active and actor.role in STAFF:
            raise ValidationFailed(f"{ambassador.name} is no longer an active ambassador",
                                   "ambassador_ids")
    return sorted(found, key=lambda a: (a.name, a.id))


def _apply(activity: OutreachActivity, data: dict, actor: User) -> None:
    _check(data)
    activity.ambassadors = _ambassadors(activity, data, actor)
    activity.held_on = data["held_on"]
    activity.kind = data["kind"]
    activity.venue = data["venue"].strip()
    activity.ward_id = data.get("ward_id")
    activity.partner_id = data.get("partner_id")
    for field, _name in COUNTS:
        setattr(activity, field, data[field])
    activity.barriers = list(data.get("barriers") or ())
    activity.notes = (data.get("notes") or "").strip() or None


def create_activity(data: dict, actor: User) -> OutreachActivity:
    """Log an activity from validated form data."""
    activity = OutreachActivity(logged_by_id=actor.id)
    _apply(activity, data, actor)
    db.session.add(activity)
    db.session.flush()
    audit.record("create", activity, actor=actor)
    return activity


def update_activity(activity: OutreachActivity, data: dict, actor: User) -> None:
    """Update an activity, refusing a save made from a stale copy."""
    check_version(activity, data.get("version"), "outreach activity")
    _apply(activity, data, actor)
    db.session.flush()
    audit.record("update", activity, actor=actor)
