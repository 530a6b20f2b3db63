"""Indexes the aggregate queries need at integrated-care-system scale (issue 8).

Both are covering indexes: the query is answered from the index without visiting the table.

- ``workforce_records (snapshot_id, home_la_code, home_ward_code, ethnic_category)``: staff of one
  snapshot by where they live and their ethnic category, for the catchment, each local authority
  and each ward, and the trend across snapshots (the representativeness page and dashboard).
- ``status_changes (subject_type, to_status, participant_id, changed_at)``: when each person first
  reached a journey stage, grouped by person (the funnel and its median days between stages).

Revision ID: 0003_performance_indexes
Revises: 0002_security
"""

from alembic import op

revision = "0003_performance_indexes"
down_revision = "0002_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_status_changes_reached",
            ["subject_type", "to_status", "participant_id", "changed_at"], unique=False)
    with op.batch_alter_table("workforce_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workforce_records_snapshot_areas",
            ["snapshot_id", "home_la_code", "home_ward_code", "ethnic_category"], unique=False)


def downgrade():
    with op.batch_alter_table("workforce_records", schema=None) as batch_op:
        batch_op.drop_index("ix_workforce_records_snapshot_areas")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_status_changes_reached")
