"""``POST /flavors`` and ``DELETE /flavors/{id}`` (admin only)."""

import uuid

import pytest

from .. import fakes

BASE = "/v2.1/flavors"


def _flavor(**overrides) -> dict:
    flavor = {"name": "m1.large", "ram": 8192, "vcpus": 4, "disk": 80, "id": "10"}
    flavor.update(overrides)
    return {"flavor": flavor}


def test_create(client):
    resp = client.post(BASE, _flavor(**{"OS-FLV-EXT-DATA:ephemeral": 5, "swap": 1024,
                                        "rxtx_factor": "2.5",
                                        "os-flavor-access:is_public": "false"}),
                       token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    flavor = resp.json["flavor"]
    assert flavor == {
        "id": "10", "name": "m1.large", "ram": 8192, "vcpus": 4, "disk": 80,
        "swap": 1024, "OS-FLV-EXT-DATA:ephemeral": 5, "OS-FLV-DISABLED:disabled": False,
        "os-flavor-access:is_public": False, "rxtx_factor": 2.5,
        "links": [{"rel": "self", "href": "http://localhost/v2.1/flavors/10"},
                  {"rel": "bookmark", "href": "http://localhost/flavors/10"}],
    }
    _name, call = client.flavor_api.mutating_calls()[0]
    assert call["values"] == {
        "flavorid": "10", "name": "m1.large", "memory_mb": 8192, "vcpus": 4, "root_gb": 80,
        "ephemeral_gb": 5, "swap": 1024, "rxtx_factor": 2.5, "is_public": False,
        "description": None,
    }


def test_create_generates_an_id(client):
    body = _flavor()
    del body["flavor"]["id"]
    resp = client.post(BASE, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert uuid.UUID(resp.json["flavor"]["id"])


def test_create_numeric_id_and_strings(client):
    resp = client.post(BASE, _flavor(id=11, ram="1024", vcpus="2", disk="0"),
                       token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json["flavor"]["id"] == "11"
    assert resp.json["flavor"]["ram"] == 1024


def test_create_forbidden_for_members(client):
    resp = client.post(BASE, _flavor())
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.")
    assert client.flavor_api.mutating_calls() == []


@pytest.mark.parametrize("key,value", [("id", "1"), ("name", "m1.tiny")])
def test_create_duplicate_is_conflict(client, key, value):
    resp = client.post(BASE, _flavor(**{key: value}), token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 409
    assert resp.json["conflictingRequest"]["message"] == (
        f"Flavor with {'flavorid' if key == 'id' else key} {value} already exists.")


@pytest.mark.parametrize("body", [
    {},
    {"flavor": {"name": "x", "ram": 1, "vcpus": 1}},
    _flavor(ram=0),
    _flavor(vcpus="many"),
    _flavor(disk=-1),
    _flavor(ram=2 ** 31),
    _flavor(name=" padded"),
    _flavor(id=" padded"),
    _flavor(id="bad/id"),
    _flavor(rxtx_factor=0),
    _flavor(swap=-5),
    _flavor(**{"os-flavor-access:is_public": "sometimes"}),
    _flavor(extra=1),
])
def test_create_validation(client, body):
    resp = client.post(BASE, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400, resp.text
    assert client.flavor_api.mutating_calls() == []


def test_delete(client):
    resp = client.delete(BASE + "/2", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 202
    assert resp.body == b""
    assert client.flavor_api.mutating_calls() == [("delete", {"flavorid": "2"})]


def test_delete_unknown(client):
    resp = client.delete(BASE + "/99", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Flavor 99 could not be found."


def test_delete_forbidden_for_members(client):
    resp = client.delete(BASE + "/2")
    assert resp.status_int == 403
    assert client.flavor_api.mutating_calls() == []


# --- 2.55: a description at create, and PUT /flavors/{id} to change it


def test_v255_description_at_create(client, latest):
    resp = client.post(BASE, _flavor(description="big"), token=fakes.ADMIN_TOKEN,
                       headers=fakes.microversion("2.54"))
    assert resp.status_int == 400
    resp = client.post(BASE, _flavor(description="big"), token=fakes.ADMIN_TOKEN,
                       headers=fakes.microversion("2.55"))
    assert resp.status_int == 200
    assert resp.json["flavor"]["description"] == "big"
    assert client.flavor_api.mutating_calls()[0][1]["values"]["description"] == "big"


def test_v255_update_description(client, latest):
    path = BASE + "/1"
    resp = client.request("PUT", path, body={"flavor": {"description": "tiny"}},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.54"))
    assert resp.status_int == 404
    resp = client.request("PUT", path, body={"flavor": {"description": "tiny"}},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.55"))
    assert resp.status_int == 200
    assert resp.json["flavor"]["description"] == "tiny"
    assert client.flavor_api.mutating_calls() == [
        ("update", {"flavorid": "1", "values": {"description": "tiny"}})]
    resp = client.request("PUT", path, body={"flavor": {"description": None}},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.55"))
    assert resp.status_int == 200 and resp.json["flavor"]["description"] is None


@pytest.mark.parametrize("body", [{"flavor": {"name": "x"}}, {"flavor": {}},
                                  {"flavor": {"description": "x" * 65536}},
                                  {"flavor": {"description": "a\u0001b"}}])
def test_v255_update_takes_only_a_description(client, latest, body):
    resp = client.request("PUT", BASE + "/1", body=body, token=fakes.ADMIN_TOKEN,
                          headers=fakes.microversion("2.55"))
    assert resp.status_int == 400
    assert not client.flavor_api.mutating_calls()


def test_v255_update_is_for_admins(client, latest):
    resp = client.request("PUT", BASE + "/1", body={"flavor": {"description": "x"}},
                          headers=fakes.microversion("2.55"))
    assert resp.status_int == 403
    assert not client.flavor_api.mutating_calls()


def test_v255_update_unknown_flavor(client, latest):
    resp = client.request("PUT", BASE + "/nope", body={"flavor": {"description": "x"}},
                          token=fakes.ADMIN_TOKEN, headers=fakes.microversion("2.55"))
    assert resp.status_int == 404
