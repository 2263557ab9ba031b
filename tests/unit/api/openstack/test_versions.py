"""Version documents, served without authentication."""

import pathlib
import re
import uuid

from minova.api import api_version_request as api_version

from .. import fakes

SERVER = str(uuid.UUID(int=1))


def _client_with_a_server() -> fakes.Client:
    return fakes.Client(fakes.FakeComputeAPI([fakes.make_instance(1)]))

EXPECTED_V21 = {
    "id": "v2.1",
    "status": "CURRENT",
    "version": "2.100",
    "min_version": "2.1",
    "updated": "2013-07-23T11:33:21Z",
}


EXPECTED_V20 = {
    "id": "v2.0",
    "status": "DEPRECATED",
    "version": "",
    "min_version": "",
    "updated": "2025-07-04T12:00:00Z",
}


def test_root_lists_versions(client):
    resp = client.get("/", token=None)
    assert resp.status_int == 200
    assert resp.content_type == "application/json"
    assert resp.json == {"versions": [
        dict(EXPECTED_V20, links=[{"rel": "self", "href": "http://localhost/v2/"}]),
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


def test_v2_document(client):
    for path in ("/v2", "/v2/"):
        resp = client.get(path, token=None)
        assert resp.status_int == 200
        assert resp.json == {"version": dict(
            EXPECTED_V20,
            links=[
                {"rel": "self", "href": "http://localhost/v2/"},
                {"rel": "describedby", "type": "text/html",
                 "href": "http://docs.openstack.org/"},
            ],
            **{"media-types": [{
                "base": "application/json",
                "type": "application/vnd.openstack.compute+json;version=2",
            }]},
        )}


def test_legacy_v2_serves_2_1_without_version_headers(latest):
    """Nova's /v2: the v2.1 code at 2.1, whatever version is asked for, and no
    microversion headers in the answer."""
    client = _client_with_a_server()
    resp = client.get("/v2/servers/detail",
                      headers={"OpenStack-API-Version": "compute 2.47"})
    assert resp.status_int == 200
    assert "OpenStack-API-Version" not in resp.headers
    assert "X-OpenStack-Nova-API-Version" not in resp.headers
    assert "Vary" not in resp.headers
    server = resp.json["servers"][0]
    assert "id" in server["flavor"] and "original_name" not in server["flavor"]  # < 2.47
    assert server["links"][0]["href"].startswith("http://localhost/v2/servers/")
    assert client.get("/v2.1/servers/detail").headers["OpenStack-API-Version"] == (
        "compute 2.1")


def test_legacy_v2_drops_unknown_body_keys():
    """v2 ignored unknown keys: /v2 drops them where /v2.1 refuses them."""
    client = _client_with_a_server()
    body = {"server": {"name": "renamed", "unknown": 1}}
    server_id = SERVER
    assert client.request("PUT", f"/v2.1/servers/{server_id}", body).status_int == 400
    resp = client.request("PUT", f"/v2/servers/{server_id}", body)
    assert resp.status_int == 200
    assert resp.json["server"]["name"] == "renamed"


def test_legacy_v2_flavor_create_drops_unknown_keys(client):
    resp = client.post("/v2/flavors", {"flavor": {"name": "f", "ram": 1, "vcpus": 1,
                                                  "disk": 1, "bogus": True}},
                       token="admin:admin")
    assert resp.status_int == 200
    assert "bogus" not in resp.json["flavor"]


def test_legacy_v2_keeps_refusing_bad_metadata_keys():
    """Unknown keys of a schema with patternProperties are still refused, as Nova's."""
    client = _client_with_a_server()
    resp = client.post(f"/v2/servers/{SERVER}/metadata", {"metadata": {"ok": "1", "a/b": "c"}})
    assert resp.status_int == 400


def test_links_follow_the_request_host(client):
    resp = client.get("/", token=None, headers={"Host": "api.example.org:8774"})
    assert resp.json["versions"][1]["links"][0]["href"] == "http://api.example.org:8774/v2.1/"


def test_the_documents_advertise_the_maximum_docs_api_md_states(client):
    """What clients are told, what the code accepts, and docs/api.md agree."""
    doc = (pathlib.Path(__file__).parents[4] / "docs" / "api.md").read_text()
    [documented] = re.findall(r"`version` \(the maximum\): \*\*(2\.\d+)\*\*", doc)
    assert api_version.MAX_API_VERSION == documented
    assert client.get("/v2.1", token=None).json["version"]["version"] == documented
    assert client.get("/", token=None).json["versions"][1]["version"] == documented
    resp = client.get("/v2.1/flavors", headers={"OpenStack-API-Version": "compute latest"})
    assert resp.headers["OpenStack-API-Version"] == f"compute {documented}"


def test_docs_api_md_lists_every_microversion_to_2104():
    doc = (pathlib.Path(__file__).parents[4] / "docs" / "api.md").read_text()
    rows = re.findall(r"^\| (2\.\d+) \|", doc, re.MULTILINE)
    assert rows == [f"2.{minor}" for minor in range(1, 105)]


def test_docs_api_md_says_what_stops_the_maximum():
    """The first version after the maximum is one the table says minova lacks,
    and none up to the maximum is."""
    doc = (pathlib.Path(__file__).parents[4] / "docs" / "api.md").read_text()
    status = dict(re.findall(r"^\| (2\.\d+) \| .* \| ([^|]*) \|$", doc, re.MULTILINE))
    maximum = api_version.APIVersionRequest(api_version.MAX_API_VERSION)
    for version, text in status.items():
        if api_version.APIVersionRequest(version) <= maximum:
            assert text.startswith(("implemented", "not applicable")), version
    following = f"2.{maximum.minor + 1}"
    assert "not implemented" in status[following] or "unknown" in status[following]
