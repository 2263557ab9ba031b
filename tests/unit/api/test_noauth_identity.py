"""/identity under noauth2: the identity v3 documents openstack CLI discovery reads."""

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
    for path in ("/identity/v3/users", "/identity/v3/auth/tokens", "/identity/v3/projects",
                 "/identity/v3/projects/demo/users", "/identity/v2.0"):
        resp = client.get(path)
        assert resp.status_int == 404, path
        assert resp.json["itemNotFound"]["code"] == 404


def test_only_reads(client):
    resp = client.post("/identity/v3/auth/tokens", {"auth": {}})
    assert resp.status_int == 404
    resp = client.post("/identity/v3", {})
    assert resp.status_int == 405 and resp.json["badMethod"]["code"] == 405
    assert resp.headers["Allow"] == "GET, HEAD"


def test_a_longer_prefix_is_not_identity(client):
    assert client.get("/identityx", token=None).status_int == 404


def test_not_mounted_with_keystone(clean_conf, monkeypatch):
    # A stand-in for auth_token: the point is the mount, not the token check.
    monkeypatch.setitem(auth.AUTH_STRATEGIES, "keystone", auth.NoAuthMiddleware)
    clean_conf.set_override("auth_strategy", "keystone", group="api")
    resp = fakes.Client().get("/identity/v3", token=None)
    assert resp.status_int == 404
