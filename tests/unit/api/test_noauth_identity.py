"""/identity under noauth2: the identity v3 documents and tokens the openstack CLI reads."""

import datetime

import pytest

from minova.api.middleware import auth

from . import fakes

V3 = {
    "id": "v3.14",
    "status": "stable",
    "updated": "2024-04-04T00:00:00Z",
    "links": [{"rel": "self", "href": "http://localhost/identity/v3/"}],
    "media-types": [{"base": "application/json",
                     "type": "application/vnd.openstack.identity-v3+json"}],
}


def test_the_version_list_is_keystones_shape(client):
    resp = client.get("/identity", token=None)
    assert resp.status_int == 300 and resp.content_type == "application/json"
    assert resp.json == {"versions": {"values": [V3]}}


def test_the_v3_document_needs_no_token(client):
    for path in ("/identity/v3", "/identity/v3/"):
        resp = client.get(path, token=None)
        assert resp.status_int == 200
        assert resp.json == {"version": V3}


def test_links_follow_the_request_host(client):
    resp = client.get("/identity/v3", token=None, headers={"Host": "api.example.org:8774"})
    assert resp.json["version"]["links"][0]["href"] == "http://api.example.org:8774/identity/v3/"


def test_every_project_exists_as_its_own_name(client):
    resp = client.get("/identity/v3/projects/demo")
    assert resp.status_int == 200
    project = resp.json["project"]
    assert (project["id"], project["name"], project["enabled"]) == ("demo", "demo", True)


def test_the_rest_of_keystones_api_is_not_here(client):
    for path in ("/identity/v3/users", "/identity/v3/projects",
                 "/identity/v3/projects/demo/users", "/identity/v2.0", "/identity/v3/limits"):
        resp = client.get(path)
        assert resp.status_int == 404, path
        assert resp.json["itemNotFound"]["code"] == 404


def test_documents_are_only_read(client):
    resp = client.post("/identity/v3", {})
    assert resp.status_int == 405 and resp.json["badMethod"]["code"] == 405
    assert resp.headers["Allow"] == "GET, HEAD"


def _token_request(token: str = "demo:demo", scope=None) -> dict:
    auth_body = {"identity": {"methods": ["token"], "token": {"id": token}}}
    if scope is not None:
        auth_body["scope"] = scope
    return {"auth": auth_body}


def test_a_token_is_scoped_to_its_project_with_minovas_catalog(client):
    resp = client.post("/identity/v3/auth/tokens", _token_request("demo:demo"), token=None,
                       headers={"Host": "api.example.org:8774"})
    assert resp.status_int == 201
    assert resp.headers["X-Subject-Token"] == "demo:demo"
    token = resp.json["token"]
    assert (token["user"]["id"], token["project"]["id"], token["project"]["name"]) == (
        "demo", "demo", "demo")
    assert [r["name"] for r in token["roles"]] == ["member", "reader"]
    endpoints = {(service["type"], endpoint["interface"]): endpoint["url"]
                 for service in token["catalog"] for endpoint in service["endpoints"]}
    base = "http://api.example.org:8774"
    for interface in ("public", "internal", "admin"):
        assert endpoints[("compute", interface)] == base + "/v2.1"
        assert endpoints[("image", interface)] == base + "/image"
        assert endpoints[("identity", interface)] == base + "/identity"
    assert len(endpoints) == 9  # no volume, network...: the CLI asks only these
    issued = datetime.datetime.fromisoformat(token["issued_at"])
    assert datetime.datetime.fromisoformat(token["expires_at"]) > issued


def test_the_admin_user_has_the_admin_role(client):
    token = client.post("/identity/v3/auth/tokens", _token_request("admin:ops")).json["token"]
    assert [r["name"] for r in token["roles"]] == ["admin", "member", "reader"]


@pytest.mark.parametrize("scope", [{"project": {"id": "other"}},
                                   {"project": {"name": "other",
                                                "domain": {"id": "default"}}}])
def test_a_scope_names_the_tokens_project(client, scope):
    resp = client.post("/identity/v3/auth/tokens", _token_request("demo:demo", scope))
    assert resp.headers["X-Subject-Token"] == "demo:other"
    assert resp.json["token"]["project"]["id"] == "other"


def test_unscoped_keeps_the_tokens_project(client):
    resp = client.post("/identity/v3/auth/tokens", _token_request("alice", "unscoped"))
    assert resp.headers["X-Subject-Token"] == "alice:alice"


def test_nocatalog(client):
    resp = client.post("/identity/v3/auth/tokens?nocatalog", _token_request())
    assert resp.status_int == 201 and "catalog" not in resp.json["token"]


def test_only_the_token_method(client):
    body = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": "demo", "password": "x"}}}}}
    resp = client.post("/identity/v3/auth/tokens", body)
    assert resp.status_int == 401
    assert "token method" in resp.json["unauthorized"]["message"]


@pytest.mark.parametrize("body", [
    {}, {"auth": {}}, {"auth": {"identity": {"methods": ["token"], "token": {}}}},
    _token_request("demo:demo\r\nX-Injected: 1"), _token_request(""),
    _token_request("x" * 256), _token_request(scope={"domain": {"id": "default"}}),
    _token_request(scope={"project": {}}), _token_request(scope={"project": {"id": "a\nb"}}),
])
def test_bad_token_requests_are_400(client, body):
    resp = client.post("/identity/v3/auth/tokens", body)
    assert resp.status_int == 400
    assert resp.json["badRequest"]["code"] == 400
    assert "X-Subject-Token" not in resp.headers


def test_malformed_and_oversized_bodies(client):
    resp = client.post("/identity/v3/auth/tokens", raw=b"{nope")
    assert resp.status_int == 400
    resp = client.post("/identity/v3/auth/tokens", raw=b"{" + b" " * 200000 + b"}")
    assert resp.status_int == 413 and resp.json["overLimit"]["code"] == 413


def test_tokens_are_only_posted(client):
    resp = client.get("/identity/v3/auth/tokens")
    assert resp.status_int == 405 and resp.headers["Allow"] == "POST"


def test_an_issued_token_authenticates():
    client = fakes.Client(fakes.FakeComputeAPI([fakes.make_instance(1)]))
    subject = client.post("/identity/v3/auth/tokens",
                          _token_request("demo:demo", {"project": {"id": "other"}}),
                          token=None).headers["X-Subject-Token"]
    # The servers of the scope's project, not of the token's: none of demo's.
    assert client.get("/v2.1/servers").json["servers"] != []
    resp = client.get("/v2.1/servers", token=subject)
    assert resp.status_int == 200 and resp.json["servers"] == []


def test_a_longer_prefix_is_not_identity(client):
    assert client.get("/identityx", token=None).status_int == 404


def test_not_mounted_with_keystone(clean_conf, monkeypatch):
    # A stand-in for auth_token: the point is the mount, not the token check.
    monkeypatch.setitem(auth.AUTH_STRATEGIES, "keystone", auth.NoAuthMiddleware)
    clean_conf.set_override("auth_strategy", "keystone", group="api")
    resp = fakes.Client().get("/identity/v3", token=None)
    assert resp.status_int == 404
