"""createImage, shelve, shelveOffload and unshelve on the multi-process
deployment (two fake computes): a snapshot uploaded through the image
service and booting a new server; a shelve offloaded at once
(``shelved_offload_time`` 0 on compute2) with its claim freed, then
unshelved by a real scheduling decision with its snapshot deleted after; a
shelve kept on its host (-1 on compute1), offloaded by the admin and
unshelved to a named host (2.91); one offloaded by its host's periodic
task (2 s on compute3); and the error paths (a failed snapshot,
no valid host at unshelve, racing and locked actions)."""

import pytest

from tests.functional.deployment import Deployment, wait_for

IMAGES = "/image/v2/images"
MEMBER = "alice:projA"
COMPUTES = ("compute1", "compute2", "compute3")


def _at(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(
        tmp_path_factory.mktemp("shelve"), backend="mysql",
        computes=COMPUTES,
        conf={"fake_driver": {"fail_snapshot_for_name": "^badsnap$"}},
        compute_conf={"compute1": {"DEFAULT": {"shelved_offload_time": "-1"}},
                      "compute2": {"DEFAULT": {"shelved_offload_time": "0"}},
                      "compute3": {"DEFAULT": {"shelved_offload_time": "2",
                                               "shelved_poll_interval": "1"}}})
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _server_on(deployment, name: str, host: str) -> str:
    """A member's server on ``host``: 2.74's ``host`` is an admin's, so the
    member asks with the admin role (noauth2's X-Roles) in its own project."""
    api = deployment.api.as_user(MEMBER)
    status, body, _ = api.post(
        "/v2.1/servers", {"server": {"name": name, "flavorRef": "1", "networks": "none",
                                     "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b",
                                     "host": host}},
        headers=dict(_at("2.74"), **{"X-Roles": "admin,member,reader"}))
    assert status == 202, body
    server = api.wait_for_status(body["server"]["id"], ("ACTIVE",), timeout=120)
    return server["id"]


def _settled(api, server_id: str, status: str) -> dict:
    return api.wait_settled(server_id, status, timeout=60)


def _act(api, server_id: str, body: dict, version: str = "2.1"):
    return api.post(f"/v2.1/servers/{server_id}/action", body, headers=_at(version))


def _events(api, server_id: str, action: str) -> list[tuple[str, str]]:
    return api.action_events(server_id, action)


def _image_status(api, image_id: str):
    status, body, _ = api.get(f"{IMAGES}/{image_id}")
    return body["status"] if status == 200 else status


def _used(deployment, host: str) -> tuple:
    return tuple(deployment.query(
        "SELECT vcpus_used, memory_mb_used FROM compute_nodes WHERE host = :host",
        host=host)[0])


def _admin_view(deployment, server_id: str) -> dict:
    return deployment.api.get(f"/v2.1/servers/{server_id}", headers=_at("2.3"))[1]["server"]


def test_create_image_uploads_a_snapshot_that_boots_a_new_server(deployment):
    api = deployment.api.as_user(MEMBER)
    server_id = api.create_server("snapme")
    api.wait_for_status(server_id, ("ACTIVE",))
    code, reply, _ = _act(api, server_id, {"createImage": {"name": "snap-1",
                                                           "metadata": {"tier": "web"}}},
                          version="2.45")
    assert code == 202, reply
    image_id = reply["image_id"]
    wait_for(lambda: _image_status(api, image_id) == "active", 60,
             message=f"image {image_id} active")
    image = api.get(f"{IMAGES}/{image_id}")[1]
    assert image["name"] == "snap-1" and image["tier"] == "web" and image["size"] > 0
    assert image["instance_uuid"] == server_id and image["image_type"] == "snapshot"
    server = _settled(api, server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    assert _events(api, server_id, "createImage") == [("compute_snapshot_instance",
                                                       "Success")]
    # Nova's image proxy shows it too, and it boots a new server.
    assert api.get(f"/v2.1/images/{image_id}")[1]["image"]["status"] == "ACTIVE"
    child = api.create_server("from-snap", image=image_id)
    assert api.wait_for_status(child, ("ACTIVE", "ERROR"))["status"] == "ACTIVE"

    # Before 2.45: no body, the image's URL as the Location.
    code, _reply, headers = _act(api, server_id, {"createImage": {"name": "snap-2"}})
    assert code == 202 and headers["location"].split("/")[-2] == "images"
    _settled(api, server_id, "ACTIVE")


def test_a_failed_snapshot_deletes_the_image_and_leaves_the_server_active(deployment):
    api = deployment.api.as_user(MEMBER)
    server_id = api.create_server("badsnap")
    api.wait_for_status(server_id, ("ACTIVE",))
    code, reply, _ = _act(api, server_id, {"createImage": {"name": "doomed-snap"}},
                          version="2.45")
    assert code == 202, reply
    wait_for(lambda: _image_status(api, reply["image_id"]) == 404, 60,
             message="failed snapshot's image deleted")
    server = _settled(api, server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    assert _events(api, server_id, "createImage") == [("compute_snapshot_instance", "Error")]
    # The server is usable: it shelves and comes back.
    assert _act(api, server_id, {"os-stop": None})[0] == 202
    _settled(api, server_id, "SHUTOFF")


def test_shelve_offloads_at_once_frees_the_claim_and_unshelve_places_it_again(deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    before = _used(deployment, "compute2")
    server_id = _server_on(deployment, "shelf", "compute2")
    assert _used(deployment, "compute2") != before
    assert _act(api, server_id, {"shelve": None})[0] == 202
    server = _settled(api, server_id, "SHELVED_OFFLOADED")
    assert server["OS-EXT-STS:power_state"] == 0
    assert _admin_view(deployment, server_id)["OS-EXT-SRV-ATTR:host"] is None
    assert _used(deployment, "compute2") == before
    assert _events(api, server_id, "shelve") == [
        ("compute_shelve_instance", "Success"), ("compute_shelve_offload_instance", "Success")]
    [snapshot] = [i for i in api.get(f"{IMAGES}?name=shelf-shelved")[1]["images"]]
    assert snapshot["status"] == "active"
    assert deployment.query("SELECT COUNT(*) FROM allocations WHERE instance_uuid = :u",
                            u=server_id)[0][0] == 0

    # A second shelve, and a createImage, of a shelved server: 409.
    assert _act(api, server_id, {"shelve": None})[0] == 409
    assert _act(api, server_id, {"createImage": {"name": "x"}})[0] == 409

    assert _act(api, server_id, {"unshelve": None})[0] == 202
    server = _settled(api, server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    host = _admin_view(deployment, server_id)["OS-EXT-SRV-ATTR:host"]
    assert host in COMPUTES
    assert deployment.query("SELECT COUNT(*) FROM allocations WHERE instance_uuid = :u",
                            u=server_id)[0][0] == 1
    wait_for(lambda: _image_status(api, snapshot["id"]) == 404, 60,
             message="shelve snapshot deleted")
    assert _events(api, server_id, "unshelve") == [
        ("compute_unshelve_instance", "Success"), ("schedule_instances", "Success")]
    console = api.post(f"/v2.1/servers/{server_id}/action",
                       {"os-getConsoleOutput": {}})[1]["output"]
    assert "minova guest booted" in console


def test_shelve_kept_on_its_host_then_offloaded_and_unshelved_to_a_host(deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    server_id = _server_on(deployment, "keeper", "compute1")
    assert _act(api, server_id, {"shelve": None})[0] == 202
    server = _settled(api, server_id, "SHELVED")
    assert server["OS-EXT-STS:power_state"] == 4
    assert _admin_view(deployment, server_id)["OS-EXT-SRV-ATTR:host"] == "compute1"
    # shelveOffload is the admin's; a zone or host for a SHELVED server is 409.
    assert _act(api, server_id, {"shelveOffload": None})[0] == 403
    assert _act(admin, server_id, {"unshelve": {"host": "compute2"}}, "2.91")[0] == 409
    assert _act(admin, server_id, {"shelveOffload": None})[0] == 202
    _settled(api, server_id, "SHELVED_OFFLOADED")
    assert _events(api, server_id, "shelveOffload") == [
        ("compute_shelve_offload_instance", "Success")]
    # Only an admin names the host; an unknown one is a 400.
    assert _act(api, server_id, {"unshelve": {"host": "compute2"}}, "2.91")[0] == 403
    assert _act(admin, server_id, {"unshelve": {"host": "nowhere"}}, "2.91")[0] == 400
    assert _act(admin, server_id, {"unshelve": {"host": "compute2"}}, "2.91")[0] == 202
    _settled(api, server_id, "ACTIVE")
    assert _admin_view(deployment, server_id)["OS-EXT-SRV-ATTR:host"] == "compute2"


def test_unshelve_with_no_valid_host_stays_offloaded_and_a_locked_server_refuses(
        deployment):
    admin = deployment.api
    api = admin.as_user(MEMBER)
    server_id = _server_on(deployment, "nohost", "compute2")
    assert _act(api, server_id, {"shelve": None})[0] == 202
    _settled(api, server_id, "SHELVED_OFFLOADED")
    for host in COMPUTES:
        assert admin.request("PUT", "/v2.1/os-services/disable",
                             body={"host": host, "binary": "minova-compute"})[0] == 200
    try:
        assert _act(api, server_id, {"unshelve": None})[0] == 202
        wait_for(lambda: ("schedule_instances", "Error") in _events(
            api, server_id, "unshelve"), 60, message="unshelve failed")
        server = _settled(api, server_id, "SHELVED_OFFLOADED")
        assert _admin_view(deployment, server_id)["OS-EXT-SRV-ATTR:host"] is None
        faults = deployment.query("SELECT message FROM instance_faults WHERE "
                                  "instance_uuid = :u", u=server_id)
        assert any("No valid host" in f[0] for f in faults), faults
        assert server["status"] == "SHELVED_OFFLOADED"
    finally:
        for host in COMPUTES:
            admin.request("PUT", "/v2.1/os-services/enable",
                          body={"host": host, "binary": "minova-compute"})
    # Locked by the admin: the project's unshelve is 409, the admin's goes.
    assert _act(admin, server_id, {"lock": None})[0] == 202
    assert _act(api, server_id, {"unshelve": None})[0] == 409
    assert _act(admin, server_id, {"unshelve": None})[0] == 202
    assert _settled(api, server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1


def test_the_hosts_periodic_offloads_a_server_shelved_long_enough(deployment):
    api = deployment.api.as_user(MEMBER)
    before = _used(deployment, "compute3")
    server_id = _server_on(deployment, "later", "compute3")
    assert _act(api, server_id, {"shelve": None})[0] == 202
    server = _settled(api, server_id, "SHELVED_OFFLOADED")
    assert server["OS-EXT-STS:power_state"] == 0
    assert _admin_view(deployment, server_id)["OS-EXT-SRV-ATTR:host"] is None
    assert _used(deployment, "compute3") == before
    # Shelved first (the shelve's own event only): the periodic offloaded it.
    assert _events(api, server_id, "shelve") == [("compute_shelve_instance", "Success")]
