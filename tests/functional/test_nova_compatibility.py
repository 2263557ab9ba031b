"""Details Nova's clients (Tempest's compute API tests) rely on, over HTTP.

One MariaDB deployment for the module (real api, conductor, scheduler and
two fake computes): each test reads or changes what it made itself.
"""

import pytest

IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b"
IMAGES = "/image/v2/images"


def _v(version: str) -> dict:
    return {"OpenStack-API-Version": f"compute {version}"}


@pytest.fixture(scope="module")
def deployment(shared_mysql):
    shared_mysql.wait_for_hypervisors_up(["compute1", "compute2"])
    return shared_mysql


@pytest.fixture(scope="module")
def active_server(deployment):
    api = deployment.api
    server = api.wait_for_status(api.create_server("compat-vm"), timeout=120)
    assert server["status"] == "ACTIVE", server
    return server


def test_services_by_novas_binary_name(deployment):
    api = deployment.api
    status, body, _ = api.get("/v2.1/os-services?binary=nova-compute")
    assert status == 200
    assert sorted((s["host"], s["binary"]) for s in body["services"]) == [
        ("compute1", "nova-compute"), ("compute2", "nova-compute")]
    _, body, _ = api.get("/v2.1/os-services")
    assert {s["binary"] for s in body["services"]} >= {"minova-compute", "minova-conductor"}


def test_console_output_tail_and_length(deployment, active_server):
    api = deployment.api
    url = f"/v2.1/servers/{active_server['id']}/action"
    status, body, _ = api.post(url, {"os-getConsoleOutput": {"length": 3}})
    assert status == 200 and len(body["output"].split("\n")) == 3
    _, body, _ = api.post(url, {"os-getConsoleOutput": {}})
    assert len(body["output"].split("\n")) > 10


def test_access_ipv6_is_canonical(deployment, active_server):
    api = deployment.api
    status, body, _ = api.request(
        "PUT", f"/v2.1/servers/{active_server['id']}",
        body={"server": {"accessIPv6": "0000:0000:0000:0000:0000:babe:220.12.22.2"}})
    assert status == 200 and body["server"]["accessIPv6"] == "::babe:dc0c:1602"
    assert api.server(active_server["id"])["accessIPv6"] == "::babe:dc0c:1602"


def test_image_bigger_than_the_flavor_is_refused(deployment):
    api = deployment.api
    status, image, _ = api.post(IMAGES, {"name": "needs-ram", "disk_format": "raw",
                                         "container_format": "bare", "min_ram": 1024 * 1024})
    assert status == 201
    status, _, _ = api.request("PUT", f"{IMAGES}/{image['id']}/file", raw=b"disk",
                               headers={"Content-Type": "application/octet-stream"})
    assert status == 204
    status, body, _ = api.post("/v2.1/servers", {"server": {
        "name": "too-big", "flavorRef": "1", "imageRef": image["id"]}})
    assert status == 400
    assert body["badRequest"]["message"] == "Flavor's memory is too small for requested image."

    # ... and the image proxy deletes it, up to 2.35.
    status, body, _ = api.delete(f"/v2.1/images/{image['id']}")
    assert status == 204
    assert api.get(f"{IMAGES}/{image['id']}")[0] == 404
    assert api.delete(f"/v2.1/images/{image['id']}", headers=_v("2.36"))[0] == 404


def test_flavor_extra_spec_delete_is_200(deployment):
    api = deployment.api
    status, _, _ = api.post("/v2.1/flavors/1/os-extra_specs", {"extra_specs": {"k": "v"}})
    assert status == 200
    status, body, _ = api.delete("/v2.1/flavors/1/os-extra_specs/k")
    assert (status, body) == (200, b"")


def test_root_lists_v2_and_v2_serves_2_1(deployment):
    api = deployment.api
    _, body, _ = api.get("/")
    assert [v["id"] for v in body["versions"]] == ["v2.0", "v2.1"]
    _, body, _ = api.get("/v2/")
    assert body["version"]["id"] == "v2.0"
    status, body, headers = api.get("/v2/flavors", headers=_v("2.55"))
    assert status == 200 and "openstack-api-version" not in headers
    assert "description" not in body["flavors"][0]  # served at 2.1


def test_hypervisor_routes_nova_removed(deployment, active_server):
    api = deployment.api
    status, body, _ = api.get("/v2.1/os-hypervisors/statistics")
    assert status == 200 and body["hypervisor_statistics"]["count"] == 2
    assert body["hypervisor_statistics"]["running_vms"] >= 1
    _, hypervisors, _ = api.get("/v2.1/os-hypervisors")
    first = hypervisors["hypervisors"][0]
    status, body, _ = api.get(f"/v2.1/os-hypervisors/{first['id']}/uptime")
    assert status == 200 and "load average" in body["hypervisor"]["uptime"]
    status, body, _ = api.get("/v2.1/os-hypervisors/compute/search")
    assert status == 200 and len(body["hypervisors"]) == 2
    status, body, _ = api.get(
        f"/v2.1/os-hypervisors/{active_server['OS-EXT-SRV-ATTR:hypervisor_hostname']}/servers")
    assert status == 200
    assert active_server["id"] in [s["uuid"] for s in body["hypervisors"][0]["servers"]]
    assert api.get("/v2.1/os-hypervisors/statistics", headers=_v("2.88"))[0] == 404


def test_os_hosts_up_to_2_42(deployment):
    api = deployment.api
    status, body, _ = api.get("/v2.1/os-hosts")
    assert status == 200
    assert {("compute1", "compute"), ("compute2", "compute")} <= {
        (h["host_name"], h["service"]) for h in body["hosts"]}
    status, body, _ = api.get("/v2.1/os-hosts/compute1")
    assert status == 200
    assert [r["resource"]["project"] for r in body["host"]][:3] == [
        "(total)", "(used_now)", "(used_max)"]
    assert api.get("/v2.1/os-hosts/compute1/reboot")[0] == 501
    assert api.get("/v2.1/os-hosts/nowhere")[0] == 404
    assert api.get("/v2.1/os-hosts", headers=_v("2.43"))[0] == 404


def test_image_metadata_proxy_up_to_2_38(deployment):
    api = deployment.api
    status, image, _ = api.post(IMAGES, {"name": "with-meta", "disk_format": "raw",
                                         "container_format": "bare", "os_distro": "cirros"})
    assert status == 201
    url = f"/v2.1/images/{image['id']}/metadata"
    status, body, _ = api.post(url, {"metadata": {"arch": "x86_64"}})
    assert status == 200 and body["metadata"] == {"os_distro": "cirros", "arch": "x86_64"}
    assert api.get(f"{IMAGES}/{image['id']}")[1]["arch"] == "x86_64"
    assert api.delete(f"{url}/os_distro")[0] == 204
    assert api.get(url)[1] == {"metadata": {"arch": "x86_64"}}
    assert api.get(url, headers=_v("2.39"))[0] == 404


def test_instance_usage_audit_log(deployment):
    api = deployment.api
    status, body, _ = api.get("/v2.1/os-instance_usage_audit_log")
    assert status == 200
    log = body["instance_usage_audit_logs"]
    assert sorted(log["hosts_not_run"]) == ["compute1", "compute2"]
    assert log["overall_status"] == "0 of 2 hosts done. 0 errors."
    status, body, _ = api.get("/v2.1/os-instance_usage_audit_log/2026-03-05%2010:00:00")
    assert status == 200
    assert body["instance_usage_audit_log"]["period_beginning"] == "2026-02-01 00:00:00"
    assert api.get("/v2.1/os-instance_usage_audit_log/bad")[0] == 400


def test_extensions(deployment):
    api = deployment.api.as_user("alice:demo")
    status, body, _ = api.get("/v2.1/extensions")
    assert status == 200 and "Hosts" in [e["name"] for e in body["extensions"]]
    status, body, _ = api.get("/v2.1/extensions/os-consoles")
    assert status == 200 and body["extension"]["alias"] == "os-consoles"


def test_migrations_none_yet(deployment):
    api = deployment.api
    assert api.get("/v2.1/os-migrations")[1] == {"migrations": []}
    status, body, _ = api.get("/v2.1/os-migrations?limit=2&project_id=admin",
                              headers=_v("2.80"))
    assert (status, body) == (200, {"migrations": []})
    assert api.get("/v2.1/os-migrations?bogus=1", headers=_v("2.59"))[0] == 400
    assert api.as_user("alice:demo").get("/v2.1/os-migrations")[0] == 403


def test_quota_class_default_sets_every_projects_defaults(deployment):
    api = deployment.api
    status, body, _ = api.get("/v2.1/os-quota-class-sets/default")
    assert status == 200 and body["quota_class_set"]["id"] == "default"
    original = body["quota_class_set"]["key_pairs"]
    status, body, _ = api.request("PUT", "/v2.1/os-quota-class-sets/default",
                                  body={"quota_class_set": {"key_pairs": original + 7}})
    try:
        assert status == 200 and body["quota_class_set"]["key_pairs"] == original + 7
        _, body, _ = api.get("/v2.1/os-quota-sets/demo/defaults")
        assert body["quota_set"]["key_pairs"] == original + 7
    finally:
        api.request("PUT", "/v2.1/os-quota-class-sets/default",
                    body={"quota_class_set": {"key_pairs": original}})


def test_per_user_quotas(deployment):
    """A user's instances limit within the project's, enforced at create."""
    api = deployment.api
    project_limit = api.get("/v2.1/os-quota-sets/quotademo")[1]["quota_set"]["instances"]
    path = "/v2.1/os-quota-sets/quotademo?user_id=carol"
    status, body, _ = api.request("PUT", path, body={"quota_set": {"instances": 1}})
    assert status == 200 and body["quota_set"]["instances"] == 1
    assert api.get("/v2.1/os-quota-sets/quotademo")[1]["quota_set"]["instances"] == (
        project_limit)
    carol = api.as_user("carol:quotademo")
    first = carol.create_server("carol-1")
    status, body, _ = carol.post("/v2.1/servers", {"server": {
        "name": "carol-2", "flavorRef": "1", "imageRef": IMAGE}})
    assert status == 403
    assert body["forbidden"]["message"] == (
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances")
    dave = api.as_user("dave:quotademo")
    second = dave.create_server("dave-1")  # dave has the project's limit
    assert api.delete(path)[0] == 202
    assert api.get(path)[1]["quota_set"]["instances"] == project_limit
    for user, server_id in ((carol, first), (dave, second)):
        user.delete(f"/v2.1/servers/{server_id}")
        user.wait_for_gone(server_id, timeout=120)


def test_server_external_events(deployment, active_server):
    api = deployment.api
    unknown = "00000000-0000-4000-8000-00000000dead"
    status, body, _ = api.post("/v2.1/os-server-external-events", {"events": [
        {"name": "network-changed", "server_uuid": active_server["id"]},
        {"name": "network-vif-plugged", "server_uuid": unknown}]})
    assert status == 207
    assert [e["code"] for e in body["events"]] == [200, 404]
    status, _, _ = api.as_user("alice:demo").post("/v2.1/os-server-external-events", {
        "events": [{"name": "network-changed", "server_uuid": active_server["id"]}]})
    assert status == 403


def test_os_networks_without_networks(deployment):
    api = deployment.api.as_user("alice:demo")
    assert api.get("/v2.1/os-networks")[1] == {"networks": []}
    assert api.get("/v2.1/os-networks/any")[0] == 404
    assert deployment.api.post("/v2.1/os-networks", {"network": {}})[0] == 410
    assert api.get("/v2.1/os-networks", headers=_v("2.36"))[0] == 404


def test_security_group_actions_without_a_network_service(deployment, active_server):
    api = deployment.api
    status, body, _ = api.post(f"/v2.1/servers/{active_server['id']}/action",
                               {"addSecurityGroup": {"name": "default"}})
    assert status == 404
    assert body["itemNotFound"]["message"].startswith("Security group default is not found")
