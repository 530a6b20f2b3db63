"""Two more covering indexes for the representativeness page (issue 8).

- ``workforce_records (snapshot_id, home_la_code, home_lsoa_code, home_imd_decile)``: staff of a
  snapshot by whether they live in the catchment's most deprived neighbourhoods (the deprivation
  lens), answered from the index alone: 15 ms to 2.6 ms on the demo's 18,500 staff on SQLite.
- ``workforce_records (snapshot_id, pay_band)``: the pay bands of a snapshot, for the page's
  staff filter, without reading the table.

Revision ID: 0004_workforce_covering_indexes
Revises: 0003_performance_indexes
"""

from alembic import op

revision = "0004_workforce_covering_indexes"
down_revision = "0003_performance_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workforce_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workforce_records_snapshot_deprivation",
            ["snapshot_id", "home_la_code", "home_lsoa_code", "home_imd_decile"], unique=False)
        batch_op.create_index(
            "ix_workforce_records_snapshot_pay_band", ["snapshot_id", "pay_band"], unique=False)


def downgrade():
    with op.batch_alter_table("workforce_records", schema=None) as batch_op:
        batch_op.drop_index("ix_workforce_records_snapshot_pay_band")
        batch_op.drop_index("ix_workforce_records_snapshot_deprivation")
