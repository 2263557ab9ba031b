"""PUT /servers/{id}, and the description (2.19) and tags (2.26, 2.52) of servers.

Version boundaries: 2.18/2.19 (description), 2.25/2.26 (tags in views and
list filters), 2.51/2.52 (tags at create).
"""

import uuid

import pytest

from minova.api import api_version_request as api_version

from .. import fakes

SERVER = str(uuid.UUID(int=1))
OTHERS = str(uuid.UUID(int=3))
URL = f"/v2.1/servers/{SERVER}"


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1, description="the web tier", tags=["blue", "web"]),
        fakes.make_instance(2, vm_state="building", task_state="scheduling"),
        fakes.make_instance(3, project_id=fakes.OTHER_PROJECT),
    ]))


def _stored(client, server=SERVER) -> dict:
    return client.compute_api.instances[server]


def _put(client, body, url=URL, version="2.1", **kwargs):
    return client.request("PUT", url, body=body, headers=fakes.microversion(version), **kwargs)


# --- PUT /servers/{id}

UPDATE_KEYS = {
    "id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image", "flavor",
    "created", "updated", "addresses", "accessIPv4", "accessIPv6", "links",
    "OS-DCF:diskConfig",
}


def test_rename(client):
    resp = _put(client, {"server": {"name": "renamed"}})
    assert resp.status_int == 200
    server = resp.json["server"]
    assert server["name"] == "renamed" and server["id"] == SERVER
    assert set(server) == UPDATE_KEYS | {"progress"}
    assert _stored(client)["display_name"] == "renamed"
    assert client.get(URL).json["server"]["name"] == "renamed"


def test_access_ips(client):
    resp = _put(client, {"server": {"accessIPv4": "192.0.2.7", "accessIPv6": "2001:db8::7",
                                    "OS-DCF:diskConfig": "AUTO"}})
    assert resp.status_int == 200
    assert (resp.json["server"]["accessIPv4"], resp.json["server"]["accessIPv6"]) == (
        "192.0.2.7", "2001:db8::7")
    name, kwargs = client.compute_api.mutating_calls()[0]
    assert name == "update_instance"
    assert kwargs["values"] == {"access_ip_v4": "192.0.2.7", "access_ip_v6": "2001:db8::7"}


def test_access_ipv6_is_stored_in_canonical_form(client):
    """As Nova (and Tempest's test_update_access_server_address) expects."""
    resp = _put(client, {"server": {
        "accessIPv6": "0000:0000:0000:0000:0000:babe:220.12.22.2"}})
    assert resp.json["server"]["accessIPv6"] == "::babe:dc0c:1602"
    assert client.compute_api.mutating_calls()[0][1]["values"] == {
        "access_ip_v6": "::babe:dc0c:1602"}


def test_empty_server_changes_nothing_and_is_200(client):
    resp = _put(client, {"server": {}})
    assert resp.status_int == 200 and resp.json["server"]["name"] == "server-1"
    assert client.compute_api.mutating_calls()[0][1]["values"] == {}


def test_rename_works_in_any_state(client):
    building = str(uuid.UUID(int=2))
    resp = _put(client, {"server": {"name": "b"}}, url=f"/v2.1/servers/{building}")
    assert resp.status_int == 200 and _stored(client, building)["display_name"] == "b"


def test_describe_at_2_19(client):
    resp = _put(client, {"server": {"description": "db tier"}}, version="2.19")
    assert resp.status_int == 200
    assert resp.json["server"]["description"] == "db tier"
    # "locked" is 2.9's.
    assert set(resp.json["server"]) == UPDATE_KEYS | {"progress", "locked", "description"}
    assert _stored(client)["description"] == "db tier"


def test_null_description_removes_it(client):
    resp = _put(client, {"server": {"description": None}}, version="2.19")
    assert resp.status_int == 200 and resp.json["server"]["description"] is None
    assert _stored(client)["description"] is None


def test_update_at_2_26_shows_tags(client):
    resp = _put(client, {"server": {"name": "x"}}, version="2.26")
    assert resp.json["server"]["tags"] == ["blue", "web"]


def test_description_is_refused_at_2_18(client):
    resp = _put(client, {"server": {"description": "db tier"}}, version="2.18")
    assert resp.status_int == 400
    assert "Additional properties are not allowed" in resp.json["badRequest"]["message"]
    assert client.compute_api.mutating_calls() == []


@pytest.mark.parametrize("server", [
    {"name": ""}, {"name": " lead"}, {"name": "x" * 256}, {"name": 5},
    {"accessIPv4": "not-an-ip"}, {"accessIPv6": "192.0.2.1"}, {"OS-DCF:diskConfig": "X"},
    {"description": "x" * 256}, {"description": "line\nbreak"}, {"description": 5},
    {"key_name": "k"}, {"metadata": {}},
])
def test_bad_updates_are_400_and_change_nothing(client, server):
    resp = _put(client, {"server": server}, version="2.19")
    assert resp.status_int == 400
    assert resp.json["badRequest"]["code"] == 400
    assert client.compute_api.mutating_calls() == []
    assert _stored(client)["display_name"] == "server-1"


@pytest.mark.parametrize("body", [None, {}, {"server": "x"}, {"server": {}, "x": 1}])
def test_bad_bodies_are_400(client, body):
    assert _put(client, body).status_int == 400
    assert client.compute_api.mutating_calls() == []


def test_description_limits(client):
    assert _put(client, {"server": {"description": " " + "x" * 254}},
                version="2.19").status_int == 200
    assert _put(client, {"server": {"description": ""}}, version="2.19").status_int == 200
    assert _stored(client)["description"] == ""


def test_another_projects_server_is_404_and_unchanged(client):
    resp = _put(client, {"server": {"name": "mine"}}, url=f"/v2.1/servers/{OTHERS}")
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {
        "code": 404, "message": f"Instance {OTHERS} could not be found."}}
    assert client.compute_api.mutating_calls() == []
    assert _stored(client, OTHERS)["display_name"] == "server-3"


def test_policy_refusal_is_403(client, clean_conf, tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:servers:update": "!"\n')
    clean_conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    assert _put(client, {"server": {"name": "x"}}).status_int == 403
    assert client.compute_api.mutating_calls() == []


# --- description and tags in the views


@pytest.mark.parametrize("version, description, tags", [
    ("2.18", False, False), ("2.19", True, False), ("2.25", True, False),
    ("2.26", True, True),
])
def test_show_and_detail_by_version(client, version, description, tags):
    for server in (client.get(URL, headers=fakes.microversion(version)).json["server"],
                   client.get("/v2.1/servers/detail",
                              headers=fakes.microversion(version)).json["servers"][-1]):
        assert ("description" in server) is description
        assert ("tags" in server) is tags
        if description:
            assert server["description"] == "the web tier"
        if tags:
            assert server["tags"] == ["blue", "web"]


def test_index_shows_neither(client):
    server = client.get("/v2.1/servers", headers=fakes.microversion("2.26")).json["servers"][0]
    assert set(server) == {"id", "name", "links"}


# --- create


def _create(client, version, **server):
    if api_version.APIVersionRequest(version) >= api_version.APIVersionRequest("2.37"):
        server.setdefault("networks", "none")  # required from 2.37
    body = {"server": {"name": "web-1", "imageRef": fakes.IMAGE_ID, "flavorRef": "1",
                       **server}}
    return client.post("/v2.1/servers", body, headers=fakes.microversion(version))


def test_before_2_19_the_description_is_the_name(client):
    assert _create(client, "2.18").status_int == 202
    assert client.compute_api.mutating_calls()[0][1]["description"] == "web-1"


def test_description_at_create(client):
    assert _create(client, "2.19", description="front end").status_int == 202
    assert client.compute_api.mutating_calls()[0][1]["description"] == "front end"
    created = [i for i in client.compute_api.instances.values() if i["display_name"] == "web-1"]
    server_id = created[0]["uuid"]
    shown = client.get(f"/v2.1/servers/{server_id}",
                       headers=fakes.microversion("2.19")).json["server"]
    assert shown["description"] == "front end"


def test_no_description_at_2_19_is_none(client):
    assert _create(client, "2.19").status_int == 202
    assert client.compute_api.mutating_calls()[0][1]["description"] is None


def test_description_at_create_is_refused_at_2_18(client):
    resp = _create(client, "2.18", description="x")
    assert resp.status_int == 400
    assert client.compute_api.mutating_calls() == []


def test_tags_at_create_from_2_52(client):
    assert _create(client, "2.52", tags=["a", "b"]).status_int == 202
    assert client.compute_api.mutating_calls()[0][1]["tags"] == ["a", "b"]


@pytest.mark.parametrize("version", ["2.51", "2.26", "2.1"])
def test_tags_at_create_are_refused_below_2_52(client, version):
    resp = _create(client, version, tags=["a"])
    assert resp.status_int == 400
    assert "Additional properties are not allowed" in resp.json["badRequest"]["message"]
    assert client.compute_api.mutating_calls() == []


@pytest.mark.parametrize("tags", [["a,b"], ["a/b"], [""], ["x" * 61], "a",
                                  [f"t{i}" for i in range(51)]])
def test_bad_tags_at_create_are_400(client, tags):
    assert _create(client, "2.52", tags=tags).status_int == 400
    assert client.compute_api.mutating_calls() == []


# --- list filters


@pytest.mark.parametrize("query, expected", [
    ("tags=blue", {"tags": ["blue"]}),
    ("tags=blue,web", {"tags": ["blue", "web"]}),
    ("tags-any=blue,red", {"tags-any": ["blue", "red"]}),
    ("not-tags=web", {"not-tags": ["web"]}),
    ("not-tags-any=a,b&tags=c", {"not-tags-any": ["a", "b"], "tags": ["c"]}),
])
def test_tag_filters_reach_the_compute_api_from_2_26(client, query, expected):
    resp = client.get(f"/v2.1/servers/detail?{query}", headers=fakes.microversion("2.26"))
    assert resp.status_int == 200
    filters = [c for c in client.compute_api.calls if c[0] == "get_all"][0][1]["filters"]
    assert {k: v for k, v in filters.items() if "tags" in k} == expected


def test_tag_filters_are_ignored_at_2_25(client):
    resp = client.get("/v2.1/servers?tags=blue&not-tags-any=x", headers=fakes.microversion("2.25"))
    assert resp.status_int == 200
    filters = [c for c in client.compute_api.calls if c[0] == "get_all"][0][1]["filters"]
    assert not any("tags" in key for key in filters)
