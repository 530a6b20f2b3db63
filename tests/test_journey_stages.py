"""When each person first reached each stage: kept with every status change, earliest first."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from recruit.extensions import db
from recruit.journey import stages
from recruit.journey.history import transition
from recruit.models import ParticipantStage, ParticipantStatus, StatusChange
from recruit.statistics.funnel import funnel, median_days
from tests.factories_participants import ParticipantFactory


def _stages(participant_id: int) -> dict[str, datetime]:
    return dict(db.session.execute(
        sa.select(ParticipantStage.stage, ParticipantStage.reached_at)
        .where(ParticipantStage.participant_id == participant_id)).all())


def _at(day: int, month: int = 5) -> datetime:
    return datetime(2025, month, day, 10, tzinfo=UTC)


def _change(person, subject: str, status: str, when: datetime, subject_id: int = 1):
    db.session.add(StatusChange(subject_type=subject, subject_id=subject_id,
                                participant_id=person.id, to_status=status, changed_at=when))
    db.session.flush()


def test_a_transition_records_the_stage_it_reaches(app):
    person = ParticipantFactory()  # registered now, through the ORM
    registered_at = db.session.scalar(sa.select(StatusChange.changed_at)
                                      .where(StatusChange.participant_id == person.id))
    assert _stages(person.id) == {"registered": registered_at}
    transition(person, ParticipantStatus.registered, actor=None, at=_at(3))  # back-dated
    db.session.flush()
    assert _stages(person.id) == {"registered": _at(3)}


def test_the_earliest_change_wins_and_a_later_repeat_changes_nothing(app):
    person = ParticipantFactory()
    _change(person, "enrolment", "enrolled", _at(10))
    _change(person, "enrolment", "enrolled", _at(20), subject_id=2)  # a second cohort, later
    assert _stages(person.id)["enrolled"] == _at(10)
    _change(person, "enrolment", "enrolled", _at(2), subject_id=3)  # a back-dated entry
    assert _stages(person.id)["enrolled"] == _at(2)


def test_either_placement_status_means_work_experience_started(app):
    person = ParticipantFactory()
    _change(person, "placement", "completed", _at(25))
    _change(person, "placement", "in_progress", _at(12))
    assert _stages(person.id)["placed"] == _at(12)


def test_changes_that_reach_no_stage_record_nothing(app):
    person = ParticipantFactory()
    _change(person, "enrolment", "withdrawn", _at(4))
    _change(person, "application", "shortlisted", _at(5))
    db.session.add(StatusChange(subject_type="cohort", subject_id=9, participant_id=None,
                                to_status="completed", changed_at=_at(6)))
    db.session.flush()
    assert set(_stages(person.id)) == {"registered"}


def test_the_funnel_counts_a_back_dated_stage_in_its_own_quarter(app):
    person = ParticipantFactory()
    _change(person, "enrolment", "enrolled", _at(10, month=7))
    assert funnel(db.session, date(2025, 7, 1), date(2025, 9, 30)).count("enrolled") == 1
    _change(person, "enrolment", "enrolled", _at(10, month=5), subject_id=2)
    assert funnel(db.session, date(2025, 7, 1), date(2025, 9, 30)).count("enrolled") == 0
    assert funnel(db.session, date(2025, 4, 1), date(2025, 6, 30)).count("enrolled") == 1


HISTORY = st.lists(st.tuples(
    st.integers(0, 2),  # which person
    st.sampled_from([(subject, status) for subject, status in stages.STAGE_OF]
                    + [("enrolment", "withdrawn"), ("application", "unsuccessful")]),
    st.integers(1, 28),  # day of May 2025
), max_size=25)


@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=HISTORY)
def test_kept_rows_match_a_rebuild_from_the_history(app, history):
    """Whatever order changes arrive in, the kept table equals one derived from all of them."""
    db.session.execute(sa.delete(ParticipantStage))
    db.session.execute(sa.delete(StatusChange))
    people = [ParticipantFactory() for _ in range(3)]
    for who, (subject, status), day in history:
        _change(people[who], subject, status, _at(day))
    kept = set(db.session.execute(sa.select(ParticipantStage.participant_id,
                                            ParticipantStage.stage, ParticipantStage.reached_at)))
    assert stages.rebuild(db.session) == len(kept)
    rebuilt = set(db.session.execute(sa.select(
        ParticipantStage.participant_id, ParticipantStage.stage, ParticipantStage.reached_at)))
    assert kept == rebuilt
    db.session.rollback()


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(app):
    """Days from registering to enrolling: 2, 5, 9 and 30 days give a median of 7."""
    for days in (2, 5, 9, 30):
        person = ParticipantFactory()
        db.session.execute(sa.update(ParticipantStage)
                           .where(ParticipantStage.participant_id == person.id)
                           .values(reached_at=_at(1)))
        _change(person, "enrolment", "enrolled", _at(1 + days))
    medians = median_days(db.session, date(2025, 5, 1), date(2025, 5, 31))
    assert medians["enrolled"] == 7.0
    assert medians["completed"] is None  # nobody completed: no figure, not zero
    _change(ParticipantFactory(), "enrolment", "enrolled", _at(31))  # on the day they register
    person = db.session.scalar(sa.select(ParticipantStage.participant_id)
                               .order_by(ParticipantStage.participant_id.desc()).limit(1))
    db.session.execute(sa.update(ParticipantStage).where(
        ParticipantStage.participant_id == person, ParticipantStage.stage == "registered")
        .values(reached_at=_at(31)))
    assert median_days(db.session, date(2025, 5, 1), date(2025, 5, 31))["enrolled"] == 5.0
