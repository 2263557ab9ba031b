"""States, capacity and request specs: the vocabulary every service shares."""

import datetime

import pytest

from minova import servicegroup
from minova.objects import capacity, request_spec, states


@pytest.mark.parametrize("vm_state, task_state, status", [
    ("building", "scheduling", "BUILD"),
    ("active", None, "ACTIVE"),
    ("active", "rebooting", "REBOOT"),
    ("active", "rebooting_hard", "HARD_REBOOT"),
    ("active", "powering-off", "ACTIVE"),
    ("stopped", None, "SHUTOFF"),
    ("paused", None, "PAUSED"),
    ("suspended", None, "SUSPENDED"),
    ("error", None, "ERROR"),
    ("deleted", None, "DELETED"),
    ("nonsense", None, "UNKNOWN"),
])
def test_status_from_state(vm_state, task_state, status):
    assert states.status_from_state(vm_state, task_state) == status


def test_states_from_status_inverts_the_map():
    assert states.states_from_status("shutoff") == [("stopped", "default")]
    assert ("active", "rebooting") in states.states_from_status("REBOOT")
    assert states.states_from_status("NOPE") == []


def _host(**kw):
    host = {"vcpus": 4, "memory_mb": 4096, "local_gb": 100, "vcpus_used": 0,
            "memory_mb_used": 0, "local_gb_used": 0, "cpu_allocation_ratio": 4.0,
            "ram_allocation_ratio": 1.0, "disk_allocation_ratio": 1.0,
            "reserved_host_memory_mb": 512, "reserved_host_disk_mb": 1500,
            "reserved_host_cpus": 1}
    host.update(kw)
    return host


def test_free_resources_apply_reserved_then_ratio():
    free = capacity.free_resources(_host(vcpus_used=2, memory_mb_used=1024))
    assert free == {"vcpus": (4 - 1) * 4 - 2, "memory_mb": 4096 - 512 - 1024,
                    "disk_gb": 100 - 2}  # 1500 MiB reserved rounds up to 2 GiB


def test_requested_resources_count_ephemeral_and_swap_as_disk():
    flavor = {"vcpus": 2, "memory_mb": 2048, "root_gb": 20, "ephemeral_gb": 5, "swap": 1025}
    assert capacity.requested_resources(flavor) == {"vcpus": 2, "memory_mb": 2048,
                                                    "disk_gb": 20 + 5 + 2}


def test_request_spec_narrowing_and_attempts_do_not_leak_between_instances():
    spec = request_spec.build(instance_uuids=["a", "b"], project_id="p", user_id="u",
                              flavor={"vcpus": 1}, image=None, availability_zone=None)
    one = request_spec.for_one_instance(spec, "b")
    request_spec.record_attempt(one, "h1", "n1")
    assert one["instance_uuids"] == ["b"] and one["num_instances"] == 1
    assert one["retry"] == {"num_attempts": 1, "hosts": [["h1", "n1"]]}
    assert spec["retry"] == {"num_attempts": 0, "hosts": []}


@pytest.mark.parametrize("min_count, expected", [(None, 3), (2, 2), (7, 3), (0, 3)])
def test_request_spec_min_count_defaults_to_all_and_a_reschedule_needs_one(min_count,
                                                                          expected):
    spec = request_spec.build(instance_uuids=["a", "b", "c"], project_id="p", user_id="u",
                              flavor={"vcpus": 1}, image=None, availability_zone=None,
                              min_count=min_count)
    assert spec["min_count"] == expected
    assert request_spec.for_one_instance(spec, "b")["min_count"] == 1


def test_service_is_up_within_service_down_time():
    now = datetime.datetime(2026, 1, 1, 12, 0, 0)
    recent = (now - datetime.timedelta(seconds=59)).isoformat()
    old = (now - datetime.timedelta(seconds=61)).isoformat()
    assert servicegroup.is_up(recent, now=now)
    assert not servicegroup.is_up(old, now=now)
    assert not servicegroup.is_up(recent, forced_down=True, now=now)
    assert not servicegroup.is_up(None, now=now)
