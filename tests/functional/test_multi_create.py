"""Multi-create with min_count: what fits is built if at least min_count fit, else nothing.

The two fake computes have room for exactly four instances of m1.tiny
(1 vCPU each): compute1 has 3 vCPUs, compute2 has 1, at ratio 1.0 and
nothing reserved; RAM and disk are plentiful, so vCPUs decide.
"""

import pytest

from tests.functional.deployment import Deployment, wait_for

ROOM = 4
TINY = "1"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(
        tmp_path_factory.mktemp("multi_create"), backend="mysql",
        conf={"DEFAULT": {"cpu_allocation_ratio": 1.0, "reserved_host_cpus": 0}},
        compute_conf={"compute1": {"fake_driver": {"vcpus": 3}},
                      "compute2": {"fake_driver": {"vcpus": 1}}})
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


@pytest.fixture
def api(deployment):
    yield deployment.api
    # Leave the hosts empty for the next test.
    status, body, _ = deployment.api.get("/v2.1/servers")
    for server in body["servers"]:
        deployment.api.delete(f"/v2.1/servers/{server['id']}")
    for server in body["servers"]:
        deployment.api.wait_for_gone(server["id"])
    wait_for(lambda: deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0, 30,
             message="allocations freed")


def _boot(api, name: str, min_count: int, max_count: int) -> list[dict]:
    status, body, _ = api.post("/v2.1/servers", {"server": {
        "name": name, "flavorRef": TINY, "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b",
        "min_count": min_count, "max_count": max_count}})
    assert status == 202, body

    def settled():
        servers = api.get(f"/v2.1/servers/detail?name=^{name}-")[1]["servers"]
        done = len(servers) == max_count and all(s["status"] in ("ACTIVE", "ERROR")
                                                 for s in servers)
        return servers if done else None
    return wait_for(settled, 60, message=f"the {max_count} servers of {name} to settle")


def _allocations_per_host(deployment) -> dict:
    rows = deployment.query(
        "SELECT n.host, COUNT(a.id) AS n FROM compute_nodes n "
        "LEFT JOIN allocations a ON a.compute_node_id = n.id GROUP BY n.host")
    return {r.host: r.n for r in rows}


def test_at_least_min_count_fit_builds_those_and_fails_the_rest(deployment, api):
    servers = _boot(api, "fits", min_count=2, max_count=ROOM + 2)
    active = [s for s in servers if s["status"] == "ACTIVE"]
    errors = [s for s in servers if s["status"] == "ERROR"]
    assert len(active) == ROOM and len(errors) == 2
    for server in errors:
        assert server["fault"]["code"] == 500
        assert server["fault"]["message"].startswith(
            "No valid host was found. There are not enough hosts available: ")
        assert "CoreFilter removed 2 of 2 hosts" in server["fault"]["message"]
    assert sorted(s["OS-EXT-SRV-ATTR:host"] for s in active) == ["compute1"] * 3 + ["compute2"]
    assert _allocations_per_host(deployment) == {"compute1": 3, "compute2": 1}


def test_fewer_than_min_count_fit_fails_all_and_allocates_nothing(deployment, api):
    servers = _boot(api, "toofew", min_count=ROOM + 1, max_count=ROOM + 2)
    assert {s["status"] for s in servers} == {"ERROR"}
    for server in servers:
        assert server["OS-EXT-SRV-ATTR:host"] is None
        assert server["fault"]["message"].startswith(
            "No valid host was found. There are not enough hosts available: ")
        assert f"placed {ROOM} of {ROOM + 2}" in server["fault"]["message"]
        assert f"min_count {ROOM + 1}" in server["fault"]["message"]
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0
    usage = deployment.query("SELECT SUM(vcpus_used), SUM(running_vms) FROM compute_nodes")[0]
    assert tuple(usage) == (0, 0)
