"""``POST /os-server-external-events`` (admins and services)."""

import uuid

import pytest

from .. import fakes

URL = "/v2.1/os-server-external-events"
PLACED = str(uuid.UUID(int=1))
UNPLACED = str(uuid.UUID(int=2))
OTHERS = str(uuid.UUID(int=3))
UNKNOWN = str(uuid.UUID(int=99))


@pytest.fixture
def client():
    return fakes.Client(fakes.FakeComputeAPI([
        fakes.make_instance(1),
        fakes.make_instance(2, host=None, vm_state="building"),
        fakes.make_instance(3, project_id=fakes.OTHER_PROJECT),
    ]))


def _post(client, events, version="2.1", token=fakes.ADMIN_TOKEN):
    return client.request("POST", URL, body={"events": events}, token=token,
                          headers=fakes.microversion(version))


def test_all_accepted_is_200(client):
    resp = _post(client, [{"name": "network-changed", "server_uuid": PLACED},
                          {"name": "network-vif-plugged", "server_uuid": OTHERS,
                           "tag": "port-1", "status": "failed"}])
    assert resp.status_int == 200
    assert resp.json == {"events": [
        {"name": "network-changed", "server_uuid": PLACED, "status": "completed",
         "code": 200},
        {"name": "network-vif-plugged", "server_uuid": OTHERS, "tag": "port-1",
         "status": "completed", "code": 200}]}


def test_unknown_and_unplaced_servers_are_207(client):
    resp = _post(client, [{"name": "network-changed", "server_uuid": UNKNOWN},
                          {"name": "network-changed", "server_uuid": UNKNOWN},
                          {"name": "network-changed", "server_uuid": UNPLACED},
                          {"name": "network-changed", "server_uuid": PLACED}])
    assert resp.status_int == 207
    assert [(e["code"], e["status"]) for e in resp.json["events"]] == [
        (404, "failed"), (404, "failed"), (422, "failed"), (200, "completed")]


def test_only_unknown_servers_is_still_207(client):
    resp = _post(client, [{"name": "network-changed", "server_uuid": UNKNOWN}])
    assert resp.status_int == 207 and resp.json["events"][0]["code"] == 404


def test_a_tag_is_required_for_some_events(client, latest):
    resp = _post(client, [{"name": "power-update", "server_uuid": PLACED}], "2.76")
    assert resp.status_int == 207 and resp.json["events"][0]["code"] == 400
    resp = _post(client, [{"name": "power-update", "server_uuid": PLACED,
                           "tag": "POWER_OFF"}], "2.76")
    assert resp.status_int == 200


@pytest.mark.parametrize("version, name, code", [
    ("2.50", "volume-extended", 400), ("2.51", "volume-extended", 207),
    ("2.75", "power-update", 400), ("2.81", "accelerator-request-bound", 400),
    ("2.92", "volume-reimaged", 400), ("2.93", "volume-reimaged", 200),
])
def test_event_names_by_version(client, latest, version, name, code):
    resp = _post(client, [{"name": name, "server_uuid": PLACED}], version)
    assert resp.status_int == code


@pytest.mark.parametrize("body", [
    {"events": []}, {}, {"events": [{"name": "network-changed"}]},
    {"events": [{"name": "bogus", "server_uuid": PLACED}]},
    {"events": [{"name": "network-changed", "server_uuid": "nope"}]},
    {"events": [{"name": "network-changed", "server_uuid": PLACED, "status": "x"}]},
    {"events": [{"name": "network-changed", "server_uuid": PLACED, "x": 1}]},
])
def test_bad_bodies_are_400(client, body):
    resp = client.request("POST", URL, body=body, token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 400


def test_members_are_refused(client):
    resp = _post(client, [{"name": "network-changed", "server_uuid": PLACED}],
                 token=fakes.USER_TOKEN)
    assert resp.status_int == 403
