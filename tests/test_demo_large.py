"""``flask demo seed --scale``: benchmark data that obeys the journey's rules, built identically."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit.demo.calendar import last_complete_quarter_end
from recruit.demo.large import LARGE, Sizes, parse_scale
from recruit.extensions import db
from recruit.models import (
    LocalAuthority,
    Participant,
    ParticipantStage,
    PartnerOrganisation,
    StatusChange,
    Ward,
    WorkforceRecord,
    WorkforceSnapshot,
)
from tests import factories

SCALE = 0.02  # 125 participants, 250 staff a snapshot: seconds, not minutes


@pytest.fixture
def data_dir(app):
    path = Path(app.config["RECRUIT_DATA_DIR"])
    if not (path / "trafford_spatial_data").is_dir():
        pytest.skip("reference data not present")
    return path


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _fingerprint() -> str:
    """A digest of who is where on the journey, their history and the workforce counts."""
    digest = hashlib.sha256()
    for stmt in (
        sa.select(Participant.id, Participant.status, Participant.ward_id,
                  Participant.registered_on, Participant.eligible).order_by(Participant.id),
        sa.select(StatusChange.subject_type, StatusChange.subject_id, StatusChange.to_status,
                  StatusChange.changed_at).order_by(StatusChange.id),
        sa.select(WorkforceSnapshot.as_of, WorkforceRecord.ethnic_category,
                  WorkforceRecord.home_ward_code, sa.func.count())
        .join(WorkforceRecord.snapshot)
        .group_by(WorkforceSnapshot.as_of, WorkforceRecord.ethnic_category,
                  WorkforceRecord.home_ward_code)
        .order_by(WorkforceSnapshot.as_of, WorkforceRecord.ethnic_category,
                  WorkforceRecord.home_ward_code),
    ):
        for row in db.session.execute(stmt):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(t.name for t in db.metadata.sorted_tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


def test_scale_words_and_numbers():
    assert parse_scale("small") is None
    assert parse_scale("large") == LARGE == 8
    assert parse_scale("2") == 2.0
    assert Sizes.at(LARGE) == Sizes(staff=100_000, participants=50_000, partners=2_000,
                                    activities=20_000, cohorts=5_000, wards=1_000,
                                    ambassadors=1_000, vacancies=6_000)
    for nonsense in ("0", "-1", "huge", "100"):
        with pytest.raises(ValueError):
            parse_scale(nonsense)


def test_seed_scale_refuses_nonsense(runner):
    result = runner.invoke(args=["demo", "seed", "--scale", "huge"])
    assert result.exit_code == 2
    assert "give small, large or a number" in result.output


def test_large_seed_follows_the_journey_rules(runner, data_dir):
    result = runner.invoke(args=["demo", "seed", "--scale", str(SCALE)])
    assert result.exit_code == 0, result.output
    sizes = Sizes.at(SCALE)
    assert _count(Participant) == sizes.participants
    assert _count(PartnerOrganisation) == sizes.partners
    assert _count(WorkforceSnapshot) == 8
    catchment_wards = _count(Ward, Ward.local_authority_id.in_(
        sa.select(LocalAuthority.id).where(LocalAuthority.in_catchment)))
    assert catchment_wards >= sizes.wards
    assert "Demo logins" in result.output

    # Each participant's status is where their own history ends, and each history row starts
    # where the one before it finished (as the transition service writes them).
    history: dict[int, list[tuple[str | None, str]]] = {}
    for pid, before, after in db.session.execute(
            sa.select(StatusChange.participant_id, StatusChange.from_status,
                      StatusChange.to_status)
            .where(StatusChange.subject_type == "participant").order_by(StatusChange.id)):
        history.setdefault(pid, []).append((before, after))
    people = dict(db.session.execute(sa.select(Participant.id, Participant.status)).all())
    assert set(history) == set(people)
    for pid, moves in history.items():
        assert moves[0][0] is None
        assert all(moves[i][0] == moves[i - 1][1] for i in range(1, len(moves)))
        assert moves[-1][1] == people[pid].name
    assert len({status for status in people.values()}) >= 5  # every stage, not one

    # The bulk load bypasses the ORM, so it derives the funnel's stage dates itself: every person
    # is registered, and each stage count is the people whose history reaches it.
    reached = dict(db.session.execute(
        sa.select(ParticipantStage.stage, sa.func.count()).group_by(ParticipantStage.stage)).all())
    assert reached["registered"] == sizes.participants
    enrolled = db.session.scalar(sa.select(sa.func.count(sa.distinct(StatusChange.participant_id)))
                                 .where(StatusChange.subject_type == "enrolment",
                                        StatusChange.to_status == "enrolled"))
    assert reached["enrolled"] == enrolled > 0
    assert reached["registered"] > reached["enrolled"] > reached["completed"] > reached["started"]

    # The journey runs to the newest workforce snapshot, so the quarter the dashboard and the
    # board pack open on (the last complete one) has people reaching every stage, not zeros.
    newest = db.session.scalar(sa.select(sa.func.max(WorkforceSnapshot.as_of)))
    quarter_start = date(newest.year, newest.month - 2, 1)  # a quarter's end month is 3, 6, 9, 12
    in_quarter = dict(db.session.execute(
        sa.select(ParticipantStage.stage, sa.func.count())
        .where(ParticipantStage.reached_at >= datetime.combine(quarter_start, time(), UTC))
        .group_by(ParticipantStage.stage)).all())
    assert set(in_quarter) == {"registered", "enrolled", "completed", "placed", "applied",
                               "offered", "started"}
    assert newest == last_complete_quarter_end(date.today())

    # Explicit ids were written: the next row made the ordinary way must not collide.
    partner = factories.PartnerFactory()
    db.session.commit()
    assert partner.id == sizes.partners + 1

    again = runner.invoke(args=["demo", "seed", "--scale", str(SCALE)])
    assert again.exit_code == 1
    assert "needs an empty database" in again.output


def test_large_seed_is_deterministic(runner, data_dir):
    assert runner.invoke(args=["demo", "seed", "--scale", str(SCALE)]).exit_code == 0
    first = _fingerprint()
    _empty_tables()
    assert runner.invoke(args=["demo", "seed", "--scale", str(SCALE)]).exit_code == 0
    assert _fingerprint() == first
