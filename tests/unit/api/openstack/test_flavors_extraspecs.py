"""``/flavors/{id}/os-extra_specs``: read by projects, written by admins."""

import pytest

from .. import fakes

BASE = "/v2.1/flavors/1/os-extra_specs"


def _specs(client, flavorid="1") -> dict:
    return client.conductor_api.flavors[flavorid]["extra_specs"]


def test_create_merges_and_stringifies(client):
    resp = client.post(BASE, {"extra_specs": {"ssd": "true", "gpus": 2, "fast": True}},
                       token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"extra_specs": {"ssd": "true", "gpus": "2", "fast": "True"}}
    client.post(BASE, {"extra_specs": {"hw:cpu_policy": "dedicated"}},
                token=fakes.ADMIN_TOKEN)
    assert _specs(client) == {"ssd": "true", "gpus": "2", "fast": "True",
                              "hw:cpu_policy": "dedicated"}


def test_index_and_show_for_a_project(client):
    _specs(client)["ssd"] = "true"
    resp = client.get(BASE, token=fakes.USER_TOKEN)
    assert resp.status_int == 200 and resp.json == {"extra_specs": {"ssd": "true"}}
    resp = client.get(BASE + "/ssd", token=fakes.USER_TOKEN)
    assert resp.status_int == 200 and resp.json == {"ssd": "true"}
    resp = client.get(BASE + "/nope", token=fakes.USER_TOKEN)
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        "Flavor 1 has no extra specs with key nope.")


def test_private_flavor_is_404_for_a_project(client):
    resp = client.get("/v2.1/flavors/3/os-extra_specs", token=fakes.USER_TOKEN)
    assert resp.status_int == 404


def test_update_one_key(client):
    resp = client.request("PUT", BASE + "/ssd", body={"ssd": "false"},
                          token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json == {"ssd": "false"}
    assert _specs(client) == {"ssd": "false"}


@pytest.mark.parametrize("body", [{"other": "x"}, {"ssd": "a", "b": "c"}, {},
                                  {"ssd": "x" * 256}, {"ssd": None}])
def test_update_bad_bodies_are_400_and_change_nothing(client, body):
    resp = client.request("PUT", BASE + "/ssd", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert "badRequest" in resp.json
    assert client.conductor_api.mutating_calls() == []


@pytest.mark.parametrize("body", [{}, {"extra_specs": {"bad/key": "v"}},
                                  {"extra_specs": {"k": ["v"]}}, {"extra_specs": "x"}])
def test_create_bad_bodies_are_400(client, body):
    resp = client.post(BASE, body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400
    assert client.conductor_api.mutating_calls() == []


def test_delete(client):
    _specs(client)["ssd"] = "true"
    resp = client.delete(BASE + "/ssd", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 202
    assert _specs(client) == {}
    assert client.delete(BASE + "/ssd", token=fakes.ADMIN_TOKEN).status_int == 404


@pytest.mark.parametrize("method,path,body", [
    ("POST", BASE, {"extra_specs": {"a": "b"}}),
    ("PUT", BASE + "/a", {"a": "b"}),
    ("DELETE", BASE + "/a", None),
])
def test_writes_are_403_for_non_admins(client, method, path, body):
    resp = client.request(method, path, body=body, token=fakes.USER_TOKEN)
    assert resp.status_int == 403
    assert client.conductor_api.mutating_calls() == []


def test_unknown_flavor_is_404(client):
    assert client.get("/v2.1/flavors/99/os-extra_specs",
                      token=fakes.ADMIN_TOKEN).status_int == 404
    resp = client.post("/v2.1/flavors/99/os-extra_specs", {"extra_specs": {"a": "b"}},
                       token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404
