"""Every /v2.1 answer names its microversion; bad and unsupported ones are refused."""

from minova.api import api_version_request as api_version

from .. import fakes


def test_default_is_the_minimum_and_is_echoed(client):
    resp = client.get("/v2.1/flavors")
    assert resp.status_int == 200
    assert resp.headers["OpenStack-API-Version"] == "compute 2.1"
    assert resp.headers["X-OpenStack-Nova-API-Version"] == "2.1"
    assert resp.headers["Vary"] == "OpenStack-API-Version, X-OpenStack-Nova-API-Version"


def test_errors_carry_the_version_too(client):
    resp = client.get("/v2.1/servers/00000000-0000-0000-0000-00000000dead")
    assert resp.status_int == 404
    assert resp.headers["OpenStack-API-Version"] == "compute 2.1"


def test_latest_is_the_maximum(client):
    resp = client.get("/v2.1/flavors", headers={"OpenStack-API-Version": "compute latest"})
    assert resp.headers["OpenStack-API-Version"] == f"compute {api_version.MAX_API_VERSION}"


def test_above_the_maximum_is_406(client):
    resp = client.get("/v2.1/flavors", headers={"OpenStack-API-Version": "compute 2.999"})
    assert resp.status_int == 406
    assert resp.json == {"computeFault": {"code": 406, "message": (
        f"Version 2.999 is not supported by the API. Minimum is "
        f"{api_version.MIN_API_VERSION} and maximum is {api_version.MAX_API_VERSION}.")}}
    assert client.flavor_api.calls == []


def test_malformed_is_400(client):
    resp = client.get("/v2.1/flavors", headers={"X-OpenStack-Nova-API-Version": "2.x"})
    assert resp.status_int == 400
    assert "is of invalid format" in resp.json["badRequest"]["message"]


def test_negotiated_version_reaches_the_controller(client, monkeypatch):
    monkeypatch.setattr(api_version, "MAX_API_VERSION", "2.60")
    resp = client.get("/v2.1/os-services", token=fakes.ADMIN_TOKEN,
                      headers={"OpenStack-API-Version": "compute 2.53"})
    assert resp.headers["OpenStack-API-Version"] == "compute 2.53"
    assert all(len(s["id"]) == 36 for s in resp.json["services"])


def test_version_document_advertises_the_range(client):
    doc = client.get("/v2.1", token=None).json["version"]
    assert (doc["min_version"], doc["version"]) == (api_version.MIN_API_VERSION,
                                                    api_version.MAX_API_VERSION)
