"""``/servers/{id}/os-instance-actions``."""

import hashlib
import uuid

import pytest

from .. import fakes

SERVER = str(uuid.UUID(int=1))
OTHER_SERVER = str(uuid.UUID(int=2))
REQ = "req-11111111-2222-3333-4444-555555555555"
BASE = f"/v2.1/servers/{SERVER}/os-instance-actions"

EVENT = {
    "event": "compute_build_and_run_instance", "start_time": "2026-11-21T05:31:00",
    "finish_time": "2026-11-21T05:31:05.5", "result": "Error",
    "traceback": "Traceback (most recent call last): ...", "host": "compute1",
    "details": "Build failed",
}


@pytest.fixture
def client():
    compute = fakes.FakeComputeAPI([
        fakes.make_instance(1), fakes.make_instance(2, project_id=fakes.OTHER_PROJECT)])
    conductor = fakes.FakeConductorAPI()
    conductor.add_action(SERVER, REQ, events=[EVENT])
    conductor.add_action(OTHER_SERVER, REQ, project_id=fakes.OTHER_PROJECT)
    return fakes.Client(compute, conductor)


def test_index(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert resp.json == {"instanceActions": [{
        "action": "create", "instance_uuid": SERVER, "request_id": REQ,
        "user_id": fakes.USER, "project_id": fakes.PROJECT,
        "start_time": "2026-11-21T05:30:49.123456", "message": None,
    }]}


def test_show_member(client):
    resp = client.get(f"{BASE}/{REQ}")
    assert resp.status_int == 200
    action = resp.json["instanceAction"]
    assert action["request_id"] == REQ
    assert action["events"] == [{
        "event": "compute_build_and_run_instance",
        "start_time": "2026-11-21T05:31:00.000000",
        "finish_time": "2026-11-21T05:31:05.500000",
        "result": "Error",
        "hostId": hashlib.sha224((fakes.PROJECT + "compute1").encode()).hexdigest(),
        "details": "Build failed",
    }]


def test_show_admin_sees_traceback_and_host(client):
    action = client.get(f"{BASE}/{REQ}", token=fakes.ADMIN_TOKEN).json["instanceAction"]
    event = action["events"][0]
    assert event["traceback"] == EVENT["traceback"]
    assert event["host"] == "compute1"


def test_unknown_action(client):
    resp = client.get(f"{BASE}/req-nope")
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["message"] == "Action req-nope not found"


@pytest.mark.parametrize("path", [
    f"/v2.1/servers/{OTHER_SERVER}/os-instance-actions",
    f"/v2.1/servers/{OTHER_SERVER}/os-instance-actions/{REQ}",
    "/v2.1/servers/not-a-uuid/os-instance-actions",
])
def test_server_must_be_visible(client, path):
    resp = client.get(path)
    assert resp.status_int == 404
    assert "itemNotFound" in resp.json
    assert not any(c[0].startswith("action") for c in client.conductor_api.calls)


def test_admin_sees_other_projects_actions(client):
    resp = client.get(f"/v2.1/servers/{OTHER_SERVER}/os-instance-actions",
                      token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert len(resp.json["instanceActions"]) == 1
