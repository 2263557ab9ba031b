"""``/servers/{id}/os-instance-actions``."""

import hashlib
import uuid

import pytest

from minova import policy

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


pytestmark = pytest.mark.usefixtures("latest")


@pytest.fixture
def client():
    compute = fakes.FakeComputeAPI([
        fakes.make_instance(1), fakes.make_instance(2, project_id=fakes.OTHER_PROJECT)])
    compute.add_action(SERVER, REQ, events=[EVENT])
    compute.add_action(OTHER_SERVER, REQ, project_id=fakes.OTHER_PROJECT)
    return fakes.Client(compute)


def test_index(client):
    resp = client.get(BASE)
    assert resp.status_int == 200
    assert resp.json == {"instanceActions": [{
        "action": "create", "instance_uuid": SERVER, "request_id": REQ,
        "user_id": fakes.USER, "project_id": fakes.PROJECT,
        "start_time": "2026-11-21T05:30:49.123456", "message": None,
    }]}


def test_show_member(client):
    resp = client.get(f"{BASE}/{REQ}", headers=fakes.microversion("2.84"))
    assert resp.status_int == 200
    action = resp.json["instanceAction"]
    assert action["request_id"] == REQ
    assert action["events"] == [{
        "event": "compute_build_and_run_instance",
        "start_time": "2026-11-21T05:31:00.000000",
        "finish_time": "2026-11-21T05:31:05.500000",
        "result": "Error",
        "hostId": hashlib.sha224((fakes.PROJECT + "compute1").encode()).hexdigest(),
    }]


def test_show_admin_sees_traceback_and_host(client):
    action = client.get(f"{BASE}/{REQ}", token=fakes.ADMIN_TOKEN,
                        headers=fakes.microversion("2.62")).json["instanceAction"]
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
    assert not any(c[0].startswith("action") for c in client.compute_api.calls)


def test_admin_sees_other_projects_actions(client):
    resp = client.get(f"/v2.1/servers/{OTHER_SERVER}/os-instance-actions",
                      token=fakes.ADMIN_TOKEN)
    assert resp.status_int == 200
    assert len(resp.json["instanceActions"]) == 1


# --- microversions


def test_v251_members_see_events(client):
    """Before 2.51 only those who may see tracebacks (admins) get the events."""
    action = client.get(f"{BASE}/{REQ}", headers=fakes.microversion("2.50")).json["instanceAction"]
    assert "events" not in action
    assert action["request_id"] == REQ
    action = client.get(f"{BASE}/{REQ}", headers=fakes.microversion("2.51")).json["instanceAction"]
    assert [e["event"] for e in action["events"]] == ["compute_build_and_run_instance"]
    assert "traceback" not in action["events"][0]


@pytest.mark.parametrize("version", ["2.1", "2.50", "2.51"])
def test_admins_see_events_with_tracebacks_at_every_version(client, version):
    action = client.get(f"{BASE}/{REQ}", token=fakes.ADMIN_TOKEN,
                        headers=fakes.microversion(version)).json["instanceAction"]
    assert action["events"][0]["traceback"] == EVENT["traceback"]


@pytest.mark.parametrize("path", [BASE, f"{BASE}/{REQ}"])
def test_v221_deleted_servers_actions(client, path):
    client.compute_api.instances[SERVER].update(deleted=1, vm_state="deleted")
    resp = client.get(path, headers=fakes.microversion("2.20"))
    assert resp.status_int == 404
    assert "itemNotFound" in resp.json
    resp = client.get(path, headers=fakes.microversion("2.21"))
    assert resp.status_int == 200
    body = resp.json.get("instanceActions") or [resp.json["instanceAction"]]
    assert body[0]["request_id"] == REQ


def test_v221_another_projects_deleted_server_stays_hidden(client):
    client.compute_api.instances[OTHER_SERVER].update(deleted=2, vm_state="deleted")
    resp = client.get(f"/v2.1/servers/{OTHER_SERVER}/os-instance-actions",
                      headers=fakes.microversion("2.21"))
    assert resp.status_int == 404
    assert not any(c[0].startswith("action") for c in client.compute_api.calls)


# --- 2.58: paging, changes-since, updated_at; 2.66: changes-before


@pytest.fixture
def three(client):
    """Three more actions of SERVER, updated a minute apart (newest first in lists)."""
    for minute in (10, 20, 30):
        action = client.compute_api.add_action(SERVER, f"req-{minute}")
        action.update(start_time=f"2026-11-21T06:{minute}:00",
                      updated_at=f"2026-11-21T06:{minute}:30")
    client.compute_api.actions[SERVER].sort(key=lambda a: a["start_time"], reverse=True)
    return client


def _ids(resp) -> list[str]:
    assert resp.status_int == 200, resp.text
    return [a["request_id"] for a in resp.json["instanceActions"]]


def test_v258_updated_at(client):
    assert "updated_at" not in client.get(BASE,
                                          headers=fakes.microversion("2.57")).json["instanceActions"][0]
    action = client.get(BASE, headers=fakes.microversion("2.58")).json["instanceActions"][0]
    assert action["updated_at"] == "2026-11-21T05:31:49.123456"
    shown = client.get(f"{BASE}/{REQ}", headers=fakes.microversion("2.58")).json["instanceAction"]
    assert shown["updated_at"] == "2026-11-21T05:31:49.123456"


def test_v258_limit_and_marker(three):
    resp = three.get(BASE + "?limit=2", headers=fakes.microversion("2.58"))
    assert _ids(resp) == ["req-30", "req-20"]
    next_href = resp.json["links"][0]["href"]
    assert "marker=req-20" in next_href and "limit=2" in next_href
    assert _ids(three.get(BASE + "?limit=2&marker=req-20", headers=fakes.microversion("2.58"))) == [
        "req-10", REQ]
    # Before 2.58 the parameters mean nothing: every action, no links.
    resp = three.get(BASE + "?limit=2", headers=fakes.microversion("2.57"))
    assert len(_ids(resp)) == 4 and "links" not in resp.json


def test_v258_unknown_marker_is_a_400(three):
    resp = three.get(BASE + "?marker=req-nope", headers=fakes.microversion("2.58"))
    assert resp.status_int == 400
    assert resp.json["badRequest"]["message"] == "Marker req-nope could not be found."


def test_v258_changes_since(three):
    resp = three.get(BASE + "?changes-since=2026-11-21T06:20:30Z",
                     headers=fakes.microversion("2.58"))
    assert _ids(resp) == ["req-30", "req-20"]


@pytest.mark.parametrize("query", ["foo=bar", "limit=-1", "limit=x", "changes-since=yesterday",
                                   "limit=1&limit=2", "changes-before=2026-11-21T06:00:00Z"])
def test_v258_bad_query_is_a_400(three, query):
    resp = three.get(f"{BASE}?{query}", headers=fakes.microversion("2.58"))
    assert resp.status_int == 400, query
    assert "badRequest" in resp.json


def test_v266_changes_before(three):
    resp = three.get(BASE + "?changes-before=2026-11-21T06:20:30Z",
                     headers=fakes.microversion("2.66"))
    assert _ids(resp) == ["req-20", "req-10", REQ]
    resp = three.get(BASE + "?changes-since=2026-11-21T06:15:00&changes-before="
                     "2026-11-21T06:25:00", headers=fakes.microversion("2.66"))
    assert _ids(resp) == ["req-20"]


def test_v266_changes_before_must_not_precede_changes_since(three):
    resp = three.get(BASE + "?changes-since=2026-11-21T06:25:00&changes-before="
                     "2026-11-21T06:15:00", headers=fakes.microversion("2.66"))
    assert resp.status_int == 400
    assert "changes-since must be less than or equal to changes-before" in (
        resp.json["badRequest"]["message"])


# --- 2.62: hostId and host; 2.84: details


def test_v262_host_and_host_id(client):
    admin = fakes.ADMIN_TOKEN
    event = client.get(f"{BASE}/{REQ}", token=admin,
                       headers=fakes.microversion("2.61")).json["instanceAction"]["events"][0]
    assert "host" not in event and "hostId" not in event
    event = client.get(f"{BASE}/{REQ}", token=admin,
                       headers=fakes.microversion("2.62")).json["instanceAction"]["events"][0]
    assert event["host"] == "compute1"
    assert event["hostId"] == hashlib.sha224((fakes.PROJECT + "compute1").encode()).hexdigest()
    member = client.get(f"{BASE}/{REQ}", headers=fakes.microversion("2.62")).json["instanceAction"]
    assert "host" not in member["events"][0] and "hostId" in member["events"][0]


def test_v284_details_for_admins(client):
    admin = fakes.ADMIN_TOKEN
    event = client.get(f"{BASE}/{REQ}", token=admin,
                       headers=fakes.microversion("2.83")).json["instanceAction"]["events"][0]
    assert "details" not in event
    event = client.get(f"{BASE}/{REQ}", token=admin,
                       headers=fakes.microversion("2.84")).json["instanceAction"]["events"][0]
    assert event["details"] == "Build failed"


@pytest.mark.parametrize("version", ["2.84", "latest"])
def test_v284_details_hidden_from_the_project(client, version):
    # os-instance-actions:events:details is admin-only by default, as in Nova:
    # the scheduler's details name the hosts it weighed.
    for roles in ("member,reader", "reader"):
        event = client.get(f"{BASE}/{REQ}", headers={**fakes.microversion(version),
                                                     "X-Roles": roles}
                           ).json["instanceAction"]["events"][0]
        assert "details" not in event and "host" not in event and "traceback" not in event
        assert event["hostId"]


def test_details_policy_alone_shows_details(client, clean_conf, tmp_path):
    # An operator may open the details to the project without the tracebacks.
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        '"os_compute_api:os-instance-actions:events:details": "rule:project_reader_or_admin"\n')
    policy.init()  # registers the [oslo_policy] options
    clean_conf.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    event = client.get(f"{BASE}/{REQ}", headers=fakes.microversion("2.84")
                       ).json["instanceAction"]["events"][0]
    assert event["details"] == "Build failed"
    assert "traceback" not in event and "host" not in event
