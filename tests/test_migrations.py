"""Migrations: one head, upgrade from empty, models match, downgrade cleanly (SQLite and PG)."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from recruit import create_app
from recruit.extensions import db
from recruit.models import Base, Participant, ParticipantStage, StatusChange


@pytest.fixture
def scratch_url():
    """An empty database of the same kind as the suite's, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgresql", "postgres")):
        base = sa.engine.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"{base.database}_migrations"
        admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/migrations.db"


def test_single_head(app):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_upgrade_from_empty_matches_models_and_downgrades(scratch_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            tables = set(sa.inspect(connection).get_table_names())
        assert {"participants", "equality_monitoring", "cohorts", "applications",
                "board_reports", "audit_events"} <= tables
        _audit_trail_is_append_only()
        downgrade(revision="0001")  # with rows in the tables that the step changes
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT email FROM users")).scalar() == "a@x.example"
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def _audit_trail_is_append_only():
    """The database itself refuses to change or remove audit rows (DOMAIN.md §2, issue 6)."""
    with db.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO users (email, name, role, is_active_user, session_version, created_at,"
            " updated_at) VALUES ('a@x.example', 'A', 'board', true, 1, '2024-01-01',"
            " '2024-01-01')"))
        connection.execute(sa.text(
            "INSERT INTO audit_events (occurred_at, action) VALUES ('2024-01-01', 'view')"))
    for statement in ("UPDATE audit_events SET action = 'edited'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(sa.text(statement))
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT action FROM audit_events")).scalar() == "view"


def test_upgrade_fills_journey_stages_from_the_history_already_recorded(scratch_url):
    """Existing systems keep their funnel: 0005 derives each person's first date per stage."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        upgrade(revision="0004_workforce_covering_indexes")
        with db.engine.begin() as connection:
            person = connection.execute(sa.insert(Participant.__table__).values(
                first_name="A", last_name="B", postcode_status="unknown", employment_status=
                "unemployed", source="self_referral", consent_to_contact=False,
                consent_to_share_with_partner=False, status="enrolled", eligible=True,
                is_anonymised=False, registered_on=date(2025, 5, 1),
            )).inserted_primary_key[0]
            history = [("participant", "registered", 1), ("enrolment", "enrolled", 9),
                       ("enrolment", "enrolled", 5), ("enrolment", "withdrawn", 12)]
            connection.execute(sa.insert(StatusChange.__table__), [
                dict(subject_type=subject, subject_id=1, participant_id=person,
                     to_status=status, changed_at=datetime(2025, 5, day, tzinfo=UTC))
                for subject, status, day in history])
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.select(ParticipantStage.stage, ParticipantStage.reached_at)
                                      .order_by(ParticipantStage.reached_at)).all()
        assert rows == [("registered", datetime(2025, 5, 1, tzinfo=UTC)),
                        ("enrolled", datetime(2025, 5, 5, tzinfo=UTC))]
        db.engine.dispose()
