"""The claim storm: more boots than room, racing through two schedulers and two conductors.

Four fake computes have room for exactly 200 instances of a small flavor
in total (50 each, and each of vCPU, RAM and disk runs out at exactly 50,
through a different mix of ratio and reserved amount). 300 boots arrive at
once. The schedulers' views are stale by design; the conductors' atomic
claims must keep every host within (total - reserved) x ratio, at every
moment, which the test checks in the database while the storm runs and
after it. Every server must end ACTIVE or ERROR with NoValidHost, and since
300 were asked of room for 200, exactly 200 ACTIVE: a claim fails only on
a host that is really full, and a server that gives up (its hosts full
at every one of its attempts) leaves any room elsewhere to the 100 boots
too many that come after it.

Runtime on the project's 2-core machine: 27-33 s, deployment start
included (about 60 s while other test runs share the cores).
"""

import concurrent.futures
import math

import pytest

from tests.functional.deployment import wait_for

COMPUTES = ("compute1", "compute2", "compute3", "compute4")
PER_HOST = 50
ROOM = PER_HOST * len(COMPUTES)
BOOTS = 300
CLIENTS = 25

FLAVOR = {"name": "storm", "id": "storm", "vcpus": 1, "ram": 64, "disk": 1}
# Each resource fits exactly PER_HOST instances of FLAVOR:
#   vCPU: 25 x 2.0 = 50; RAM: (3712 - 512) x 1.0 = 3200 MiB = 50 x 64;
#   disk: (100 - 0) x 0.5 = 50 GiB.
CONF = {
    "DEFAULT": {"cpu_allocation_ratio": 2.0, "ram_allocation_ratio": 1.0,
                "disk_allocation_ratio": 0.5, "reserved_host_cpus": 0,
                "reserved_host_memory_mb": 512, "reserved_host_disk_mb": 0},
    "fake_driver": {"vcpus": 25, "memory_mb": 512 + PER_HOST * 64, "local_gb": 100},
}

NO_VALID_HOST = ("There are not enough hosts available",
                 "Every host chosen for it was full by the time it was claimed")

# One statement, so one consistent snapshot of usage and allocations.
USAGE = """
SELECT n.host, n.vcpus, n.memory_mb, n.local_gb, n.vcpus_used, n.memory_mb_used,
       n.local_gb_used, n.running_vms, n.cpu_allocation_ratio, n.ram_allocation_ratio,
       n.disk_allocation_ratio, n.reserved_host_cpus, n.reserved_host_memory_mb,
       n.reserved_host_disk_mb, COALESCE(a.vcpus, 0) AS alloc_vcpus,
       COALESCE(a.memory_mb, 0) AS alloc_memory_mb, COALESCE(a.disk_gb, 0) AS alloc_disk_gb,
       COALESCE(a.n, 0) AS alloc_count
FROM compute_nodes n LEFT JOIN (
    SELECT compute_node_id, SUM(vcpus) AS vcpus, SUM(memory_mb) AS memory_mb,
           SUM(disk_gb) AS disk_gb, COUNT(*) AS n
    FROM allocations GROUP BY compute_node_id) a ON a.compute_node_id = n.id
"""


def _capacity(total, reserved, ratio) -> int:
    return math.floor((total - reserved) * ratio)


def check_allocations(deployment) -> dict:
    """Assert no node is allocated beyond its capacity; ``{host: allocations}``."""
    seen = {}
    for n in deployment.query(USAGE):
        limits = {
            "vcpus": _capacity(n.vcpus, n.reserved_host_cpus, n.cpu_allocation_ratio),
            "memory_mb": _capacity(n.memory_mb, n.reserved_host_memory_mb,
                                   n.ram_allocation_ratio),
            "disk_gb": _capacity(n.local_gb, math.ceil(n.reserved_host_disk_mb / 1024),
                                 n.disk_allocation_ratio),
        }
        allocated = {"vcpus": n.alloc_vcpus, "memory_mb": n.alloc_memory_mb,
                     "disk_gb": n.alloc_disk_gb}
        used = {"vcpus": n.vcpus_used, "memory_mb": n.memory_mb_used,
                "disk_gb": n.local_gb_used}
        for resource, limit in limits.items():
            assert allocated[resource] <= limit, (n.host, resource, allocated, limits)
            assert used[resource] <= limit, (n.host, resource, used, limits)
        # A claim writes both in one transaction, so they agree in any snapshot.
        assert used == allocated and n.running_vms == n.alloc_count, (n.host, used, allocated)
        seen[n.host] = n.alloc_count
    return seen


def _states(deployment) -> dict:
    rows = deployment.query(
        "SELECT vm_state, COUNT(*) AS n FROM instances WHERE deleted = 0 GROUP BY vm_state")
    return {r.vm_state: r.n for r in rows}


@pytest.mark.timeout(300)
def test_300_boots_for_room_for_200(deploy):
    deployment = deploy(backend="mysql", computes=COMPUTES, conductors=2, schedulers=2,
                        conf=CONF)
    api = deployment.api
    status, body, _ = api.post("/v2.1/flavors", {"flavor": FLAVOR})
    assert status == 200, body
    assert check_allocations(deployment) == {host: 0 for host in COMPUTES}

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        posts = [pool.submit(api.create_server, f"storm-{i}", flavor=FLAVOR["id"])
                 for i in range(BOOTS)]
        # While the boots are being sent, and until every one has settled,
        # no node may be allocated beyond its capacity.
        pending = set(posts)
        while pending:
            check_allocations(deployment)
            _, pending = concurrent.futures.wait(pending, timeout=0.2)
        server_ids = [p.result() for p in posts]

    def settled():
        deployment.check_alive()
        check_allocations(deployment)
        states = _states(deployment)
        return states if sum(states.values()) == BOOTS and "building" not in states else None
    states = wait_for(settled, 150, interval=0.2, message="every server ACTIVE or ERROR")
    assert set(states) <= {"active", "error"}, states

    per_host = check_allocations(deployment)
    servers = {s["id"]: s for s in api.get("/v2.1/servers/detail?limit=1000")[1]["servers"]}
    assert set(servers) == set(server_ids)
    active = [s for s in servers.values() if s["status"] == "ACTIVE"]
    errors = [s for s in servers.values() if s["status"] == "ERROR"]
    assert len(active) + len(errors) == BOOTS
    for server in errors:
        message = server["fault"]["message"]
        assert message.startswith("No valid host was found. "), message
        assert any(reason in message for reason in NO_VALID_HOST), message
        assert server["OS-EXT-SRV-ATTR:host"] is None
    # The room is exactly ROOM, and more were asked: all of it is used.
    assert len(active) == ROOM
    assert per_host == {host: PER_HOST for host in COMPUTES}
    # Both conductors claimed and both schedulers chose.
    claimers = deployment.query(
        "SELECT DISTINCT host FROM instance_actions_events "
        "WHERE event = 'conductor_schedule_and_build_instances' AND result = 'Success'")
    assert {r.host for r in claimers} == {"conductor", "conductor2"}
    for scheduler in ("scheduler", "scheduler2"):
        assert "Selected host" in deployment.log_full(scheduler), scheduler

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        deletes = list(pool.map(lambda i: api.delete(f"/v2.1/servers/{i}")[0], server_ids))
    assert set(deletes) == {204}

    def emptied():
        deployment.check_alive()
        per_host = check_allocations(deployment)
        return not _states(deployment) and not any(per_host.values())
    wait_for(emptied, 120, interval=0.2, message="every server deleted and its claim freed")
