"""First date each participant reached each journey stage (issue 8).

Revision ID: 0004_stage_reached
Revises: 0003_performance_indexes
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004_stage_reached"
down_revision = "0003_performance_indexes"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
