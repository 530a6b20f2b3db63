"""Workforce counts by snapshot, home area and category, written at import (issue 8).

Revision ID: 0005_workforce_counts
Revises: 0004_stage_reached
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005_workforce_counts"
down_revision = "0004_stage_reached"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
