"""``/servers`` at the boundaries of 2.90 (a hostname at create and update),
2.94 (a fully qualified one) and 2.98 (the image's properties in the view).

The advertised maximum is below them: the tests raise it to 2.100.
"""

import uuid

import pytest

from minova.api import api_version_request as api_version

from .. import fakes

BASE = "/v2.1/servers"
SERVER = str(uuid.UUID(int=1))
HOSTNAME = "OS-EXT-SRV-ATTR:hostname"
PROPERTIES = {"os_distro": "cirros", "min_disk": "1", "base_image_ref": fakes.IMAGE_ID}
FQDN = "db.example.org"


@pytest.fixture(autouse=True)
def above_the_maximum(monkeypatch):
    monkeypatch.setattr(api_version, "MAX_API_VERSION", "2.100")


@pytest.fixture
def client():
    instances = [fakes.make_instance(1, hostname="web-1", image_properties=PROPERTIES),
                 fakes.make_instance(2)]  # created before servers kept the properties
    return fakes.Client(fakes.FakeComputeAPI(instances))


def _at(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


def _create(client, version: str, **server):
    body = {"server": dict({"name": "web", "imageRef": fakes.IMAGE_ID, "flavorRef": "1",
                            "networks": "none"}, **server)}
    return client.post(BASE, body, headers=_at(version))


def _update(client, version: str, **server):
    return client.request("PUT", f"{BASE}/{SERVER}", body={"server": server},
                          headers=_at(version))


def _show(client, version: str, server_id: str = SERVER) -> dict:
    resp = client.get(f"{BASE}/{server_id}", headers=_at(version))
    assert resp.status_int == 200, resp.text
    return resp.json["server"]


def _creates(client) -> list[dict]:
    return [c[1] for c in client.compute_api.calls if c[0] == "create"]


# --- 2.90: a hostname at create and update


def test_v290_create_with_a_hostname(client):
    assert _create(client, "2.89", hostname="db-1").status_int == 400
    assert _creates(client) == []
    resp = _create(client, "2.90", hostname="db-1")
    assert resp.status_int == 202, resp.text
    assert _creates(client)[-1]["hostname"] == "db-1"
    assert _show(client, "2.90", resp.json["server"]["id"])[HOSTNAME] == "db-1"


def test_v290_create_without_a_hostname_passes_none(client):
    assert _create(client, "2.90").status_int == 202
    assert "hostname" not in _creates(client)[-1]


@pytest.mark.parametrize("hostname", [
    "a", "x" * 64, "db-", "-db", "db_1", FQDN, "db 1", "",
])
def test_v290_hostname_is_one_rfc1123_label(client, hostname):
    resp = _create(client, "2.90", hostname=hostname)
    assert resp.status_int == 400, hostname
    assert _update(client, "2.90", hostname=hostname).status_int == 400
    assert client.compute_api.mutating_calls() == []


def test_v290_longest_label(client):
    assert _create(client, "2.90", hostname="x" * 63).status_int == 202


@pytest.mark.parametrize("counts", [{"max_count": 2}, {"min_count": 2, "max_count": 2},
                                    {"min_count": 2}])
def test_v290_no_hostname_for_several_servers(client, counts):
    resp = _create(client, "2.90", hostname="db-1", **counts)
    assert resp.status_int == 400
    assert "multiple instances" in resp.json["badRequest"]["message"]
    assert _creates(client) == []
    assert _create(client, "2.90", **counts).status_int == 202


def test_v290_update_changes_the_hostname(client):
    assert _update(client, "2.89", hostname="db-1").status_int == 400
    assert _show(client, "2.90")[HOSTNAME] == "web-1"
    resp = _update(client, "2.90", hostname="db-1")
    assert resp.status_int == 200, resp.text
    assert resp.json["server"][HOSTNAME] == "db-1"
    assert _show(client, "2.90")[HOSTNAME] == "db-1"
    assert ("update_instance", SERVER) in [
        (c[0], c[1].get("instance_uuid")) for c in client.compute_api.calls]


# --- 2.94: a fully qualified hostname


def test_v294_create_with_a_fqdn(client):
    assert _create(client, "2.93", hostname=FQDN).status_int == 400
    resp = _create(client, "2.94", hostname=FQDN)
    assert resp.status_int == 202, resp.text
    assert _creates(client)[-1]["hostname"] == FQDN


def test_v294_update_to_a_fqdn(client):
    assert _update(client, "2.93", hostname=FQDN).status_int == 400
    assert _show(client, "2.93")[HOSTNAME] == "web-1"
    assert _update(client, "2.94", hostname=FQDN).json["server"][HOSTNAME] == FQDN


def test_v294_fqdn_limits(client):
    longest = ".".join(["x" * 63] * 4)  # 255 characters
    assert _create(client, "2.94", hostname=longest).status_int == 202
    assert _create(client, "2.94", hostname=longest + "x").status_int == 400
    for bad in ("", "db/1", "db 1", "dé.example.org"):
        assert _create(client, "2.94", hostname=bad).status_int == 400, bad
    assert _create(client, "2.94", hostname=FQDN, max_count=2).status_int == 400


# --- 2.98: the image's properties in the view


def test_v298_image_properties_in_show_and_detail(client):
    assert "properties" not in _show(client, "2.97")["image"]
    image = _show(client, "2.98")["image"]
    assert image["id"] == fakes.IMAGE_ID and image["properties"] == PROPERTIES
    assert _show(client, "2.98", str(uuid.UUID(int=2)))["image"]["properties"] == {}
    resp = client.get(f"{BASE}/detail", headers=_at("2.98"))
    assert resp.status_int == 200, resp.text
    by_id = {s["id"]: s["image"] for s in resp.json["servers"]}
    assert by_id[SERVER]["properties"] == PROPERTIES
    assert by_id[str(uuid.UUID(int=2))]["properties"] == {}
    before = client.get(f"{BASE}/detail", headers=_at("2.97")).json["servers"]
    assert all("properties" not in s["image"] for s in before)


def test_v298_image_properties_in_the_update_answer(client):
    assert "properties" not in _update(client, "2.97", name="a").json["server"]["image"]
    resp = _update(client, "2.98", name="b")
    assert resp.status_int == 200, resp.text
    assert resp.json["server"]["image"]["properties"] == PROPERTIES


def test_v298_a_server_without_an_image_shows_none(client):
    client.compute_api.instances[SERVER]["image_ref"] = None
    assert _show(client, "2.98")["image"] == ""


# --- the OpenAPI document at these versions


def _body_schema(doc: dict, path: str, method: str) -> dict:
    return doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


def test_openapi_document_at_2_93_and_2_100():
    from minova.api.openapi import document
    from minova.api.schemas import parameter_types

    at_293, at_2100 = document.build("2.93"), document.build("2.100")
    for path, method in (("/servers", "post"), ("/servers/{id}", "put")):
        assert _body_schema(at_293, path, method)["properties"]["server"]["properties"][
            "hostname"] == parameter_types.hostname
        assert _body_schema(at_2100, path, method)["properties"]["server"]["properties"][
            "hostname"] == parameter_types.fqdn
    assert "hostname" not in _body_schema(document.build("2.89"), "/servers", "post")[
        "properties"]["server"]["properties"]
    show = at_2100["paths"]["/servers/{id}"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    image = show["properties"]["server"]["properties"]["image"]["oneOf"][1]
    assert "properties" in image["properties"] and "properties" not in image["required"]
