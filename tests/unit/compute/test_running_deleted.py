"""Guests whose instances are not this host's: [DEFAULT] running_deleted_instance_action."""

import pytest
from oslo_config import cfg

from minova.compute import host_sync, running_deleted
from minova.objects import states
from tests.unit.compute.test_host_sync import _compute, _instance

CONF = cfg.CONF

RECORDS = {
    "deleted": {"deleted": 3, "vm_state": "deleted", "host": "c1"},
    "elsewhere": {"deleted": 0, "vm_state": "active", "host": "c2"},
    "unplaced": {"deleted": 0, "vm_state": "building", "host": None},
    # claimed for this host after the guests were listed: its build's guest
    "claimed": {"deleted": 0, "vm_state": "building", "host": "c1"},
}
GUESTS = ["deleted", "elsewhere", "unplaced", "claimed", "unknown", "ours"]


def _host(action: str):
    CONF.set_override("running_deleted_instance_action", action)
    return _compute([_instance("ours")], guests=GUESTS, records=RECORDS)


def _power(mgr, uuid):
    return mgr.driver.get_info({"uuid": uuid})["state"]


def test_nova_default_reaps_guests_of_deleted_and_moved_instances():
    assert CONF.running_deleted_instance_action == "reap"
    mgr = _compute([_instance("ours")], guests=GUESTS, records=RECORDS)
    host_sync.recover(mgr)
    # a guest with no record at all may not be minova's: left alone
    assert sorted(mgr.driver.list_instance_uuids()) == ["claimed", "ours", "unknown"]


def test_shutdown_powers_the_same_guests_off_and_keeps_them():
    mgr = _host("shutdown")
    host_sync.recover(mgr)
    assert sorted(mgr.driver.list_instance_uuids()) == sorted(GUESTS)
    for uuid in ("deleted", "elsewhere", "unplaced"):
        assert _power(mgr, uuid) == states.SHUTDOWN
    for uuid in ("claimed", "unknown", "ours"):
        assert _power(mgr, uuid) == states.RUNNING


def test_log_only_reports_them(caplog):
    mgr = _host("log")
    host_sync.recover(mgr)
    assert sorted(mgr.driver.list_instance_uuids()) == sorted(GUESTS)
    assert all(_power(mgr, uuid) == states.RUNNING for uuid in GUESTS)
    assert "Guest deleted runs on c1 but its instance is deleted" in caplog.text
    assert "Guest elsewhere runs on c1 but its instance is on c2" in caplog.text
    assert "Guest unknown on c1 has no instance in the database" in caplog.text


def test_noop_does_not_even_look_them_up():
    mgr = _host("noop")
    host_sync.recover(mgr)
    assert sorted(mgr.driver.list_instance_uuids()) == sorted(GUESTS)
    assert not [c for c in mgr.conductor_api.calls if c[0] == "get"]


def test_the_periodic_check_reaps_a_guest_whose_instance_was_deleted_meanwhile():
    mgr = _compute([_instance("ours"), _instance("gone")], guests=["ours", "gone"])
    host_sync.recover(mgr)
    assert sorted(mgr.driver.list_instance_uuids()) == ["gone", "ours"]
    # deleted while this host was not told (it was down): no longer listed here
    mgr.conductor_api.instances = [_instance("ours")]
    mgr.conductor_api.records["gone"] = {"deleted": 9, "vm_state": "deleted", "host": "c1"}
    mgr.cleanup_running_deleted_instances()
    assert mgr.driver.list_instance_uuids() == ["ours"]


@pytest.mark.parametrize("action, interval, scheduled", [
    ("reap", 1800, True), ("log", 60, True), ("reap", 0, False), ("noop", 1800, False)])
def test_the_periodic_check_runs_every_poll_interval_unless_disabled(action, interval,
                                                                       scheduled):
    CONF.set_override("running_deleted_instance_action", action)
    CONF.set_override("running_deleted_instance_poll_interval", interval)
    mgr = _compute([])
    tasks = dict((task.__name__, every) for every, task in mgr.periodic_tasks())
    assert ("cleanup_running_deleted_instances" in tasks) is scheduled
    if scheduled:
        assert tasks["cleanup_running_deleted_instances"] == interval


def test_one_guest_that_cannot_be_handled_does_not_stop_the_others():
    mgr = _compute([], guests=["a", "b"],
                   records={u: {"deleted": 1, "vm_state": "deleted", "host": "c1"}
                            for u in ("a", "b")})
    destroy = mgr.driver.destroy

    def fails_for_a(ctxt, instance):
        if instance["uuid"] == "a":
            raise RuntimeError("hypervisor error")
        destroy(ctxt, instance)

    mgr.driver.destroy = fails_for_a
    running_deleted.handle(mgr, None, ["a", "b"])
    assert mgr.driver.list_instance_uuids() == ["a"]
