"""Microversions 2.90, 2.94 and 2.98 over HTTP on MariaDB: a hostname given
at create and changed with an update, as one label and then as a fully
qualified name, and the image's properties the conductor copied at create.

They are implemented behind their version checks; the test needs an
advertised maximum of at least 2.98 and fails, saying so, below it.
"""

import json

from tests.functional.deployment import wait_for

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"  # the stand-in image minova-manage makes
USER = "alice:demo"
NEEDED = (2, 98)
HOSTNAME = "OS-EXT-SRV-ATTR:hostname"


def _at(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


def _advertised_maximum(api) -> tuple[int, int]:
    status, body, _ = api.get("/v2.1/")
    assert status == 200, body
    major, minor = body["version"]["version"].split(".")
    return int(major), int(minor)


def _create(api, version: str, **server):
    return api.post("/v2.1/servers", {"server": dict(
        {"flavorRef": "1", "imageRef": IMAGE, "networks": "none"}, **server)},
        headers=_at(version))


def _update(api, server_id: str, version: str, **server):
    return api.request("PUT", f"/v2.1/servers/{server_id}", body={"server": server},
                       headers=_at(version))


def _show(api, server_id: str, version: str) -> dict:
    status, body, _ = api.get(f"/v2.1/servers/{server_id}", headers=_at(version))
    assert status == 200, body
    return body["server"]


def test_hostnames_and_image_properties(deploy):
    deployment = deploy()
    api = deployment.api.as_user(USER)
    maximum = _advertised_maximum(api)
    assert maximum >= NEEDED, (
        f"the api advertises {maximum}: raise MAX_API_VERSION to 2.98 or more to serve "
        "2.90, 2.94 and 2.98 (implemented behind their version checks)")

    # 2.90: a hostname at create, for one server only; every user sees it.
    status, body, _ = _create(api, "2.89", name="web", hostname="web-1")
    assert status == 400, body
    status, body, _ = _create(api, "2.90", name="many", hostname="web-1", max_count=2)
    assert status == 400, body
    [count] = deployment.query("SELECT COUNT(*) FROM instances "
                               "WHERE display_name LIKE 'many%'")[0]
    assert count == 0
    status, body, _ = _create(api, "2.90", name="Web Server", hostname="web-1")
    assert status == 202, body
    server_id = body["server"]["id"]
    server = wait_for(lambda: (lambda s: s if s["status"] in ("ACTIVE", "ERROR") else None)(
        _show(api, server_id, "2.90")), 120, message="the server is built")
    assert server["status"] == "ACTIVE" and server[HOSTNAME] == "web-1"
    assert "OS-EXT-SRV-ATTR:host" not in server  # a user, not an admin

    # ... and an update changes it.
    status, body, _ = _update(api, server_id, "2.90", hostname="web-2")
    assert status == 200 and body["server"][HOSTNAME] == "web-2", body

    # 2.94: a fully qualified name, refused as one label before.
    status, body, _ = _update(api, server_id, "2.93", hostname="web.example.org")
    assert status == 400, body
    status, body, _ = _update(api, server_id, "2.94", hostname="web.example.org")
    assert status == 200 and body["server"][HOSTNAME] == "web.example.org", body
    status, body, _ = _create(api, "2.94", name="db", hostname="db.example.org")
    assert status == 202, body
    db_id = body["server"]["id"]
    rows = deployment.query("SELECT uuid, hostname FROM instances WHERE uuid IN (:a, :b)",
                            a=server_id, b=db_id)
    assert {row.uuid: row.hostname for row in rows} == {
        server_id: "web.example.org", db_id: "db.example.org"}

    # 2.98: the image's properties as the server kept them at create.
    assert "properties" not in _show(api, server_id, "2.97")["image"]
    expected = {"minova_standin": "true", "min_ram": "0", "min_disk": "1",
                "disk_format": "qcow2", "container_format": "bare", "base_image_ref": IMAGE}
    assert _show(api, server_id, "2.98")["image"]["properties"] == expected
    status, body, _ = api.get("/v2.1/servers/detail", headers=_at("2.98"))
    assert status == 200, body
    assert {s["id"]: s["image"]["properties"] for s in body["servers"]}[db_id] == expected
    [row] = deployment.query("SELECT image_properties FROM instances WHERE uuid = :uuid",
                             uuid=server_id)
    stored = row.image_properties  # MariaDB's JSON is text to a raw query
    assert (json.loads(stored) if isinstance(stored, str) else stored) == expected
