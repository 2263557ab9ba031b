"""trigger_crash_dump (2.17) and server diagnostics (2.48) through the REST
API on the multi-process deployment (fake driver)."""

from tests.functional.deployment import wait_for

V217 = {"OpenStack-API-Version": "compute 2.17"}
V248 = {"OpenStack-API-Version": "compute 2.48"}


def _act(api, server_id, body, **kwargs):
    return api.post(f"/v2.1/servers/{server_id}/action", body, **kwargs)


def test_crash_dump_and_diagnostics(deploy):
    deployment = deploy(computes=("compute1",))
    admin = deployment.api
    alice = admin.as_user("alice:projA")
    server_id = alice.create_server("dumped")
    alice.wait_for_status(server_id, statuses=("ACTIVE",))

    assert _act(alice, server_id, {"trigger_crash_dump": None})[0] == 404  # before 2.17
    assert _act(alice, server_id, {"trigger_crash_dump": None}, headers=V217)[0] == 202

    def console_has_nmi():
        code, body, _ = _act(alice, server_id, {"os-getConsoleOutput": {"length": -1}})
        return code == 200 and "NMI received" in body["output"]
    wait_for(console_has_nmi, 30, message="the NMI on the fake guest's console")
    actions = alice.get(f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]
    assert actions[0]["action"] == "trigger_crash_dump"

    def dump_event():
        action = alice.get(
            f"/v2.1/servers/{server_id}/os-instance-actions/{actions[0]['request_id']}",
            headers={"OpenStack-API-Version": "compute 2.51"})[1]["instanceAction"]
        return [(e["event"], e["result"]) for e in action["events"]]
    wait_for(lambda: dump_event() == [("compute_trigger_crash_dump", "Success")], 30,
             message="the crash dump event")
    assert alice.server(server_id)["OS-EXT-STS:task_state"] is None

    # Diagnostics: admins only; the 2.48 shape; the driver's names before.
    assert alice.get(f"/v2.1/servers/{server_id}/diagnostics", headers=V248)[0] == 403
    code, diags, _ = admin.get(f"/v2.1/servers/{server_id}/diagnostics", headers=V248)
    assert code == 200, diags
    assert (diags["state"], diags["driver"], diags["num_cpus"], diags["num_disks"]) == (
        "running", "libvirt", 1, 1)
    assert diags["memory_details"] == {"maximum": 512, "used": 512}
    code, legacy, _ = admin.get(f"/v2.1/servers/{server_id}/diagnostics")
    assert code == 200 and legacy["memory"] == 512 * 1024 and "cpu0_time" in legacy

    # Stopped: no crash dump, no diagnostics (409).
    assert _act(alice, server_id, {"os-stop": None})[0] == 202
    wait_for(lambda: alice.server(server_id)["status"] == "SHUTOFF"
             and alice.server(server_id)["OS-EXT-STS:task_state"] is None, 30,
             message="stopped")
    code, reply, _ = _act(alice, server_id, {"trigger_crash_dump": None}, headers=V217)
    assert code == 409 and "vm_state stopped" in reply["conflictingRequest"]["message"]
    code, reply, _ = admin.get(f"/v2.1/servers/{server_id}/diagnostics", headers=V248)
    assert code == 409 and "power state shutdown" in reply["conflictingRequest"]["message"]
