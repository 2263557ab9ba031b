"""``/os-aggregates`` (admin only), over the real conductor endpoint on SQLite.

The real aggregate facade runs over an EndpointConductor, which calls
minova.conductor.aggregates directly (no bus), so the errors and shapes
are the real ones.
"""

import pytest
from oslo_utils import uuidutils

from minova.conductor import aggregates
from tests.unit.db.helpers import make_node

from .. import fakes

BASE = "/v2.1/os-aggregates"


@pytest.fixture
def client(sqlite_db):
    make_node("compute1")
    make_node("compute2")
    conductor = fakes.EndpointConductor(aggregates.AggregateManager("test"), "aggregate_")
    return fakes.Client(conductor_api=conductor)


def _create(client, name="agg1", az=None) -> dict:
    body = {"aggregate": {"name": name}}
    if az is not None:
        body["aggregate"]["availability_zone"] = az
    resp = client.post(BASE, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200, resp.json
    return resp.json["aggregate"]


def _action(client, agg_id, body, token=fakes.ADMIN_TOKEN):
    return client.post(f"{BASE}/{agg_id}/action", body, token=token)


def _state(client) -> list:
    return client.get(BASE, token=fakes.ADMIN_TOKEN).json["aggregates"]


def test_create_answers_without_hosts_and_metadata(client):
    agg = _create(client, az="az1")
    assert set(agg) == {"id", "name", "availability_zone", "created_at", "updated_at",
                        "deleted", "deleted_at"}
    assert agg["name"] == "agg1" and agg["availability_zone"] == "az1"
    assert agg["deleted"] is False and agg["deleted_at"] is None
    shown = client.get(f"{BASE}/{agg['id']}", token=fakes.ADMIN_TOKEN).json["aggregate"]
    assert shown["hosts"] == [] and shown["metadata"] == {"availability_zone": "az1"}


def test_duplicate_name_is_409(client):
    _create(client)
    resp = client.post(BASE, {"aggregate": {"name": "agg1"}}, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 409
    assert resp.json["conflictingRequest"]["message"] == "Aggregate agg1 already exists."
    assert len(_state(client)) == 1


@pytest.mark.parametrize("body", [
    {"aggregate": {}},
    {"aggregate": {"name": ""}},
    {"aggregate": {"name": "x" * 256}},
    {"aggregate": {"name": "a", "availability_zone": "a:b"}},
    {"aggregate": {"name": "a", "availability_zone": ""}},
    {"aggregate": {"name": "a", "extra": 1}},
    {"name": "a"},
])
def test_create_bad_bodies_are_400_and_change_nothing(client, body):
    resp = client.post(BASE, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert "badRequest" in resp.json
    assert _state(client) == []


@pytest.mark.parametrize("method,path,body", [
    ("GET", BASE, None),
    ("POST", BASE, {"aggregate": {"name": "a"}}),
    ("GET", BASE + "/1", None),
    ("PUT", BASE + "/1", {"aggregate": {"name": "b"}}),
    ("DELETE", BASE + "/1", None),
    ("POST", BASE + "/1/action", {"add_host": {"host": "compute1"}}),
    ("POST", BASE + "/1/action", {"remove_host": {"host": "compute1"}}),
    ("POST", BASE + "/1/action", {"set_metadata": {"metadata": {"a": "b"}}}),
])
def test_non_admin_is_403_and_changes_nothing(client, method, path, body):
    _create(client)
    before = _state(client)
    resp = client.request(method, path, body=body, token=fakes.USER_TOKEN)
    assert resp.status_int == 403
    assert "forbidden" in resp.json
    assert _state(client) == before


def test_add_and_remove_host(client):
    agg = _create(client, az="az1")
    resp = _action(client, agg["id"], {"add_host": {"host": "compute2"}})
    assert resp.status_int == 200
    assert resp.json["aggregate"]["hosts"] == ["compute2"]
    resp = _action(client, agg["id"], {"add_host": {"host": "compute2"}})
    assert resp.status_int == 409
    assert resp.json["conflictingRequest"]["message"] == (
        f"Aggregate {agg['id']} already has host compute2.")
    resp = _action(client, agg["id"], {"add_host": {"host": "ghost"}})
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Compute host ghost could not be found."
    resp = _action(client, agg["id"], {"remove_host": {"host": "compute2"}})
    assert resp.status_int == 200 and resp.json["aggregate"]["hosts"] == []
    resp = _action(client, agg["id"], {"remove_host": {"host": "compute2"}})
    assert resp.status_int == 404


def test_add_host_into_a_conflicting_zone_is_409(client):
    a1 = _create(client, "a1", az="az1")
    a2 = _create(client, "a2", az="az2")
    assert _action(client, a1["id"], {"add_host": {"host": "compute1"}}).status_int == 200
    resp = _action(client, a2["id"], {"add_host": {"host": "compute1"}})
    assert resp.status_int == 409
    assert "already in availability zone(s) ['az1']" in resp.json["conflictingRequest"][
        "message"]
    assert client.get(f"{BASE}/{a2['id']}", token=fakes.ADMIN_TOKEN).json[
        "aggregate"]["hosts"] == []


def test_set_metadata_null_deletes_and_zone_conflict_is_400(client):
    a1 = _create(client, "a1", az="az1")
    a2 = _create(client, "a2")
    _action(client, a1["id"], {"add_host": {"host": "compute1"}})
    _action(client, a2["id"], {"add_host": {"host": "compute1"}})
    resp = _action(client, a2["id"], {"set_metadata": {"metadata": {"ssd": "true",
                                                                     "gpu": "1"}}})
    assert resp.status_int == 200
    assert resp.json["aggregate"]["metadata"] == {"ssd": "true", "gpu": "1"}
    resp = _action(client, a2["id"], {"set_metadata": {"metadata": {"ssd": None}}})
    assert resp.json["aggregate"]["metadata"] == {"gpu": "1"}
    resp = _action(client, a2["id"], {"set_metadata": {"metadata": {
        "availability_zone": "az9"}}})
    assert resp.status_int == 400
    assert "already in availability zone(s)" in resp.json["badRequest"]["message"]
    shown = client.get(f"{BASE}/{a2['id']}", token=fakes.ADMIN_TOKEN).json["aggregate"]
    assert shown["metadata"] == {"gpu": "1"} and shown["availability_zone"] is None


@pytest.mark.parametrize("body", [
    {"add_host": {}},
    {"add_host": {"host": ""}},
    {"add_host": {"host": "compute1", "x": 1}},
    {"remove_host": {"host": 5}},
    {"set_metadata": {}},
    {"set_metadata": {"metadata": {"k": 1}}},
    {"set_metadata": {"metadata": {"k": "v" * 256}}},
    {"set_metadata": {"metadata": {"": "v"}}},
    {"no_such_action": {}},
    {},
])
def test_bad_action_bodies_are_400_and_change_nothing(client, body):
    agg = _create(client)
    before = _state(client)
    resp = _action(client, agg["id"], body)
    assert resp.status_int == 400
    assert "badRequest" in resp.json
    assert _state(client) == before


def test_update(client):
    agg = _create(client, az="az1")
    _create(client, "other")
    resp = client.request("PUT", f"{BASE}/{agg['id']}",
                          body={"aggregate": {"name": "renamed", "availability_zone": "az2"}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    shown = resp.json["aggregate"]
    assert shown["name"] == "renamed" and shown["availability_zone"] == "az2"
    assert shown["metadata"] == {"availability_zone": "az2"}
    resp = client.request("PUT", f"{BASE}/{agg['id']}", body={"aggregate": {"name": "other"}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 409
    resp = client.request("PUT", f"{BASE}/{agg['id']}", body={"aggregate": {}},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400


def test_delete_refuses_non_empty_then_deletes(client):
    agg = _create(client)
    _action(client, agg["id"], {"add_host": {"host": "compute1"}})
    resp = client.delete(f"{BASE}/{agg['id']}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert "Host aggregate is not empty" in resp.json["badRequest"]["message"]
    _action(client, agg["id"], {"remove_host": {"host": "compute1"}})
    resp = client.delete(f"{BASE}/{agg['id']}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.body == b""
    assert _state(client) == []
    resp = client.delete(f"{BASE}/{agg['id']}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        f"Aggregate {agg['id']} could not be found.")


def test_non_integer_id_is_400_and_unknown_is_404(client):
    resp = client.get(BASE + "/abc", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    resp = client.get(BASE + "/999", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404


# --- 2.41: the aggregate's uuid


def test_v241_uuid(client, latest):
    before, after = fakes.microversion("2.40"), fakes.microversion("2.41")
    created = client.post(BASE, {"aggregate": {"name": "agg1"}}, token=fakes.ADMIN_TOKEN,
                          headers=after).json["aggregate"]
    agg_uuid = created["uuid"]
    assert uuidutils.is_uuid_like(agg_uuid)
    agg_id = created["id"]
    shown = client.get(f"{BASE}/{agg_id}", token=fakes.ADMIN_TOKEN, headers=after)
    assert shown.json["aggregate"]["uuid"] == agg_uuid
    listed = client.get(BASE, token=fakes.ADMIN_TOKEN, headers=after).json["aggregates"]
    assert [a["uuid"] for a in listed] == [agg_uuid]
    resp = _action(client, agg_id, {"add_host": {"host": "compute1"}})
    assert "uuid" not in resp.json["aggregate"]
    resp = client.post(f"{BASE}/{agg_id}/action", {"remove_host": {"host": "compute1"}},
                       token=fakes.ADMIN_TOKEN, headers=after)
    assert resp.json["aggregate"]["uuid"] == agg_uuid
    for path in (BASE, f"{BASE}/{agg_id}"):
        body = client.get(path, token=fakes.ADMIN_TOKEN, headers=before).json
        assert "uuid" not in (body.get("aggregate") or body["aggregates"][0])


# --- 2.81: POST /os-aggregates/{id}/images


class RecordingComputeRPC:
    def __init__(self) -> None:
        self.casts: list[tuple[str, list[str]]] = []

    def cache_images(self, ctxt, host, images):
        self.casts.append((host, [image["id"] for image in images]))


@pytest.fixture
def caching(client, latest):
    from minova.db import flavors
    from minova.db import services as db_services

    flavors.bootstrap()  # the stand-in image, active and public
    compute = RecordingComputeRPC()
    client.conductor_api.manager._compute_api = compute
    agg = _create(client)
    for host in ("compute1", "compute2"):
        assert _action(client, agg["id"], {"add_host": {"host": host}}).status_int == 200
    db_services.service_update({"forced_down": True}, host="compute2",
                               binary="minova-compute")
    return client, agg["id"], compute


def _cache(client, agg_id, images, version="2.81", token=fakes.ADMIN_TOKEN):
    return client.post(f"{BASE}/{agg_id}/images", {"cache": [{"id": i} for i in images]},
                       token=token, headers=fakes.microversion(version))


STANDIN = "70a599e0-31e7-49b7-b260-868f441e862b"


def test_v281_cache_images_on_the_up_hosts(caching):
    client, agg_id, compute = caching
    assert _cache(client, agg_id, [STANDIN], version="2.80").status_int == 404
    resp = _cache(client, agg_id, [STANDIN])
    assert resp.status_int == 202 and resp.body == b""
    assert compute.casts == [("compute1", [STANDIN])]  # compute2 is forced down


@pytest.mark.parametrize("images, status", [
    ([STANDIN, STANDIN], 400),                       # duplicates
    (["not-a-uuid"], 400),
    ([], 400),
    (["6b0d0c6a-9f57-4d6e-8c53-0d1b1f5c1a11"], 400),  # no such image
])
def test_v281_bad_requests_cache_nothing(caching, images, status):
    client, agg_id, compute = caching
    assert _cache(client, agg_id, images).status_int == status
    assert compute.casts == []


def test_v281_unknown_aggregate_and_members(caching):
    client, agg_id, compute = caching
    assert _cache(client, 9999, [STANDIN]).status_int == 404
    assert _cache(client, agg_id, [STANDIN], token=fakes.USER_TOKEN).status_int == 403
    assert compute.casts == []
