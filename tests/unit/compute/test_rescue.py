"""rescue / unrescue: the REST actions over the compute API facade (Nova's
body, states, lock, policy, the rescue image's 400, the answer's adminPass),
the compute manager with the fake driver (each transition and failure),
the fake driver itself, and the restart of a compute mid-rescue."""

import pytest

from minova import exception
from minova.api import app as api_app
from minova.api import facades
from minova.compute import host_sync
from minova.compute import rpcapi as compute_rpcapi
from minova.objects import states
from tests.unit.compute.test_api import RecordingCompute
from tests.unit.compute.test_api_lock import ADMIN, IMAGE, LockingConductor, _action
from tests.unit.compute.test_manager import INSTANCE, _finished, compute  # noqa: F401

OTHER_IMAGE = "0f0d7a1e-6b55-4d5e-9c6e-1a2b3c4d5e6f"


class ImageConductor(LockingConductor):
    """The stand-in conductor with the images the caller may see."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.images = {IMAGE: {"id": IMAGE, "status": "active"},
                       OTHER_IMAGE: {"id": OTHER_IMAGE, "status": "queued"}}

    def image_get(self, ctxt, image_id):
        if image_id not in self.images:
            raise exception.ImageNotFound(image_id=image_id)
        return self.images[image_id]


class CastingCompute(RecordingCompute):
    def can_rescue(self):
        return True


def _rest(**state):
    conductor = ImageConductor(**state)
    apis = facades.build(conductor, CastingCompute(), compute_task_api=conductor)
    return api_app.make_app(apis), apis.compute, conductor


# --- the REST action and the compute API facade

@pytest.mark.parametrize("vm_state", [states.ACTIVE, states.STOPPED, states.ERROR])
def test_rescue_answers_the_password_and_casts(vm_state):
    app, api, conductor = _rest(vm_state=vm_state)
    status, reply = _action(app, {"rescue": {"adminPass": "s3cret"}})
    assert (status, reply) == (200, {"adminPass": "s3cret"})
    assert conductor.instance["task_state"] == states.RESCUING
    assert conductor.actions == ["rescue"]
    assert api.compute_rpc.casts == [
        ("rescue_instance", "c1", ("s3cret", None), {"clean_shutdown": True})]


def test_rescue_of_null_generates_a_password_and_uses_the_own_image():
    app, api, conductor = _rest()
    status, reply = _action(app, {"rescue": None})
    assert status == 200 and len(reply["adminPass"]) == 12
    assert api.compute_rpc.casts[0][2] == (reply["adminPass"], None)


def test_an_empty_password_is_answered_as_given():
    app, api, _conductor = _rest()
    assert _action(app, {"rescue": {"adminPass": ""}}) == (200, {"adminPass": ""})


def test_rescue_with_an_image_the_caller_sees():
    app, api, conductor = _rest()
    status, _ = _action(app, {"rescue": {"rescue_image_ref": IMAGE}})
    assert status == 200
    assert api.compute_rpc.casts[0][2][1] == IMAGE


@pytest.mark.parametrize("image", ["3e7c5d4a-0000-4000-8000-000000000000", OTHER_IMAGE])
def test_rescue_image_not_found_or_not_active_is_400(image):
    app, api, conductor = _rest()
    status, reply = _action(app, {"rescue": {"rescue_image_ref": image}})
    assert status == 400
    assert f"Requested rescue image '{image}' is not supported" in (
        reply["badRequest"]["message"])
    assert conductor.actions == [] and api.compute_rpc.casts == []
    assert conductor.instance["task_state"] is None


def test_without_instance_passwords_the_answer_is_empty(monkeypatch):
    from minova import conf
    monkeypatch.setattr(conf.CONF.api, "enable_instance_password", False)
    app, _api, _conductor = _rest()
    assert _action(app, {"rescue": None}) == (200, {})


@pytest.mark.parametrize("body", [
    {"rescue": {"adminPass": 1}}, {"rescue": {"rescue_image_ref": "not-a-uuid"}},
    {"rescue": {"other": "x"}}, {"rescue": None, "x": 1}, {"rescue": "yes"}])
def test_bad_rescue_bodies_are_400(body):
    app, api, conductor = _rest()
    assert _action(app, body)[0] == 400
    assert conductor.actions == [] and api.compute_rpc.casts == []


@pytest.mark.parametrize("vm_state, task_state", [
    (states.PAUSED, None), (states.SUSPENDED, None), (states.RESCUED, None),
    (states.ACTIVE, states.POWERING_OFF)])
def test_rescue_in_other_states_is_409(vm_state, task_state):
    app, api, conductor = _rest(vm_state=vm_state, task_state=task_state)
    status, reply = _action(app, {"rescue": None})
    assert status == 409
    assert "Cannot 'rescue' instance" in reply["conflictingRequest"]["message"]
    assert conductor.actions == [] and api.compute_rpc.casts == []


def test_rescue_losing_a_race_at_the_conductor_is_409():
    """The api read ACTIVE and idle; a stop moved it on before the swap."""
    app, api, conductor = _rest()
    real_get = conductor.instance_get

    def stale_get(ctxt, uuid):
        instance = real_get(ctxt, uuid)
        conductor.instance["task_state"] = states.POWERING_OFF
        return instance
    conductor.instance_get = stale_get
    assert _action(app, {"rescue": None})[0] == 409
    assert api.compute_rpc.casts == []


def test_locked_server_is_409_for_its_project_only():
    app, api, conductor = _rest()
    conductor.instance.update(locked=True, locked_by="owner")
    status, reply = _action(app, {"rescue": None})
    assert status == 409 and "is locked" in reply["conflictingRequest"]["message"]
    conductor.instance["vm_state"] = states.RESCUED
    assert _action(app, {"unrescue": None})[0] == 409
    conductor.instance["vm_state"] = states.ACTIVE
    assert _action(app, {"rescue": None}, **ADMIN)[0] == 200


def test_policy_and_other_projects():
    app, api, conductor = _rest()
    assert _action(app, {"rescue": None}, token="bob:other")[0] == 404
    assert _action(app, {"rescue": None}, roles="reader")[0] == 403
    conductor.instance["vm_state"] = states.RESCUED
    assert _action(app, {"unrescue": None}, roles="reader")[0] == 403
    assert conductor.actions == [] and api.compute_rpc.casts == []


def test_unrescue_is_202_and_casts():
    app, api, conductor = _rest(vm_state=states.RESCUED)
    assert _action(app, {"unrescue": None}) == (202, None)
    assert conductor.instance["task_state"] == states.UNRESCUING
    assert conductor.actions == ["unrescue"]
    assert api.compute_rpc.casts == [("unrescue_instance", "c1", (), {})]


@pytest.mark.parametrize("vm_state, task_state", [
    (states.ACTIVE, None), (states.STOPPED, None), (states.RESCUED, states.RESCUING)])
def test_unrescue_in_other_states_is_409(vm_state, task_state):
    app, api, conductor = _rest(vm_state=vm_state, task_state=task_state)
    status, reply = _action(app, {"unrescue": None})
    assert status == 409
    assert "Cannot 'unrescue' instance" in reply["conflictingRequest"]["message"]
    assert api.compute_rpc.casts == []


def test_computes_below_1_9_are_not_sent_a_rescue():
    app, api, conductor = _rest()
    api.compute_rpc.can_rescue = lambda: False
    assert _action(app, {"rescue": None})[0] == 409
    assert conductor.actions == [] and api.compute_rpc.casts == []


def test_rescued_is_shown_as_rescue():
    assert states.status_from_state(states.RESCUED) == "RESCUE"
    assert states.status_from_state(states.ACTIVE, states.RESCUING) == "ACTIVE"
    assert (states.RESCUED, "default") in states.states_from_status("RESCUE")


def test_rpc_client_casts_1_9(monkeypatch):
    sent = []

    class Prepared:
        def cast(self, ctxt, method, **kwargs):
            sent.append((method, kwargs))

    client = compute_rpcapi.ComputeAPI.__new__(compute_rpcapi.ComputeAPI)
    client.client = type("C", (), {"prepare": lambda self, **kw: (
        sent.append(kw), Prepared())[1]})()
    client.rescue_instance(None, "h1", {"uuid": "u"}, "pw", IMAGE)
    client.unrescue_instance(None, "h1", {"uuid": "u"})
    assert sent == [
        {"server": "h1", "version": "1.7"},
        ("rescue_instance", {"instance": {"uuid": "u"}, "rescue_password": "pw",
                             "rescue_image_ref": IMAGE, "clean_shutdown": True}),
        {"server": "h1", "version": "1.7"},
        ("unrescue_instance", {"instance": {"uuid": "u"}})]


# --- the compute manager with the fake driver

RESCUE_INSTANCE = dict(INSTANCE, image_ref=IMAGE)


def _with_images(compute, task_state):  # noqa: F811
    conductor = compute.conductor_api
    conductor.task_state, conductor.vm_state = task_state, states.ACTIVE
    conductor.image_get = lambda ctxt, image_id: (
        {"id": image_id} if image_id in (IMAGE, OTHER_IMAGE)
        else (_ for _ in ()).throw(exception.ImageNotFound(image_id=image_id)))
    return conductor


def test_compute_rescues_from_the_asked_image(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    _with_images(compute, states.RESCUING)
    compute.rescue_instance(None, RESCUE_INSTANCE, "pw", OTHER_IMAGE, True)
    _, _uuid, event, updates, expected, error = _finished(compute)
    assert (event, expected, error) == ("compute_rescue_instance", ["rescuing"], None)
    assert (updates["vm_state"], updates["task_state"], updates["power_state"]) == (
        "rescued", None, states.RUNNING)
    assert "launched_at" in updates
    guest = compute.driver._guests[INSTANCE["uuid"]]
    assert guest["rescue"] == {"image": OTHER_IMAGE, "original_image": IMAGE,
                               "password": "pw"}
    assert "rescue boot from image " + OTHER_IMAGE in compute.get_console_output(
        None, INSTANCE, None)
    events = [c for c in compute.conductor_api.calls if c[0] == "event_start"]
    assert events[-1][2] == "compute_rescue_instance"


def test_compute_rescues_from_the_own_image_by_default(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    _with_images(compute, states.RESCUING)
    compute.rescue_instance(None, RESCUE_INSTANCE, None, None, False)
    assert compute.driver._guests[INSTANCE["uuid"]]["rescue"]["image"] == IMAGE
    assert _finished(compute)[3]["vm_state"] == "rescued"


def test_compute_rescues_a_stopped_guest(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    compute.driver.power_off(None, INSTANCE, 0)
    _with_images(compute, states.RESCUING)
    compute.rescue_instance(None, RESCUE_INSTANCE, "pw", None, True)
    updates = _finished(compute)[3]
    assert (updates["vm_state"], updates["power_state"]) == ("rescued", states.RUNNING)


def test_rescue_image_gone_only_clears_the_task(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    _with_images(compute, states.RESCUING)
    missing = "3e7c5d4a-0000-4000-8000-000000000000"
    compute.rescue_instance(None, RESCUE_INSTANCE, "pw", missing, True)
    _, _uuid, event, updates, expected, error = _finished(compute)
    assert updates == {"task_state": None, "power_state": states.RUNNING}
    assert f"Image {missing} could not be found" in error
    assert "rescue" not in compute.driver._guests[INSTANCE["uuid"]]


def test_rescue_driver_failure_is_error_with_its_fault(compute):  # noqa: F811
    """A guest the hypervisor lost (an ERROR server): Nova's InstanceNotRescuable."""
    _with_images(compute, states.RESCUING)
    compute.rescue_instance(None, RESCUE_INSTANCE, "pw", None, True)
    _, _uuid, event, updates, expected, error = _finished(compute)
    assert (updates["vm_state"], updates["task_state"], expected) == (
        "error", None, ["rescuing"])
    assert error.startswith(f"Instance {INSTANCE['uuid']} cannot be rescued: Driver Error:")


def test_rescue_cast_after_the_instance_moved_on_is_skipped(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    _with_images(compute, None)  # a restart set it to ERROR, task cleared
    compute.conductor_api.calls.clear()
    compute.rescue_instance(None, RESCUE_INSTANCE, "pw", None, True)
    compute.unrescue_instance(None, RESCUE_INSTANCE)
    assert compute.conductor_api.calls == []
    assert "rescue" not in compute.driver._guests[INSTANCE["uuid"]]


def test_compute_unrescues_to_active(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    _with_images(compute, states.RESCUING)
    compute.rescue_instance(None, RESCUE_INSTANCE, "pw", None, True)
    compute.conductor_api.task_state = states.UNRESCUING
    compute.unrescue_instance(None, RESCUE_INSTANCE)
    _, _uuid, event, updates, expected, error = _finished(compute)
    assert (event, updates, expected, error) == (
        "compute_unrescue_instance",
        {"vm_state": "active", "task_state": None, "power_state": states.RUNNING},
        ["unrescuing"], None)
    guest = compute.driver._guests[INSTANCE["uuid"]]
    assert "rescue" not in guest and guest["image"] == IMAGE
    assert "unrescue: booting the original disk" in compute.get_console_output(
        None, INSTANCE, None)


def test_unrescue_driver_failure_is_error_with_its_fault(compute):  # noqa: F811
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    _with_images(compute, states.UNRESCUING)  # the fake has no rescue to undo
    compute.unrescue_instance(None, RESCUE_INSTANCE)
    _, _uuid, event, updates, expected, error = _finished(compute)
    assert (updates["vm_state"], updates["task_state"]) == ("error", None)
    assert "while it is in guest not rescued" in error


def test_fake_rescue_needs_a_powered_off_guest_and_keeps_the_first_original(compute):  # noqa: F811,E501
    driver = compute.driver
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    with pytest.raises(exception.InstanceInvalidState):
        driver.rescue(None, INSTANCE, {"id": OTHER_IMAGE}, "pw")
    driver.power_off(None, INSTANCE, 0)
    driver.rescue(None, INSTANCE, {"id": OTHER_IMAGE}, "pw")
    driver.power_off(None, INSTANCE, 0)
    driver.rescue(None, INSTANCE, {"id": IMAGE}, "pw2")  # rescued again, from ERROR
    assert driver._guests[INSTANCE["uuid"]]["rescue"]["original_image"] == IMAGE


# --- a compute restarting mid-rescue

@pytest.mark.parametrize("task_state, event, what", [
    (states.RESCUING, "compute_rescue_instance", "rescue"),
    (states.UNRESCUING, "compute_unrescue_instance", "unrescue")])
def test_restart_mid_rescue_is_error_with_a_fault(compute, task_state, event, what):  # noqa: F811,E501
    instance = dict(RESCUE_INSTANCE, task_state=task_state, vm_state=states.ACTIVE,
                    power_state=states.RUNNING)
    compute.conductor_api.instance_get_all_by_host = lambda ctxt, host: [instance]
    compute.driver.spawn(None, instance, {"id": IMAGE})
    host_sync.recover(compute)
    _, _uuid, got_event, updates, expected, error = _finished(compute)
    assert (got_event, updates["vm_state"], updates["task_state"], expected) == (
        event, "error", None, [task_state])
    assert f"restarted during the {what} of the server" in error


def test_rescued_guest_lost_at_restart_is_error(compute):  # noqa: F811
    instance = dict(RESCUE_INSTANCE, task_state=None, vm_state=states.RESCUED,
                    power_state=states.RUNNING)
    compute.conductor_api.instance_get_all_by_host = lambda ctxt, host: [instance]
    host_sync.recover(compute)
    _, _uuid, event, updates, expected, error = _finished(compute)
    assert updates["vm_state"] == "error"
    assert "the instance was rescued" in error


def test_power_sync_of_a_rescued_guest_records_only_its_power_state(compute):  # noqa: F811
    """No Nova rule moves RESCUED: a rescue guest found off stays RESCUED."""
    compute.build_and_run_instance(None, RESCUE_INSTANCE, "c1", {"image": {"id": IMAGE}}, [])
    compute.driver.power_off(None, INSTANCE, 0)
    instance = dict(RESCUE_INSTANCE, task_state=None, vm_state=states.RESCUED,
                    power_state=states.RUNNING)
    compute.conductor_api.instance_get_all_by_host = lambda ctxt, host: [instance]
    compute.sync_power_states()
    updates = [c for c in compute.conductor_api.calls if c[0] == "instance_update"]
    assert updates == [("instance_update", INSTANCE["uuid"], {"power_state": states.SHUTDOWN})]
