"""``/servers/{id}/metadata``: Nova's shapes, codes and errors; rejected requests change nothing."""

import uuid

import pytest

from minova import exception

from .. import fakes

SERVER = str(uuid.UUID(int=1))
OTHERS = str(uuid.UUID(int=3))
BASE = f"/v2.1/servers/{SERVER}/metadata"


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1, metadata={"role": "web", "tier": "front"}),
        fakes.make_instance(2, vm_state="building", task_state="scheduling"),
        fakes.make_instance(3, project_id=fakes.OTHER_PROJECT),
    ]))


def _metadata(client, index=1) -> dict:
    return client.compute_api.instances[str(uuid.UUID(int=index))]["metadata"]


def _put(client, path, body, **kwargs):
    return client.request("PUT", path, body=body, **kwargs)


def test_index_and_show(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert resp.json == {"metadata": {"role": "web", "tier": "front"}}
    resp = client.get(BASE + "/role")
    assert resp.status_int == 200 and resp.json == {"meta": {"role": "web"}}


def test_show_missing_key_is_404(client):
    resp = client.get(BASE + "/nope")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404,
                                          "message": "Metadata item was not found"}}


def test_create_merges(client):
    resp = client.post(BASE, {"metadata": {"role": "db", "zone": "b"}})
    assert resp.status_int == 200
    assert resp.json == {"metadata": {"role": "db", "tier": "front", "zone": "b"}}
    assert _metadata(client) == {"role": "db", "tier": "front", "zone": "b"}


def test_update_all_replaces(client):
    resp = _put(client, BASE, {"metadata": {"only": "this"}})
    assert resp.status_int == 200 and resp.json == {"metadata": {"only": "this"}}
    assert _metadata(client) == {"only": "this"}
    resp = _put(client, BASE, {"metadata": {}})
    assert resp.status_int == 200 and resp.json == {"metadata": {}}
    assert _metadata(client) == {}


def test_update_one_item(client):
    resp = _put(client, BASE + "/zone", {"meta": {"zone": "a"}})
    assert resp.status_int == 200 and resp.json == {"meta": {"zone": "a"}}
    assert _metadata(client) == {"role": "web", "tier": "front", "zone": "a"}


def test_update_one_item_must_match_the_url(client):
    resp = _put(client, BASE + "/zone", {"meta": {"other": "a"}})
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400,
                                        "message": "Request body and URI mismatch"}}
    assert client.compute_api.mutating_calls() == []


def test_delete_one_item(client):
    resp = client.delete(BASE + "/role")
    assert resp.status_int == 204 and resp.body == b""
    assert _metadata(client) == {"tier": "front"}


def test_delete_missing_item_is_404(client):
    resp = client.delete(BASE + "/nope")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Metadata item was not found"
    assert _metadata(client) == {"role": "web", "tier": "front"}


def test_keys_with_dots_colons_and_spaces_route(client):
    assert _put(client, BASE + "/a.b:c%20d", {"meta": {"a.b:c d": "v"}}).status_int == 200
    assert client.get(BASE + "/a.b:c%20d").json == {"meta": {"a.b:c d": "v"}}
    assert client.delete(BASE + "/a.b:c%20d").status_int == 204


@pytest.mark.parametrize("method, path, body", [
    ("POST", "", {}),
    ("POST", "", {"metadata": "x"}),
    ("POST", "", {"metadata": {"k": 1}}),
    ("POST", "", {"metadata": {"k": None}}),
    ("POST", "", {"metadata": {"": "v"}}),
    ("POST", "", {"metadata": {"k" * 256: "v"}}),
    ("POST", "", {"metadata": {"k": "v" * 256}}),
    ("POST", "", {"metadata": {"bad/key": "v"}}),
    ("POST", "", {"metadata": {"k": "v"}, "extra": 1}),
    ("PUT", "", None),
    ("PUT", "", {"meta": {"k": "v"}}),
    ("PUT", "/k", {"meta": {}}),
    ("PUT", "/k", {"meta": {"k": "v", "j": "w"}}),
    ("PUT", "/k", {"metadata": {"k": "v"}}),
    ("PUT", "/k", {"meta": {"k": "v" * 256}}),
])
def test_bad_bodies_are_400_and_change_nothing(client, method, path, body):
    resp = client.request(method, BASE + path, body=body)
    assert resp.status_int == 400, resp.json
    assert resp.json["badRequest"]["code"] == 400
    assert client.compute_api.mutating_calls() == []
    assert _metadata(client) == {"role": "web", "tier": "front"}


def test_limits_are_inclusive(client):
    key, value = "k" * 255, "v" * 255
    assert client.post(BASE, {"metadata": {key: value}}).status_int == 200
    assert _metadata(client)[key] == value


def test_more_than_128_items_is_403(client):
    resp = _put(client, BASE, {"metadata": {f"k{i}": "v" for i in range(129)}})
    assert resp.status_int == 403
    assert resp.json == {"forbidden": {
        "code": 403, "message": "Maximum number of metadata items exceeds 128"}}
    assert _metadata(client) == {"role": "web", "tier": "front"}


@pytest.mark.parametrize("method, path, body", [
    ("POST", "", {"metadata": {"k": "v"}}),
    ("PUT", "", {"metadata": {"k": "v"}}),
    ("PUT", "/k", {"meta": {"k": "v"}}),
])
def test_writes_to_a_building_server_are_409(client, method, path, body):
    building = str(uuid.UUID(int=2))
    resp = client.request(method, f"/v2.1/servers/{building}/metadata{path}", body=body)
    assert resp.status_int == 409
    assert resp.json == {"conflictingRequest": {"code": 409, "message": (
        f"Cannot 'update metadata' instance {building} while it is in vm_state building")}}
    assert _metadata(client, 2) == {"role": "web"}


def test_delete_on_a_building_server_is_409(client):
    building = str(uuid.UUID(int=2))
    resp = client.delete(f"/v2.1/servers/{building}/metadata/role")
    assert resp.status_int == 409
    assert resp.json["conflictingRequest"]["message"] == (
        f"Cannot 'delete metadata' instance {building} while it is in vm_state building")
    assert _metadata(client, 2) == {"role": "web"}


@pytest.mark.parametrize("method, path, body", [
    ("GET", "", None),
    ("GET", "/role", None),
    ("POST", "", {"metadata": {"k": "v"}}),
    ("PUT", "", {"metadata": {"k": "v"}}),
    ("PUT", "/role", {"meta": {"role": "x"}}),
    ("DELETE", "/role", None),
])
def test_another_projects_server_is_404_and_unchanged(client, method, path, body):
    resp = client.request(method, f"/v2.1/servers/{OTHERS}/metadata{path}", body=body)
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": f"Instance {OTHERS} could not be found."}}
    assert client.compute_api.mutating_calls() == []
    assert _metadata(client, 3) == {"role": "web"}


def test_admin_reaches_another_projects_server(client):
    resp = client.get(f"/v2.1/servers/{OTHERS}/metadata", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200 and resp.json == {"metadata": {"role": "web"}}


def test_malformed_and_unknown_server_ids_are_404(client):
    assert client.get("/v2.1/servers/not-a-uuid/metadata").status_int == 404
    unknown = str(uuid.UUID(int=99))
    resp = client.post(f"/v2.1/servers/{unknown}/metadata", {"metadata": {"k": "v"}})
    assert resp.status_int == 404
    assert client.compute_api.mutating_calls() == []


def test_policy_refusal_is_403_and_changes_nothing(client, clean_conf, tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:server-metadata:update_all": "!"\n')
    clean_conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    resp = _put(client, BASE, {"metadata": {"k": "v"}})
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:server-metadata:update_all to be performed.")
    assert client.compute_api.mutating_calls() == []


def test_a_server_deleted_meanwhile_is_404(client):
    client.compute_api.fail_with["update_instance_metadata"] = exception.InstanceNotFound(
        instance_id=SERVER)
    resp = client.post(BASE, {"metadata": {"k": "v"}})
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == f"Instance {SERVER} could not be found."
