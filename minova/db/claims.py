"""Claims: allocate a host's resources to an instance with one conditional write.

The claim never reads usage and then writes it. The ``UPDATE`` of the
compute node adds the request to the usage counters only where the result
still fits (total - reserved) * ratio; the database's row lock makes two
racing claims serialise on that row, and the row count says who won. The
same transaction inserts the allocation and sets the instance's host, and
requires the instance to be still scheduling: a server deleted meanwhile
makes the whole claim roll back, so no allocation is orphaned.

An instance in a server group with a hard policy (affinity, anti-affinity)
is also checked against its group in the same transaction, under the group
row's lock: the scheduler's filters decided on hosts read before other
claims of the group committed, so only here can two racing builds of an
anti-affinity group be kept off one host.
"""

import datetime

import sqlalchemy as sa

from minova import exception
from minova.db import models, server_groups
from minova.db.engine import get_engine, joined
from minova.db.rows import to_dict, utcnow

_nodes = models.compute_nodes
_svc = models.services
_allocs = models.allocations
_inst = models.instances


def _capacity_expr(total, reserved, ratio):
    return sa.func.floor((total - reserved) * ratio)


def _fits(vcpus, memory_mb, disk_gb):
    n = _nodes.c
    reserved_disk_gb = sa.func.ceil(n.reserved_host_disk_mb / 1024.0)
    return sa.and_(
        n.vcpus_used + vcpus
        <= _capacity_expr(n.vcpus, n.reserved_host_cpus, n.cpu_allocation_ratio),
        n.memory_mb_used + memory_mb
        <= _capacity_expr(n.memory_mb, n.reserved_host_memory_mb, n.ram_allocation_ratio),
        n.local_gb_used + disk_gb
        <= _capacity_expr(n.local_gb, reserved_disk_gb, n.disk_allocation_ratio),
    )


# The claim's statements, built once: every claim runs the same statement
# objects with its own parameters (building them anew costs as much CPU as
# the round trips).
_VCPUS, _MEMORY, _DISK = (sa.bindparam("c_vcpus", type_=sa.Integer),
                          sa.bindparam("c_memory_mb", type_=sa.Integer),
                          sa.bindparam("c_disk_gb", type_=sa.Integer))
# A host whose compute service has stopped reporting takes no claim: the
# scheduler's view of it may be a refresh old, and a build cast to a dead
# compute would wait there for nobody.
_ALIVE_SINCE = sa.bindparam("c_alive_since", type_=_svc.c.last_seen_up.type)
_SERVICE_ALIVE = (
    sa.select(_svc.c.id)
    .where(_svc.c.id == _nodes.c.service_id,
           sa.or_(_ALIVE_SINCE.is_(None),
                  sa.and_(sa.not_(_svc.c.forced_down), _svc.c.last_seen_up >= _ALIVE_SINCE)))
    .exists())
_CLAIM_NODE = (
    sa.update(_nodes)
    .where(_nodes.c.id == sa.bindparam("c_node"), _fits(_VCPUS, _MEMORY, _DISK),
           _SERVICE_ALIVE)
    .values(vcpus_used=_nodes.c.vcpus_used + _VCPUS,
            memory_mb_used=_nodes.c.memory_mb_used + _MEMORY,
            local_gb_used=_nodes.c.local_gb_used + _DISK,
            running_vms=_nodes.c.running_vms + 1,
            generation=_nodes.c.generation + 1,
            updated_at=sa.bindparam("c_now")))
_INSERT_ALLOCATION = sa.insert(_allocs)


def claim(instance_uuid: str, compute_node_id: int, host: str, node: str,
          resources: dict, conn=None, group_uuid: str | None = None,
          group_known: bool = False, zone: str | None = None,
          updates: dict | None = None, reread: bool = True,
          known_zone: str | None = None,
          alive_since: datetime.datetime | None = None,
          expected_task_state: str = "scheduling") -> dict | None:
    """Claim ``resources`` on the node for the instance and set its host.

    ``group_uuid``: the server group of the instance, as the request spec
    names it; without it the group is looked up (see ``_check_group_policy``)
    unless ``group_known`` says the caller knows there is none. The claim
    must be the first read of its transaction for that check to see the
    other members as they are now on MariaDB.
    ``zone``: the node's availability zone when the caller has it (the
    scheduler's host state), else it is read. ``updates``: more values
    for the instance (the task_state it moves to). ``reread=False`` returns
    None instead of reading the instance back; the caller, who has the
    instance, then gives its requested zone as ``known_zone`` (None: it
    takes the host's). ``alive_since``: the oldest heartbeat of the node's
    compute service that still counts as up (now - ``service_down_time``);
    None: any (the service of a test node may never have reported).
    ``expected_task_state``: what the instance waits for its host in
    (``scheduling`` for a build, ``unshelving`` for an offloaded server).
    Raises ClaimFailed when the node has no room (or is gone, or its service
    is down or forced down) or when the
    host would break the group's hard policy, and
    InstanceNotFound / UnexpectedTaskStateError when the instance is no
    longer waiting for a host (deleted while it was being scheduled).
    """
    from minova.db import instances  # local: instances imports nothing from here

    now = utcnow()
    with joined(conn) as conn:
        won = conn.execute(_CLAIM_NODE, {
            "c_node": compute_node_id, "c_vcpus": resources["vcpus"],
            "c_memory_mb": resources["memory_mb"], "c_disk_gb": resources["disk_gb"],
            "c_now": now,
            "c_alive_since": alive_since}).rowcount
        if won != 1:
            raise exception.ClaimFailed(
                host=host, reason="not enough free resources, or its compute service is down")
        conn.execute(_INSERT_ALLOCATION, {
            "instance_uuid": instance_uuid, "compute_node_id": compute_node_id,
            "vcpus": resources["vcpus"], "memory_mb": resources["memory_mb"],
            "disk_gb": resources["disk_gb"], "created_at": now})
        if group_uuid is not None or not group_known:
            _check_group_policy(conn, instance_uuid, host, group_uuid)
        if zone is None:
            zone = conn.execute(sa.select(_nodes.c.availability_zone).where(
                _nodes.c.id == compute_node_id)).scalar()
        # Raises (and so rolls the claim back) if the instance was deleted
        # or is no longer scheduling. The instance takes its host's zone,
        # as in Nova, unless the user asked for one (which the host is in).
        values = {"host": host, "node": node, **(updates or {})}
        if reread:
            values["availability_zone"] = sa.func.coalesce(_inst.c.availability_zone, zone)
        else:  # the caller knows the instance: it asked for a zone or takes the host's
            values["availability_zone"] = zone if known_zone is None else known_zone
        return instances.update(instance_uuid, values, expected_task_state=[expected_task_state],
                                conn=conn, reread=reread)


def _check_group_policy(conn, instance_uuid: str, host: str,
                        group_uuid: str | None) -> None:
    """ClaimFailed if ``host`` would break the hard policy of the instance's group.

    Nova's rules, as its filters apply them: anti-affinity allows at most
    ``max_server_per_host`` (default 1) members on a host; affinity puts
    every member on the host of those that have one. The group row's lock
    makes the group's claims take turns, so each one sees the hosts of
    those before it.

    The caller names the group (the request spec's ``instance_group``), so
    the lock comes before any plain read of this transaction and the
    members are read fresh after it without locking their rows (which
    builds finishing on those rows could be holding). Without a name, the
    group is looked up first and the members are read with a shared lock.
    """
    looked_up = group_uuid is None
    if looked_up:
        group_uuid = server_groups.group_uuid_of(conn, instance_uuid)
        if group_uuid is None:
            return
    group = server_groups.lock_for_claim(conn, group_uuid, instance_uuid)
    if group is None or group["policy"] not in server_groups.HARD_POLICIES:
        return
    hosts = server_groups.other_members_hosts(conn, group["id"], instance_uuid,
                                              locking=looked_up)
    if group["policy"] == "anti-affinity":
        limit = int((group["rules"] or {}).get("max_server_per_host") or 1)
        if hosts.count(host) >= limit:
            raise exception.ClaimFailed(host=host, reason=(
                f"server group {group['uuid']} (anti-affinity) already has "
                f"{hosts.count(host)} member(s) there, at most {limit} allowed"))
    elif any(other != host for other in hosts):
        raise exception.ClaimFailed(host=host, reason=(
            f"server group {group['uuid']} (affinity) has its members on "
            f"{sorted(set(hosts))[0]}"))


def release(instance_uuid: str, conn=None) -> bool:
    """Free the instance's allocation, if it has one; True if one was freed."""
    def _run(c) -> bool:
        alloc = c.execute(sa.select(_allocs).where(
            _allocs.c.instance_uuid == instance_uuid).with_for_update()).first()
        if alloc is None:
            return False
        deleted = c.execute(sa.delete(_allocs).where(_allocs.c.id == alloc.id)).rowcount
        if deleted != 1:
            return False
        c.execute(
            sa.update(_nodes).where(_nodes.c.id == alloc.compute_node_id)
            .values(vcpus_used=_nodes.c.vcpus_used - alloc.vcpus,
                    memory_mb_used=_nodes.c.memory_mb_used - alloc.memory_mb,
                    local_gb_used=_nodes.c.local_gb_used - alloc.disk_gb,
                    running_vms=_nodes.c.running_vms - 1,
                    generation=_nodes.c.generation + 1,
                    updated_at=utcnow()))
        return True

    with joined(conn) as c:
        return _run(c)


def get_for_node(compute_node_id: int) -> list[dict]:
    with get_engine().connect() as conn:
        rows = conn.execute(sa.select(_allocs).where(_allocs.c.compute_node_id == compute_node_id))
        return [to_dict(r) for r in rows]
