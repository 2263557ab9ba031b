"""Every failure of a build ends where a user can see it, and leaves nothing behind."""

from tests.functional.deployment import wait_for


def test_no_valid_host_is_error_with_a_fault_naming_the_filter(deploy):
    deployment = deploy(backend="mysql")
    api = deployment.api
    status, body, _ = api.post("/v2.1/flavors", {"flavor": {
        "name": "huge", "ram": 10 ** 8, "vcpus": 1, "disk": 1, "id": "huge"}})
    assert status == 200, body
    server_id = api.create_server("too-big", flavor="huge")
    server = api.wait_for_status(server_id, statuses=("ERROR",))
    assert server["fault"]["code"] == 500
    assert server["fault"]["message"].startswith("No valid host was found.")
    assert "RamFilter removed 2 of 2 hosts" in server["fault"]["message"]
    assert "RamFilter removed 2 of 2 hosts" in deployment.manage("scheduler", "explain",
                                                                 server_id)
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0
    # An ERROR server can be deleted, and then it is gone.
    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id)


def test_failed_spawn_is_rescheduled_to_the_alternate(deploy):
    # compute1 has more free RAM, so the RAM weigher tries it first; it fails
    # every spawn of "resched-*", and the build must move to compute2.
    deployment = deploy(backend="postgresql", compute_conf={
        "compute1": {"fake_driver": {"memory_mb": 2 ** 21,
                                     "fail_spawn_for_name": "^resched"}},
        "compute2": {"fake_driver": {"memory_mb": 2 ** 20}},
    })
    api = deployment.api
    server_id = api.create_server("resched-1")
    server = api.wait_for_status(server_id)
    assert server["status"] == "ACTIVE" and server["OS-EXT-SRV-ATTR:host"] == "compute2"
    request_id = api.get(f"/v2.1/servers/{server_id}/os-instance-actions")[1][
        "instanceActions"][0]["request_id"]
    events = api.get(f"/v2.1/servers/{server_id}/os-instance-actions/{request_id}",
                     headers={"OpenStack-API-Version": "compute 2.62"})[1][  # host: 2.62
        "instanceAction"]["events"]
    builds = [(e["host"], e["result"]) for e in events
              if e["event"] == "compute__do_build_and_run_instance"]
    assert builds == [("compute1", "Error"), ("compute2", "Success")]
    allocations = deployment.query(
        "SELECT n.host FROM allocations a JOIN compute_nodes n ON n.id = a.compute_node_id")
    assert [r.host for r in allocations] == ["compute2"]


def test_build_failing_everywhere_ends_in_error(deploy):
    failing = {"fake_driver": {"fail_spawn_for_name": "^doomed"}}
    deployment = deploy(backend="mysql",
                        compute_conf={"compute1": failing, "compute2": failing})
    api = deployment.api
    server_id = api.create_server("doomed")
    server = api.wait_for_status(server_id, statuses=("ERROR",))
    assert "told to fail spawning doomed" in server["fault"]["message"]
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0
    assert deployment.query("SELECT host FROM instances")[0].host is None


def test_delete_while_spawning_leaves_nothing_behind(deploy, spawn_hold):
    held = {"fake_driver": {"spawn_hold_path": spawn_hold}}
    deployment = deploy(backend="mysql", compute_conf={"compute1": held, "compute2": held})
    api = deployment.api
    server_id = api.create_server("held")
    wait_for(lambda: (api.server(server_id) or {}).get("OS-EXT-STS:task_state") == "spawning",
             30, message="spawning")
    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    # The delete waits on the compute for the spawn to end.
    assert api.server(server_id)["OS-EXT-STS:task_state"] == "deleting"
    spawn_hold.unlink()
    api.wait_for_gone(server_id)
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0
    wait_for(lambda: all(h["running_vms"] == 0 for h in
                         api.get("/v2.1/os-hypervisors/detail")[1]["hypervisors"]), 30,
             message="no running vms")


def test_delete_while_scheduling_leaves_nothing_behind(deploy):
    deployment = deploy(backend="mysql")
    api = deployment.api
    ids = [api.create_server(f"quick-{i}") for i in range(5)]
    for server_id in ids:  # straight away: most are still scheduling
        assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    for server_id in ids:
        api.wait_for_gone(server_id)
    wait_for(lambda: deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0, 30,
             message="allocations freed")
    assert deployment.query("SELECT COUNT(*) FROM instances WHERE deleted = 0")[0][0] == 0
