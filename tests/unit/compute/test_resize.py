"""The compute side of a move with the fake driver: two managers (source c1,
destination c2) whose casts to each other run at once, and a conductor
stand-in that enforces the task-state swaps as the conductor does. The
guest entry goes from c1's driver to c2's; confirm, revert, a driver that
fails at each host, a restart mid-move, and the auto-confirm."""

import pytest
from oslo_config import cfg

from minova import exception
from minova.compute import manager
from minova.objects import states
from minova.virt import fake

UUID = "11111111-2222-3333-4444-555555555555"
FLAVOR = {"flavorid": "2", "name": "m1.small", "vcpus": 1, "memory_mb": 2048, "root_gb": 20}
OLD = {"flavorid": "1", "name": "m1.tiny", "vcpus": 1, "memory_mb": 512, "root_gb": 1}


class MoveConductor:
    """Both conductor clients, recording; keeps the instance's task state and
    the migration's status as the conductor would."""

    def __init__(self, old_vm_state="active"):
        self.calls = []
        self.task_state, self.status = "resize_prep", "pre-migrating"
        self.old_vm_state = old_vm_state
        self.unconfirmed, self.in_progress = [], []

    def action_event_start(self, ctxt, uuid, event, host=None):
        self.calls.append(("event_start", event, host))

    def action_event_finish(self, ctxt, uuid, event, result, host=None, traceback=None,
                            details=None):
        self.calls.append(("event_finish", event, result, host))

    def move_step(self, ctxt, migration_uuid, host, from_task_state, task_state, status=None,
                  power_state=None):
        if self.task_state != from_task_state:
            raise exception.UnexpectedTaskStateError(
                instance_uuid=UUID, expected=from_task_state, actual=self.task_state)
        self.task_state = task_state
        self.status = status or self.status
        self.calls.append(("move_step", task_state, host))

    def move_finished(self, ctxt, migration_uuid, host, power_state):
        self.task_state, self.status = None, "finished"
        self.calls.append(("move_finished", host, power_state))

    def move_failed(self, ctxt, migration_uuid, host, error, details, event):
        self.task_state, self.status = None, "error"
        self.calls.append(("move_failed", host, event, error))

    def confirm_finished(self, ctxt, migration_uuid, host, power_state=None, error=None,
                         details=None):
        self.calls.append(("confirm_finished", host, error))

    def revert_finished(self, ctxt, migration_uuid, host, power_state):
        self.calls.append(("revert_finished", host, power_state))

    def migration_get(self, ctxt, migration_uuid):
        return {"uuid": migration_uuid, "old_vm_state": self.old_vm_state}

    def migrations_unconfirmed(self, ctxt, host, window):
        return self.unconfirmed

    def confirm_resize(self, ctxt, uuid):
        self.calls.append(("confirm_resize", uuid))

    def migrations_in_progress(self, ctxt, host):
        return self.in_progress


class Wire:
    """The compute RPC client: each cast is queued and run on the named
    manager once the one before it returned (casts do not wait)."""

    def __init__(self):
        self.managers, self.queue, self.running = {}, [], False

    def _cast(self, method, ctxt, host, *args, **kwargs):
        self.queue.append((self.managers[host], method, ctxt, args, kwargs))
        if self.running:
            return
        self.running = True
        try:
            while self.queue:
                mgr, name, c, a, kw = self.queue.pop(0)
                getattr(mgr, name)(c, *a, **kw)
        finally:
            self.running = False

    def __getattr__(self, method):
        if method.startswith("_") or method in ("managers", "queue", "running"):
            raise AttributeError(method)
        return lambda ctxt, host, *args, **kwargs: self._cast(method, ctxt, host, *args,
                                                             **kwargs)


def _migration(dest="c2"):
    return {"uuid": "m-1", "instance_uuid": UUID, "source_compute": "c1",
            "dest_compute": dest, "status": "pre-migrating"}


@pytest.fixture
def hosts():
    conductor = MoveConductor()
    wire = Wire()
    for host in ("c1", "c2"):
        mgr = manager.ComputeManager(host, driver=fake.FakeDriver(), conductor_api=conductor,
                                     compute_task_api=conductor)
        mgr.init_host()
        mgr._move_rpc = wire
        wire.managers[host] = mgr
    wire.managers["c1"].driver.spawn(None, {"uuid": UUID, "display_name": "vm"}, {"id": "i"})
    return wire.managers, conductor


def _instance(vm_state="active"):
    return {"uuid": UUID, "display_name": "vm", "vm_state": vm_state, "flavor": OLD,
            "power_state": 1}


def _power(mgr) -> int:
    return mgr.driver.get_info({"uuid": UUID})["state"]


def test_a_move_hands_the_guest_to_the_destination(hosts):
    managers, conductor = hosts
    managers["c2"]._move_rpc.prep_resize(None, "c2", _instance(), _migration(), FLAVOR)
    assert [c for c in conductor.calls if c[0] in ("move_step", "move_finished")] == [
        ("move_step", "resize_migrating", "c1"), ("move_step", "resize_migrated", "c1"),
        ("move_step", "resize_finish", "c2"), ("move_finished", "c2", states.RUNNING)]
    assert _power(managers["c2"]) == states.RUNNING
    assert _power(managers["c1"]) == states.SHUTDOWN  # kept until the confirm
    events = [(c[1], c[2]) for c in conductor.calls if c[0] == "event_finish"]
    assert events == [("compute_prep_resize", "Success"),
                      ("compute_resize_instance", "Success")]
    # confirm: the source's guest goes
    managers["c1"]._move_rpc.confirm_resize(None, "c1", dict(_instance(), power_state=1),
                                            _migration())
    assert UUID not in managers["c1"].driver.list_instance_uuids()
    assert conductor.calls[-1] == ("confirm_finished", "c1", None)


def test_a_stopped_server_moves_stopped_and_revert_restarts_nothing(hosts):
    managers, conductor = hosts
    conductor.old_vm_state = "stopped"
    managers["c1"].driver.power_off(None, {"uuid": UUID})
    managers["c2"]._move_rpc.prep_resize(None, "c2", _instance("stopped"), _migration(),
                                         FLAVOR)
    assert _power(managers["c2"]) == states.SHUTDOWN
    managers["c2"]._move_rpc.revert_resize(None, "c2", _instance("stopped"), _migration())
    assert UUID not in managers["c2"].driver.list_instance_uuids()
    assert _power(managers["c1"]) == states.SHUTDOWN
    assert conductor.calls[-1] == ("revert_finished", "c1", states.SHUTDOWN)


def test_revert_destroys_the_new_guest_and_starts_the_old(hosts):
    managers, conductor = hosts
    managers["c2"]._move_rpc.prep_resize(None, "c2", _instance(), _migration(), FLAVOR)
    managers["c2"]._move_rpc.revert_resize(None, "c2", _instance(), _migration())
    assert UUID not in managers["c2"].driver.list_instance_uuids()
    assert _power(managers["c1"]) == states.RUNNING
    assert conductor.calls[-1] == ("revert_finished", "c1", states.RUNNING)


def test_a_resize_on_one_host_keeps_one_guest(hosts):
    managers, conductor = hosts
    managers["c1"]._move_rpc.prep_resize(None, "c1", _instance(), _migration(dest="c1"), FLAVOR)
    assert _power(managers["c1"]) == states.RUNNING
    managers["c1"]._move_rpc.revert_resize(None, "c1", _instance(), _migration(dest="c1"))
    assert _power(managers["c1"]) == states.RUNNING  # not destroyed: the same guest
    assert conductor.calls[-1] == ("revert_finished", "c1", states.RUNNING)


def test_a_source_that_cannot_power_off_keeps_the_guest_running(hosts, monkeypatch):
    managers, conductor = hosts

    def broken(*args, **kwargs):
        raise RuntimeError("disk busy")
    monkeypatch.setattr(managers["c1"].driver, "migrate_disk_and_power_off", broken)
    managers["c2"]._move_rpc.prep_resize(None, "c2", _instance(), _migration(), FLAVOR)
    [failed] = [c for c in conductor.calls if c[0] == "move_failed"]
    assert failed == ("move_failed", "c1", "compute_resize_instance", "RuntimeError: disk busy")
    assert _power(managers["c1"]) == states.RUNNING
    assert UUID not in managers["c2"].driver.list_instance_uuids()


def test_a_destination_that_cannot_start_the_guest_cleans_up(hosts, monkeypatch):
    managers, conductor = hosts

    def broken(*args, **kwargs):
        managers["c2"].driver._guests[UUID] = {"state": 1, "console": []}
        raise RuntimeError("no room")
    monkeypatch.setattr(managers["c2"].driver, "finish_migration", broken)
    managers["c2"]._move_rpc.prep_resize(None, "c2", _instance(), _migration(), FLAVOR)
    [failed] = [c for c in conductor.calls if c[0] == "move_failed"]
    assert failed[1:3] == ("c2", "compute_finish_resize")
    assert UUID not in managers["c2"].driver.list_instance_uuids()


def test_a_step_whose_instance_moved_on_stops(hosts):
    managers, conductor = hosts
    conductor.task_state = "deleting"
    managers["c1"]._move_rpc.resize_instance(None, "c1", _instance(), _migration(), FLAVOR)
    assert _power(managers["c1"]) == states.RUNNING
    assert not [c for c in conductor.calls if c[0] in ("move_failed", "move_finished")]


def test_a_failed_confirm_is_reported_with_its_cause(hosts, monkeypatch):
    managers, conductor = hosts

    def broken(*args, **kwargs):
        raise RuntimeError("cannot remove")
    monkeypatch.setattr(managers["c1"].driver, "confirm_migration", broken)
    managers["c1"]._move_rpc.confirm_resize(None, "c1", _instance(), _migration())
    assert conductor.calls[-1] == ("confirm_finished", "c1", "RuntimeError: cannot remove")


def test_a_restart_fails_the_moves_it_cut_off(hosts):
    managers, conductor = hosts
    conductor.in_progress = [dict(_migration(), status="migrating")]
    managers["c1"].recover_moves()
    [failed] = [c for c in conductor.calls if c[0] == "move_failed"]
    assert failed[1] == "c1" and "restarted during the move" in failed[3]


def test_auto_confirm_after_the_window(hosts):
    managers, conductor = hosts
    cfg.CONF.set_override("resize_confirm_window", 5)
    try:
        managers["c2"].service = {"id": 1}
        conductor.unconfirmed = [dict(_migration(), status="finished")]
        managers["c2"].poll_unconfirmed_resizes()
        assert ("confirm_resize", UUID) in conductor.calls
        assert any(t[1] == managers["c2"].poll_unconfirmed_resizes
                   for t in managers["c2"].periodic_tasks())
    finally:
        cfg.CONF.clear_override("resize_confirm_window")
