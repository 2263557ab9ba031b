"""``/os-services`` (admin only)."""

from .. import fakes

BASE = "/v2.1/os-services"


def test_index(client):
    resp = client.get(BASE, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"services": [
        {"id": 1, "binary": "minova-conductor", "host": "controller", "zone": "internal",
         "status": "enabled", "state": "up", "updated_at": "2026-11-21T05:35:49.123456",
         "disabled_reason": None},
        {"id": 2, "binary": "minova-compute", "host": "compute1", "zone": "nova",
         "status": "disabled", "state": "down", "updated_at": "2026-11-21T05:34:49.123456",
         "disabled_reason": "maintenance"},
    ]}


def test_filters(client):
    resp = client.get(BASE + "?binary=minova-compute&host=compute1", token=fakes.ADMIN_TOKEN)
    assert [s["id"] for s in resp.json["services"]] == [2]
    assert client.conductor_api.calls[-1] == (
        "service_get_all", {"binary": "minova-compute", "host": "compute1"})


def test_forbidden_for_members(client):
    resp = client.get(BASE)
    assert resp.status_int == 403
    assert resp.json["forbidden"]["message"] == (
        "Policy doesn't allow os_compute_api:os-services:list to be performed.")
    assert client.conductor_api.calls == []
