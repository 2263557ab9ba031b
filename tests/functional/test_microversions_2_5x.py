"""Microversions after 2.53 that reach past the api, on PostgreSQL with two
fake computes: 2.74's requested destination goes through the conductor and
the scheduler, 2.81's image pre-caching through the conductor to the
computes; 2.71's server groups, 2.63's trusted certificates and 2.96/2.100
come back from what the create stored.
"""

from tests.functional.deployment import wait_for

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _at(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


def test_requested_destination_and_stored_fields(deploy):
    deployment = deploy(backend="postgresql")
    api = deployment.api
    status, group, _ = api.post("/v2.1/os-server-groups",
                                {"server_group": {"name": "g", "policy": "affinity"}},
                                headers=_at("2.64"))
    assert status == 200, group
    group_id = group["server_group"]["id"]

    status, body, _ = api.post("/v2.1/servers", {
        "server": {"name": "pinned", "flavorRef": "1", "imageRef": IMAGE, "networks": "none",
                   "host": "compute2", "trusted_image_certificates": ["cert-a"],
                   "availability_zone": "nova"},
        "os:scheduler_hints": {"group": group_id}}, headers=_at("2.74"))
    assert status == 202, body
    server_id = body["server"]["id"]
    server = api.wait_for_status(server_id, timeout=120)
    assert server["status"] == "ACTIVE" and server["OS-EXT-SRV-ATTR:host"] == "compute2"

    status, body, _ = api.get(f"/v2.1/servers/{server_id}", headers=_at("2.101"))
    assert status == 406  # not advertised
    status, body, _ = api.get(f"/v2.1/servers/{server_id}", headers=_at("2.85"))
    shown = body["server"]
    assert shown["server_groups"] == [group_id]
    assert shown["trusted_image_certificates"] == ["cert-a"]
    assert shown["locked_reason"] is None
    rows = deployment.query("SELECT pinned_availability_zone, scheduler_hints FROM instances "
                            f"WHERE uuid = '{server_id}'")
    assert rows[0].pinned_availability_zone == "nova"
    assert rows[0].scheduler_hints == {"group": group_id}

    # An unknown host is refused before anything is recorded.
    status, body, _ = api.post("/v2.1/servers", {"server": {
        "name": "nowhere", "flavorRef": "1", "imageRef": IMAGE, "networks": "none",
        "host": "compute9"}}, headers=_at("2.74"))
    assert status == 400, body
    [count] = deployment.query("SELECT COUNT(*) FROM instances WHERE display_name = 'nowhere'")[0]
    assert count == 0


def test_aggregate_image_cache_reaches_the_hosts(deploy):
    deployment = deploy(backend="postgresql")
    api = deployment.api
    status, body, _ = api.post("/v2.1/os-aggregates", {"aggregate": {"name": "warm"}})
    assert status == 200, body
    agg_id = body["aggregate"]["id"]
    status, body, _ = api.post(f"/v2.1/os-aggregates/{agg_id}/action",
                               {"add_host": {"host": "compute1"}})
    assert status == 200, body

    status, body, _ = api.post(f"/v2.1/os-aggregates/{agg_id}/images",
                               {"cache": [{"id": IMAGE}]}, headers=_at("2.81"))
    assert status == 202, body
    wait_for(lambda: f"Image {IMAGE} cached" in deployment.log_full("compute1"), 30,
             message="compute1 caches the image")
    assert f"Image {IMAGE}" not in deployment.log_full("compute2")
