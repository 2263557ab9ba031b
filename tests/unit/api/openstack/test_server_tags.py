"""``/servers/{id}/tags`` (2.26): Nova's shapes, codes and errors.

Rejected requests change nothing.
"""

import uuid

import pytest

from .. import fakes

SERVER = str(uuid.UUID(int=1))
BUILDING = str(uuid.UUID(int=2))
OTHERS = str(uuid.UUID(int=3))
BASE = f"/v2.1/servers/{SERVER}/tags"
V226 = {"OpenStack-API-Version": "compute 2.26"}
V225 = {"OpenStack-API-Version": "compute 2.25"}


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1, tags=["blue", "web"]),
        fakes.make_instance(2, vm_state="building", task_state="scheduling", tags=["b"]),
        fakes.make_instance(3, project_id=fakes.OTHER_PROJECT, tags=["secret"]),
    ]))


def _tags(client, server=SERVER) -> list:
    return client.compute_api.instances[server]["tags"]


def _req(client, method, path, body=None, headers=V226, **kwargs):
    return client.request(method, path, body=body, headers=headers, **kwargs)


def test_index(client):
    resp = _req(client, "GET", BASE)
    assert resp.status_int == 200 and resp.json == {"tags": ["blue", "web"]}
    assert resp.headers["OpenStack-API-Version"] == "compute 2.26"


def test_show_is_204_or_404(client):
    resp = _req(client, "GET", BASE + "/web")
    assert resp.status_int == 204 and resp.body == b""
    resp = _req(client, "GET", BASE + "/nope")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": f"Server {SERVER} has no tag 'nope'"}}


def test_update_all_replaces_and_dedupes(client):
    resp = _req(client, "PUT", BASE, {"tags": ["x", "a", "x"]})
    assert resp.status_int == 200 and resp.json == {"tags": ["a", "x"]}
    assert _tags(client) == ["a", "x"]
    assert _req(client, "PUT", BASE, {"tags": []}).json == {"tags": []}
    assert _tags(client) == []


def test_add_one_is_201_with_location_then_204(client):
    resp = _req(client, "PUT", BASE + "/green")
    assert resp.status_int == 201 and resp.body == b""
    assert resp.headers["Location"] == f"http://localhost/v2.1/servers/{SERVER}/tags/green"
    assert _tags(client) == ["blue", "green", "web"]
    resp = _req(client, "PUT", BASE + "/green")
    assert resp.status_int == 204 and "Location" not in resp.headers
    assert _tags(client) == ["blue", "green", "web"]


def test_add_one_under_a_project_url_has_a_project_location(client):
    resp = _req(client, "PUT", f"/v2.1/{fakes.PROJECT}/servers/{SERVER}/tags/green")
    assert resp.status_int == 201
    assert resp.headers["Location"] == (
        f"http://localhost/v2.1/{fakes.PROJECT}/servers/{SERVER}/tags/green")


def test_delete_one_and_all(client):
    resp = _req(client, "DELETE", BASE + "/blue")
    assert resp.status_int == 204 and _tags(client) == ["web"]
    resp = _req(client, "DELETE", BASE + "/blue")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == f"Instance {SERVER} has no tag 'blue'."
    resp = _req(client, "DELETE", BASE)
    assert resp.status_int == 204 and _tags(client) == []


def test_fifty_tags_fit_and_a_51st_is_400(client):
    fifty = [f"t{i}" for i in range(50)]
    assert _req(client, "PUT", BASE, {"tags": fifty}).status_int == 200
    resp = _req(client, "PUT", BASE + "/one-more")
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {
        "code": 400, "message": "The number of tags exceeded the per-server limit 50"}}
    assert _tags(client) == sorted(fifty)


@pytest.mark.parametrize("body", [
    None, {}, {"tags": "a"}, {"tags": [1]}, {"tags": [""]}, {"tags": ["a,b"]},
    {"tags": ["a/b"]}, {"tags": ["x" * 61]}, {"tags": [f"t{i}" for i in range(51)]},
    {"tags": ["a"], "other": 1},
])
def test_update_all_bad_bodies_are_400_and_change_nothing(client, body):
    resp = _req(client, "PUT", BASE, body)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["code"] == 400
    assert client.compute_api.mutating_calls() == []
    assert _tags(client) == ["blue", "web"]


@pytest.mark.parametrize("tag, reason", [
    ("a,b", "'a,b' does not match '^[^,/]*$'"),
    ("x" * 61, f"'{'x' * 61}' is too long"),
])
def test_add_invalid_tag_is_400_and_changes_nothing(client, tag, reason):
    resp = _req(client, "PUT", f"{BASE}/{tag}")
    assert resp.status_int == 400
    assert resp.json == {"badRequest": {"code": 400, "message": (
        f"Tag '{tag}' is invalid. It must be a non empty string without characters '/' "
        f"and ','. Validation error message: {reason}")}}
    assert client.compute_api.mutating_calls() == []


def test_add_with_a_body_is_400(client):
    resp = _req(client, "PUT", BASE + "/green", {})
    assert resp.status_int == 400
    assert client.compute_api.mutating_calls() == []


def test_sixty_characters_fit(client):
    assert _req(client, "PUT", f"{BASE}/{'x' * 60}").status_int == 201


@pytest.mark.parametrize("method, path, body, action", [
    ("PUT", "", {"tags": ["a"]}, "update tags"),
    ("PUT", "/a", None, "update tag"),
    ("DELETE", "/b", None, "delete tag"),
    ("DELETE", "", None, "delete tags"),
])
def test_writes_to_a_building_server_are_409(client, method, path, body, action):
    resp = _req(client, method, f"/v2.1/servers/{BUILDING}/tags{path}", body)
    assert resp.status_int == 409
    assert resp.json == {"conflictingRequest": {"code": 409, "message": (
        f"Cannot '{action}' instance {BUILDING} while it is in vm_state building")}}
    assert _tags(client, BUILDING) == ["b"]


def test_reads_of_a_building_server_work(client):
    assert _req(client, "GET", f"/v2.1/servers/{BUILDING}/tags").json == {"tags": ["b"]}


@pytest.mark.parametrize("method, path, body", [
    ("GET", "", None), ("GET", "/secret", None), ("PUT", "", {"tags": []}),
    ("PUT", "/x", None), ("DELETE", "/secret", None), ("DELETE", "", None),
])
def test_another_projects_server_is_404_and_unchanged(client, method, path, body):
    resp = _req(client, method, f"/v2.1/servers/{OTHERS}/tags{path}", body)
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": f"Instance {OTHERS} could not be found."}}
    assert client.compute_api.mutating_calls() == []
    assert _tags(client, OTHERS) == ["secret"]


@pytest.mark.parametrize("method, path, body", [
    ("GET", "", None), ("GET", "/web", None), ("PUT", "", {"tags": []}),
    ("PUT", "", {"bad": "body"}), ("PUT", "/x", None), ("DELETE", "/web", None),
    ("DELETE", "", None),
])
def test_below_2_26_every_route_is_404(client, method, path, body):
    resp = _req(client, method, BASE + path, body, headers=V225)
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404,
                                          "message": "The resource could not be found."}}
    resp = client.request(method, BASE + path, body=body)  # no header: 2.1
    assert resp.status_int == 404
    assert client.compute_api.mutating_calls() == []
    assert _tags(client) == ["blue", "web"]


def test_policy_refusal_is_403_and_changes_nothing(client, clean_conf, tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:os-server-tags:delete_all": "!"\n')
    clean_conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    resp = _req(client, "DELETE", BASE)
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:os-server-tags:delete_all to be performed.")
    assert _tags(client) == ["blue", "web"]
