"""Outcomes, sustainment checks at 13 and 26 weeks, progression, and interim volunteering.

A start at the anchor creates its outcome in :mod:`recruit.applications.services`; the other
kinds (a job elsewhere, an apprenticeship, a college place…) are recorded here by hand and count
as positive outcomes of their own kind (DOMAIN.md §3).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.journey.history import transition
from recruit.models import (
    AfcBand,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    User,
    Volunteering,
)
from recruit.models.base import utcnow
from recruit.models.outcomes import SUSTAINED_13_WEEKS_DAYS, SUSTAINED_26_WEEKS_DAYS
from recruit.vacancies.services import moment

BAND_ORDER = {band: index for index, band in enumerate(AfcBand)}
MAX_HOURS = 10_000


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _past_day(day: date | None, field: str, what: str) -> date:
    if day is None:
        raise ValidationFailed(f"Enter {what}", field)
    if day > utcnow().date():
        raise ValidationFailed(f"{what[0].upper()}{what[1:]} must be today or in the past", field)
    return day


def filtered(filters: dict) -> sa.Select:
    """Outcomes (participant loaded with them), narrowed by the list filters, newest first."""
    stmt = sa.select(Outcome).options(sa.orm.joinedload(Outcome.participant))
    if filters.get("kind"):
        stmt = stmt.where(Outcome.kind == filters["kind"])
    if filters.get("started_from"):
        stmt = stmt.where(Outcome.started_on >= filters["started_from"])
    if filters.get("started_to"):
        stmt = stmt.where(Outcome.started_on <= filters["started_to"])
    sustained = filters.get("sustained")
    if sustained == "unknown":
        stmt = stmt.where(Outcome.sustained_26_weeks.is_(None))
    elif sustained in ("yes", "no"):
        stmt = stmt.where(Outcome.sustained_26_weeks.is_(sustained == "yes"))
    return stmt.order_by(Outcome.started_on.desc(), Outcome.id.desc())


def _check_outcome(data: dict, manual: bool) -> None:
    if manual:
        kind = data.get("kind")
        if kind is None:
            raise ValidationFailed("Choose the kind of outcome", "kind")
        if kind is OutcomeKind.entry_level_role_at_anchor:
            raise ValidationFailed("A start in an entry-level role at the anchor is recorded "
                                   "from its application", "kind")
        _past_day(data.get("started_on"), "started_on", "the start date")


def create_outcome(participant: Participant, data: dict, actor: User | None) -> Outcome:
    """Record a positive outcome other than a start at the anchor.

    The participant's status becomes "positive outcome elsewhere", unless they have already
    started at the anchor, which stays their furthest stage.
    """
    if participant.is_anonymised:
        raise ValidationFailed("This participant's record has been anonymised", "participant_id")
    _check_outcome(data, manual=True)
    outcome = Outcome(participant=participant, kind=data["kind"], started_on=data["started_on"],
                      employer=_clean(data.get("employer")),
                      role_title=_clean(data.get("role_title")), band=data.get("band"),
                      notes=_clean(data.get("notes")))
    db.session.add(outcome)
    if participant.status not in (ParticipantStatus.employed, ParticipantStatus.other_outcome):
        transition(participant, ParticipantStatus.other_outcome, actor=actor,
                   at=moment(outcome.started_on), reason=outcome.kind.value)
    participant.last_activity_at = utcnow()
    db.session.flush()
    audit.record("create", outcome, actor=actor)
    return outcome


def update_outcome(outcome: Outcome, data: dict, actor: User | None) -> None:
    """Correct an outcome, refusing a stale save.

    A start at the anchor keeps the kind, date and band its application recorded; only the role
    title and notes change here.
    """
    check_version(outcome, data.get("version"), "outcome")
    manual = outcome.application_id is None
    _check_outcome(data, manual=manual)
    if manual:
        started_on = data["started_on"]
        for weeks, checked_on in ((13, outcome.checked_13_on), (26, outcome.checked_26_on)):
            offset = SUSTAINED_13_WEEKS_DAYS if weeks == 13 else SUSTAINED_26_WEEKS_DAYS
            if checked_on and checked_on < started_on + timedelta(days=offset):
                raise ValidationFailed(f"The {weeks}-week check was recorded on "
                                       f"{checked_on:%-d %B %Y}, before it would fall due from "
                                       "this start date", "started_on")
        outcome.kind, outcome.started_on = data["kind"], started_on
        outcome.employer, outcome.band = _clean(data.get("employer")), data.get("band")
    outcome.role_title = _clean(data.get("role_title"))
    outcome.notes = _clean(data.get("notes"))
    db.session.flush()
    audit.record("update", outcome, actor=actor)


def record_check(outcome: Outcome, weeks: int, data: dict, actor: User | None, *,
                 trusted: bool = False) -> None:
    """Record the 13- or 26-week sustainment check: still in post on that day, yes or no.

    A check cannot be recorded before it falls due (start + 91 or + 182 days), and the 26-week
    check follows a 13-week check that found them still in post.

    :param trusted: skip the version check (seeding, not forms).
    """
    if not trusted:
        check_version(outcome, data.get("version"), "outcome")
    if weeks not in (13, 26):
        raise ValidationFailed("Sustainment is checked at 13 and 26 weeks")
    sustained = data.get("sustained")
    if isinstance(sustained, str):
        sustained = {"yes": True, "no": False}.get(sustained)
    if sustained is None:
        raise ValidationFailed("Say whether they are still in post", "sustained")
    checked_on = _past_day(data.get("checked_on"), "checked_on", "the date of the check")
    due_on = outcome.check_13_due_on if weeks == 13 else outcome.check_26_due_on
    if checked_on < due_on:
        raise ValidationFailed(f"The {weeks}-week check falls due on {due_on:%-d %B %Y}: it "
                               "cannot be recorded before then", "checked_on")
    if weeks == 26:
        if outcome.sustained_13_weeks is None:
            raise ValidationFailed("Record the 13-week check first", "sustained")
        if outcome.sustained_13_weeks is False:
            raise ValidationFailed("They had left by the 13-week check, so there is no 26-week "
                                   "check to record", "sustained")
        outcome.sustained_26_weeks, outcome.checked_26_on = sustained, checked_on
    else:
        if not sustained and outcome.sustained_26_weeks:
            raise ValidationFailed("The 26-week check found them still in post, so they were in "
                                   "post at 13 weeks: correct the 26-week check first",
                                   "sustained")
        outcome.sustained_13_weeks, outcome.checked_13_on = sustained, checked_on
    db.session.flush()
    audit.record("sustainment", outcome, actor=actor, detail=f"{weeks} weeks")


def record_progression(outcome: Outcome, data: dict, actor: User | None, *,
                       trusted: bool = False) -> None:
    """Record a later move to a higher Agenda for Change band, with its date."""
    if not trusted:
        check_version(outcome, data.get("version"), "outcome")
    band = data.get("progressed_band")
    if band is None:
        raise ValidationFailed("Choose the band they moved to", "progressed_band")
    on = _past_day(data.get("progressed_on"), "progressed_on", "the date of the band change")
    if on <= outcome.started_on:
        raise ValidationFailed("The band change must be after the start date, "
                               f"{outcome.started_on:%-d %B %Y}", "progressed_on")
    if outcome.band is not None and BAND_ORDER[band] <= BAND_ORDER[outcome.band]:
        raise ValidationFailed(f"Progression must be to a band above {outcome.band.value}, "
                               "the band they started on", "progressed_band")
    outcome.progressed_band, outcome.progressed_on = band, on
    db.session.flush()
    audit.record("progression", outcome, actor=actor)


def _due_statements(today: date, within_days: int | None) -> list[tuple[int, sa.Select]]:
    if within_days is None:
        within_days = current_app.config["SUSTAINMENT_DUE_WITHIN_DAYS"]
    horizon = today + timedelta(days=within_days)
    base = sa.select(Outcome.id, Outcome.started_on)
    thirteen = base.where(
        Outcome.sustained_13_weeks.is_(None),
        Outcome.started_on <= horizon - timedelta(days=SUSTAINED_13_WEEKS_DAYS))
    twenty_six = base.where(
        Outcome.sustained_13_weeks.is_(True), Outcome.sustained_26_weeks.is_(None),
        Outcome.started_on <= horizon - timedelta(days=SUSTAINED_26_WEEKS_DAYS))
    return [(13, thirteen), (26, twenty_six)]


def checks_due_keys(today: date | None = None,
                    within_days: int | None = None) -> list[tuple[date, int, int]]:
    """``(due on, outcome ID, weeks)`` of each check due by ``today`` + ``within_days``, in order.

    Only three columns per check, so a long list is cheap to count, sort and cut into pages. The
    26-week check is listed only for someone still in post at 13 weeks. The due dates are computed
    here rather than in SQL, so the same query runs on SQLite and PostgreSQL.
    """
    today = today or utcnow().date()
    keys = []
    for weeks, stmt in _due_statements(today, within_days):
        offset = timedelta(days=SUSTAINED_13_WEEKS_DAYS if weeks == 13
                           else SUSTAINED_26_WEEKS_DAYS)
        keys.extend((started_on + offset, outcome_id, weeks)
                    for outcome_id, started_on in db.session.execute(stmt))
    return sorted(keys)


def checks_due_count(today: date | None = None, within_days: int | None = None) -> int:
    """How many checks are due (for the outcomes page), counted in SQL."""
    today = today or utcnow().date()
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
               for _weeks, stmt in _due_statements(today, within_days))


def due_rows(keys, today: date | None = None) -> list[dict]:
    """The outcome and participant behind each key of :func:`checks_due_keys`, in key order."""
    today = today or utcnow().date()
    outcomes = {outcome.id: outcome for outcome in db.session.scalars(
        sa.select(Outcome).options(sa.orm.joinedload(Outcome.participant))
        .where(Outcome.id.in_({outcome_id for _due, outcome_id, _weeks in keys})))}
    return [{"outcome": outcomes[outcome_id], "participant": outcomes[outcome_id].participant,
             "weeks": weeks, "due_on": due_on, "days": (due_on - today).days}
            for due_on, outcome_id, weeks in keys]


def checks_due(today: date | None = None, within_days: int | None = None) -> list[dict]:
    """Every sustainment check unrecorded and due by ``today`` + ``within_days``, soonest first."""
    today = today or utcnow().date()
    return due_rows(checks_due_keys(today, within_days), today)


def _check_volunteering(data: dict) -> None:
    if not _clean(data.get("organisation")):
        raise ValidationFailed("Enter the organisation", "organisation")
    starts_on = data.get("starts_on")
    if starts_on is None:
        raise ValidationFailed("Enter the start date", "starts_on")
    ends_on = data.get("ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed("The end date must be the same as or after the start date",
                               "ends_on")
    hours = data.get("hours")
    if hours is not None and not 0 <= hours <= MAX_HOURS:
        raise ValidationFailed(f"The hours must be between 0 and {MAX_HOURS:,}", "hours")


def _apply_volunteering(volunteering: Volunteering, data: dict) -> None:
    _check_volunteering(data)
    volunteering.organisation = _clean(data["organisation"])
    volunteering.role = _clean(data.get("role"))
    volunteering.starts_on, volunteering.ends_on = data["starts_on"], data.get("ends_on")
    volunteering.hours = data.get("hours")


def create_volunteering(participant: Participant, data: dict,
                        actor: User | None) -> Volunteering:
    """Record volunteering that keeps a participant engaged while they wait for a role."""
    if participant.status is ParticipantStatus.withdrawn or participant.is_anonymised:
        raise ValidationFailed(f"{participant.display_name} has withdrawn from the programme",
                               "participant_id")
    volunteering = Volunteering(participant=participant)
    _apply_volunteering(volunteering, data)
    db.session.add(volunteering)
    participant.last_activity_at = utcnow()
    db.session.flush()
    audit.record("create", volunteering, actor=actor)
    return volunteering


def update_volunteering(volunteering: Volunteering, data: dict, actor: User | None) -> None:
    """Change volunteering details (often the end date and hours), refusing a stale save."""
    check_version(volunteering, data.get("version"), "volunteering record")
    _apply_volunteering(volunteering, data)
    db.session.flush()
    audit.record("update", volunteering, actor=actor)
