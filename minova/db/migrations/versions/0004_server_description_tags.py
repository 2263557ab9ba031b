"""Server descriptions (API 2.19), server tags (API 2.26) and the extended
server attributes admins see from API 2.3.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Tags compare byte for byte on every backend ("Web" and "web" are two tags),
# not by MySQL/MariaDB's default case-insensitive collation.
_TAG = sa.String(60).with_variant(
    mysql.VARCHAR(60, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("description", sa.Text, nullable=True))
        batch.add_column(sa.Column("hostname", sa.String(255), nullable=True))
        batch.add_column(sa.Column("user_data", sa.Text, nullable=True))
        batch.add_column(sa.Column("kernel_id", sa.String(255), nullable=True))
        batch.add_column(sa.Column("ramdisk_id", sa.String(255), nullable=True))
        batch.add_column(sa.Column("root_device_name", sa.String(255), nullable=True))
    op.create_table(
        "tags",
        sa.Column("resource_id", sa.String(36), primary_key=True),
        sa.Column("tag", _TAG, primary_key=True),
    )
    op.create_index("tags_tag_idx", "tags", ["tag"])


def downgrade() -> None:
    op.drop_index("tags_tag_idx", table_name="tags")
    op.drop_table("tags")
    with op.batch_alter_table("instances") as batch:
        for column in ("root_device_name", "ramdisk_id", "kernel_id", "user_data",
                       "hostname", "description"):
            batch.drop_column(column)
