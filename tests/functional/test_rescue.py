"""The rescue and unrescue actions on the multi-process deployment (fake
driver): rescue -> RESCUE with its adminPass -> unrescue -> ACTIVE, from
ACTIVE and SHUTOFF, with a rescue_image_ref; Nova's errors (a rescue image
not found 400, a locked server 409, a wrong state 409); a rescue racing a
stop (one of them 409); and a compute killed mid-rescue (ERROR at its
restart, and a rescue from ERROR as the way on)."""

import signal
import threading

import pytest

from tests.functional.deployment import Deployment, wait_for

MEMBER = "alice:projRescue"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("rescue"), backend="mysql",
                            computes=("compute1",))
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _image(api, name: str) -> str:
    return api.upload_image(name)


def _settled(api, server_id: str, status: str) -> dict:
    return api.wait_settled(server_id, status, timeout=60)


def _action(api, server_id: str, body: dict):
    code, reply, _ = api.post(f"/v2.1/servers/{server_id}/action", body)
    return code, reply


def _console(api, server_id: str) -> str:
    return _action(api, server_id, {"os-getConsoleOutput": {}})[1]["output"]


def _events(api, server_id: str, action: str) -> list[tuple[str, str]]:
    return api.action_events(server_id, action)


def test_rescue_and_unrescue_from_active_and_shutoff(deployment):
    api = deployment.api.as_user(MEMBER)
    server_id = api.create_server("to-rescue")
    own_image = api.wait_for_status(server_id, ("ACTIVE",))["image"]["id"]

    code, reply = _action(api, server_id, {"rescue": {"adminPass": "rescue-pw"}})
    assert (code, reply) == (200, {"adminPass": "rescue-pw"})
    server = _settled(api, server_id, "RESCUE")
    assert (server["OS-EXT-STS:vm_state"], server["OS-EXT-STS:power_state"]) == (
        "rescued", 1)
    assert server["image"]["id"] == own_image  # the server's image is unchanged
    assert f"rescue boot from image {own_image}" in _console(api, server_id)
    assert _events(api, server_id, "rescue") == [("compute_rescue_instance", "Success")]

    # Rescued: a second rescue, a stop, a reboot are Nova's 409.
    for body in ({"rescue": None}, {"os-stop": None}, {"reboot": {"type": "HARD"}}):
        code, reply = _action(api, server_id, body)
        assert code == 409 and "conflictingRequest" in reply, body

    assert _action(api, server_id, {"unrescue": None}) == (202, b"")
    server = _settled(api, server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    assert "unrescue: booting the original disk" in _console(api, server_id)
    assert _events(api, server_id, "unrescue") == [("compute_unrescue_instance", "Success")]

    # From SHUTOFF: rescued (running the rescue image), then ACTIVE, as Nova.
    assert _action(api, server_id, {"os-stop": None})[0] == 202
    _settled(api, server_id, "SHUTOFF")
    code, reply = _action(api, server_id, {"rescue": None})
    assert code == 200 and len(reply["adminPass"]) == 12
    assert _settled(api, server_id, "RESCUE")["OS-EXT-STS:power_state"] == 1
    assert _action(api, server_id, {"unrescue": None})[0] == 202
    _settled(api, server_id, "ACTIVE")


def test_rescue_from_another_image(deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    rescue_image = _image(admin, "rescue-system")
    server_id = api.create_server("with-image")
    api.wait_for_status(server_id, ("ACTIVE",))
    code, _ = _action(api, server_id, {"rescue": {"rescue_image_ref": rescue_image}})
    assert code == 200
    _settled(api, server_id, "RESCUE")
    assert f"rescue boot from image {rescue_image}" in _console(api, server_id)
    assert _action(api, server_id, {"unrescue": None})[0] == 202
    _settled(api, server_id, "ACTIVE")


def test_nova_errors(deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    server_id = api.create_server("errors")
    api.wait_for_status(server_id, ("ACTIVE",))

    missing = "3e7c5d4a-0000-4000-8000-000000000000"
    code, reply = _action(api, server_id, {"rescue": {"rescue_image_ref": missing}})
    assert code == 400
    assert reply["badRequest"]["message"] == (
        f"Requested rescue image '{missing}' is not supported")
    code, reply = _action(api, server_id, {"unrescue": None})
    assert code == 409 and "while it is in vm_state active" in (
        reply["conflictingRequest"]["message"])

    assert _action(api, server_id, {"lock": None})[0] == 202
    code, reply = _action(api, server_id, {"rescue": None})
    assert code == 409 and "is locked" in reply["conflictingRequest"]["message"]
    assert _action(api, server_id, {"unlock": None})[0] == 202

    assert _action(api, server_id, {"pause": None})[0] == 202
    _settled(api, server_id, "PAUSED")
    code, reply = _action(api, server_id, {"rescue": None})
    assert code == 409 and "while it is in vm_state paused" in (
        reply["conflictingRequest"]["message"])
    # Nothing was recorded or changed by the refused requests.
    actions = [a["action"] for a in api.get(
        f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]]
    assert "rescue" not in actions and "unrescue" not in actions
    assert api.server(server_id)["status"] == "PAUSED"


def test_a_rescue_racing_a_stop_one_is_409(deployment):
    """Both read the server ACTIVE and idle; the conductor's compare-and-swap
    lets one through. The compute is frozen meanwhile, so the winner's task
    is still under way when the other swaps."""
    api = deployment.api.as_user(MEMBER)
    server_id = api.create_server("race")
    api.wait_for_status(server_id, ("ACTIVE",))
    compute = deployment.procs["compute1"]
    results: dict[str, int] = {}
    barrier = threading.Barrier(2)

    def send(name: str, body: dict) -> None:
        barrier.wait()
        results[name] = _action(api, server_id, body)[0]

    compute.send_signal(signal.SIGSTOP)
    try:
        threads = [threading.Thread(target=send, args=("rescue", {"rescue": None})),
                   threading.Thread(target=send, args=("stop", {"os-stop": None}))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        compute.send_signal(signal.SIGCONT)
    assert sorted(results.values()) in ([200, 409], [202, 409]), results
    winner = "RESCUE" if results["rescue"] == 200 else "SHUTOFF"
    _settled(api, server_id, winner)
    recorded = [a["action"] for a in api.get(
        f"/v2.1/servers/{server_id}/os-instance-actions")[1]["instanceActions"]]
    assert ("rescue" in recorded) != ("stop" in recorded)


def test_a_compute_killed_mid_rescue_sets_error_at_its_restart(deploy, tmp_path):
    hold = tmp_path / "hold"
    deployment = deploy(backend="mysql", computes=("compute1",), compute_conf={
        "compute1": {"fake_driver": {"guests_path": str(tmp_path / "guests.json"),
                                     "spawn_hold_path": str(hold)}}})
    api = deployment.api
    server_id = api.create_server("held")
    api.wait_for_status(server_id, ("ACTIVE",))
    hold.touch()  # the rescue's boot now waits for the file to go
    assert _action(api, server_id, {"rescue": None})[0] == 200
    wait_for(lambda: f"Spawn of {server_id} held while" in deployment.log_full("compute1"),
             60, message="the compute to hold the rescue")
    deployment.kill("compute1")
    hold.unlink()
    deployment.start_compute("compute1")
    server = _settled(api, server_id, "ERROR")
    assert server["fault"]["message"].startswith(
        "The compute service restarted during the rescue of the server")
    # The way on: rescue it again (allowed from ERROR), then unrescue.
    assert _action(api, server_id, {"rescue": None})[0] == 200
    _settled(api, server_id, "RESCUE")
    assert _action(api, server_id, {"unrescue": None})[0] == 202
    assert _settled(api, server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1
