"""``/os-hypervisors`` (admin only)."""

import pytest

from .. import fakes

BASE = "/v2.1/os-hypervisors"


def test_index(client):
    resp = client.get(BASE, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"hypervisors": [{
        "id": 1, "hypervisor_hostname": "compute1.example.org",
        "state": "down", "status": "disabled",
    }]}


def test_detail(client):
    resp = client.get(BASE + "/detail", token=fakes.ADMIN_TOKEN)
    assert resp.json == {"hypervisors": [{
        "id": 1,
        "hypervisor_hostname": "compute1.example.org",
        "state": "down",
        "status": "disabled",
        "cpu_info": '{"arch": "x86_64"}',
        "current_workload": 0,
        "disk_available_least": 98,
        "free_disk_gb": 98,
        "free_ram_mb": 15360,
        "host_ip": "192.0.2.10",
        "hypervisor_type": "fake",
        "hypervisor_version": 1000,
        "local_gb": 100,
        "local_gb_used": 2,
        "memory_mb": 16384,
        "memory_mb_used": 1024,
        "running_vms": 2,
        "service": {"host": "compute1", "id": 2, "disabled_reason": "maintenance"},
        "vcpus": 8,
        "vcpus_used": 2,
    }]}


def test_enabled_and_up(client):
    node = client.conductor_api.compute_nodes[0]
    node["service"].update(disabled=False, disabled_reason=None, state="up")
    hyp = client.get(BASE, token=fakes.ADMIN_TOKEN).json["hypervisors"][0]
    assert (hyp["state"], hyp["status"]) == ("up", "enabled")


def test_show(client):
    resp = client.get(BASE + "/1", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json["hypervisor"]["hypervisor_hostname"] == "compute1.example.org"
    assert "vcpus_used" in resp.json["hypervisor"]


@pytest.mark.parametrize("hyp_id", ["2", "abc"])
def test_show_unknown(client, hyp_id):
    resp = client.get(f"{BASE}/{hyp_id}", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == (
        f"Hypervisor with ID '{hyp_id}' could not be found.")


@pytest.mark.parametrize("path", [BASE, BASE + "/detail", BASE + "/1"])
def test_forbidden_for_members(client, path):
    resp = client.get(path)
    assert resp.status_int == 403
    assert "forbidden" in resp.json
    assert not any(c[0].startswith("compute_node") for c in client.conductor_api.calls)
