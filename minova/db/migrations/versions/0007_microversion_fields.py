"""What a server keeps for API microversions after 2.53: the trusted image
certificate ids given at create (2.63), the availability zone it was asked
for and stays pinned to (2.96), and its scheduler hints as given (2.100).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("trusted_certs", sa.JSON, nullable=True))
        batch.add_column(sa.Column("pinned_availability_zone", sa.String(255), nullable=True))
        batch.add_column(sa.Column("scheduler_hints", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("scheduler_hints")
        batch.drop_column("pinned_availability_zone")
        batch.drop_column("trusted_certs")
