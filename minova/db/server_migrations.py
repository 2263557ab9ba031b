"""Migration records (Nova's ``migrations``): one per cold migration or resize.

A record follows its move: ``pre-migrating`` (recorded with the action),
``migrating`` (the destination claimed, the source told), ``post-migrating``
(the guest left the source), ``finished`` (it runs on the destination, the
server in VERIFY_RESIZE), then ``confirming``/``confirmed`` or
``reverting``/``reverted``; ``error`` when the move failed. Every change is
a compare-and-swap on the status it leaves, so a confirm and a revert racing
each other cannot both start.

While a move is unconfirmed the source host's allocation is held by the
migration's uuid (``minova.db.move_claims``), as Nova's placement does.
"""

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine, joined
from minova.db.rows import parse_time, to_dict, utcnow

_mig = models.migrations

from minova.objects.migration_status import (  # noqa: E402,F401 (this module's names too)
    CONFIRMED,
    CONFIRMING,
    ERROR,
    FINISHED,
    MIGRATING,
    POST_MIGRATING,
    PRE_MIGRATING,
    REVERTED,
    REVERTING,
)

# The statuses of a move that still holds two claims (source and destination)
# or may still take one: a delete frees what these hold.
UNFINISHED = (PRE_MIGRATING, MIGRATING, POST_MIGRATING, FINISHED, CONFIRMING, REVERTING)

_INTERNAL = ("old_flavor", "new_flavor", "old_vm_state")


def create(values: dict, conn=None) -> dict:
    """Insert a migration; ``values`` holds its columns but ``id`` and times."""
    now = utcnow()
    row = dict(values, created_at=now, updated_at=now)
    with joined(conn) as c:
        new_id = c.execute(sa.insert(_mig).values(**row)).inserted_primary_key[0]
        return to_dict(c.execute(sa.select(_mig).where(_mig.c.id == new_id)).first())


def get(migration_uuid: str, conn=None) -> dict:
    with joined(conn) as c:
        row = c.execute(sa.select(_mig).where(_mig.c.uuid == migration_uuid)).first()
    if row is None:
        raise exception.NotFound(f"Migration {migration_uuid} could not be found.")
    return to_dict(row)


def update(migration_uuid: str, values: dict, expected_status: tuple | list | None = None,
           conn=None) -> bool:
    """Set ``values``; only while the status is one of ``expected_status`` (when
    given). True if the row changed."""
    stmt = sa.update(_mig).where(_mig.c.uuid == migration_uuid)
    if expected_status is not None:
        stmt = stmt.where(_mig.c.status.in_(list(expected_status)))
    with joined(conn) as c:
        return c.execute(stmt.values(**values, updated_at=utcnow())).rowcount == 1


def latest_for_instance(instance_uuid: str, statuses: tuple | list,
                        conn=None) -> dict | None:
    """The newest migration of the instance in one of ``statuses``."""
    stmt = (sa.select(_mig).where(_mig.c.instance_uuid == instance_uuid,
                                  _mig.c.status.in_(list(statuses)))
            .order_by(_mig.c.id.desc()).limit(1))
    with joined(conn) as c:
        row = c.execute(stmt).first()
    return to_dict(row) if row is not None else None


def unconfirmed_before(host: str, before, conn=None) -> list[dict]:
    """The ``finished`` moves to ``host`` last changed before ``before``
    (Nova's ``get_unconfirmed_by_dest_compute``, for the auto-confirm)."""
    stmt = sa.select(_mig).where(_mig.c.dest_compute == host, _mig.c.status == FINISHED,
                                 _mig.c.updated_at < parse_time(before))
    with joined(conn) as c:
        return [to_dict(r) for r in c.execute(stmt)]


def get_all(filters: dict, limit: int | None = None, marker: str | None = None) -> list[dict]:
    """Nova's ``migration_get_all_by_filters``: ``status``, ``host`` (source or
    destination), ``source_compute``, ``instance_uuid``, ``migration_type``,
    ``hidden``, ``changes-since``/``changes-before`` (on updated_at),
    ``user_id``, ``project_id``; newest first (created_at, id), ``limit``
    after ``marker`` (a migration uuid; MarkerNotFound when unknown)."""
    stmt = sa.select(_mig)
    c = _mig.c
    if filters.get("status"):
        stmt = stmt.where(c.status == filters["status"])
    if filters.get("host"):
        stmt = stmt.where(sa.or_(c.source_compute == filters["host"],
                                 c.dest_compute == filters["host"]))
    if filters.get("source_compute"):
        stmt = stmt.where(c.source_compute == filters["source_compute"])
    for key in ("instance_uuid", "migration_type", "user_id", "project_id"):
        if filters.get(key):
            stmt = stmt.where(c[key] == filters[key])
    if "hidden" in filters:
        hidden = str(filters["hidden"]).lower() in ("1", "true", "yes", "on")
        stmt = stmt.where(c.hidden == hidden)
    if filters.get("changes-since"):
        stmt = stmt.where(c.updated_at >= parse_time(filters["changes-since"]))
    if filters.get("changes-before"):
        stmt = stmt.where(c.updated_at <= parse_time(filters["changes-before"]))
    with get_engine().connect() as conn:
        if marker is not None:
            row = conn.execute(sa.select(c.id, c.created_at).where(c.uuid == marker)).first()
            if row is None:
                raise exception.MarkerNotFound(marker=marker)
            stmt = stmt.where(sa.or_(c.created_at < row.created_at,
                                     sa.and_(c.created_at == row.created_at, c.id < row.id)))
        stmt = stmt.order_by(c.created_at.desc(), c.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        return [public(to_dict(r)) for r in conn.execute(stmt)]


def public(migration: dict) -> dict:
    """The record without the internal columns (what the API reads)."""
    return {k: v for k, v in migration.items() if k not in _INTERNAL}
