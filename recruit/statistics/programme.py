"""Programme figures for a period, counted in the database: the dashboard's and the board pack's.

Every function takes a SQLAlchemy session and a period (first and last day, inclusive), runs
aggregate SQL (``COUNT``/``SUM`` with ``CASE``, ``GROUP BY``) and returns a small frozen dataclass
or a dict of counts; no person-level row is loaded into Python. Definitions (DOMAIN.md §3):

* **placement guarantee met**: a completion in the period whose participant was offered a
  placement (any outcome of the offer) no later than ``weeks`` after the completion date.
  Completions whose window is still open on ``today`` without an offer are *awaiting*, not missed.
* **feedback**: applications closed as unsuccessful in the period (their dated status change),
  and how many of them hold written feedback.
* **sustainment**: starts at the anchor whose 13- or 26-week check (start + 91 / + 182 days) fell
  due in the period, by the answer recorded.
* **completion rate**: of enrolments that ended in the period (completed or withdrawn), the share
  completed (local method).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from recruit.models import (
    Ambassador,
    Application,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    LocalAuthority,
    Outcome,
    OutcomeKind,
    OutreachActivity,
    PartnerOrganisation,
    Placement,
    StatusChange,
    Volunteering,
    Ward,
)
from recruit.models.outcomes import SUSTAINED_13_WEEKS_DAYS, SUSTAINED_26_WEEKS_DAYS
from recruit.models.outreach import activity_ambassadors


class add_days(FunctionElement):  # noqa: N801 (an SQL function, named as SQL names them)
    """``day + days`` for a DATE column, in each database's own date arithmetic."""

    type = sa.Date()
    inherit_cache = True


@compiles(add_days)
def _add_days_default(element, compiler, **kw):
    day, days = list(element.clauses)
    return (f"date({compiler.process(day, **kw)}, '+' || "
            f"CAST({compiler.process(days, **kw)} AS TEXT) || ' days')")


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + CAST({compiler.process(days, **kw)} AS INTEGER))"


def _count_if(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    return (datetime.combine(starts_on, time.min, UTC),
            datetime.combine(ends_on + timedelta(days=1), time.min, UTC))


# -- Placement guarantee --------------------------------------------------------------------


@dataclass(frozen=True)
class Guarantee:
    weeks: int
    completers: int
    met: int  # offered within the guarantee period
    late: int  # offered, but after it
    awaiting: int  # no offer yet, the period still open on the day of counting
    missed: int  # no offer, the period over

    @property
    def share(self) -> float | None:
        return self.met / self.completers if self.completers else None


def placement_guarantee(session: Session, starts_on: date, ends_on: date, weeks: int,
                        today: date) -> Guarantee:
    """Completions in the period against the placement guarantee of ``weeks`` weeks."""
    enrolment = Enrolment
    due = add_days(enrolment.completed_on, sa.literal(weeks * 7))
    # A placement offered for this enrolment, or one offered to the person since they enrolled
    # that names no enrolment: two EXISTS, each found by an index (one EXISTS of an OR is not).
    for_enrolment = Placement.enrolment_id == enrolment.id
    for_person = sa.and_(Placement.participant_id == enrolment.participant_id,
                         Placement.enrolment_id.is_(None),
                         Placement.offered_on >= enrolment.enrolled_on)
    offered_in_time = sa.or_(sa.exists().where(for_enrolment, Placement.offered_on <= due),
                             sa.exists().where(for_person, Placement.offered_on <= due))
    offered = sa.or_(sa.exists().where(for_enrolment), sa.exists().where(for_person))
    row = session.execute(
        sa.select(
            sa.func.count(enrolment.id),
            _count_if(offered_in_time),
            _count_if(sa.and_(offered, ~offered_in_time)),
            _count_if(sa.and_(~offered, due >= today)),
        ).where(enrolment.status == EnrolmentStatus.completed,
                enrolment.completed_on.between(starts_on, ends_on))
    ).one()
    completers, met, late, awaiting = (int(value) for value in row)
    return Guarantee(weeks, completers, met, late, awaiting,
                     completers - met - late - awaiting)


# -- Feedback to unsuccessful applicants ----------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    unsuccessful: int
    with_feedback: int

    @property
    def share(self) -> float | None:
        return self.with_feedback / self.unsuccessful if self.unsuccessful else None


def applicant_feedback(session: Session, starts_on: date, ends_on: date) -> Feedback:
    """Applications closed as unsuccessful in the period, and those with written feedback."""
    start, end = _bounds(starts_on, ends_on)
    closed = (sa.select(StatusChange.subject_id)
              .where(StatusChange.subject_type == "application",
                     StatusChange.to_status == "unsuccessful",
                     StatusChange.changed_at >= start, StatusChange.changed_at < end)
              .distinct().subquery())
    written = sa.and_(Application.feedback.is_not(None),
                      sa.func.length(sa.func.trim(Application.feedback)) > 0)
    total, with_feedback = session.execute(
        sa.select(sa.func.count(Application.id), _count_if(written))
        .join(closed, closed.c.subject_id == Application.id)
    ).one()
    return Feedback(int(total), int(with_feedback))


# -- Outreach -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutreachCounts:
    activities: int
    reached: int
    young_people: int
    interested: int
    partners: int  # distinct partner organisations with an activity


def outreach_summary(session: Session, starts_on: date, ends_on: date) -> OutreachCounts:
    activity = OutreachActivity
    row = session.execute(
        sa.select(sa.func.count(activity.id),
                  sa.func.coalesce(sa.func.sum(activity.people_reached), 0),
                  sa.func.coalesce(sa.func.sum(activity.young_people_reached), 0),
                  sa.func.coalesce(sa.func.sum(activity.expressions_of_interest), 0),
                  sa.func.count(sa.distinct(activity.partner_id)))
        .where(activity.held_on.between(starts_on, ends_on))
    ).one()
    return OutreachCounts(*(int(value) for value in row))


def outreach_by(session: Session, starts_on: date, ends_on: date,
                key: str) -> dict[str | None, tuple[int, int, int]]:
    """Activities, people reached and expressions of interest per breakdown value.

    ``key`` is ``partner``, ``partner_kind``, ``ambassador``, ``town`` or ``ward``; the value is
    ``None`` for activities with none (no partner, say). An activity with two ambassadors counts
    for each of them.
    """
    activity = OutreachActivity
    stmt = sa.select(activity.id.label("id"), activity.people_reached.label("reached"),
                     activity.expressions_of_interest.label("interested"))
    if key == "partner":
        group = PartnerOrganisation.name
        stmt = stmt.outerjoin(PartnerOrganisation, PartnerOrganisation.id == activity.partner_id)
    elif key == "partner_kind":
        group = PartnerOrganisation.kind
        stmt = stmt.outerjoin(PartnerOrganisation, PartnerOrganisation.id == activity.partner_id)
    elif key == "ward":
        group = Ward.name
        stmt = stmt.outerjoin(Ward, Ward.id == activity.ward_id)
    elif key == "town":
        group = LocalAuthority.name
        stmt = (stmt.outerjoin(Ward, Ward.id == activity.ward_id)
                .outerjoin(LocalAuthority, LocalAuthority.id == Ward.local_authority_id))
    elif key == "ambassador":
        group = Ambassador.name
        stmt = (stmt.outerjoin(activity_ambassadors,
                               activity_ambassadors.c.activity_id == activity.id)
                .outerjoin(Ambassador, Ambassador.id == activity_ambassadors.c.ambassador_id))
    else:
        raise ValueError(f"no outreach breakdown by {key!r}")
    inner = stmt.add_columns(group.label("grp")).where(
        activity.held_on.between(starts_on, ends_on)).subquery()
    result = session.execute(
        sa.select(inner.c.grp, sa.func.count(inner.c.id),
                  sa.func.coalesce(sa.func.sum(inner.c.reached), 0),
                  sa.func.coalesce(sa.func.sum(inner.c.interested), 0))
        .group_by(inner.c.grp)
    ).tuples()
    return {getattr(grp, "value", grp): (int(n), int(reached), int(interested))
            for grp, n, reached, interested in result}


# -- Cohorts and completion -----------------------------------------------------------------


@dataclass(frozen=True)
class CohortCounts:
    cohorts_started: int
    cohorts_ended: int
    places: int  # capacity of the cohorts that started
    enrolled_in_started: int  # enrolments in the cohorts that started
    completed: int  # enrolments completed in the period
    withdrawn: int  # enrolments withdrawn in the period

    @property
    def completion_rate(self) -> float | None:
        ended = self.completed + self.withdrawn
        return self.completed / ended if ended else None

    @property
    def fill_rate(self) -> float | None:
        return self.enrolled_in_started / self.places if self.places else None


def cohort_counts(session: Session, starts_on: date, ends_on: date) -> CohortCounts:
    """Cohorts starting and ending in the period, places filled, completions and withdrawals."""
    started = Cohort.starts_on.between(starts_on, ends_on)
    cohorts = session.execute(
        sa.select(_count_if(started), _count_if(Cohort.ends_on.between(starts_on, ends_on)),
                  sa.func.coalesce(sa.func.sum(sa.case((started, Cohort.capacity), else_=0)), 0))
        .where(Cohort.status != CohortStatus.cancelled)
    ).one()
    enrolments = session.execute(
        sa.select(
            _count_if(Cohort.starts_on.between(starts_on, ends_on)),
            _count_if(sa.and_(Enrolment.status == EnrolmentStatus.completed,
                              Enrolment.completed_on.between(starts_on, ends_on))),
            _count_if(sa.and_(Enrolment.status == EnrolmentStatus.withdrawn,
                              Enrolment.withdrawn_on.between(starts_on, ends_on))),
        ).join(Cohort, Cohort.id == Enrolment.cohort_id)
    ).one()
    return CohortCounts(int(cohorts[0]), int(cohorts[1]), int(cohorts[2]),
                        *(int(value) for value in enrolments))


def completion_by_town(session: Session, starts_on: date,
                       ends_on: date) -> dict[str | None, tuple[int, int]]:
    """``{town: (completed, withdrawn)}`` for enrolments ending in the period, by cohort town.

    The town is the local authority of the cohort's ward (where it was held).
    """
    completed = sa.and_(Enrolment.status == EnrolmentStatus.completed,
                        Enrolment.completed_on.between(starts_on, ends_on))
    withdrawn = sa.and_(Enrolment.status == EnrolmentStatus.withdrawn,
                        Enrolment.withdrawn_on.between(starts_on, ends_on))
    rows = session.execute(
        sa.select(LocalAuthority.name, _count_if(completed), _count_if(withdrawn))
        .select_from(Enrolment).join(Cohort, Cohort.id == Enrolment.cohort_id)
        .outerjoin(Ward, Ward.id == Cohort.ward_id)
        .outerjoin(LocalAuthority, LocalAuthority.id == Ward.local_authority_id)
        .where(sa.or_(completed, withdrawn))
        .group_by(LocalAuthority.name)
    ).tuples()
    return {name: (int(c), int(w)) for name, c, w in rows}


# -- Progression, sustainment, other outcomes -----------------------------------------------


@dataclass(frozen=True)
class CheckCounts:
    due: int
    sustained: int
    left: int
    not_recorded: int

    @property
    def share(self) -> float | None:
        recorded = self.sustained + self.left
        return self.sustained / recorded if recorded else None


@dataclass(frozen=True)
class Sustainment:
    starts: int  # entry-level starts at the anchor in the period
    week_13: CheckCounts
    week_26: CheckCounts
    progressed: int  # moved up a band in the period
    volunteering: int  # volunteering roles active at some point in the period
    elsewhere: dict[str, int]  # other positive outcomes started in the period, by kind label


def _checks(session: Session, starts_on: date, ends_on: date, days: int,
            answer) -> CheckCounts:
    due_on = add_days(Outcome.started_on, sa.literal(days))
    row = session.execute(
        sa.select(sa.func.count(Outcome.id), _count_if(answer.is_(True)),
                  _count_if(answer.is_(False)), _count_if(answer.is_(None)))
        .where(Outcome.kind == OutcomeKind.entry_level_role_at_anchor,
               due_on >= starts_on, due_on <= ends_on)
    ).one()
    return CheckCounts(*(int(value) for value in row))


def sustainment(session: Session, starts_on: date, ends_on: date) -> Sustainment:
    """Starts, sustainment checks falling due, progression and other outcomes in the period."""
    anchor = Outcome.kind == OutcomeKind.entry_level_role_at_anchor
    starts, progressed = session.execute(
        sa.select(_count_if(sa.and_(anchor, Outcome.started_on.between(starts_on, ends_on))),
                  _count_if(sa.and_(anchor, Outcome.progressed_on.between(starts_on, ends_on))))
    ).one()
    volunteering = session.scalar(
        sa.select(sa.func.count(Volunteering.id))
        .where(Volunteering.starts_on <= ends_on,
               sa.or_(Volunteering.ends_on.is_(None), Volunteering.ends_on >= starts_on))
    )
    elsewhere = session.execute(
        sa.select(Outcome.kind, sa.func.count(Outcome.id))
        .where(~anchor, Outcome.started_on.between(starts_on, ends_on))
        .group_by(Outcome.kind)
    ).tuples()
    return Sustainment(
        starts=int(starts), progressed=int(progressed), volunteering=int(volunteering or 0),
        week_13=_checks(session, starts_on, ends_on, SUSTAINED_13_WEEKS_DAYS,
                        Outcome.sustained_13_weeks),
        week_26=_checks(session, starts_on, ends_on, SUSTAINED_26_WEEKS_DAYS,
                        Outcome.sustained_26_weeks),
        elsewhere={kind.value: int(n) for kind, n in sorted(elsewhere, key=lambda r: r[0].name)},
    )


# -- The span of the data -------------------------------------------------------------------


def data_span(session: Session) -> tuple[date | None, date | None]:
    """The first and last day with any journey status change or outreach activity."""
    first_change, last_change = session.execute(
        sa.select(sa.func.min(StatusChange.changed_at), sa.func.max(StatusChange.changed_at))
        .where(StatusChange.participant_id.is_not(None))
    ).one()
    first_activity, last_activity = session.execute(
        sa.select(sa.func.min(OutreachActivity.held_on), sa.func.max(OutreachActivity.held_on))
    ).one()
    firsts = [d for d in (_day(first_change), first_activity) if d is not None]
    lasts = [d for d in (_day(last_change), last_activity) if d is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # SQLite returns MIN/MAX of a datetime column as text
        return date.fromisoformat(value[:10])
    return value
