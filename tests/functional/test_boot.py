"""The build path end to end: HTTP in, real processes over RabbitMQ, database out."""

import concurrent.futures
import json

import pytest

from tests.functional.deployment import wait_for

BOOTS = 20


def _boot_many(api, count, prefix="vm"):
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(lambda i: api.create_server(f"{prefix}-{i}"), range(count)))


def _check_build_path(deployment):
    api = deployment.api
    ids = _boot_many(api, BOOTS)
    assert len(set(ids)) == BOOTS

    servers = [api.wait_for_status(i, timeout=120) for i in ids]
    assert {s["status"] for s in servers} == {"ACTIVE"}
    hosts = {s["OS-EXT-SRV-ATTR:host"] for s in servers}
    assert hosts <= {"compute1", "compute2"} and hosts
    assert all(s["OS-EXT-STS:power_state"] == 1 and s["OS-EXT-STS:task_state"] is None
               for s in servers)

    status, body, _ = api.get("/v2.1/servers")
    assert status == 200 and {s["id"] for s in body["servers"]} == set(ids)
    status, body, _ = api.get("/v2.1/servers/detail")
    assert status == 200 and {s["status"] for s in body["servers"]} == {"ACTIVE"}

    # The database agrees: one allocation per instance, usage = sum of allocations.
    rows = deployment.query("SELECT host, vm_state, task_state FROM instances WHERE deleted = 0")
    assert len(rows) == BOOTS and {r.vm_state for r in rows} == {"active"}
    [alloc_count] = deployment.query("SELECT COUNT(*) FROM allocations")[0]
    assert alloc_count == BOOTS
    usage = deployment.query("SELECT SUM(vcpus_used), SUM(memory_mb_used) FROM compute_nodes")
    assert tuple(usage[0]) == (BOOTS * 1, BOOTS * 512)

    # The trip of one request through the services, in os-instance-actions.
    status, body, _ = api.get(f"/v2.1/servers/{ids[0]}/os-instance-actions")
    assert status == 200
    [action] = body["instanceActions"]
    assert action["action"] == "create" and action["request_id"].startswith("req-")
    # hostId and host from 2.62, details from 2.84
    status, body, _ = api.get(
        f"/v2.1/servers/{ids[0]}/os-instance-actions/{action['request_id']}",
        headers={"OpenStack-API-Version": "compute 2.84"})
    events = {e["event"]: e for e in body["instanceAction"]["events"]}
    assert events["conductor_schedule_and_build_instances"]["result"] == "Success"
    decision = json.loads(events["conductor_schedule_and_build_instances"]["details"])
    assert decision["winner"] == servers[0]["OS-EXT-SRV-ATTR:host"]
    explained = deployment.manage("scheduler", "explain", ids[0])
    assert "ComputeFilter" in explained and "RamFilter" in explained
    assert f"Winner: {servers[0]['OS-EXT-SRV-ATTR:host']}" in explained
    build = events["compute__do_build_and_run_instance"]
    assert build["result"] == "Success" and build["host"] == servers[0]["OS-EXT-SRV-ATTR:host"]

    # The request id reached every service's log for that request.
    for name in ("conductor", "scheduler", servers[0]["OS-EXT-SRV-ATTR:host"]):
        assert action["request_id"] in deployment.log_full(name), name

    for server_id in ids:
        status, _, _ = api.delete(f"/v2.1/servers/{server_id}")
        assert status == 204
    for server_id in ids:
        api.wait_for_gone(server_id)
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0
    assert tuple(deployment.query(
        "SELECT SUM(vcpus_used), SUM(memory_mb_used), SUM(running_vms) FROM compute_nodes"
    )[0]) == (0, 0, 0)
    assert deployment.query(
        "SELECT COUNT(*) FROM instances WHERE deleted = 0")[0][0] == 0
    status, body, _ = api.get("/v2.1/servers")
    assert body["servers"] == []

    codes = deployment.stop()
    assert set(codes.values()) == {0}, codes


@pytest.mark.parametrize("backend", ["mysql", "postgresql"])
def test_build_path_native_threads(deploy, backend):
    _check_build_path(deploy(backend=backend))


def test_build_path_eventlet(deploy):
    _check_build_path(deploy(backend="mysql", concurrency="eventlet"))


def test_killed_compute_goes_down_and_builds_go_elsewhere(deploy):
    deployment = deploy(backend="mysql")
    api = deployment.api
    deployment.kill("compute2")

    def compute2_down():
        services = api.get("/v2.1/os-services")[1]["services"]
        return any(s["host"] == "compute2" and s["binary"] == "minova-compute"
                   and s["state"] == "down" for s in services)
    wait_for(compute2_down, 30, message="compute2 reported down")
    status, body, _ = api.get("/v2.1/os-hypervisors")
    assert {h["hypervisor_hostname"]: h["state"] for h in body["hypervisors"]}["compute2"] \
        == "down"

    ids = _boot_many(api, 6, prefix="after-kill")
    servers = [api.wait_for_status(i) for i in ids]
    assert {s["status"] for s in servers} == {"ACTIVE"}
    assert {s["OS-EXT-SRV-ATTR:host"] for s in servers} == {"compute1"}
