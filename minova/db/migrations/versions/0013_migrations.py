"""Cold migrations and resizes: the ``migrations`` table (Nova's fields the
API shows, plus the flavors and vm_state a confirm or revert needs).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "migrations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("instance_uuid", sa.String(36), nullable=False),
        sa.Column("source_compute", sa.String(255)),
        sa.Column("dest_compute", sa.String(255)),
        sa.Column("source_node", sa.String(255)),
        sa.Column("dest_node", sa.String(255)),
        sa.Column("dest_host", sa.String(255)),
        sa.Column("old_instance_type_id", sa.Integer),
        sa.Column("new_instance_type_id", sa.Integer),
        sa.Column("status", sa.String(255), nullable=False),
        sa.Column("migration_type", sa.String(255), nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("project_id", sa.String(255)),
        sa.Column("user_id", sa.String(255)),
        sa.Column("old_flavor", sa.JSON),
        sa.Column("new_flavor", sa.JSON),
        sa.Column("old_vm_state", sa.String(255)),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS),
    )
    op.create_index("migrations_instance_uuid_status_idx", "migrations",
                    ["instance_uuid", "status"])
    op.create_index("migrations_updated_at_idx", "migrations", ["updated_at"])


def downgrade() -> None:
    op.drop_table("migrations")
