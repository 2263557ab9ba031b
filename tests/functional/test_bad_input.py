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


def test_deeply_nested_json_is_400(shared_mysql):
    """5,000 nested objects were a RecursionError in the parser: a 500."""
    before = shared_mysql.table_counts()
    raw = b'{"server": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001
    status, reply, _ = shared_mysql.api.request(
        "POST", "/v2.1/servers", raw=raw, headers={"Content-Type": "application/json"})
    assert status == 400, reply
    assert reply == {"badRequest": {"code": 400, "message": "Malformed request body"}}
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


def test_pathological_name_regex_answers_in_bounded_time(shared_mysql):
    """``^(a+)+$`` made MariaDB backtrack for seconds per request on names of
    many a's: a plain member's denial of service. Now it answers correctly
    within the bound, and other requests served meanwhile are not slowed."""
    import concurrent.futures
    import time

    member = shared_mysql.api.as_user("mallory:projRegex")
    long_a = "a" * 60
    ids = {member.create_server(name): name for name in (long_a, long_a + "b", "vm-1")}
    path = "/v2.1/servers?name=%5E%28a%2B%29%2B%24"  # ^(a+)+$

    def timed(path):
        start = time.monotonic()
        status, body, _ = member.get(path)
        return status, body, time.monotonic() - start

    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        pathological = [pool.submit(timed, path) for _ in range(4)]
        ordinary = pool.submit(timed, "/v2.1/servers?name=%5Evm-")
        results = [f.result() for f in pathological]
        ordinary_status, ordinary_body, ordinary_took = ordinary.result()
    for status, body, took in results:
        assert status == 200, body
        assert [s["name"] for s in body["servers"]] == [long_a]
        assert took < 2.0, took
    assert ordinary_status == 200 and ordinary_took < 2.0, ordinary_took
    assert [s["name"] for s in ordinary_body["servers"]] == ["vm-1"]
    assert set(ids.values()) == {long_a, long_a + "b", "vm-1"}


def test_name_regex_without_a_bounded_match_is_400(shared_mysql):
    status, reply, _ = shared_mysql.api.as_user("mallory:projRegex").get(
        "/v2.1/servers?name=%28a%29%5C1")  # (a)\1: a backreference
    assert status == 400, reply
    assert "bounded time" in reply["badRequest"]["message"]
