"""trigger_crash_dump (API 2.17): the REST action over the compute API
facade (Nova's states, lock, policy, microversion), and the compute
manager with the fake driver (the NMI recorded, the event's outcome);
then the manager's diagnostics (a running guest only)."""

import pytest

from minova.api import app as api_app
from minova.api import facades
from minova.objects import states
from tests.unit.compute.test_api import RecordingCompute
from tests.unit.compute.test_api_lock import ADMIN, LockingConductor, _action
from tests.unit.compute.test_manager import INSTANCE, _finished, compute  # noqa: F401

V217 = {"version": "2.17"}


def _rest(**state):
    conductor = LockingConductor(**state)
    apis = facades.build(conductor, RecordingCompute(), compute_task_api=conductor)
    return api_app.make_app(apis), apis.compute, conductor


@pytest.mark.parametrize("vm_state", [states.ACTIVE, states.PAUSED, states.ERROR])
def test_recorded_and_cast_without_a_task_state(vm_state):
    app, api, conductor = _rest(vm_state=vm_state)
    assert _action(app, {"trigger_crash_dump": None}, **V217) == (202, None)
    assert conductor.actions == ["trigger_crash_dump"]
    assert conductor.instance["task_state"] is None
    assert api.compute_rpc.casts == [("trigger_crash_dump", "c1", (), {})]


@pytest.mark.parametrize("vm_state, task_state", [
    (states.STOPPED, None), (states.SUSPENDED, None), (states.ACTIVE, states.REBOOTING)])
def test_other_states_are_409(vm_state, task_state):
    app, api, conductor = _rest(vm_state=vm_state, task_state=task_state)
    status, reply = _action(app, {"trigger_crash_dump": None}, **V217)
    assert status == 409
    assert "Cannot 'trigger_crash_dump' instance" in reply["conflictingRequest"]["message"]
    assert api.compute_rpc.casts == [] and conductor.actions == []


def test_not_before_2_17_and_bad_bodies():
    app, api, conductor = _rest()
    status, reply = _action(app, {"trigger_crash_dump": None}, version="2.16")
    assert status == 404 and "itemNotFound" in reply
    for body in ({"trigger_crash_dump": {}}, {"trigger_crash_dump": None, "x": 1}):
        assert _action(app, body, **V217)[0] == 400
    assert _action(app, {"trigger_crash_dump": None}, token="bob:other", **V217)[0] == 404
    assert _action(app, {"trigger_crash_dump": None}, roles="reader", **V217)[0] == 403
    assert conductor.actions == [] and api.compute_rpc.casts == []


def test_locked_server_is_409_for_its_project_only():
    app, api, conductor = _rest()
    conductor.instance.update(locked=True, locked_by="owner")
    status, reply = _action(app, {"trigger_crash_dump": None}, **V217)
    assert status == 409 and "is locked" in reply["conflictingRequest"]["message"]
    assert _action(app, {"trigger_crash_dump": None}, **ADMIN, **V217)[0] == 202


def test_instance_without_host_is_409():
    app, _api, _conductor = _rest(host=None)
    assert _action(app, {"trigger_crash_dump": None}, **V217)[0] == 409


def test_compute_injects_the_nmi_and_records_the_event(compute):  # noqa: F811
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.trigger_crash_dump(None, INSTANCE)
    assert compute.driver.crash_dumps == [INSTANCE["uuid"]]
    _, uuid, event, updates, expected, error = _finished(compute)
    assert (event, updates, expected, error) == (
        "compute_trigger_crash_dump", {"power_state": 1}, None, None)
    # The log ends in a newline, so Nova's tail of 2 is the last line and "".
    assert "NMI received" in compute.get_console_output(None, INSTANCE, 2)


def test_compute_records_a_guest_that_is_not_running(compute):  # noqa: F811
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.driver.power_off(None, INSTANCE, 0)
    compute.trigger_crash_dump(None, INSTANCE)
    assert compute.driver.crash_dumps == []
    _, uuid, event, updates, expected, error = _finished(compute)
    assert event == "compute_trigger_crash_dump" and "is not running" in error


# --- diagnostics on the host (the same manager fixture)

def test_diagnostics_of_a_running_guest(compute):  # noqa: F811
    instance = dict(INSTANCE, vcpus=2, memory_mb=256, launched_at="2026-12-07T10:00:00",
                    config_drive="")
    compute.build_and_run_instance(None, instance, "c1", {"image": {}}, [])
    standard = compute.get_instance_diagnostics(None, instance)
    assert (standard["driver"], standard["state"], standard["num_cpus"],
            standard["config_drive"]) == ("libvirt", "running", 2, False)
    assert standard["memory_details"] == {"maximum": 256, "used": 256}
    assert standard["uptime"] > 0
    legacy = compute.get_diagnostics(None, instance)
    assert set(legacy) >= {"cpu0_time", "cpu1_time", "vda_read", "memory"}
    assert legacy["memory"] == 256 * 1024


def test_diagnostics_need_a_running_guest(compute):  # noqa: F811
    from minova import exception
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.driver.pause(None, INSTANCE)
    with pytest.raises(exception.InstanceInvalidState) as err:
        compute.get_instance_diagnostics(None, INSTANCE)
    assert "power state paused" in err.value.format_message()
    with pytest.raises(exception.InstanceInvalidState):
        compute.get_diagnostics(None, INSTANCE)
