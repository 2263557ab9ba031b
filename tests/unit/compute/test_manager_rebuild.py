"""The compute manager's rebuild with the fake driver, and start-up recovery
of a rebuild a restart interrupted (the conductor's RPC client is the
recording stand-in of test_manager.py, here enforcing the swap out of
rebuilding as the conductor does)."""

import pytest
from oslo_config import cfg

from minova import exception
from minova.compute import host_sync, manager
from minova.virt import fake
from tests.unit.compute.test_manager import INSTANCE, RecordingConductor

IMAGE = {"id": "22222222-2222-4222-8222-222222222222", "properties": {}}


class RebuildConductor(RecordingConductor):
    def __init__(self):
        super().__init__()
        self.task_state, self.vm_state = "rebuilding", "active"
        self.instances = []

    def instance_update(self, ctxt, uuid, updates, expected_task_state=None,
                        expected_vm_state=None):
        super().instance_update(ctxt, uuid, updates, expected_task_state, expected_vm_state)
        if self.deleted:
            raise exception.InstanceNotFound(instance_id=uuid)
        if expected_task_state is not None and self.task_state not in expected_task_state:
            raise exception.UnexpectedTaskStateError(
                instance_uuid=uuid, expected=expected_task_state, actual=self.task_state)
        self.task_state = updates.get("task_state", self.task_state)

    def instance_get_all_by_host(self, ctxt, host):
        return self.instances


@pytest.fixture
def compute():
    driver = fake.FakeDriver()
    conductor = RebuildConductor()
    mgr = manager.ComputeManager("c1", driver=driver, conductor_api=conductor,
                                 compute_task_api=conductor)
    mgr.init_host()
    driver.spawn(None, INSTANCE, {"id": "old"})
    return mgr


def _finish(compute):
    [finish] = [c for c in compute.conductor_api.calls if c[0] == "action_finish"]
    _name, _uuid, event, updates, expected, error = finish
    assert event == "compute_rebuild_instance" and expected == ["rebuild_spawning"]
    return updates, error


@pytest.mark.parametrize("orig,vm_state,power_state", [
    ("active", "active", 1), ("error", "active", 1), ("stopped", "stopped", 4)])
def test_rebuild_goes_through_rebuild_spawning_to_the_state_nova_leaves(
        compute, orig, vm_state, power_state):
    compute.rebuild_instance(None, INSTANCE, IMAGE, preserve_ephemeral=True,
                             orig_vm_state=orig)
    names = [c[0] for c in compute.conductor_api.calls]
    assert names == ["instance_update", "event_start", "action_finish"]
    assert compute.conductor_api.calls[0][2]["task_state"] == "rebuild_spawning"
    updates, error = _finish(compute)
    assert error is None
    assert (updates["vm_state"], updates["task_state"], updates["power_state"]) == (
        vm_state, None, power_state)
    assert updates["launched_at"]
    guest = compute.driver._guests[INSTANCE["uuid"]]
    assert guest["image"] == IMAGE["id"] and guest["preserve_ephemeral"] is True
    assert "rebuilt from image" in compute.get_console_output(None, INSTANCE, None)


def test_a_driver_failure_is_error_with_the_cause_as_fault(compute):
    cfg.CONF.set_override("fail_spawn_for_name", "^doomed$", group="fake_driver")
    try:
        compute.rebuild_instance(None, dict(INSTANCE, display_name="doomed"), IMAGE)
    finally:
        cfg.CONF.clear_override("fail_spawn_for_name", group="fake_driver")
    updates, error = _finish(compute)
    assert (updates["vm_state"], updates["task_state"]) == ("error", None)
    assert error == "Fake driver was told to fail rebuilding doomed"


def test_a_guest_the_hypervisor_lost_is_made_anew(compute):
    compute.driver.destroy(None, INSTANCE)
    compute.rebuild_instance(None, INSTANCE, IMAGE, orig_vm_state="error")
    updates, error = _finish(compute)
    assert error is None and (updates["vm_state"], updates["power_state"]) == ("active", 1)
    assert compute.driver._guests[INSTANCE["uuid"]]["image"] == IMAGE["id"]


def test_a_driver_that_cannot_power_off_again_is_error(compute, monkeypatch):
    def refuse(*args, **kwargs):
        raise exception.InstanceInvalidState(action="power off", instance_uuid="x",
                                             attr="power_state", state="crashed")
    monkeypatch.setattr(compute.driver, "power_off", refuse)
    compute.rebuild_instance(None, INSTANCE, IMAGE, orig_vm_state="stopped")
    updates, error = _finish(compute)
    assert updates["vm_state"] == "error" and "power off" in error


@pytest.mark.parametrize("task_state,deleted", [("deleting", False), (None, False),
                                                ("rebuilding", True)])
def test_a_rebuild_whose_instance_moved_on_is_skipped(compute, task_state, deleted):
    compute.conductor_api.task_state = task_state
    compute.conductor_api.deleted = deleted
    compute.rebuild_instance(None, INSTANCE, IMAGE)
    assert [c[0] for c in compute.conductor_api.calls] == ["instance_update"]
    assert compute.driver._guests[INSTANCE["uuid"]]["image"] == "old"


@pytest.mark.parametrize("task_state", ["rebuilding", "rebuild_spawning"])
def test_restart_during_a_rebuild_sets_error_with_a_fault(compute, task_state):
    compute.conductor_api.instances = [dict(INSTANCE, task_state=task_state,
                                            vm_state="active", host="c1")]
    host_sync.recover(compute)
    updates, error = (lambda c: (c[3], c[5]))(next(
        c for c in compute.conductor_api.calls if c[0] == "action_finish"))
    assert (updates["vm_state"], updates["task_state"]) == ("error", None)
    assert "restarted during the rebuild" in error
    finish = next(c for c in compute.conductor_api.calls if c[0] == "action_finish")
    assert finish[4] == [task_state]
