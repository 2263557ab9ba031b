"""What a conductor needs to take over a build another one left.

``request_specs``: the request as the scheduler saw it, one row per create
request (its reservation id; every instance of a multi-create shares it),
so a build left in ``scheduling`` by a conductor that died can be
scheduled again by another. ``services.building``: the instances a compute
said, with its last heartbeat, it had taken to build and not yet reported,
so a build cast to a host that never took it can be told from one that is
spawning there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "request_specs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reservation_id", sa.String(255), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        # Not unique: a reservation id is 32 random bits, as Nova's.
        sa.Index("request_specs_reservation_id_idx", "reservation_id"),
    )
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("building", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("building")
    op.drop_table("request_specs")
