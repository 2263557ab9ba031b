"""Server groups, and what compute nodes report for the capability filters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Microsecond timestamps on every backend (MySQL/MariaDB default to seconds).
_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "instance_groups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("policy", sa.String(255), nullable=False),
        sa.Column("rules", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS),
    )
    op.create_index("instance_groups_project_id_idx", "instance_groups", ["project_id"])
    op.create_table(
        "instance_group_members",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("instance_groups.id"),
                  nullable=False),
        sa.Column("instance_uuid", sa.String(36), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("group_id", "instance_uuid",
                            name="uniq_instance_group_members0group_id0instance_uuid"),
    )
    op.create_index("instance_group_members_instance_uuid_idx", "instance_group_members",
                    ["instance_uuid"])
    # Existing nodes get a count of 0 and an empty list until their next
    # report; JSON columns cannot carry a server default on every backend,
    # so the list is filled in before the column becomes NOT NULL.
    with op.batch_alter_table("compute_nodes") as batch:
        batch.add_column(sa.Column("failed_builds", sa.Integer, nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("supported_instances", sa.JSON, nullable=True))
    op.execute(sa.text("UPDATE compute_nodes SET supported_instances = '[]'"))
    with op.batch_alter_table("compute_nodes") as batch:
        batch.alter_column("supported_instances", existing_type=sa.JSON, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("compute_nodes") as batch:
        batch.drop_column("supported_instances")
        batch.drop_column("failed_builds")
    op.drop_index("instance_group_members_instance_uuid_idx",
                  table_name="instance_group_members")
    op.drop_table("instance_group_members")
    op.drop_index("instance_groups_project_id_idx", table_name="instance_groups")
    op.drop_table("instance_groups")
