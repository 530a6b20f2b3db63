"""The vacancy ledger: filtering, totals against the pipeline target, saving and status moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.journey.history import TransitionRefused, transition
from recruit.models import User, Vacancy, VacancyStatus
from recruit.models.base import utcnow

S = VacancyStatus
# A closed advert may be re-opened (re-advertised); filled and withdrawn are final.
ALLOWED: dict[VacancyStatus | None, set[VacancyStatus]] = {
    None: {S.identified},
    S.identified: {S.open, S.withdrawn},
    S.open: {S.closed, S.filled, S.withdrawn},
    S.closed: {S.open, S.filled, S.withdrawn},
    S.filled: set(),
    S.withdrawn: set(),
}
FIELDS = ("title", "band", "staff_group", "department", "site", "locality", "posts",
          "is_ring_fenced", "nhs_jobs_reference", "identified_on", "opens_on", "closes_on")
TEXT_FIELDS = ("title", "department", "site", "locality", "nhs_jobs_reference")


def moment(day: date | None) -> datetime:
    """When a change dated ``day`` took effect: now for today, midday UTC for an earlier day.

    :param day: the date the user gave for the change; ``None`` means now.
    """
    if day is None or day == utcnow().date():
        return utcnow()
    return datetime.combine(day, time(12), tzinfo=UTC)


def filtered(filters: dict) -> sa.Select:
    """Vacancies narrowed by the list filters, newest identified first."""
    stmt = sa.select(Vacancy)
    for name in ("status", "band", "staff_group", "site", "locality"):
        if filters.get(name):
            stmt = stmt.where(getattr(Vacancy, name) == filters[name])
    if filters.get("ring_fenced") in ("yes", "no"):
        stmt = stmt.where(Vacancy.is_ring_fenced.is_(filters["ring_fenced"] == "yes"))
    return stmt.order_by(Vacancy.identified_on.desc(), Vacancy.id.desc())


def distinct_values(column) -> list[str]:
    """The values in use for a free-text column, for a filter's choices."""
    return list(db.session.scalars(
        sa.select(column).where(column.is_not(None)).distinct().order_by(column)
    ))


def pipeline() -> dict:
    """Posts identified on the ledger (withdrawn posts excluded) against the pipeline target."""
    by_status = dict(db.session.execute(
        sa.select(Vacancy.status, sa.func.coalesce(sa.func.sum(Vacancy.posts), 0))
        .group_by(Vacancy.status)
    ).all())
    identified = sum(n for status, n in by_status.items() if status is not S.withdrawn)
    target = current_app.config["POSTS_PIPELINE_TARGET"]
    percent = min(100, round(100 * identified / target)) if target else 0
    return {
        "identified": identified, "target": target, "percent": percent,
        "by_status": [(status, by_status.get(status, 0)) for status in VacancyStatus],
    }


def posts_in(stmt: sa.Select) -> int:
    """The number of posts in the vacancies ``stmt`` selects."""
    return db.session.scalar(
        stmt.order_by(None).with_only_columns(sa.func.coalesce(sa.func.sum(Vacancy.posts), 0))
    )


def _check(data: dict) -> None:
    """Check the rules again, for callers that bypass the form (commands, seeding)."""
    if not (data.get("title") or "").strip():
        raise ValidationFailed("Enter the job title", "title")
    if data.get("band") is None:
        raise ValidationFailed("Choose the Agenda for Change band", "band")
    posts = data.get("posts")
    if posts is None or posts < 1:
        raise ValidationFailed("The number of posts must be 1 or more", "posts")
    if data.get("identified_on") is None:
        raise ValidationFailed("Enter the date the post was identified", "identified_on")
    opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationFailed("The closing date must be the same as or after the opening date",
                               "closes_on")


def _apply(vacancy: Vacancy, data: dict) -> None:
    _check(data)
    for name in FIELDS:
        value = data.get(name)
        if name in TEXT_FIELDS:
            value = (value or "").strip() or None
        setattr(vacancy, name, value)
    vacancy.is_ring_fenced = bool(data.get("is_ring_fenced"))
    if vacancy.status is S.open and not (vacancy.opens_on and vacancy.closes_on):
        raise ValidationFailed("An open vacancy needs its opening and closing dates",
                               "opens_on" if not vacancy.opens_on else "closes_on")


def create_vacancy(data: dict, actor: User | None, *, at: datetime | None = None) -> Vacancy:
    """Add posts to the ledger, status "identified", with the first history row.

    :param at: when they were identified, for back-dated entries (default now).
    """
    vacancy = Vacancy()
    _apply(vacancy, data)
    db.session.add(vacancy)
    transition(vacancy, S.identified, actor=actor, at=at, allowed=ALLOWED, what="This vacancy")
    db.session.flush()
    audit.record("create", vacancy, actor=actor)
    return vacancy


def update_vacancy(vacancy: Vacancy, data: dict, actor: User | None) -> None:
    """Change a vacancy's details, refusing a save made from a stale copy."""
    check_version(vacancy, data.get("version"), "vacancy")
    _apply(vacancy, data)
    db.session.flush()
    audit.record("update", vacancy, actor=actor)


def next_statuses(vacancy: Vacancy) -> list[VacancyStatus]:
    """The status moves that make sense from where the vacancy is, in ledger order."""
    allowed = ALLOWED.get(vacancy.status, set())
    return [status for status in VacancyStatus if status in allowed]


def move_vacancy(vacancy: Vacancy, to: VacancyStatus, actor: User | None, *,
                 on: date | None = None, version=None, reason: str | None = None) -> None:
    """Move a vacancy to ``to`` (open, closed, filled, withdrawn), keeping the history.

    An advert can only open with both its dates, and not once its closing date has passed.

    :param on: the day the change took effect (default today), for back-dated entries.
    :param version: the version the user saw; ``None`` from trusted callers (seeding).
    """
    if version is not None:
        check_version(vacancy, version, "vacancy")
    day = on or utcnow().date()
    if to is S.open and vacancy.status in ALLOWED and to in ALLOWED[vacancy.status]:
        if not (vacancy.opens_on and vacancy.closes_on):
            raise TransitionRefused("Enter the opening and closing dates before opening this "
                                    "vacancy", "status")
        if vacancy.closes_on < day:
            raise TransitionRefused("The closing date has passed: change the closing date "
                                    "before opening this vacancy again", "status")
    transition(vacancy, to, actor=actor, at=moment(on), allowed=ALLOWED, what="This vacancy",
               reason=reason)
    db.session.flush()
    audit.record("status", vacancy, actor=actor, detail=f"to {to.name}")
