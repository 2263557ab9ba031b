"""Start-up recovery and the power-state sync, with the fake driver.

The conductor is a stand-in that lists this host's instances and records
updates; the real one is exercised by the functional tests.
"""

import pytest

from minova.compute import host_sync, manager
from minova.objects import states
from minova.virt import fake


class ListingConductor:
    def __init__(self, instances):
        self.instances = instances
        self.calls = []

    def instance_get_all_by_host(self, ctxt, host):
        return [dict(i) for i in self.instances]

    def instance_update(self, ctxt, uuid, updates, expected_task_state=None,
                        expected_vm_state=None):
        self.calls.append(("update", uuid, updates, expected_task_state))

    def instance_destroy(self, ctxt, uuid, host):
        self.calls.append(("destroy", uuid))

    def build_failed(self, ctxt, uuid, host, node, reason, details, request_spec, alternates,
                     reschedule):
        self.calls.append(("build_failed", uuid, reschedule))

    def build_finished(self, ctxt, uuid, host, power_state, root_device_name=None,
                       failed_builds_reset=None):
        self.calls.append(("build_finished", uuid, power_state))


def _instance(uuid, vm_state="active", task_state=None, power_state=states.RUNNING):
    return {"uuid": uuid, "display_name": uuid, "vm_state": vm_state,
            "task_state": task_state, "power_state": power_state, "node": "c1"}


def _compute(instances, guests=()):
    conductor = ListingConductor(instances)
    mgr = manager.ComputeManager("c1", driver=fake.FakeDriver(), conductor_api=conductor,
                                 compute_task_api=conductor)
    for uuid in guests:
        mgr.driver.spawn(None, {"uuid": uuid, "display_name": uuid}, {})
    return mgr


def test_recover_destroys_orphans_and_fixes_interrupted_work():
    instances = [_instance("deleting", task_state=states.DELETING),
                 _instance("spawning", vm_state="building", task_state=states.SPAWNING),
                 _instance("stopping", task_state=states.POWERING_OFF),
                 _instance("fine")]
    mgr = _compute(instances, guests=["orphan", "deleting", "spawning", "stopping", "fine"])
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
