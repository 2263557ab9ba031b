"""The rebuild action on the multi-process deployment (fake driver): a rebuild
from ACTIVE and from SHUTOFF, one the driver fails (ERROR with its fault),
one whose new image the server's host cannot run (the scheduler's
check: ERROR with NoValidHost, the old image kept), and one whose compute
is killed while it rebuilds (ERROR at the compute's restart)."""

import pytest

from tests.functional.deployment import Deployment, wait_for

MEMBER = "alice:projA"
V = {"OpenStack-API-Version": "compute 2.75"}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(
        tmp_path_factory.mktemp("rebuild"), backend="mysql", computes=("compute1",),
        compute_conf={"compute1": {"fake_driver": {"fail_spawn_for_name": "^doomed$"}}})
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _image(api, name: str, **properties) -> str:
    return api.upload_image(name, **properties)


def _settled(api, server_id: str, status: str) -> dict:
    return api.wait_settled(server_id, status, timeout=60)


def _rebuild(api, server_id: str, **fields):
    return api.post(f"/v2.1/servers/{server_id}/action", {"rebuild": fields}, headers=V)


def _events(api, server_id: str) -> list[tuple[str, str]]:
    return api.action_events(server_id, "rebuild")


def test_rebuild_from_active_and_from_shutoff(deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    new_image = _image(admin, "rebuild-target")
    server_id = api.create_server("web")
    api.wait_for_status(server_id, ("ACTIVE",))

    code, reply, _ = _rebuild(api, server_id, imageRef=new_image, name="web2",
                              metadata={"tier": "front"}, adminPass="pw-1")
    assert code == 202, reply
    assert reply["server"]["status"] == "REBUILD" and reply["server"]["adminPass"] == "pw-1"
    assert reply["server"]["OS-EXT-STS:task_state"] == "rebuilding"
    server = _settled(api, server_id, "ACTIVE")
    assert (server["name"], server["image"]["id"], server["metadata"]) == (
        "web2", new_image, {"tier": "front"})
    assert server["OS-EXT-STS:power_state"] == 1
    console = api.post(f"/v2.1/servers/{server_id}/action",
                       {"os-getConsoleOutput": {}})[1]["output"]
    assert f"rebuilt from image {new_image}" in console and "minova guest booted" in console
    assert _events(api, server_id) == [("compute_rebuild_instance", "Success"),
                                       ("conductor_rebuild_server", "Success")]

    # A stopped server is rebuilt and stopped again.
    assert api.post(f"/v2.1/servers/{server_id}/action", {"os-stop": None})[0] == 202
    _settled(api, server_id, "SHUTOFF")
    assert _rebuild(api, server_id, imageRef=new_image)[0] == 202
    server = _settled(api, server_id, "SHUTOFF")
    assert server["OS-EXT-STS:power_state"] == 4

    # Paused: not a state a rebuild starts from.
    assert api.post(f"/v2.1/servers/{server_id}/action", {"os-start": None})[0] == 202
    _settled(api, server_id, "ACTIVE")
    assert api.post(f"/v2.1/servers/{server_id}/action", {"pause": None})[0] == 202
    _settled(api, server_id, "PAUSED")
    code, reply, _ = _rebuild(api, server_id, imageRef=new_image)
    assert code == 409 and "conflictingRequest" in reply


def test_a_rebuild_the_driver_fails_ends_in_error_with_its_fault(deployment):
    api = deployment.api.as_user(MEMBER)
    server_id = api.create_server("fine")
    api.wait_for_status(server_id, ("ACTIVE",))
    assert _rebuild(api, server_id, imageRef="70a599e0-31e7-49b7-b260-868f441e862b",
                    name="doomed")[0] == 202
    server = _settled(api, server_id, "ERROR")
    assert server["fault"]["message"] == "Fake driver was told to fail rebuilding doomed"
    assert ("compute_rebuild_instance", "Error") in _events(api, server_id)

    # An ERROR server may be rebuilt, and comes back ACTIVE.
    assert _rebuild(api, server_id, imageRef="70a599e0-31e7-49b7-b260-868f441e862b",
                    name="fixed")[0] == 202
    assert _settled(api, server_id, "ACTIVE")["name"] == "fixed"


def test_an_image_the_host_cannot_run_is_no_valid_host(deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    arm = _image(admin, "arm-only", hw_architecture="aarch64")
    server_id = api.create_server("x86")
    old_image = api.wait_for_status(server_id, ("ACTIVE",))["image"]["id"]
    assert _rebuild(api, server_id, imageRef=arm)[0] == 202
    server = _settled(api, server_id, "ERROR")
    assert "No valid host" in server["fault"]["message"]
    assert "ImagePropertiesFilter" in server["fault"]["message"]
    assert server["image"]["id"] == old_image
    assert _events(api, server_id) == [("conductor_rebuild_server", "Error")]


def test_a_compute_killed_mid_rebuild_sets_error_at_its_restart(deploy, tmp_path):
    hold = tmp_path / "hold"
    deployment = deploy(backend="mysql", computes=("compute1",), compute_conf={
        "compute1": {"fake_driver": {"guests_path": str(tmp_path / "guests.json"),
                                     "spawn_hold_path": str(hold)}}})
    api = deployment.api
    server_id = api.create_server("held")
    api.wait_for_status(server_id, ("ACTIVE",))
    hold.touch()  # the rebuild's spawn now waits for the file to go
    assert _rebuild(api, server_id, imageRef="70a599e0-31e7-49b7-b260-868f441e862b")[0] == 202
    wait_for(lambda: api.server(server_id)["OS-EXT-STS:task_state"] == "rebuild_spawning",
             60, message="the compute to take the rebuild")
    deployment.kill("compute1")
    hold.unlink()
    deployment.start_compute("compute1")
    server = _settled(api, server_id, "ERROR")
    assert server["fault"]["message"].startswith(
        "The compute service restarted during the rebuild")
    # The way on: rebuild it again.
    assert _rebuild(api, server_id, imageRef="70a599e0-31e7-49b7-b260-868f441e862b")[0] == 202
    assert _settled(api, server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1
