"""Keypairs and private flavors end to end, through HTTP on separate processes.

One fake compute on MariaDB. A keypair is its user's (another user of the
same project does not see it either); a server boots with its user's
key_name only. A private flavor is listed, shown and booted only by the
projects it is shared with (and admins).
"""

import pytest

from tests.functional.deployment import Deployment
from tests.unit.test_crypto import FINGERPRINT, PUBLIC_KEY

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
ALICE = "alice:demo"
CAROL = "carol:demo"  # another user of alice's project
BOB = "bob:other"
V2_2 = {"OpenStack-API-Version": "compute 2.2"}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("keypairs"), backend="mysql",
                            computes=("compute1",))
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        deployment.cleanup()


def _boot(api, name: str, flavor: str = "1", key_name: str | None = None):
    server = {"name": name, "flavorRef": flavor, "imageRef": IMAGE}
    if key_name is not None:
        server["key_name"] = key_name
    return api.post("/v2.1/servers", {"server": server})


def test_keypairs_generate_import_list_delete_per_user(deployment):
    alice, carol = deployment.api.as_user(ALICE), deployment.api.as_user(CAROL)
    status, body, _ = alice.post("/v2.1/os-keypairs", {"keypair": {"name": "gen"}},
                                 headers=V2_2)
    assert status == 201, body
    generated = body["keypair"]
    assert generated["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert generated["type"] == "ssh" and generated["user_id"] == "alice"
    status, body, _ = alice.post("/v2.1/os-keypairs", {
        "keypair": {"name": "imported", "public_key": PUBLIC_KEY}}, headers=V2_2)
    assert status == 201 and body["keypair"]["fingerprint"] == FINGERPRINT
    status, body, _ = alice.post("/v2.1/os-keypairs", {
        "keypair": {"name": "bad", "public_key": "ssh-rsa nope"}})
    assert status == 400
    assert body["badRequest"]["message"] == (
        "Keypair data is invalid: failed to generate fingerprint")

    status, body, _ = alice.get("/v2.1/os-keypairs")
    assert status == 200
    assert [k["keypair"]["name"] for k in body["keypairs"]] == ["gen", "imported"]
    stored = deployment.query(
        "SELECT name, fingerprint FROM key_pairs WHERE user_id = 'alice' ORDER BY name")
    assert [tuple(r) for r in stored] == [("gen", generated["fingerprint"]),
                                          ("imported", FINGERPRINT)]

    # carol, of the same project, sees none of them
    assert carol.get("/v2.1/os-keypairs")[1] == {"keypairs": []}
    status, body, _ = carol.get("/v2.1/os-keypairs/gen")
    assert status == 404 and body["itemNotFound"]["message"] == (
        "Keypair gen not found for user carol")
    assert carol.delete("/v2.1/os-keypairs/gen")[0] == 404

    assert alice.delete("/v2.1/os-keypairs/gen", headers=V2_2)[0] == 204
    assert alice.get("/v2.1/os-keypairs/gen")[0] == 404
    assert [r[0] for r in deployment.query(
        "SELECT name FROM key_pairs WHERE user_id = 'alice'")] == ["imported"]


def test_boot_with_key_name(deployment):
    alice, carol = deployment.api.as_user(ALICE), deployment.api.as_user(CAROL)
    status, body, _ = alice.post("/v2.1/os-keypairs", {
        "keypair": {"name": "bootkey", "public_key": PUBLIC_KEY}})
    assert status == 200, body
    status, body, _ = _boot(alice, "keyed", key_name="bootkey")
    assert status == 202, body
    server_id = body["server"]["id"]
    assert deployment.api.wait_for_status(server_id, timeout=120)["status"] == "ACTIVE"
    assert alice.get(f"/v2.1/servers/{server_id}")[1]["server"]["key_name"] == "bootkey"

    before = deployment.table_counts()["instances"]
    for api, key_name in ((alice, "nope"), (carol, "bootkey")):
        status, body, _ = _boot(api, "unkeyed", key_name=key_name)
        assert status == 400
        assert body == {"badRequest": {"code": 400, "message": "Invalid key_name provided."}}
    assert deployment.table_counts()["instances"] == before

    deployment.api.delete(f"/v2.1/servers/{server_id}")
    deployment.api.wait_for_gone(server_id)


def test_private_flavor_shared_with_one_project(deployment):
    admin = deployment.api
    alice, bob = admin.as_user(ALICE), admin.as_user(BOB)
    status, body, _ = admin.post("/v2.1/flavors", {"flavor": {
        "name": "private.tiny", "id": "private-1", "ram": 256, "vcpus": 1, "disk": 1,
        "os-flavor-access:is_public": False}})
    assert status == 200, body
    assert body["flavor"]["os-flavor-access:is_public"] is False

    status, body, _ = admin.post("/v2.1/flavors/private-1/action",
                                 {"addTenantAccess": {"tenant": "demo"}})
    assert status == 200
    assert body == {"flavor_access": [{"flavor_id": "private-1", "tenant_id": "demo"}]}
    assert admin.post("/v2.1/flavors/private-1/action",
                      {"addTenantAccess": {"tenant": "demo"}})[0] == 409
    status, body, _ = admin.get("/v2.1/flavors/private-1/os-flavor-access")
    assert status == 200 and [a["tenant_id"] for a in body["flavor_access"]] == ["demo"]
    assert alice.get("/v2.1/flavors/private-1/os-flavor-access")[0] == 403

    # the project it is shared with lists, shows and boots it
    assert "private-1" in [f["id"] for f in alice.get("/v2.1/flavors")[1]["flavors"]]
    assert alice.get("/v2.1/flavors/private-1")[0] == 200
    status, body, _ = _boot(alice, "private", flavor="private-1")
    assert status == 202, body
    server_id = body["server"]["id"]
    assert admin.wait_for_status(server_id, timeout=120)["status"] == "ACTIVE"

    # another project neither sees nor boots it
    assert "private-1" not in [f["id"] for f in bob.get("/v2.1/flavors")[1]["flavors"]]
    assert bob.get("/v2.1/flavors/private-1")[0] == 404
    status, body, _ = _boot(bob, "nope", flavor="private-1")
    assert status == 400, body
    assert body["badRequest"]["code"] == 400

    # access removed: the project loses it too
    status, body, _ = admin.post("/v2.1/flavors/private-1/action",
                                 {"removeTenantAccess": {"tenant": "demo"}})
    assert status == 200 and body == {"flavor_access": []}
    assert alice.get("/v2.1/flavors/private-1")[0] == 404
    assert _boot(alice, "again", flavor="private-1")[0] == 400

    admin.delete(f"/v2.1/servers/{server_id}")
    admin.wait_for_gone(server_id)
    assert admin.delete("/v2.1/flavors/private-1")[0] == 202
