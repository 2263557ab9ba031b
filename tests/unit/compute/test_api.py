"""Nova's lifecycle rules in the compute API facade, and the server action API over it.

The conductor and compute RPC clients are replaced by small stand-ins that
keep one instance in memory and apply the conductor's compare-and-swap;
the real ones are exercised by the functional tests.
"""

import json

import pytest
import webob

from minova import exception
from minova.api import app as api_app
from minova.api import facades
from minova.compute import api as compute_api
from minova.objects import states

UUID = "6f2b1c1e-1111-4222-8333-944444444444"


class StandInConductor:
    def __init__(self, vm_state="active", task_state=None, host="c1"):
        self.instance = {"uuid": UUID, "id": 1, "project_id": "demo", "user_id": "alice",
                         "vm_state": vm_state, "task_state": task_state, "host": host}
        self.actions = []

    def instance_get(self, ctxt, uuid):
        if uuid != UUID or (not ctxt.is_admin and ctxt.project_id != "demo"):
            raise exception.InstanceNotFound(instance_id=uuid)
        return dict(self.instance)

    def start_instance_action(self, ctxt, uuid, action, expected_vm_state,
                              expected_task_state, task_state):
        inst = self.instance
        if inst["vm_state"] not in expected_vm_state:
            raise exception.InstanceInvalidState(action=action, instance_uuid=uuid,
                                                 attr="vm_state", state=inst["vm_state"])
        if inst["task_state"] not in expected_task_state:
            raise exception.InstanceInvalidState(action=action, instance_uuid=uuid,
                                                 attr="task_state", state=inst["task_state"])
        inst["task_state"] = task_state
        self.actions.append(action)
        return dict(inst)


class RecordingCompute:
    def __init__(self):
        self.casts = []

    def __getattr__(self, name):
        def record(ctxt, host, instance, *args, **kwargs):
            self.casts.append((name, host, args, kwargs))
            return "line1\nline2\nline3\n" if name == "get_console_output" else None
        return record


def _api(**state):
    conductor = StandInConductor(**state)
    return compute_api.API(conductor, RecordingCompute(), compute_task_api=conductor), conductor


@pytest.mark.parametrize("action, vm_state, task_state_after, method", [
    ("stop", "active", states.POWERING_OFF, "stop_instance"),
    ("stop", "error", states.POWERING_OFF, "stop_instance"),
    ("start", "stopped", states.POWERING_ON, "start_instance"),
    ("pause", "active", states.PAUSING, "pause_instance"),
    ("unpause", "paused", states.UNPAUSING, "unpause_instance"),
    ("suspend", "active", states.SUSPENDING, "suspend_instance"),
    ("resume", "suspended", states.RESUMING, "resume_instance"),
])
def test_allowed_actions_set_task_state_and_cast_to_the_host(ctxt_factory, action, vm_state,
                                                             task_state_after, method):
    api, conductor = _api(vm_state=vm_state)
    getattr(api, action)(ctxt_factory(project="demo"), dict(conductor.instance))
    assert conductor.instance["task_state"] == task_state_after
    assert api.compute_rpc.casts[0][:2] == (method, "c1")
    assert conductor.actions == [action]


@pytest.mark.parametrize("action, vm_state, task_state", [
    ("start", "active", None),
    ("stop", "stopped", None),
    ("pause", "paused", None),
    ("unpause", "active", None),
    ("resume", "active", None),
    ("suspend", "active", states.POWERING_OFF),
])
def test_disallowed_actions_are_409_and_cast_nothing(ctxt_factory, action, vm_state,
                                                     task_state):
    api, conductor = _api(vm_state=vm_state, task_state=task_state)
    with pytest.raises(exception.InstanceInvalidState) as err:
        getattr(api, action)(ctxt_factory(project="demo"), dict(conductor.instance))
    assert err.value.code == 409
    assert api.compute_rpc.casts == [] and conductor.actions == []


def test_soft_reboot_needs_active_but_hard_reboot_does_not(ctxt_factory):
    api, conductor = _api(vm_state="stopped")
    with pytest.raises(exception.InstanceInvalidState):
        api.reboot(ctxt_factory(project="demo"), dict(conductor.instance), "SOFT")
    api.reboot(ctxt_factory(project="demo"), dict(conductor.instance), "hard")
    assert conductor.instance["task_state"] == states.REBOOTING_HARD
    assert api.compute_rpc.casts == [("reboot_instance", "c1", ("HARD",), {})]


def test_hard_reboot_may_interrupt_a_stuck_soft_reboot(ctxt_factory):
    api, conductor = _api(task_state=states.REBOOTING)
    api.reboot(ctxt_factory(project="demo"), dict(conductor.instance), "HARD")
    assert conductor.instance["task_state"] == states.REBOOTING_HARD


def test_actions_on_a_server_without_host_are_409(ctxt_factory):
    api, conductor = _api(vm_state="error", host=None)
    with pytest.raises(exception.InstanceNotReady) as err:
        api.stop(ctxt_factory(project="demo"), dict(conductor.instance))
    assert err.value.code == 409
    with pytest.raises(exception.InstanceNotReady):
        api.get_console_output(ctxt_factory(project="demo"), dict(conductor.instance))


@pytest.mark.parametrize("min_count, max_count, count, sent_min", [
    (1, 1, 1, 1), (2, 5, 5, 2), (3, 3, 3, 3)])
def test_create_sends_min_count_with_the_request(ctxt_factory, min_count, max_count, count,
                                                 sent_min):
    calls = []

    class Recording:
        def schedule_and_build_instances(self, ctxt, base, count, request_spec,
                                         instance_uuids):
            calls.append((count, request_spec))
            assert len(set(instance_uuids)) == count  # chosen by the api, one each
            return [{"uuid": u} for u in instance_uuids]

    api = compute_api.API(object(), RecordingCompute(), compute_task_api=Recording())
    instances, _ = api.create(ctxt_factory(project="demo"), name="vm", flavor_ref="1",
                              image_ref=None, min_count=min_count, max_count=max_count)
    [(sent_count, spec)] = calls
    assert sent_count == count and spec["min_count"] == sent_min and len(instances) == count


@pytest.mark.parametrize("hostname", [None, "db.example.org"])
def test_create_sends_a_given_hostname_only(ctxt_factory, hostname):
    """API 2.90: the hostname goes to the conductor with the instance's values;
    without one the conductor derives it from the name."""
    bases = []

    class Recording:
        def schedule_and_build_instances(self, ctxt, base, count, request_spec,
                                         instance_uuids):
            bases.append(base)
            return [{"uuid": "u"}]

    api = compute_api.API(object(), RecordingCompute(), compute_task_api=Recording())
    api.create(ctxt_factory(project="demo"), name="vm", flavor_ref="1", image_ref=None,
               hostname=hostname)
    assert bases[0].get("hostname") == hostname and ("hostname" in bases[0]) == bool(hostname)


# --- the REST layer over the facade


def _request(app, body, token="alice:demo", uuid=UUID):
    req = webob.Request.blank(f"/v2.1/servers/{uuid}/action", method="POST",
                              headers={"X-Auth-Token": token,
                                       "Content-Type": "application/json"},
                              body=json.dumps(body).encode())
    resp = req.get_response(app)
    return resp.status_int, (json.loads(resp.body) if resp.body else None)


@pytest.fixture
def rest():
    conductor = StandInConductor()
    apis = facades.build(conductor, RecordingCompute(), compute_task_api=conductor)
    return api_app.make_app(apis), apis.compute, conductor


def test_action_answers_202_without_body(rest):
    app, api, conductor = rest
    assert _request(app, {"os-stop": None}) == (202, None)
    assert conductor.instance["task_state"] == states.POWERING_OFF


def test_conflict_body_is_novas(rest):
    app, _api_, _ = rest
    status, body = _request(app, {"os-start": None})
    assert status == 409
    assert "Cannot 'start' instance" in body["conflictingRequest"]["message"]


@pytest.mark.parametrize("body", [
    {"reboot": {"type": "bogus"}},
    {"reboot": {}},
    {"reboot": None},
    {"os-stop": {"force": True}},
    {"explode": None},
    {"os-getConsoleOutput": {"length": "x"}},
    {"os-getConsoleOutput": {"length": -2}},
    {},
])
def test_bad_action_bodies_are_400_and_change_nothing(rest, body):
    app, api, conductor = rest
    status, reply = _request(app, body)
    assert status == 400 and reply["badRequest"]["code"] == 400
    assert conductor.actions == [] and api.compute_rpc.casts == []


def test_console_output_returns_the_compute_hosts_text(rest):
    app, api, _ = rest
    status, body = _request(app, {"os-getConsoleOutput": {"length": "2"}})
    assert status == 200 and body == {"output": "line1\nline2\nline3\n"}
    assert api.compute_rpc.casts[0][0] == "get_console_output"
    assert api.compute_rpc.casts[0][2] == (2,)


def test_other_projects_server_is_404(rest):
    app, api, conductor = rest
    status, body = _request(app, {"os-stop": None}, token="bob:other")
    assert status == 404 and "itemNotFound" in body
    assert conductor.actions == []


def test_host_statuses_ask_for_the_compute_services_once(ctxt_factory):
    class Services:
        def __init__(self):
            self.asked = []

        def service_get_all(self, ctxt, binary=None, host=None):
            self.asked.append((binary, host))
            return [{"host": "up1", "state": "up", "disabled": False, "forced_down": False},
                    {"host": "off", "state": "up", "disabled": True, "forced_down": False},
                    {"host": "gone", "state": "down", "disabled": True, "forced_down": True},
                    {"host": "quiet", "state": "down", "disabled": False, "forced_down": False}]

    conductor = Services()
    api = compute_api.API(conductor_api=conductor, compute_rpc=object())
    instances = [{"uuid": host or "none", "host": host}
                 for host in ("up1", "off", "gone", "quiet", "nowhere", None)]
    assert api.get_instances_host_statuses(ctxt_factory(admin=True), instances) == {
        "up1": "UP", "off": "MAINTENANCE", "gone": "DOWN", "quiet": "UNKNOWN",
        "nowhere": "", "none": ""}
    assert conductor.asked == [("minova-compute", None)]
    api.get_instances_host_statuses(ctxt_factory(admin=True), instances[:1])
    assert conductor.asked[-1] == ("minova-compute", "up1")
    api.get_instances_host_statuses(ctxt_factory(admin=True), instances[-1:])
    assert len(conductor.asked) == 2  # no host: nothing to ask
