"""Version documents, served without authentication."""

EXPECTED_V21 = {
    "id": "v2.1",
    "status": "CURRENT",
    "version": "2.1",
    "min_version": "2.1",
    "updated": "2013-07-23T11:33:21Z",
}


def test_root_lists_versions(client):
    resp = client.get("/", token=None)
    assert resp.status_int == 200
    assert resp.content_type == "application/json"
    assert resp.json == {"versions": [
        dict(EXPECTED_V21, links=[{"rel": "self", "href": "http://localhost/v2.1/"}]),
    ]}


def test_v21_document(client):
    for path in ("/v2.1", "/v2.1/"):
        resp = client.get(path, token=None)
        assert resp.status_int == 200
        assert resp.json == {"version": dict(
            EXPECTED_V21,
            links=[
                {"rel": "self", "href": "http://localhost/v2.1/"},
                {"rel": "describedby", "type": "text/html",
                 "href": "http://docs.openstack.org/"},
            ],
            **{"media-types": [{
                "base": "application/json",
                "type": "application/vnd.openstack.compute+json;version=2.1",
            }]},
        )}


def test_links_follow_the_request_host(client):
    resp = client.get("/", token=None, headers={"Host": "api.example.org:8774"})
    assert resp.json["versions"][0]["links"][0]["href"] == "http://api.example.org:8774/v2.1/"
