"""Service records, heartbeats, compute nodes and the scheduler's host states."""

import uuid as uuidlib

import sqlalchemy as sa

from minova import exception
from minova.db import models
from minova.db.engine import get_engine
from minova.db.rows import to_dict, utcnow

_svc = models.services
_nodes = models.compute_nodes

# Inventory columns a compute host reports; a change in any of them bumps
# the node's generation so schedulers know to re-read it.
_INVENTORY = (
    "hypervisor_type", "hypervisor_version", "cpu_info", "host_ip", "availability_zone",
    "vcpus", "memory_mb", "local_gb", "cpu_allocation_ratio", "ram_allocation_ratio",
    "disk_allocation_ratio", "reserved_host_memory_mb", "reserved_host_disk_mb",
    "reserved_host_cpus",
)


def service_register(host: str, binary: str, topic: str) -> dict:
    """Create the (host, binary) record, or return the existing one (restarts)."""
    now = utcnow()
    with get_engine().begin() as conn:
        row = conn.execute(sa.select(_svc).where(_svc.c.host == host,
                                                 _svc.c.binary == binary)).first()
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(_svc).values(
                        uuid=str(uuidlib.uuid4()), host=host, binary=binary, topic=topic,
                        report_count=0, disabled=False, forced_down=False,
                        last_seen_up=now, created_at=now, updated_at=now))
            except sa.exc.IntegrityError:
                pass  # another process registered it first: use theirs
        else:
            conn.execute(sa.update(_svc).where(_svc.c.id == row.id)
                         .values(last_seen_up=now, updated_at=now))
        row = conn.execute(sa.select(_svc).where(_svc.c.host == host,
                                                 _svc.c.binary == binary)).first()
        return to_dict(row)


def service_heartbeat(service_id: int) -> None:
    now = utcnow()
    with get_engine().begin() as conn:
        updated = conn.execute(sa.update(_svc).where(_svc.c.id == service_id).values(
            last_seen_up=now, updated_at=now, report_count=_svc.c.report_count + 1)).rowcount
    if updated != 1:
        raise exception.ServiceNotFound(service_id=service_id)


def service_get_all(binary: str | None = None, host: str | None = None) -> list[dict]:
    query = sa.select(_svc).order_by(_svc.c.id)
    if binary:
        query = query.where(_svc.c.binary == binary)
    if host:
        query = query.where(_svc.c.host == host)
    with get_engine().connect() as conn:
        return [to_dict(r) for r in conn.execute(query)]


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


def _nodes_with_services(conn, where=None) -> list[tuple[dict, dict]]:
    query = sa.select(_nodes, _svc.c.host.label("svc_host"),
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
            "host": values.pop("svc_host"),
            "disabled": values.pop("svc_disabled"),
            "disabled_reason": values.pop("svc_disabled_reason"),
            "forced_down": values.pop("svc_forced_down"),
            "last_seen_up": values.pop("svc_last_seen_up"),
        }
        pairs.append((values, service))
    return pairs


def compute_nodes_with_services(compute_node_id: int | None = None) -> list[tuple[dict, dict]]:
    where = None if compute_node_id is None else _nodes.c.id == compute_node_id
    with get_engine().connect() as conn:
        return _nodes_with_services(conn, where)


def availability_zones() -> set[str]:
    with get_engine().connect() as conn:
        return {r[0] for r in conn.execute(sa.select(_nodes.c.availability_zone).distinct())}
