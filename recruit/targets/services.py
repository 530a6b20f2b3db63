"""Board targets: creating and changing them, their milestones and their hand-recorded readings.

Milestones and readings belong to their target: adding or removing one is a change to the target,
so it carries the target's version (optimistic locking) and bumps it.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.models import Target, TargetMetric, TargetMilestone, TargetReading, User
from recruit.models.base import utcnow
from recruit.statistics.periods import Quarter

FIELDS = ("name", "metric", "value", "starts_on", "deadline_on", "description")


def _apply(target: Target, data: dict) -> None:
    name = (data.get("name") or "").strip()
    clash = db.session.scalar(
        sa.select(Target.id).where(sa.func.lower(Target.name) == name.lower(),
                                   Target.id != (target.id or 0))
    )
    if clash:
        raise ValidationFailed(f"A target called {name} already exists", "name")
    if data["deadline_on"] < data["starts_on"]:
        raise ValidationFailed("The deadline must be on or after the start date", "deadline_on")
    if target.id and target.milestones:
        outside = [m for m in target.milestones
                   if not data["starts_on"] <= m.due_on <= data["deadline_on"]
                   or m.value > data["value"]]
        if outside:
            raise ValidationFailed(
                f"{len(outside)} milestone(s) would fall outside the new dates or above the new "
                "value: remove them first", "deadline_on")
    for name_ in FIELDS:
        value = data.get(name_)
        setattr(target, name_, (value.strip() or None) if isinstance(value, str) else value)
    target.name = name


def create_target(data: dict, actor: User | None) -> Target:
    """Create a target from validated form data."""
    target = Target()
    _apply(target, data)
    db.session.add(target)
    db.session.flush()
    audit.record("create", target, actor=actor)
    return target


def update_target(target: Target, data: dict, actor: User | None) -> None:
    """Change a target, refusing a save made from a stale copy."""
    check_version(target, data.get("version"), "target")
    _apply(target, data)
    target.updated_at = utcnow()
    db.session.flush()
    audit.record("update", target, actor=actor)


def delete_target(target: Target, version, actor: User | None) -> None:
    """Delete a target with its milestones and readings."""
    check_version(target, version, "target")
    audit.record("delete", target, actor=actor, detail=f"target {target.name}")
    db.session.delete(target)
    db.session.flush()


def _touch(target: Target, version, actor: User | None, detail: str) -> None:
    """Record a change to a target's milestones or readings as a change to the target."""
    check_version(target, version, "target")
    target.updated_at = utcnow()
    db.session.flush()
    audit.record("update", target, actor=actor, detail=detail)


def add_milestone(target: Target, due_on: date, value: int, version,
                  actor: User | None) -> TargetMilestone:
    """Add a planned cumulative value by a date, keeping the plan rising over time."""
    check_version(target, version, "target")
    if not target.starts_on <= due_on <= target.deadline_on:
        raise ValidationFailed(
            f"A milestone must fall between the start ({target.starts_on:%-d %B %Y}) and the "
            f"deadline ({target.deadline_on:%-d %B %Y})", "due_on")
    if not 0 <= value <= target.value:
        raise ValidationFailed(f"A milestone must be between 0 and the target, "
                               f"{target.value:,}", "value")
    if any(m.due_on == due_on for m in target.milestones):
        raise ValidationFailed("There is already a milestone on that date", "due_on")
    earlier = [m.value for m in target.milestones if m.due_on < due_on]
    later = [m.value for m in target.milestones if m.due_on > due_on]
    if (earlier and value < max(earlier)) or (later and value > min(later)):
        raise ValidationFailed("Milestones are cumulative: a milestone cannot be below an "
                               "earlier one or above a later one", "value")
    milestone = TargetMilestone(due_on=due_on, value=value)
    target.milestones.append(milestone)
    _touch(target, version, actor, f"milestone {due_on.isoformat()} added")
    return milestone


def delete_milestone(target: Target, milestone: TargetMilestone, version,
                     actor: User | None) -> None:
    check_version(target, version, "target")
    target.milestones.remove(milestone)
    _touch(target, version, actor, f"milestone {milestone.due_on.isoformat()} removed")


def quarterly_milestones(target: Target, version, actor: User | None) -> int:
    """Replace the milestones with a straight line: one at each quarter end before the deadline.

    :returns: the number of milestones set.
    """
    check_version(target, version, "target")
    target.milestones.clear()
    db.session.flush()
    for due_on, value in straight_line(target.value, target.starts_on, target.deadline_on):
        target.milestones.append(TargetMilestone(due_on=due_on, value=value))
    _touch(target, version, actor, "quarterly milestones set")
    return len(target.milestones)


def straight_line(value: int, starts_on: date, deadline_on: date) -> list[tuple[date, int]]:
    """The cumulative value due at each quarter end strictly between the start and deadline."""
    span = (deadline_on - starts_on).days
    points = []
    quarter = Quarter.containing(starts_on)
    while quarter.ends_on < deadline_on:
        if quarter.ends_on > starts_on and span:
            points.append((quarter.ends_on,
                           round(value * (quarter.ends_on - starts_on).days / span)))
        quarter = quarter.next()
    return points


def add_reading(target: Target, as_of: date, value: int, version,
                actor: User | None) -> TargetReading:
    """Record the actual value of a custom target on a day."""
    check_version(target, version, "target")
    if target.metric is not TargetMetric.custom:
        raise ValidationFailed("Only custom targets take readings: the others are counted "
                               "from the programme's records", "value")
    if any(r.as_of == as_of for r in target.readings):
        raise ValidationFailed("There is already a reading on that date", "as_of")
    user = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    reading = TargetReading(as_of=as_of, value=value, recorded_by=user)
    target.readings.append(reading)
    _touch(target, version, actor, f"reading {as_of.isoformat()} recorded")
    return reading


def delete_reading(target: Target, reading: TargetReading, version,
                   actor: User | None) -> None:
    check_version(target, version, "target")
    target.readings.remove(reading)
    _touch(target, version, actor, f"reading {reading.as_of.isoformat()} removed")
