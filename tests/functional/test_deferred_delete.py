"""Nova's deferred delete on the multi-process deployment (fake driver), with
``[DEFAULT] reclaim_instance_interval`` set: DELETE soft-deletes, restore
brings the server back, forceDelete deletes at once, and the compute host
reclaims what stays soft-deleted past the interval; the project's quota
counts a soft-deleted server until then."""



def _act(api, server_id, body):
    return api.post(f"/v2.1/servers/{server_id}/action", body)


def _settled(api, server_id: str, status: str) -> dict:
    return api.wait_settled(server_id, status, timeout=30)


def _instances_used(api) -> int:
    return api.get("/v2.1/limits")[1]["limits"]["absolute"]["totalInstancesUsed"]


def test_soft_delete_restore_force_delete_and_reclaim(deploy):
    deployment = deploy(computes=("compute1",),
                        conf={"DEFAULT": {"reclaim_instance_interval": "3"}})
    admin = deployment.api
    alice = admin.as_user("alice:projA")
    server_id = alice.create_server("deferred")
    alice.wait_for_status(server_id, statuses=("ACTIVE",))

    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 204
    server = _settled(alice, server_id, "SOFT_DELETED")
    assert (server["OS-EXT-STS:vm_state"], server["OS-EXT-STS:power_state"]) == (
        "soft-delete", 4)
    # Still the project's, and counted; not in the default list.
    assert _instances_used(alice) == 1
    assert alice.get("/v2.1/servers")[1]["servers"] == []
    listed = admin.get("/v2.1/servers/detail?all_tenants=1&deleted=true")[1]["servers"]
    assert [s["status"] for s in listed if s["id"] == server_id] == ["SOFT_DELETED"]

    code, reply, _ = _act(alice, server_id, {"os-start": None})
    assert code == 409
    # At its limit the project cannot restore (Nova checks one more instance).
    quota = {"quota_set": {"instances": 1}}
    assert admin.request("PUT", "/v2.1/os-quota-sets/projA", quota)[0] == 200
    code, reply, _ = _act(alice, server_id, {"restore": None})
    assert code == 403 and "Quota exceeded for instances" in reply["forbidden"]["message"]
    quota = {"quota_set": {"instances": -1}}
    assert admin.request("PUT", "/v2.1/os-quota-sets/projA", quota)[0] == 200
    assert _act(alice, server_id, {"restore": None})[0] == 202
    server = _settled(alice, server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    code, reply, _ = _act(alice, server_id, {"restore": None})
    assert code == 409 and "Cannot 'restore' instance" in reply["conflictingRequest"]["message"]

    actions = alice.get(f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]
    assert [a["action"] for a in actions] == ["restore", "delete", "create"]
    events = alice.get(
        f"/v2.1/servers/{server_id}/os-instance-actions/{actions[1]['request_id']}",
        headers={"OpenStack-API-Version": "compute 2.51"})[1]["instanceAction"]["events"]
    assert [(e["event"], e["result"]) for e in events] == [
        ("compute_soft_delete_instance", "Success")]

    # forceDelete: gone now, not after the interval.
    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 204
    _settled(alice, server_id, "SOFT_DELETED")
    assert _act(alice, server_id, {"forceDelete": None})[0] == 202
    alice.wait_for_gone(server_id)

    # Left soft-deleted, its host reclaims it after the interval.
    other_id = alice.create_server("reclaimed")
    alice.wait_for_status(other_id, statuses=("ACTIVE",))
    assert alice.delete(f"/v2.1/servers/{other_id}")[0] == 204
    _settled(alice, other_id, "SOFT_DELETED")
    alice.wait_for_gone(other_id)
    assert _instances_used(alice) == 0
    hypervisor = admin.get("/v2.1/os-hypervisors/detail")[1]["hypervisors"][0]
    assert hypervisor["running_vms"] == 0
