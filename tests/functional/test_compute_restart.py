"""A compute host killed and restarted reconciles the database with its hypervisor.

The fake driver keeps its guests in ``[fake_driver] guests_path``, so they
outlive the process as a hypervisor's would; the test edits that file while
the service is dead: some guests are lost, one guest of a deleted server
appears. After the restart the servers whose guests were lost are ERROR with
a fault naming the cause, the others still ACTIVE, and the deleted server's
guest is reaped (Nova's default running_deleted_instance_action).
"""

import json

from tests.functional.deployment import wait_for


def test_servers_whose_guests_vanished_go_to_error_the_others_stay_active(deploy, tmp_path):
    guests_path = tmp_path / "compute1-guests.json"
    deployment = deploy(backend="mysql", computes=("compute1",),
                        compute_conf={"compute1": {"fake_driver": {
                            "guests_path": str(guests_path)}}})
    api = deployment.api
    servers = [api.create_server(f"vm{i}") for i in range(4)]
    for server_id in servers:
        assert api.wait_for_status(server_id, timeout=60)["status"] == "ACTIVE"
    deleted = api.create_server("deleted")
    assert api.wait_for_status(deleted, timeout=60)["status"] == "ACTIVE"
    assert api.delete(f"/v2.1/servers/{deleted}")[0] == 204
    api.wait_for_gone(deleted, timeout=30)

    deployment.kill("compute1")
    guests = json.loads(guests_path.read_text())
    assert sorted(guests) == sorted(servers)
    lost, kept = servers[:2], servers[2:]
    for server_id in lost:
        del guests[server_id]
    guests[deleted] = dict(guests[kept[0]])  # a guest that outlived its server
    guests_path.write_text(json.dumps(guests))

    deployment.start_compute("compute1")
    for server_id in lost:
        server = api.wait_for_status(server_id, statuses=("ERROR",), timeout=60)
        assert server["fault"]["message"] == (
            "Guest not found on its host when the compute service started (the "
            "instance was active): the hypervisor lost it")
        assert server["OS-EXT-STS:power_state"] == 0  # NOSTATE
    wait_for(lambda: deleted not in json.loads(guests_path.read_text()), 30,
             message="the deleted server's guest to be reaped")
    assert f"Destroying guest {deleted} on compute1: its instance is deleted" in \
        deployment.log_full("compute1")
    for server_id in kept:
        server = api.server(server_id)
        assert server["status"] == "ACTIVE" and "fault" not in server
    assert sorted(json.loads(guests_path.read_text())) == sorted(kept)
    # the servers in ERROR can still be deleted, and give their claims back
    for server_id in lost:
        assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
        api.wait_for_gone(server_id, timeout=30)
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == len(kept)
