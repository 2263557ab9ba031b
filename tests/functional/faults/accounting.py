"""The books a fault must not corrupt, read straight from the deployment's database.

A fault in the middle of a build can leave usage that nothing owns (an
allocation whose instance is gone or never got its host), an instance
running on a host that does not count it, or a node's counters that no
longer equal its allocations; the next boots then see a host fuller or
emptier than it is. What must hold, the issue's "accounting stays exact":

* an instance is *placed* when it is live (not deleted) and has a host;
  each placed instance has exactly one allocation, on its own node, of the
  size its flavor claims; no allocation belongs to anything else (an
  instance that gives its allocation back leaves its host too, as Nova's
  ``_nil_out_instance_obj_host_and_node`` does);
* each node's ``vcpus_used``, ``memory_mb_used``, ``local_gb_used`` and
  ``running_vms`` are the sums (and count) of its allocations, and never
  above (inventory - reserved) x allocation ratio;
* once settled, nothing is in BUILD.

Everything is read in one transaction, so a claim or release committing
meanwhile is seen whole or not at all.
"""

import json

import sqlalchemy as sa

from minova.objects.capacity import capacity, requested_resources, reserved_disk_gb

_RESOURCES = (("vcpus", "vcpus_used"), ("memory_mb", "memory_mb_used"),
              ("disk_gb", "local_gb_used"))


class AccountingError(AssertionError):
    """The books do not balance; ``problems`` says every way in which."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("accounting is not exact:\n  " + "\n  ".join(problems))


def _limits(node) -> dict:
    return {
        "vcpus": capacity(node.vcpus, node.reserved_host_cpus, node.cpu_allocation_ratio),
        "memory_mb": capacity(node.memory_mb, node.reserved_host_memory_mb,
                              node.ram_allocation_ratio),
        "disk_gb": capacity(node.local_gb, reserved_disk_gb(node.reserved_host_disk_mb),
                            node.disk_allocation_ratio),
    }


def accounting_problems(conn, allow_building: bool = False) -> list[str]:
    """Every way the books do not balance, as sentences; empty when exact.

    ``allow_building``: for a check while builds are still running (usage
    must balance at every moment, BUILD is only wrong once settled).
    """
    nodes = list(conn.execute(sa.text(
        "SELECT id, host, hypervisor_hostname, vcpus, memory_mb, local_gb, vcpus_used, "
        "memory_mb_used, local_gb_used, running_vms, cpu_allocation_ratio, "
        "ram_allocation_ratio, disk_allocation_ratio, reserved_host_cpus, "
        "reserved_host_memory_mb, reserved_host_disk_mb FROM compute_nodes")))
    allocations = list(conn.execute(sa.text(
        "SELECT instance_uuid, compute_node_id, vcpus, memory_mb, disk_gb FROM allocations")))
    placed = {r.uuid: r for r in conn.execute(sa.text(
        "SELECT uuid, host, node, flavor, vm_state FROM instances "
        "WHERE deleted = 0 AND host IS NOT NULL"))}
    building = list(conn.execute(sa.text(
        "SELECT uuid, task_state, host FROM instances "
        "WHERE deleted = 0 AND vm_state = 'building'")))

    problems = []
    by_id = {n.id: n for n in nodes}
    sums = {n.id: {"vcpus": 0, "memory_mb": 0, "disk_gb": 0, "count": 0} for n in nodes}
    allocated = set()
    for alloc in allocations:
        node = by_id.get(alloc.compute_node_id)
        instance = placed.get(alloc.instance_uuid)
        where = node.host if node else f"node id {alloc.compute_node_id}"
        if node is None:
            problems.append(f"allocation of {alloc.instance_uuid} on a node that does not "
                            f"exist ({where})")
            continue
        total = sums[node.id]
        total["count"] += 1
        for resource, _ in _RESOURCES:
            total[resource] += getattr(alloc, resource)
        if instance is None:
            problems.append(f"orphaned allocation on {where}: instance {alloc.instance_uuid} "
                            "is deleted, unknown or has no host")
            continue
        allocated.add(alloc.instance_uuid)
        if (instance.host, instance.node) != (node.host, node.hypervisor_hostname):
            problems.append(f"allocation of {alloc.instance_uuid} is on {node.host} but the "
                            f"instance is on {instance.host}")
        flavor = instance.flavor if isinstance(instance.flavor, dict) else json.loads(
            instance.flavor)
        wanted = requested_resources(flavor)
        got = {resource: getattr(alloc, resource) for resource, _ in _RESOURCES}
        if got != wanted:
            problems.append(f"allocation of {alloc.instance_uuid} on {where} is {got}, its "
                            f"flavor claims {wanted}")
    for uuid in sorted(set(placed) - allocated):
        instance = placed[uuid]
        problems.append(f"instance {uuid} ({instance.vm_state}) is on {instance.host} "
                        "without an allocation")
    for node in nodes:
        total, limits = sums[node.id], _limits(node)
        for resource, column in _RESOURCES:
            used = getattr(node, column)
            if used != total[resource]:
                problems.append(f"{node.host}: {column} = {used} but its allocations sum "
                                f"to {total[resource]}")
            if used > limits[resource] or total[resource] > limits[resource]:
                problems.append(f"{node.host}: {resource} used {used} (allocated "
                                f"{total[resource]}) above capacity {limits[resource]}")
        if node.running_vms != total["count"]:
            problems.append(f"{node.host}: running_vms = {node.running_vms} but it has "
                            f"{total['count']} allocations")
    if building and not allow_building:
        shown = ", ".join(f"{b.uuid} ({b.task_state} on {b.host})" for b in building[:5])
        problems.append(f"{len(building)} instance(s) still in BUILD: {shown}"
                        + (" ..." if len(building) > 5 else ""))
    return problems


def check_accounting(engine: sa.Engine, allow_building: bool = False) -> dict:
    """Raise AccountingError unless the books balance; ``{host: allocations}`` if they do."""
    options = {}
    if engine.dialect.name in ("mysql", "mariadb"):
        # One snapshot for every statement (InnoDB's default, said here so that
        # a server configured otherwise does not matter).
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect().execution_options(**options) as conn, conn.begin():
        problems = accounting_problems(conn, allow_building)
        counts = dict(list(conn.execute(sa.text(
            "SELECT n.host, COUNT(a.id) FROM compute_nodes n LEFT JOIN allocations a "
            "ON a.compute_node_id = n.id GROUP BY n.host"))))
    if problems:
        raise AccountingError(problems)
    return counts
