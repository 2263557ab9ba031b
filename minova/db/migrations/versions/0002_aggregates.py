"""Host aggregates: aggregates, their hosts and their metadata.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Microsecond timestamps on every backend (MySQL/MariaDB default to seconds).
_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "aggregates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS),
    )
    op.create_table(
        "aggregate_hosts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("aggregate_id", sa.Integer, sa.ForeignKey("aggregates.id"), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.UniqueConstraint("aggregate_id", "host",
                            name="uniq_aggregate_hosts0aggregate_id0host"),
    )
    op.create_index("aggregate_hosts_host_idx", "aggregate_hosts", ["host"])
    op.create_table(
        "aggregate_metadata",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("aggregate_id", sa.Integer, sa.ForeignKey("aggregates.id"), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.UniqueConstraint("aggregate_id", "key",
                            name="uniq_aggregate_metadata0aggregate_id0key"),
    )


def downgrade() -> None:
    op.drop_table("aggregate_metadata")
    op.drop_index("aggregate_hosts_host_idx", table_name="aggregate_hosts")
    op.drop_table("aggregate_hosts")
    op.drop_table("aggregates")
