"""``/os-hosts`` (admin only, up to 2.42)."""

import pytest

from .. import fakes

BASE = "/v2.1/os-hosts"


def _get(client, path: str = "", version: str = "2.1", token: str = fakes.ADMIN_TOKEN):
    return client.get(BASE + path, token=token, headers=fakes.microversion(version))


def _enable_compute1(client):
    client.host_api.services[1].update(disabled=False, state="up")


def test_index_lists_the_hosts_of_enabled_services(client):
    resp = _get(client)
    assert resp.status_int == 200
    # compute1's service is disabled: not listed, as Nova's
    assert resp.json == {"hosts": [
        {"host_name": "controller", "service": "conductor", "zone": "internal"}]}
    _enable_compute1(client)
    assert _get(client).json["hosts"][1] == {
        "host_name": "compute1", "service": "compute", "zone": "nova"}


@pytest.mark.parametrize("zone, hosts", [("nova", ["compute1"]), ("", ["controller",
                                                                        "compute1"]),
                                         ("xxx", [])])
def test_index_zone_filter(client, zone, hosts):
    _enable_compute1(client)
    resp = _get(client, f"?zone={zone}")
    assert [h["host_name"] for h in resp.json["hosts"]] == hosts


def test_show_a_compute_hosts_resources(client):
    client.host_api.host_instances["compute1"] = [
        fakes.make_instance(1, vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0),
        fakes.make_instance(2, project_id=fakes.OTHER_PROJECT, vcpus=2, memory_mb=1024,
                            root_gb=10, ephemeral_gb=5),
    ]
    resp = _get(client, "/compute1")
    assert resp.status_int == 200
    assert [r["resource"] for r in resp.json["host"]] == [
        {"host": "compute1", "project": "(total)", "cpu": 8, "memory_mb": 16384,
         "disk_gb": 100},
        {"host": "compute1", "project": "(used_now)", "cpu": 2, "memory_mb": 1024,
         "disk_gb": 2},
        {"host": "compute1", "project": "(used_max)", "cpu": 3, "memory_mb": 1536,
         "disk_gb": 16},
        {"host": "compute1", "project": fakes.PROJECT, "cpu": 1, "memory_mb": 512,
         "disk_gb": 1},
        {"host": "compute1", "project": fakes.OTHER_PROJECT, "cpu": 2, "memory_mb": 1024,
         "disk_gb": 15},
    ]


def test_show_unknown_host_is_404(client):
    resp = _get(client, "/nowhere")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Compute host nowhere could not be found."


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/compute1", {"status": "enable"}),
    ("PUT", "/compute1", {"maintenance_mode": "Disable"}),
    ("GET", "/compute1/startup", None),
    ("GET", "/compute1/shutdown", None),
    ("GET", "/compute1/reboot", None),
])
def test_host_actions_are_not_supported_by_minovas_drivers(client, method, path, body):
    resp = client.request(method, BASE + path, body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 501
    assert resp.json == {"notImplemented": {
        "code": 501, "message": "The requested functionality is not supported."}}
    assert client.host_api.mutating_calls() == []


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/nowhere", {"status": "enable"}),
    ("GET", "/nowhere/startup", None),
    ("GET", "/controller/reboot", None),  # not a compute host
])
def test_host_actions_on_unknown_hosts_are_404(client, method, path, body):
    resp = client.request(method, BASE + path, body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404


@pytest.mark.parametrize("body", [{}, {"status": "on"}, {"maintenance_mode": "x"},
                                  {"status": "enable", "other": 1}])
def test_bad_update_bodies_are_400(client, body):
    resp = client.request("PUT", BASE + "/compute1", body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400


@pytest.mark.parametrize("path", ["", "/compute1", "/compute1/reboot"])
def test_members_are_refused(client, path):
    assert _get(client, path, token=fakes.USER_TOKEN).status_int == 403


@pytest.mark.parametrize("path", ["", "/compute1", "/compute1/reboot"])
def test_gone_at_2_43(client, latest, path):
    resp = _get(client, path, version="2.43")
    assert resp.status_int == 404
    assert _get(client, path, version="2.42").status_int != 404 or path == "/nowhere"
