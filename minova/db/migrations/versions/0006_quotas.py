"""Per-project quota overrides and the row that serialises a project's creates.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Microsecond timestamps on every backend (MySQL/MariaDB default to seconds).
_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "quotas",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("resource", sa.String(255), nullable=False),
        sa.Column("hard_limit", sa.Integer, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS),
        sa.UniqueConstraint("project_id", "resource", name="uniq_quotas0project_id0resource"),
    )
    op.create_table(
        "project_quota_locks",
        sa.Column("project_id", sa.String(255), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("project_quota_locks")
    op.drop_table("quotas")
