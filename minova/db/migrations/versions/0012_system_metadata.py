"""A server's system metadata (Nova's ``instance_system_metadata``, as one
JSON column): what shelving keeps about the server (``shelved_image_id``,
``shelved_at``, ``shelved_host``, ``shelved_image_ref``) until it is unshelved.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("system_metadata", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("system_metadata")
