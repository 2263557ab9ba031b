"""lock / unlock and os-resetState through the REST API on the multi-process
deployment (fake driver): Nova's owner/admin rule, the lock check on the
guarded actions, the locked filter, and the instance actions recorded."""

from tests.functional.deployment import wait_for

V273 = {"OpenStack-API-Version": "compute 2.73"}


def _act(api, server_id, body, **kwargs):
    return api.post(f"/v2.1/servers/{server_id}/action", body, **kwargs)


def _show(api, server_id):
    return api.get(f"/v2.1/servers/{server_id}", headers=V273)[1]["server"]


def test_lock_unlock_and_reset_state(deploy):
    deployment = deploy(computes=("compute1",))
    admin = deployment.api
    alice = admin.as_user("alice:projA")
    server_id = alice.create_server("locked")
    other_id = alice.create_server("free")
    alice.wait_for_status(server_id, statuses=("ACTIVE",))
    alice.wait_for_status(other_id, statuses=("ACTIVE",))

    assert _act(alice, server_id, {"lock": {"locked_reason": "upgrading"}},
                headers=V273)[0] == 202
    shown = _show(alice, server_id)
    assert (shown["locked"], shown["locked_reason"]) == (True, "upgrading")

    # The project's guarded actions are refused; nothing changes.
    for body in ({"os-stop": None}, {"reboot": {"type": "SOFT"}}, {"pause": None},
                 {"suspend": None}):
        code, reply, _ = _act(alice, server_id, body)
        assert code == 409, body
        assert reply["conflictingRequest"]["message"] == f"Instance {server_id} is locked"
    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 409
    assert _show(alice, server_id)["status"] == "ACTIVE"

    # The locked filter (2.73) sees it.
    listed = alice.get("/v2.1/servers?locked=true", headers=V273)[1]["servers"]
    assert [s["id"] for s in listed] == [server_id]
    listed = alice.get("/v2.1/servers?locked=false", headers=V273)[1]["servers"]
    assert [s["id"] for s in listed] == [other_id]

    # An admin takes the lock over: the owner can no longer unlock it.
    assert _act(admin, server_id, {"lock": None})[0] == 202
    assert _act(alice, server_id, {"unlock": None})[0] == 403
    assert _show(alice, server_id)["locked"] is True
    # An admin's action goes through the lock.
    assert _act(admin, server_id, {"os-stop": None})[0] == 202
    wait_for(lambda: _show(alice, server_id)["status"] == "SHUTOFF", 30,
             message="admin's stop of a locked server")
    assert _act(admin, server_id, {"unlock": None})[0] == 202
    shown = _show(alice, server_id)
    assert (shown["locked"], shown["locked_reason"]) == (False, None)

    actions = [a["action"] for a in alice.get(
        f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]]
    assert actions == ["unlock", "stop", "lock", "lock", "create"]
    lock = alice.get(f"/v2.1/servers/{server_id}/os-instance-actions", headers=V273
                     )[1]["instanceActions"][-2]
    events = alice.get(f"/v2.1/servers/{server_id}/os-instance-actions/{lock['request_id']}",
                       headers=V273)[1]["instanceAction"]["events"]
    assert [(e["event"], e["result"]) for e in events] == [("api_lock", "Success")]

    # os-resetState: admins only; sets the state and clears the task.
    assert _act(alice, server_id, {"os-resetState": {"state": "error"}})[0] == 403
    assert _act(admin, server_id, {"os-resetState": {"state": "bogus"}})[0] == 400
    assert _act(admin, server_id, {"os-resetState": {"state": "error"}})[0] == 202
    shown = admin.server(server_id)
    assert (shown["status"], shown["OS-EXT-STS:task_state"]) == ("ERROR", None)
    assert _act(admin, server_id, {"os-resetState": {"state": "active"}})[0] == 202
    assert admin.server(server_id)["status"] == "ACTIVE"
    actions = [a["action"] for a in admin.get(
        f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]]
    assert actions[:2] == ["resetState", "resetState"]

    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 204
    alice.wait_for_gone(server_id)
