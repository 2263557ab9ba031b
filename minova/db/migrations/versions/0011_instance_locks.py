"""A server's lock (the lock/unlock actions): whether it is locked, by whom
(Nova's ``locked_by``: ``owner`` or ``admin``, which decides who may unlock
it), and the reason given (API 2.73; Nova keeps it in system metadata).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("locked", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("locked_by", sa.String(255), nullable=True))
        batch.add_column(sa.Column("locked_reason", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("locked_reason")
        batch.drop_column("locked_by")
        batch.drop_column("locked")
