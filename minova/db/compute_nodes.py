"""Compute nodes: the inventory computes report, and their build failure counts.

A node row belongs to its compute service; reads that need the service's
state too (the os-hypervisors views, the build's host list) join the two
here. Any change a scheduler must see bumps the node's generation: that is
what the incremental host-state refresh (host_states) keys on.
"""

import uuid as uuidlib

import sqlalchemy as sa

from minova.db import aggregates as db_aggregates
from minova.db import models
from minova.db.engine import get_engine, joined
from minova.db.rows import to_dict, utcnow

_svc = models.services
_nodes = models.compute_nodes

# Inventory columns a compute host reports; a change in any of them bumps
# the node's generation so schedulers know to re-read it.
_INVENTORY = (
    "hypervisor_type", "hypervisor_version", "cpu_info", "host_ip", "availability_zone",
    "vcpus", "memory_mb", "local_gb", "cpu_allocation_ratio", "ram_allocation_ratio",
    "disk_allocation_ratio", "reserved_host_memory_mb", "reserved_host_disk_mb",
    "reserved_host_cpus", "supported_instances",
)


def compute_node_update(service_id: int, host: str, nodename: str, resources: dict) -> dict:
    """Create or update a node's inventory. Usage columns are never touched here."""
    now = utcnow()
    inventory = {k: resources[k] for k in _INVENTORY if k in resources}
    with get_engine().begin() as conn:
        row = conn.execute(sa.select(_nodes).where(
            _nodes.c.host == host, _nodes.c.hypervisor_hostname == nodename)).first()
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(_nodes).values(
                        uuid=str(uuidlib.uuid4()), service_id=service_id, host=host,
                        hypervisor_hostname=nodename, vcpus_used=0, memory_mb_used=0,
                        local_gb_used=0, running_vms=0, generation=1, created_at=now,
                        updated_at=now, **inventory))
            except sa.exc.IntegrityError:
                pass
        else:
            changed = {k: v for k, v in inventory.items() if getattr(row, k) != v}
            if changed or row.service_id != service_id:
                conn.execute(sa.update(_nodes).where(_nodes.c.id == row.id).values(
                    service_id=service_id, generation=_nodes.c.generation + 1,
                    updated_at=now, **changed))
        row = conn.execute(sa.select(_nodes).where(
            _nodes.c.host == host, _nodes.c.hypervisor_hostname == nodename)).first()
        return to_dict(row)


# --- consecutive build failures per node: the BuildFailureWeigher's input
#
# Nova's compute counts them in its resource tracker; here the conductor,
# which hears of every build's end, keeps the count on the node's row. A
# change bumps the generation like any other, so the schedulers' incremental
# refresh brings it; a build that succeeds where none had failed writes nothing.

_BUILD_FAILED = (
    sa.update(_nodes)
    .where(_nodes.c.host == sa.bindparam("b_host"),
           _nodes.c.hypervisor_hostname == sa.bindparam("b_node"))
    .values(failed_builds=_nodes.c.failed_builds + 1, generation=_nodes.c.generation + 1,
            updated_at=sa.bindparam("b_now")))
_BUILD_SUCCEEDED = (
    sa.update(_nodes)
    .where(_nodes.c.host == sa.bindparam("b_host"),
           _nodes.c.hypervisor_hostname == (
               sa.select(models.instances.c.node)
               .where(models.instances.c.uuid == sa.bindparam("b_instance"))
               .scalar_subquery()),
           _nodes.c.failed_builds > 0)
    .values(failed_builds=0, generation=_nodes.c.generation + 1,
            updated_at=sa.bindparam("b_now")))


def compute_node_build_failed(host: str, nodename: str, conn=None) -> None:
    """Count one more failed build on the node (a spawn that failed there)."""
    with joined(conn) as c:
        c.execute(_BUILD_FAILED, {"b_host": host, "b_node": nodename, "b_now": utcnow()})


def compute_node_build_succeeded(host: str, instance_uuid: str, conn=None) -> None:
    """A build succeeded: the node ``instance_uuid`` is on has no failures in a row."""
    with joined(conn) as c:
        c.execute(_BUILD_SUCCEEDED, {"b_host": host, "b_instance": instance_uuid,
                                     "b_now": utcnow()})


def _nodes_with_services(conn, where=None) -> list[tuple[dict, dict]]:
    query = sa.select(_nodes, _svc.c.host.label("svc_host"),
                      _svc.c.uuid.label("svc_uuid"),
                      _svc.c.disabled.label("svc_disabled"),
                      _svc.c.disabled_reason.label("svc_disabled_reason"),
                      _svc.c.forced_down.label("svc_forced_down"),
                      _svc.c.last_seen_up.label("svc_last_seen_up")
                      ).join(_svc, _svc.c.id == _nodes.c.service_id).order_by(_nodes.c.id)
    if where is not None:
        query = query.where(where)
    pairs = []
    for row in conn.execute(query):
        values = to_dict(row)
        service = {
            "id": values["service_id"],
            "uuid": values.pop("svc_uuid"),
            "host": values.pop("svc_host"),
            "disabled": values.pop("svc_disabled"),
            "disabled_reason": values.pop("svc_disabled_reason"),
            "forced_down": values.pop("svc_forced_down"),
            "last_seen_up": values.pop("svc_last_seen_up"),
        }
        pairs.append((values, service))
    return pairs


def compute_nodes_with_services(compute_node_id: int | str | None = None
                                ) -> list[tuple[dict, dict]]:
    """Nodes and their services, or the one node of that id (an int) or uuid (a str);
    a node's ``availability_zone`` is its aggregate's if any."""
    if compute_node_id is None:
        where = None
    elif isinstance(compute_node_id, str):
        where = _nodes.c.uuid == compute_node_id
    else:
        where = _nodes.c.id == compute_node_id
    with get_engine().connect() as conn:
        pairs = _nodes_with_services(conn, where)
        zones = db_aggregates.host_zones(conn) if pairs else {}
    for node, _ in pairs:
        node["availability_zone"] = zones.get(node["host"], node["availability_zone"])
    return pairs


def host_exists(host: str) -> bool:
    """Whether ``host`` has a compute node (a migrate's 2.56 ``host``)."""
    with get_engine().connect() as conn:
        return conn.execute(sa.select(_nodes.c.id).where(_nodes.c.host == host)
                            .limit(1)).first() is not None
