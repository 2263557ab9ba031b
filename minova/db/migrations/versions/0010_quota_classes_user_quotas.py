"""Quota classes and per-user quotas, as Nova's DbQuotaDriver keeps them.

``quota_classes``: the limits of a named class; the ``default`` class
overrides the ``[quota]`` defaults for every project (os-quota-class-sets).
``project_user_quotas``: a user's limits within a project (os-quota-sets
with ``user_id``), each at most the project's.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "quota_classes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("class_name", sa.String(255), nullable=False),
        sa.Column("resource", sa.String(255), nullable=False),
        sa.Column("hard_limit", sa.Integer, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS),
        sa.UniqueConstraint("class_name", "resource",
                            name="uniq_quota_classes0class_name0resource"),
    )
    op.create_table(
        "project_user_quotas",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("resource", sa.String(255), nullable=False),
        sa.Column("hard_limit", sa.Integer, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS),
        sa.UniqueConstraint("project_id", "user_id", "resource",
                            name="uniq_project_user_quotas0project_id0user_id0resource"),
    )


def downgrade() -> None:
    op.drop_table("project_user_quotas")
    op.drop_table("quota_classes")
