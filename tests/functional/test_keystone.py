"""auth_strategy = keystone against a real Keystone: tokens from Keystone decide
who the caller is, which project they act in and whether they are an admin."""

import pytest

from minova import context as minova_context
from minova import exception
from minova.image import api as image_api
from tests.functional.deployment import Deployment
from tests.functional.keystone_fixture import Keystone


@pytest.fixture(scope="module")
def keystone(tmp_path_factory):
    with Keystone(tmp_path_factory.mktemp("keystone")) as server:
        yield server


@pytest.fixture(scope="module")
def deployment(keystone, tmp_path_factory):
    deployment = Deployment(
        tmp_path_factory.mktemp("minova"), computes=("compute1",),
        conf={"api": {"auth_strategy": "keystone"},
              "keystone_authtoken": keystone.authtoken_options()},
        api_token=keystone.token("admin"))
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _assert_rejected(keystone, response):
    status, body, headers = response
    assert status == 401, (status, body)
    assert headers["www-authenticate"] == f'Keystone uri="{keystone.url}"'
    assert body["error"]["code"] == 401


def test_a_request_without_a_token_is_401(keystone, deployment):
    anonymous = deployment.api.as_user(None)
    _assert_rejected(keystone, anonymous.get("/v2.1/servers"))
    _assert_rejected(keystone, anonymous.get("/image/v2/images"))
    # The version documents stay open, as in Nova.
    assert anonymous.get("/")[0] == 200
    assert anonymous.get("/v2.1")[0] == 200


def test_a_token_keystone_rejects_is_401(keystone, deployment):
    _assert_rejected(keystone, deployment.api.as_user("not-a-keystone-token").get(
        "/v2.1/servers"))

    # A real token, revoked in Keystone before minova ever saw it.
    status, body, headers = keystone.request("POST", "/v3/auth/tokens", {"auth": {
        "identity": {"methods": ["token"], "token": {"id": keystone.token("bob")}}}})
    assert status == 201, (status, body)
    revoked = headers["x-subject-token"]
    status, _, _ = keystone.request("DELETE", "/v3/auth/tokens", headers={
        "X-Auth-Token": keystone.token("admin"), "X-Subject-Token": revoked})
    assert status == 204
    _assert_rejected(keystone, deployment.api.as_user(revoked).get("/v2.1/servers"))


def test_a_project_sees_only_its_servers(keystone, deployment):
    alice = deployment.api.as_user(keystone.token("alice"))
    bob = deployment.api.as_user(keystone.token("bob"))
    admin = deployment.api

    server_id = alice.create_server("alice-vm")
    server = alice.wait_for_status(server_id)
    assert server["status"] == "ACTIVE"
    assert server["tenant_id"] == keystone.project_ids["demo"]
    assert server["user_id"] == keystone.user_ids["alice"]
    status, body, _ = alice.get("/v2.1/servers")
    assert status == 200 and [s["id"] for s in body["servers"]] == [server_id]

    # The context crossed the bus to the conductor with alice's Keystone ids.
    [row] = deployment.query("SELECT project_id, user_id FROM instances WHERE uuid = :uuid",
                             uuid=server_id)
    assert tuple(row) == (keystone.project_ids["demo"], keystone.user_ids["alice"])

    status, body, _ = bob.get("/v2.1/servers")
    assert status == 200 and body["servers"] == []
    assert bob.get(f"/v2.1/servers/{server_id}")[0] == 404
    assert bob.delete(f"/v2.1/servers/{server_id}")[0] == 404

    status, body, _ = admin.get("/v2.1/servers?all_tenants=1")
    assert status == 200 and server_id in {s["id"] for s in body["servers"]}

    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 204
    alice.wait_for_gone(server_id)


def test_only_keystone_admins_reach_admin_apis(keystone, deployment):
    bob = deployment.api.as_user(keystone.token("bob"))
    status, body, _ = bob.get("/v2.1/os-hypervisors")
    assert status == 403 and body["forbidden"]["code"] == 403
    # Identity headers a client sends are dropped: only Keystone's answer counts.
    status, _, _ = bob.get("/v2.1/os-hypervisors", headers={
        "X-Roles": "admin", "X-Project-Id": keystone.project_ids["admin"]})
    assert status == 403
    status, body, _ = deployment.api.get("/v2.1/os-hypervisors")
    assert status == 200 and [h["hypervisor_hostname"] for h in body["hypervisors"]] == [
        "compute1"]


def test_a_compute_downloads_an_image_with_the_users_token(keystone, deployment, tmp_path):
    alice = deployment.api.as_user(keystone.token("alice"))
    status, image, _ = alice.post("/image/v2/images", {
        "name": "alice-disk", "disk_format": "raw", "container_format": "bare"})
    assert status == 201 and image["owner"] == keystone.project_ids["demo"]
    status, _, _ = alice.request("PUT", f"/image/v2/images/{image['id']}/file", raw=b"disk" * 64,
                                 headers={"Content-Type": "application/octet-stream"})
    assert status == 204
    shown = alice.get(f"/image/v2/images/{image['id']}")[1]

    # What minova-compute does with the context that came over the bus.
    client = image_api.API(api_servers=[f"http://127.0.0.1:{deployment.port}/image"],
                           num_retries=0)
    ctxt = minova_context.RequestContext(
        user_id=keystone.user_ids["alice"], project_id=keystone.project_ids["demo"],
        auth_token=keystone.token("alice"))
    client.download(ctxt, shown, str(tmp_path / "disk"))
    assert (tmp_path / "disk").read_bytes() == b"disk" * 64

    # Without a Keystone token (noauth2's user:project) the api refuses it.
    ctxt.auth_token = None
    with pytest.raises(exception.ImageDownloadFailed, match="HTTP 401"):
        client.download(ctxt, shown, str(tmp_path / "refused"))
