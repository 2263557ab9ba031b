"""Bad requests get Nova's 4xx error bodies, never a 500, and change nothing."""

import pytest

VALID_IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _server(**fields):
    body = {"name": "ok", "flavorRef": "1", "imageRef": VALID_IMAGE}
    body.update(fields)
    return {"server": {k: v for k, v in body.items() if v is not None}}


BAD_CREATES = [
    ("no server key", {"name": "x"}),
    ("missing name", _server(name=None)),
    ("missing flavorRef", _server(flavorRef=None)),
    ("name too long", _server(name="x" * 256)),
    ("leading whitespace", _server(name=" x")),
    ("name wrong type", _server(name=5)),
    ("unknown flavor", _server(flavorRef="999")),
    ("bad imageRef", _server(imageRef="not-a-uuid")),
    ("unknown image", _server(imageRef="11111111-2222-3333-4444-555555555555")),
    ("unknown property", _server(color="blue")),
    ("metadata wrong type", _server(metadata={"a": 1})),
    ("min_count wrong type", _server(min_count="many")),
    ("unknown availability zone", _server(availability_zone="atlantis")),
]


@pytest.mark.parametrize("case, body", BAD_CREATES, ids=[c for c, _ in BAD_CREATES])
def test_bad_create_is_400_and_writes_nothing(shared_mysql, case, body):
    before = shared_mysql.table_counts()
    status, reply, headers = shared_mysql.api.post("/v2.1/servers", body)
    assert status == 400, (case, reply)
    assert reply["badRequest"]["code"] == 400 and reply["badRequest"]["message"]
    assert headers["x-openstack-request-id"].startswith("req-")
    assert shared_mysql.table_counts() == before


def test_malformed_json_is_400(shared_mysql):
    before = shared_mysql.table_counts()
    status, reply, _ = shared_mysql.api.request(
        "POST", "/v2.1/servers", raw=b'{"server": {', headers={"Content-Type":
                                                               "application/json"})
    assert status == 400 and "badRequest" in reply
    assert shared_mysql.table_counts() == before


def test_non_json_content_type_is_rejected(shared_mysql):
    before = shared_mysql.table_counts()
    status, reply, _ = shared_mysql.api.request(
        "POST", "/v2.1/servers", raw=b"name=x", headers={"Content-Type": "text/plain"})
    assert status in (400, 415) and ("badMediaType" in reply or "badRequest" in reply)
    assert shared_mysql.table_counts() == before


def test_unknown_url_is_404_and_wrong_method_is_405(shared_mysql):
    status, reply, _ = shared_mysql.api.get("/v2.1/no-such-thing")
    assert status == 404 and reply["itemNotFound"]["code"] == 404
    status, reply, _ = shared_mysql.api.request("PATCH", "/v2.1/flavors")
    assert status == 405 and reply["badMethod"]["code"] == 405


def test_unknown_server_is_404(shared_mysql):
    for path in ("/v2.1/servers/11111111-2222-3333-4444-555555555555", "/v2.1/servers/nope"):
        status, reply, _ = shared_mysql.api.get(path)
        assert status == 404 and "itemNotFound" in reply
        assert shared_mysql.api.delete(path)[0] == 404


def test_other_projects_server_is_invisible(shared_mysql):
    alice = shared_mysql.api.as_user("alice:projA")
    bob = shared_mysql.api.as_user("bob:projB")
    server_id = alice.create_server("alices")
    alice.wait_for_status(server_id)
    assert bob.get(f"/v2.1/servers/{server_id}")[0] == 404
    assert bob.delete(f"/v2.1/servers/{server_id}")[0] == 404
    assert bob.get(f"/v2.1/servers/{server_id}/os-instance-actions")[0] == 404
    assert server_id not in {s["id"] for s in bob.get("/v2.1/servers")[1]["servers"]}
    # Nova's default policy: all_tenants is an admin's option; others get 403.
    status, reply, _ = bob.get("/v2.1/servers?all_tenants=1")
    assert status == 403 and reply["forbidden"]["code"] == 403
    admin_view = shared_mysql.api.get("/v2.1/servers?all_tenants=1")[1]["servers"]
    assert server_id in {s["id"] for s in admin_view}
    # a member does not see the host attributes an admin sees
    assert "OS-EXT-SRV-ATTR:host" not in alice.server(server_id)
    assert shared_mysql.api.server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert alice.delete(f"/v2.1/servers/{server_id}")[0] == 204
    alice.wait_for_gone(server_id)


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/v2.1/flavors", {"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 1}}),
    ("DELETE", "/v2.1/flavors/1", None),
    ("GET", "/v2.1/os-hypervisors", None),
    ("GET", "/v2.1/os-services", None),
])
def test_admin_apis_refuse_members(shared_mysql, method, path, body):
    before = shared_mysql.table_counts()
    member = shared_mysql.api.as_user("alice:projA")
    status, reply, _ = member.request(method, path, body=body)
    assert status == 403 and reply["forbidden"]["code"] == 403
    assert shared_mysql.table_counts() == before
