"""Aggregates and availability zones end to end, on PostgreSQL with two fake computes.

An aggregate's zone must reach the zone listings, the service list, the
create-time zone check and the scheduler (without restarting it: the
aggregate change bumps the hosts' generations, which its incremental
refresh picks up).
"""

USER_TOKEN = "alice:demo"
IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _boot(api, name: str, zone: str) -> tuple[int, dict]:
    status, body, _ = api.post("/v2.1/servers", {"server": {
        "name": name, "flavorRef": "1", "imageRef": IMAGE, "availability_zone": zone}})
    return status, body


def _boot_active(api, name: str, zone: str) -> dict:
    status, body = _boot(api, name, zone)
    assert status == 202, body
    server = api.wait_for_status(body["server"]["id"], timeout=120)
    assert server["status"] == "ACTIVE", server
    return server


def test_aggregate_zone_reaches_listings_and_scheduling(deploy):
    deployment = deploy(backend="postgresql")
    api = deployment.api
    user = api.as_user(USER_TOKEN)

    status, body, _ = api.post("/v2.1/os-aggregates",
                               {"aggregate": {"name": "agg1", "availability_zone": "az1"}})
    assert status == 200, body
    agg_id = body["aggregate"]["id"]
    status, body, _ = api.post(f"/v2.1/os-aggregates/{agg_id}/action",
                               {"add_host": {"host": "compute2"}})
    assert status == 200 and body["aggregate"]["hosts"] == ["compute2"], body

    status, body, _ = api.get("/v2.1/os-availability-zone/detail")
    assert status == 200
    zones = {z["zoneName"]: z for z in body["availabilityZoneInfo"]}
    assert set(zones["az1"]["hosts"]) == {"compute2"}
    assert set(zones["nova"]["hosts"]) == {"compute1"}
    assert zones["az1"]["hosts"]["compute2"]["minova-compute"]["active"] is True
    assert "minova-conductor" in zones["internal"]["hosts"][next(iter(
        zones["internal"]["hosts"]))]
    status, body, _ = api.get("/v2.1/os-services?binary=minova-compute")
    assert {s["host"]: s["zone"] for s in body["services"]} == {"compute1": "nova",
                                                                "compute2": "az1"}

    # A member project: zone names only, no aggregates, no hosts.
    status, body, _ = user.get("/v2.1/os-availability-zone")
    assert status == 200
    assert {z["zoneName"] for z in body["availabilityZoneInfo"]} == {"nova", "az1"}
    assert all(z["hosts"] is None for z in body["availabilityZoneInfo"])
    assert user.get("/v2.1/os-availability-zone/detail")[0] == 403
    status, body, _ = user.get("/v2.1/os-aggregates")
    assert status == 403 and body["forbidden"]["code"] == 403
    assert user.post("/v2.1/os-aggregates", {"aggregate": {"name": "mine"}})[0] == 403

    # Booting into az1 lands on compute2, the only host there.
    server = _boot_active(user, "in-az1", "az1")
    seen_by_admin = api.server(server["id"])
    assert seen_by_admin["OS-EXT-SRV-ATTR:host"] == "compute2"
    assert seen_by_admin["OS-EXT-AZ:availability_zone"] == "az1"

    status, body = _boot(user, "nowhere", "atlantis")
    assert status == 400 and body["badRequest"]["code"] == 400
    assert deployment.query("SELECT COUNT(*) FROM instances WHERE display_name = 'nowhere'"
                            )[0][0] == 0

    # compute1 joins az1: the running scheduler must see it on its next refresh.
    status, body, _ = api.post(f"/v2.1/os-aggregates/{agg_id}/action",
                               {"add_host": {"host": "compute1"}})
    assert status == 200 and sorted(body["aggregate"]["hosts"]) == ["compute1", "compute2"]
    hosts = {api.server(_boot_active(user, f"again-{i}", "az1")["id"])[
        "OS-EXT-SRV-ATTR:host"] for i in range(2)}
    assert "compute1" in hosts

    # Zone "nova" has no host left: it is not offered any more.
    status, body, _ = user.get("/v2.1/os-availability-zone")
    assert {z["zoneName"] for z in body["availabilityZoneInfo"]} == {"az1"}

    # An aggregate with hosts cannot be deleted.
    status, body, _ = api.delete(f"/v2.1/os-aggregates/{agg_id}")
    assert status == 400 and "not empty" in body["badRequest"]["message"]
    deployment.check_alive()
