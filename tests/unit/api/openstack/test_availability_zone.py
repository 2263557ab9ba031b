"""``/os-availability-zone``: names for everyone, hosts and services for admins."""

import pytest

from .. import fakes

BASE = "/v2.1/os-availability-zone"


def _service(id, host, binary, zone, disabled=False, state="up"):
    return {"id": id, "uuid": f"u{id}", "host": host, "binary": binary,
            "topic": binary.split("-")[-1], "report_count": 1, "disabled": disabled,
            "disabled_reason": None, "forced_down": False,
            "last_seen_up": "2026-11-21T05:30:49.123456", "created_at": "2026-11-21T05:00:00",
            "updated_at": "2026-11-21T05:30:49.123456", "state": state, "zone": zone}


@pytest.fixture
def client():
    hosts = fakes.FakeHostAPI()
    hosts.services = [
        _service(1, "controller", "minova-conductor", "internal"),
        _service(2, "compute1", "minova-compute", "nova"),
        _service(3, "compute2", "minova-compute", "az1", state="down"),
        _service(4, "compute3", "minova-compute", "az3", disabled=True),
    ]
    return fakes.Client(host_api=hosts)


def test_list_is_for_everyone_and_hides_internal_and_hosts(client):
    resp = client.get(BASE, token=fakes.USER_TOKEN)
    assert resp.status_int == 200
    assert resp.json == {"availabilityZoneInfo": [
        {"zoneName": "nova", "zoneState": {"available": True}, "hosts": None},
        {"zoneName": "az1", "zoneState": {"available": True}, "hosts": None},
        {"zoneName": "az3", "zoneState": {"available": False}, "hosts": None},
    ]}


def test_detail_lists_hosts_and_services_for_admins(client):
    resp = client.get(BASE + "/detail", token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    info = {z["zoneName"]: z for z in resp.json["availabilityZoneInfo"]}
    assert list(info) == ["internal", "nova", "az1", "az3"]
    assert info["internal"]["hosts"] == {"controller": {"minova-conductor": {
        "available": True, "active": True, "updated_at": "2026-11-21T05:30:49.123456"}}}
    assert info["az1"]["hosts"]["compute2"]["minova-compute"]["available"] is False
    assert info["az3"] == {"zoneName": "az3", "zoneState": {"available": False},
                           "hosts": None}


def test_detail_is_403_for_non_admins(client):
    resp = client.get(BASE + "/detail", token=fakes.USER_TOKEN)
    assert resp.status_int == 403
    assert "forbidden" in resp.json
