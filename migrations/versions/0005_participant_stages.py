"""Journey stage dates per person; participants by registration day and area (issue 8).

The dashboard, the board pack and the funnel breakdowns counted people reaching each stage by
finding each person's first matching status change among all of them, on every request (500,000
rows at integrated-care-system scale). ``participant_stages`` keeps that first date, one row per
person and stage, written with every status change (``recruit.journey.stages``). The upgrade fills
it from the history already recorded; the stage table is the one in ``recruit/journey/stages.py``
as it stood when this migration was written.

``ix_participants_registered_areas`` answers "participants registered by a day, per ward or
town" (the dashboard's and representativeness page's "where next") from the index alone.

Revision ID: 0005_participant_stages
Revises: 0004_workforce_covering_indexes
"""

import sqlalchemy as sa
from alembic import op

import recruit.models.base

revision = "0005_participant_stages"
down_revision = "0004_workforce_covering_indexes"
branch_labels = None
depends_on = None

STAGES = {  # (subject type, status) -> stage
    ("participant", "registered"): "registered",
    ("enrolment", "enrolled"): "enrolled",
    ("enrolment", "completed"): "completed",
    ("placement", "in_progress"): "placed",
    ("placement", "completed"): "placed",
    ("application", "applied"): "applied",
    ("application", "offered"): "offered",
    ("application", "started"): "started",
}


def upgrade():
    op.create_table(
        "participant_stages",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("reached_at", recruit.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE",
                                name=op.f("fk_participant_stages_participant_id_participants")),
        sa.PrimaryKeyConstraint("participant_id", "stage", name=op.f("pk_participant_stages")),
    )
    op.create_index("ix_participant_stages_reached", "participant_stages",
                    ["stage", "reached_at", "participant_id"], unique=False)
    op.create_index("ix_participant_stages_period", "participant_stages",
                    ["reached_at", "stage", "participant_id"], unique=False)
    op.create_index("ix_participants_registered_areas", "participants",
                    ["registered_on", "ward_id", "local_authority_id", "id"], unique=False)
    cases = " ".join(f"WHEN subject_type = '{subject}' AND to_status = '{status}' THEN '{stage}'"
                     for (subject, status), stage in STAGES.items())
    statuses = ", ".join(sorted({f"'{status}'" for _subject, status in STAGES}))
    op.execute(f"""
        INSERT INTO participant_stages (participant_id, stage, reached_at)
        SELECT participant_id, stage, MIN(changed_at) FROM (
            SELECT participant_id, CASE {cases} END AS stage, changed_at
            FROM status_changes
            WHERE participant_id IS NOT NULL AND to_status IN ({statuses})
        ) AS reached
        WHERE stage IS NOT NULL
        GROUP BY participant_id, stage
    """)  # noqa: S608 (every value is a constant of this file)


def downgrade():
    op.drop_index("ix_participants_registered_areas", table_name="participants")
    op.drop_index("ix_participant_stages_period", table_name="participant_stages")
    op.drop_index("ix_participant_stages_reached", table_name="participant_stages")
    op.drop_table("participant_stages")
