"""Workforce counts per snapshot, written at import, for the representativeness page.

``workforce_counts`` holds each snapshot's staff counted by home ward, home local authority and
site locality for each characteristic (``recruit.statistics.workforce_counts``): the page reads a
few thousand counts instead of every staff record of every snapshot (800,000 at scale 8).
Snapshots already imported are counted here, with the same grouping the import uses.

Revision ID: 0006_workforce_counts
Revises: 0005_participant_stages
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_workforce_counts"
down_revision = "0005_participant_stages"
branch_labels = None
depends_on = None

# (area type, area column, home local authority column or None) and (characteristic, column).
AREAS = (("ward", "home_ward_code", "home_la_code"), ("la", "home_la_code", "home_la_code"),
         ("site", "locality", None))
COUNTED = (("ethnicity", "ethnic_category"), ("sex", "sex"), ("age", "age_band"),
           ("disability", "disability"), ("religion", "religion"))


def _backfill() -> str:
    selects = []
    for area_type, area, la_code in AREAS:
        for characteristic, column in COUNTED:
            keys = ", ".join(k for k in (area, la_code, column) if k)
            selects.append(
                f"SELECT snapshot_id, '{area_type}', {area}, {la_code or 'NULL'}, "
                f"'{characteristic}', {column}, count(*) FROM workforce_records "
                f"WHERE {area} IS NOT NULL GROUP BY snapshot_id, {keys}")
    return ("INSERT INTO workforce_counts (snapshot_id, area_type, area_code, la_code, "
            "characteristic, category, count) " + " UNION ALL ".join(selects))


def upgrade():
    op.create_table(
        "workforce_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("area_type", sa.Enum("ward", "la", "site", name="countarea",
                                       native_enum=False, length=40), nullable=False),
        sa.Column("area_code", sa.String(length=120), nullable=False),
        sa.Column("la_code", sa.String(length=9), nullable=True),
        sa.Column("characteristic", sa.Enum(
            "ethnicity", "sex", "age", "religion", "disability", "gender_identity",
            "sexual_orientation", "carer", name="characteristic", native_enum=False, length=40),
            nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_workforce_counts_count_positive")),
        sa.ForeignKeyConstraint(["snapshot_id"], ["workforce_snapshots.id"], ondelete="CASCADE",
                                name=op.f("fk_workforce_counts_snapshot_id_workforce_snapshots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_counts")),
    )
    op.create_index("ix_workforce_counts_lookup", "workforce_counts",
                    ["snapshot_id", "area_type", "characteristic"], unique=False)
    op.execute(_backfill())


def downgrade():
    op.drop_index("ix_workforce_counts_lookup", table_name="workforce_counts")
    op.drop_table("workforce_counts")
