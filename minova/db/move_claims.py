"""The claims of a move (cold migration, resize), as Nova's placement holds them.

When the destination is claimed, the instance's allocation on its source is
handed to the migration (its consumer becomes the migration's uuid) and a
new one is taken on the destination for the new flavor, in one
transaction, with the build claim's conditional ``UPDATE`` (no node is ever
allocated beyond its inventory). From then on:

* confirm: the migration's allocation (the source) is freed;
* revert, or a failure before the move finished: the instance's
  allocation (the destination) is freed and the migration's becomes the
  instance's again;
* a delete: both are freed (``release_all``).

So every path leaves exactly one allocation per live instance, on the host
it is on, and none for a move that is over.
"""

import datetime

import sqlalchemy as sa

from minova import exception
from minova.db import claims, models
from minova.db.engine import joined
from minova.db.rows import utcnow

_allocs = models.allocations
_mig = models.migrations


def claim_destination(instance_uuid: str, migration_uuid: str, compute_node_id: int,
                      host: str, resources: dict, conn=None,
                      alive_since: datetime.datetime | None = None) -> None:
    """Hand the source allocation to the migration and claim the destination.

    Raises ClaimFailed (no room, or the node's service is down); then
    nothing changed.
    """
    now = utcnow()
    with joined(conn) as c:
        c.execute(sa.update(_allocs).where(_allocs.c.instance_uuid == instance_uuid)
                  .values(instance_uuid=migration_uuid))
        won = c.execute(claims._CLAIM_NODE, {
            "c_node": compute_node_id, "c_vcpus": resources["vcpus"],
            "c_memory_mb": resources["memory_mb"], "c_disk_gb": resources["disk_gb"],
            "c_now": now, "c_alive_since": alive_since}).rowcount
        if won != 1:
            raise exception.ClaimFailed(
                host=host, reason="not enough free resources, or its compute service is down")
        c.execute(claims._INSERT_ALLOCATION, {
            "instance_uuid": instance_uuid, "compute_node_id": compute_node_id,
            "vcpus": resources["vcpus"], "memory_mb": resources["memory_mb"],
            "disk_gb": resources["disk_gb"], "created_at": now})


def confirm(migration_uuid: str, conn=None) -> bool:
    """Free the source's allocation (held by the migration)."""
    return claims.release(migration_uuid, conn=conn)


def revert(instance_uuid: str, migration_uuid: str, conn=None) -> None:
    """Free the destination's allocation and give the source's back to the
    instance. A no-op for a migration that holds nothing (never claimed)."""
    with joined(conn) as c:
        held = c.execute(sa.select(_allocs.c.id).where(
            _allocs.c.instance_uuid == migration_uuid)).first()
        if held is None:
            return
        claims.release(instance_uuid, conn=c)
        c.execute(sa.update(_allocs).where(_allocs.c.instance_uuid == migration_uuid)
                  .values(instance_uuid=instance_uuid))


def release_all(instance_uuid: str, conn=None) -> None:
    """A deleted instance: free what its moves still hold (its own allocation
    is freed by the caller)."""
    with joined(conn) as c:
        uuids = [r.uuid for r in c.execute(sa.select(_mig.c.uuid).where(
            _mig.c.instance_uuid == instance_uuid))]
        for uuid in uuids:
            claims.release(uuid, conn=c)
