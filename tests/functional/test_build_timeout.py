"""A build that never ends goes to ERROR: the conductor's instance_build_timeout."""

from tests.functional.deployment import wait_for

BUILD_EVENT = "compute__do_build_and_run_instance"


def test_build_stuck_past_the_timeout_goes_to_error_and_can_be_deleted(deploy, spawn_hold):
    # The spawn is held until the test lets it go; the build times out after 3 s.
    deployment = deploy(
        backend="mysql", computes=("compute1",),
        conf={"conductor": {"instance_build_timeout": 3, "build_timeout_check_interval": 1}},
        compute_conf={"compute1": {"fake_driver": {"spawn_hold_path": spawn_hold}}})
    api = deployment.api
    server_id = api.create_server("stuck")

    server = api.wait_for_status(server_id, statuses=("ERROR",), timeout=30)
    assert server["fault"]["message"] == "Instance build timed out. Set to error state."
    assert server["OS-EXT-SRV-ATTR:host"] == "compute1"  # kept: the guest lives there
    [action] = api.get(f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]
    assert action["action"] == "create" and action["message"] == "Error"
    detail = api.get(f"/v2.1/servers/{server_id}/os-instance-actions/{action['request_id']}",
                     headers={"OpenStack-API-Version": "compute 2.62"})[1]["instanceAction"]
    assert (BUILD_EVENT, "Error") in [(e["event"], e["result"]) for e in detail["events"]]
    # The claim stays while the guest may run.
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 1

    # The spawn ends after the timeout: the compute says so and keeps the guest.
    assert "after the instance was set to ERROR" not in deployment.log_full("compute1")
    spawn_hold.unlink()
    wait_for(lambda: "after the instance was set to ERROR" in deployment.log_full("compute1"), 30,
             message="the compute's warning about the late build")
    assert api.server(server_id)["status"] == "ERROR"

    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id, timeout=30)
    assert deployment.query("SELECT COUNT(*) FROM allocations")[0][0] == 0
