"""The compute manager with the fake driver and a recording stand-in for the conductor.

The stand-in replaces the conductor's RPC client only; it follows the
conductor's compare-and-swap rules so the manager's reactions to a racing
delete can be checked.
"""

import logging
import threading

import pytest

from minova import exception
from minova.compute import manager
from minova.virt import fake


class RecordingConductor:
    """Both conductor clients the manager holds (ConductorAPI, ComputeTaskAPI)."""

    def __init__(self):
        self.calls = []
        self.task_state = "spawning"  # as the conductor's claim leaves it
        self.vm_state = "building"
        self.deleted = False
        self.lock = threading.Lock()

    def _record(self, name, *args):
        self.calls.append((name,) + args)

    def build_finished(self, ctxt, uuid, host, power_state, root_device_name=None,
                       failed_builds_reset=False):
        self._record("build_finished", uuid, host, power_state, failed_builds_reset)
        self.root_device_name = root_device_name
        if self.deleted:
            raise exception.InstanceNotFound(instance_id=uuid)
        if self.task_state != "spawning":
            raise exception.UnexpectedTaskStateError(instance_uuid=uuid, expected="spawning",
                                                     actual=self.task_state)
        self.task_state = None

    def instance_get(self, ctxt, uuid, read_deleted=False):
        return {"uuid": uuid, "vm_state": self.vm_state, "task_state": self.task_state,
                "host": "c1"}

    def build_failed(self, ctxt, uuid, host, node, reason, details, request_spec,
                     alternates, reschedule, wait_for_receipt=False):
        self._record("build_failed", uuid, host, reason, reschedule, alternates)
        self.build_failed_waited = wait_for_receipt

    def action_event_start(self, ctxt, uuid, event, host=None):
        self._record("event_start", uuid, event, host)

    def action_event_finish(self, ctxt, uuid, event, result, host=None, traceback=None,
                            details=None):
        self._record("event_finish", uuid, event, result)

    def instance_destroy(self, ctxt, uuid, host):
        self._record("instance_destroy", uuid, host)

    def instance_update(self, ctxt, uuid, updates, expected_task_state=None,
                        expected_vm_state=None):
        self._record("instance_update", uuid, updates)

    def instance_action_finish(self, ctxt, uuid, event, host, updates, expected_task_state,
                               error=None, traceback=None):
        self._record("action_finish", uuid, event, updates, expected_task_state, error)

    def compute_node_update(self, ctxt, service_id, host, nodename, resources):
        self._record("compute_node_update", service_id, host, nodename, resources)


@pytest.fixture
def compute():
    driver = fake.FakeDriver()
    conductor = RecordingConductor()
    mgr = manager.ComputeManager("c1", driver=driver, conductor_api=conductor,
                                 compute_task_api=conductor)
    mgr.init_host()
    return mgr


INSTANCE = {"uuid": "11111111-2222-3333-4444-555555555555", "display_name": "vm"}


def test_build_spawns_and_reports_running_in_one_call(compute):
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    names = [c[0] for c in compute.conductor_api.calls]
    assert names == ["build_finished"]
    assert compute.conductor_api.calls[-1][3] == 1  # power_state RUNNING
    assert compute.conductor_api.calls[-1][4] is False  # no failures to reset
    assert compute.conductor_api.root_device_name == "/dev/vda"
    assert compute.driver.list_instance_uuids() == [INSTANCE["uuid"]]


def test_build_taken_after_its_terminate_spawns_nothing(compute):
    """The delete's terminate ran before the build cast was taken off the queue."""
    compute.terminate_instance(None, INSTANCE)
    compute.conductor_api.calls.clear()
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    assert compute.conductor_api.calls == []
    assert compute.driver.list_instance_uuids() == []


def test_guest_of_an_instance_deleted_during_the_spawn_is_destroyed(compute):
    compute.conductor_api.deleted = True
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    assert [c[0] for c in compute.conductor_api.calls] == ["build_finished"]
    assert compute.driver.list_instance_uuids() == []


def test_a_success_after_failures_resets_the_hosts_count_once(compute):
    from oslo_config import cfg

    cfg.CONF.set_override("fail_spawn_for_name", "^bad$", group="fake_driver")
    for uuid in ("bad1", "bad2"):
        compute.build_and_run_instance(None, dict(INSTANCE, uuid=uuid, display_name="bad"),
                                       "c1", {"image": {}}, [])
    for uuid in ("a", "b"):
        compute.conductor_api.task_state = "spawning"
        compute.build_and_run_instance(None, dict(INSTANCE, uuid=uuid), "c1",
                                       {"image": {}}, [])
    finished = [c for c in compute.conductor_api.calls if c[0] == "build_finished"]
    assert [c[4] for c in finished] == [True, False]


def test_build_finished_after_build_timeout_warns_and_keeps_guest(compute, caplog,
                                                                   monkeypatch):
    real_spawn = compute.driver.spawn

    def spawn_past_the_timeout(*args):
        real_spawn(*args)
        # The conductor's build timeout fires while the guest boots.
        compute.conductor_api.task_state, compute.conductor_api.vm_state = None, "error"

    monkeypatch.setattr(compute.driver, "spawn", spawn_past_the_timeout)
    with caplog.at_level(logging.WARNING, logger="minova.compute.manager"):
        compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    assert any("after the instance was set to ERROR" in r.getMessage()
               for r in caplog.records if r.levelno == logging.WARNING)
    # Left for the user's delete, which destroys it through terminate_instance.
    assert compute.driver.list_instance_uuids() == [INSTANCE["uuid"]]


def test_failed_spawn_cleans_up_and_asks_for_reschedule(compute):
    from oslo_config import cfg

    cfg.CONF.set_override("fail_spawn_for_name", "^vm$", group="fake_driver")
    alternates = [{"service_host": "c2"}]
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, alternates)
    failed = [c for c in compute.conductor_api.calls if c[0] == "build_failed"]
    assert len(failed) == 1
    _, uuid, host, reason, reschedule, passed_alternates = failed[0]
    assert host == "c1" and reschedule is True and passed_alternates == alternates
    assert "told to fail" in reason
    assert compute.driver.list_instance_uuids() == []


def test_terminate_destroys_then_tells_conductor(compute):
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.terminate_instance(None, INSTANCE)
    names = [c[0] for c in compute.conductor_api.calls]
    assert names[-3:] == ["event_start", "event_finish", "instance_destroy"]
    assert compute.driver.list_instance_uuids() == []


def test_resource_report_includes_ratios_and_zone(compute):
    compute.service_registered({"id": 7})
    [call] = [c for c in compute.conductor_api.calls if c[0] == "compute_node_update"]
    resources = call[4]
    assert call[1:4] == (7, "c1", "c1")
    assert resources["cpu_allocation_ratio"] == 4.0
    assert resources["availability_zone"] == "nova"
    assert resources["vcpus"] == 1000 and resources["hypervisor_type"] == "fake"


def test_instance_lock_serialises_operations_on_one_uuid():
    locks = manager._InstanceLocks()
    order = []
    entered = threading.Event()
    release = threading.Event()

    def first():
        with locks("a"):
            entered.set()
            release.wait(5)
            order.append("first")

    def second():
        with locks("a"):
            order.append("second")

    t1 = threading.Thread(target=first)
    t1.start()
    assert entered.wait(5)
    t2 = threading.Thread(target=second)
    t2.start()
    with locks("b"):  # another uuid is not blocked
        order.append("other")
    release.set()
    t1.join(5)
    t2.join(5)
    assert order == ["other", "first", "second"]
    assert locks._locks == {}


def _finished(compute):
    return [c for c in compute.conductor_api.calls if c[0] == "action_finish"][-1]


@pytest.mark.parametrize("method, args, task_state, vm_state, power_state", [
    ("stop_instance", (), "powering-off", "stopped", 4),
    ("pause_instance", (), "pausing", "paused", 3),
    ("suspend_instance", (), "suspending", "suspended", 7),
    ("reboot_instance", ("HARD",), "rebooting_hard", "active", 1),
    ("reboot_instance", ("SOFT",), "rebooting", "active", 1),
])
def test_lifecycle_action_reports_new_states(compute, method, args, task_state, vm_state,
                                             power_state):
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    getattr(compute, method)(None, INSTANCE, *args)
    _, uuid, event, updates, expected, error = _finished(compute)
    assert error is None and expected == [task_state]
    assert updates == {"vm_state": vm_state, "task_state": None, "power_state": power_state}
    assert compute.driver.get_info(INSTANCE)["state"] == power_state


def test_stop_then_start_round_trip(compute):
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.stop_instance(None, INSTANCE)
    compute.start_instance(None, INSTANCE)
    assert _finished(compute)[3]["vm_state"] == "active"
    assert compute.driver.get_info(INSTANCE)["state"] == 1


def test_failed_action_clears_task_state_and_records_the_error(compute):
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.unpause_instance(None, INSTANCE)  # not paused: the driver refuses
    _, uuid, event, updates, expected, error = _finished(compute)
    assert event == "compute_unpause_instance" and error
    assert updates == {"task_state": None, "power_state": 1}


def test_console_output_tail(compute):
    compute.build_and_run_instance(None, INSTANCE, "c1", {"image": {}}, [])
    compute.pause_instance(None, INSTANCE)
    full = compute.get_console_output(None, INSTANCE, None)
    assert full.endswith("minova guest booted\npause\n") and full.count("\n") >= 10
    # Nova's tail: the last pieces between newlines, the empty one after the
    # final newline included, so "3 lines" split on newlines are 3 pieces.
    assert compute.get_console_output(None, INSTANCE, 3) == "minova guest booted\npause\n"
    assert compute.get_console_output(None, INSTANCE, 3).split("\n") == [
        "minova guest booted", "pause", ""]
    assert compute.get_console_output(None, INSTANCE, 1) == ""
    assert compute.get_console_output(None, INSTANCE, 0) == ""
    with pytest.raises(exception.ConsoleNotAvailable):
        compute.get_console_output(None, {"uuid": "nope"}, None)


def test_cache_images_goes_on_after_a_failure(compute, monkeypatch, caplog):
    """API 2.81: each image is tried; one that fails is logged, not fatal."""
    def cache_image(ctxt, image_meta):
        if image_meta["id"] == "bad":
            raise RuntimeError("download failed")
        return fake.FakeDriver.cache_image(compute.driver, ctxt, image_meta)

    monkeypatch.setattr(compute.driver, "cache_image", cache_image)
    caplog.set_level(logging.INFO, logger="minova.compute.manager")
    compute.cache_images(None, [{"id": "bad"}, {"id": "good"}, {"id": "good"}])
    assert compute.driver.cached_images == {"good"}
    assert "Could not cache image bad" in caplog.text
    assert "Image good was already cached" in caplog.text


def test_cache_images_with_a_driver_without_a_cache(compute, monkeypatch, caplog):
    from minova.virt import driver as virt_driver

    monkeypatch.setattr(compute.driver, "cache_image",
                        lambda ctxt, meta: virt_driver.ComputeDriver.cache_image(
                            compute.driver, ctxt, meta))
    compute.cache_images(None, [{"id": "a"}, {"id": "b"}])
    assert "keeps no image cache" in caplog.text


@pytest.mark.parametrize("output, length, tail", [
    ("a\nb\nc\nd\n", 3, "c\nd\n"),
    ("a\nb\nc\nd", 3, "b\nc\nd"),
    ("a\nb\n", 10, "a\nb\n"),
    ("a\nb\n", 0, ""),
])
def test_tail_log_is_novas(output, length, tail):
    assert manager.tail_log(output, length) == tail
