"""Disabling a compute service drains its host: the ComputeFilter passes it over.

Real processes on MariaDB: the admin disables compute1 through the 2.1
``PUT /os-services/disable-log-reason``; the running scheduler sees it on
its next host-state refresh (no restart), so new servers land on compute2;
with both disabled a build ends in ERROR with a fault naming ComputeFilter;
enabling compute1 again makes it schedulable at once.
"""

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"


def _put(api, action: str, host: str, **extra):
    body = {"host": host, "binary": "minova-compute", **extra}
    return api.request("PUT", f"/v2.1/os-services/{action}", body=body)


def _host_of(api, server_id: str) -> str:
    server = api.wait_for_status(server_id, timeout=120)
    assert server["status"] == "ACTIVE", server
    return server["OS-EXT-SRV-ATTR:host"]


def test_disabled_compute_gets_no_builds(deploy):
    deployment = deploy(backend="mysql")
    api = deployment.api
    deployment.wait_for_hypervisors_up(["compute1", "compute2"])

    status, body, headers = _put(api, "disable-log-reason", "compute1",
                                 disabled_reason="draining for maintenance")
    assert status == 200, body
    assert body == {"service": {"host": "compute1", "binary": "minova-compute",
                                "status": "disabled",
                                "disabled_reason": "draining for maintenance"}}
    assert headers["openstack-api-version"] == "compute 2.1"
    status, body, _ = api.get("/v2.1/os-services?binary=minova-compute")
    listed = {s["host"]: (s["status"], s["disabled_reason"]) for s in body["services"]}
    assert listed == {"compute1": ("disabled", "draining for maintenance"),
                      "compute2": ("enabled", None)}

    hosts = {_host_of(api, api.create_server(f"drained-{i}")) for i in range(3)}
    assert hosts == {"compute2"}

    assert _put(api, "disable", "compute2")[0] == 200
    server = api.wait_for_status(api.create_server("nowhere"), timeout=120)
    assert server["status"] == "ERROR"
    assert "ComputeFilter removed 2 of 2 hosts" in server["fault"]["message"]

    assert _put(api, "enable", "compute1")[0] == 200
    assert _host_of(api, api.create_server("back")) == "compute1"
    assert deployment.query(
        "SELECT disabled, disabled_reason FROM services WHERE host = 'compute1' "
        "AND `binary` = 'minova-compute'") == [(0, None)]

    # Members may not; a non-compute service cannot be disabled.
    user = api.as_user("alice:demo")
    assert _put(user, "disable", "compute1")[0] == 403
    conductor = api.get("/v2.1/os-services?binary=minova-conductor")[1]["services"][0]
    status, body, _ = api.request("PUT", "/v2.1/os-services/disable",
                                  body={"host": conductor["host"],
                                        "binary": "minova-conductor"})
    assert status == 400 and "Only minova-compute services" in body["badRequest"]["message"]
    deployment.check_alive()
