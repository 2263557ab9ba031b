"""Server actions through the REST API on the multi-process deployment (fake driver)."""

import concurrent.futures

from tests.functional.deployment import wait_for


def _act(api, server_id, body):
    return api.post(f"/v2.1/servers/{server_id}/action", body)


def _settled(api, server_id, status):
    return wait_for(lambda: (lambda s: s if s and s["status"] == status and
                             s["OS-EXT-STS:task_state"] is None else None)(
        api.server(server_id)), 30, message=f"{server_id} {status}")


def test_lifecycle_actions_and_their_trace(deploy):
    deployment = deploy(backend="postgresql", computes=("compute1",))
    api = deployment.api.as_user("alice:projA")
    server_id = api.create_server("life")
    api.wait_for_status(server_id)

    steps = [
        ({"os-stop": None}, "SHUTOFF", 4),
        ({"os-start": None}, "ACTIVE", 1),
        ({"reboot": {"type": "SOFT"}}, "ACTIVE", 1),
        ({"reboot": {"type": "HARD"}}, "ACTIVE", 1),
        ({"pause": None}, "PAUSED", 3),
        ({"unpause": None}, "ACTIVE", 1),
        ({"suspend": None}, "SUSPENDED", 7),
        ({"resume": None}, "ACTIVE", 1),
    ]
    for body, status, power_state in steps:
        code, reply, _ = _act(api, server_id, body)
        assert code == 202 and reply in (None, b""), (body, code, reply)
        server = _settled(api, server_id, status)
        assert server["OS-EXT-STS:power_state"] == power_state, body

    # Not allowed now: 409 with Nova's body, and nothing changes.
    code, reply, _ = _act(api, server_id, {"os-start": None})
    assert code == 409 and "conflictingRequest" in reply
    assert api.server(server_id)["status"] == "ACTIVE"

    # Nova's tail: the log ends in a newline, so the last 2 pieces are the
    # last line and the empty one after it.
    code, reply, _ = _act(api, server_id, {"os-getConsoleOutput": {"length": 2}})
    assert code == 200 and reply["output"] == "resume\n"

    actions = api.get(f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]
    assert [a["action"] for a in actions] == [
        "resume", "suspend", "unpause", "pause", "reboot", "reboot", "start", "stop", "create"]
    stop = actions[-2]
    # the server's owner sees the events from 2.51
    events = api.get(f"/v2.1/servers/{server_id}/os-instance-actions/{stop['request_id']}",
                     headers={"OpenStack-API-Version": "compute 2.51"}
                     )[1]["instanceAction"]["events"]
    assert [(e["event"], e["result"]) for e in events] == [("compute_stop_instance", "Success")]

    # Another project cannot act on it.
    bob = deployment.api.as_user("bob:projB")
    assert _act(bob, server_id, {"os-stop": None})[0] == 404

    # A stopped server can be deleted.
    assert _act(api, server_id, {"os-stop": None})[0] == 202
    _settled(api, server_id, "SHUTOFF")
    assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
    api.wait_for_gone(server_id)


def test_racing_actions_have_one_winner(deploy):
    deployment = deploy(backend="mysql", computes=("compute1",))
    api = deployment.api
    server_id = api.create_server("race")
    api.wait_for_status(server_id)

    # Each of these needs an ACTIVE, idle server and leaves it not ACTIVE, so
    # exactly one can win however the requests interleave with the winner's
    # completion. (A reboot would return the server to ACTIVE, and a request
    # arriving after it finished could then rightly win too.)
    bodies = [{"os-stop": None}, {"pause": None}, {"suspend": None}] * 4
    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(lambda b: _act(api, server_id, b)[0], bodies))
    assert codes.count(202) == 1 and codes.count(409) == len(bodies) - 1
    wait_for(lambda: api.server(server_id)["OS-EXT-STS:task_state"] is None, 30,
             message="the winning action to finish")
