"""Start-up recovery and the power-state sync, with the fake driver.

The conductor is a stand-in that lists this host's instances and records
updates; the real one is exercised by the functional tests.
"""

import oslo_messaging as messaging
import pytest

from minova import exception
from minova.compute import host_sync, manager
from minova.objects import states
from minova.virt import fake


class ListingConductor:
    """Lists this host's instances; ``records`` is what instance_get(read_deleted)
    finds of the others (absent: no record at all)."""

    def __init__(self, instances, records=None):
        self.instances = instances
        self.records = records or {}
        self.calls = []

    def instance_get_all_by_host(self, ctxt, host):
        return [dict(i) for i in self.instances]

    def instance_get(self, ctxt, uuid, read_deleted=False):
        self.calls.append(("get", uuid, read_deleted))
        if uuid not in self.records:
            raise exception.InstanceNotFound(instance_id=uuid)
        return dict(self.records[uuid], uuid=uuid)

    def instance_update(self, ctxt, uuid, updates, expected_task_state=None,
                        expected_vm_state=None):
        self.calls.append(("update", uuid, updates, expected_task_state))

    def instance_action_finish(self, ctxt, uuid, event, host, updates, expected_task_state,
                               error=None, traceback=None):
        self.calls.append(("action_finish", uuid, updates, expected_task_state, error))

    def instance_destroy(self, ctxt, uuid, host):
        self.calls.append(("destroy", uuid))

    def build_failed(self, ctxt, uuid, host, node, reason, details, request_spec, alternates,
                     reschedule, wait_for_receipt=False):
        self.calls.append(("build_failed", uuid, reschedule))

    def build_finished(self, ctxt, uuid, host, power_state, root_device_name=None,
                       failed_builds_reset=None):
        self.calls.append(("build_finished", uuid, power_state))


def _instance(uuid, vm_state="active", task_state=None, power_state=states.RUNNING):
    return {"uuid": uuid, "display_name": uuid, "vm_state": vm_state,
            "task_state": task_state, "power_state": power_state, "node": "c1", "host": "c1"}


def _compute(instances, guests=(), records=None):
    conductor = ListingConductor(instances, records)
    mgr = manager.ComputeManager("c1", driver=fake.FakeDriver(), conductor_api=conductor,
                                 compute_task_api=conductor)
    for uuid in guests:
        mgr.driver.spawn(None, {"uuid": uuid, "display_name": uuid}, {})
    return mgr


def test_recover_handles_deleted_guests_and_fixes_interrupted_work():
    instances = [_instance("deleting", task_state=states.DELETING),
                 _instance("spawning", vm_state="building", task_state=states.SPAWNING),
                 _instance("stopping", task_state=states.POWERING_OFF),
                 _instance("fine")]
    mgr = _compute(instances, guests=["orphan", "deleting", "spawning", "stopping", "fine"],
                   records={"orphan": {"deleted": 7, "vm_state": "deleted", "host": "c1"}})
    host_sync.recover(mgr)
    assert sorted(mgr.driver.list_instance_uuids()) == ["fine", "spawning", "stopping"]
    calls = mgr.conductor_api.calls
    assert ("destroy", "deleting") in calls
    # spawned before the restart: its outcome is reported, not failed
    assert ("build_finished", "spawning", states.RUNNING) in calls
    assert ("update", "stopping", {"task_state": None, "power_state": states.RUNNING},
            [states.POWERING_OFF]) in calls
    assert not [c for c in calls if c[1] == "fine"]


def test_recover_leaves_a_build_without_guest_to_its_cast():
    # Its cast may still be queued here, or build recovery casts it again:
    # neither failed nor forgotten.
    mgr = _compute([_instance("queued", vm_state="building", task_state=states.SPAWNING)])
    host_sync.recover(mgr)
    assert mgr.conductor_api.calls == []
    mgr.build_and_run_instance(None, {"uuid": "queued", "display_name": "queued"}, "c1",
                               {}, [])
    assert mgr.driver.list_instance_uuids() == ["queued"]
    assert ("build_finished", "queued", states.RUNNING) in mgr.conductor_api.calls


@pytest.mark.parametrize("vm_state", ["active", "stopped", "paused", "suspended"])
def test_an_instance_whose_guest_is_gone_goes_to_error_with_a_fault(vm_state):
    mgr = _compute([_instance("lost", vm_state=vm_state), _instance("kept")], guests=["kept"])
    host_sync.recover(mgr)
    [call] = mgr.conductor_api.calls
    assert call[:4] == ("action_finish", "lost",
                        {"vm_state": "error", "task_state": None, "power_state": states.NOSTATE},
                        [None])
    assert call[4] == (f"Guest not found on its host when the compute service started (the "
                       f"instance was {vm_state}): the hypervisor lost it")


def test_an_interrupted_action_whose_guest_is_gone_is_cleared_then_set_to_error():
    mgr = _compute([_instance("lost", task_state=states.REBOOTING)])
    host_sync.recover(mgr)
    assert [c[0] for c in mgr.conductor_api.calls] == ["update", "action_finish"]
    assert mgr.conductor_api.calls[0][2] == {"task_state": None, "power_state": states.NOSTATE}


def test_instances_in_error_or_building_keep_their_state_without_a_guest():
    mgr = _compute([_instance("broken", vm_state="error", power_state=states.NOSTATE),
                    _instance("queued", vm_state="building", task_state=states.SCHEDULING)])
    host_sync.recover(mgr)
    assert mgr.conductor_api.calls == []


def test_a_guest_that_stopped_while_the_service_was_down_is_shutoff_at_start():
    """Nova runs its power-state sync at start; so does recover, for guests it finds."""
    mgr = _compute([_instance("off")], guests=["off"])
    mgr.driver.power_off(None, {"uuid": "off"})
    host_sync.recover(mgr)
    [call] = mgr.conductor_api.calls
    assert call[:3] == ("update", "off", {"power_state": states.SHUTDOWN,
                                          "vm_state": states.STOPPED})


def test_a_conductor_that_cannot_list_the_instances_skips_recovery():
    mgr = _compute([], guests=["orphan"], records={"orphan": {"deleted": 1, "host": "c1"}})

    def unavailable(ctxt, host):
        raise messaging.MessagingTimeout("no answer")

    mgr.conductor_api.instance_get_all_by_host = unavailable
    host_sync.recover(mgr)
    assert mgr.driver.list_instance_uuids() == ["orphan"]


@pytest.mark.parametrize("vm_state, driver_action, expected", [
    # a guest that stopped by itself: SHUTOFF
    ("active", "power_off", {"power_state": states.SHUTDOWN, "vm_state": states.STOPPED}),
    # a guest started behind minova's back while it should be off: powered off again
    ("stopped", None, {"power_state": states.SHUTDOWN}),
    # paused then shut off
    ("paused", "power_off", {"power_state": states.SHUTDOWN, "vm_state": states.STOPPED}),
])
def test_power_sync_follows_novas_rules(vm_state, driver_action, expected):
    power = states.SHUTDOWN if vm_state == "stopped" else states.RUNNING
    if vm_state == "paused":
        power = states.POWER_PAUSED
    mgr = _compute([_instance("i1", vm_state=vm_state, power_state=power)], guests=["i1"])
    if driver_action:
        getattr(mgr.driver, driver_action)(None, {"uuid": "i1"})
    host_sync.sync_power_states(mgr)
    [call] = mgr.conductor_api.calls
    assert call[:3] == ("update", "i1", expected) and call[3] == [None]
    if vm_state == "stopped":
        assert mgr.driver.get_info({"uuid": "i1"})["state"] == states.SHUTDOWN


def test_power_sync_leaves_busy_and_agreeing_instances_alone():
    instances = [_instance("busy", task_state=states.REBOOTING, power_state=states.SHUTDOWN),
                 _instance("agrees")]
    mgr = _compute(instances, guests=["busy", "agrees"])
    host_sync.sync_power_states(mgr)
    assert mgr.conductor_api.calls == []


def test_deferred_delete_at_start_interrupted_cleared_soft_deleted_kept():
    """An interrupted soft delete or restore is cleared like any action; a
    soft-deleted instance keeps its shut-off guest (the reclaim's to delete)
    and is never taken for a lost one."""
    mgr = _compute([_instance("soft-deleting", task_state=states.SOFT_DELETING),
                    _instance("restoring", vm_state=states.SOFT_DELETED,
                              task_state=states.RESTORING, power_state=states.SHUTDOWN),
                    _instance("kept", vm_state=states.SOFT_DELETED,
                              power_state=states.SHUTDOWN)],
                   guests=["soft-deleting", "restoring", "kept"])
    mgr.driver.power_off(None, {"uuid": "kept"}, 0)
    mgr.driver.power_off(None, {"uuid": "restoring"}, 0)
    host_sync.recover(mgr)
    calls = mgr.conductor_api.calls
    assert ("update", "soft-deleting", {"task_state": None, "power_state": states.RUNNING},
            [states.SOFT_DELETING]) in calls
    assert ("update", "restoring", {"task_state": None, "power_state": states.SHUTDOWN},
            [states.RESTORING]) in calls
    assert not [c for c in calls if c[1] == "kept"]
    assert sorted(mgr.driver.list_instance_uuids()) == ["kept", "restoring", "soft-deleting"]


@pytest.mark.parametrize("vm_state,task_state", [
    (states.ACTIVE, states.IMAGE_UPLOADING), (states.STOPPED, states.IMAGE_SNAPSHOT_PENDING),
    (states.ACTIVE, states.SHELVING_IMAGE_UPLOADING),
    (states.SHELVED, states.SHELVING_OFFLOADING), (states.SHELVED, states.UNSHELVING)])
def test_a_snapshot_or_shelve_a_restart_cut_short_is_cleared(vm_state, task_state):
    """As Nova's _init_instance: the task state goes, the vm_state stays (a
    shelved server's shut-off guest is never taken for a lost one)."""
    mgr = _compute([_instance("cut", vm_state=vm_state, task_state=task_state)],
                   guests=["cut"])
    if vm_state == states.SHELVED:
        mgr.driver.power_off(None, {"uuid": "cut"}, 0)
    power_state = mgr.driver.get_info({"uuid": "cut"})["state"]
    host_sync.recover(mgr)
    updates = [c for c in mgr.conductor_api.calls if c[0] == "update"]
    assert updates[0][1:] == ("cut", {"task_state": None, "power_state": power_state},
                              [task_state])
    assert not [c for c in updates[1:] if "vm_state" in c[2]
                and c[2]["vm_state"] == states.ERROR]
