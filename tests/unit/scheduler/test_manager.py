import json

import oslo_messaging as messaging
import pytest

from minova import context, exception
from minova.scheduler.manager import SchedulerManager

from . import fakes

CTXT = context.get_admin_context()


def manager_for(*hosts: dict) -> tuple[SchedulerManager, fakes.FakeConductor]:
    conductor = fakes.FakeConductor(list(hosts))
    return SchedulerManager("sched-1", conductor_api=conductor), conductor


def select(manager: SchedulerManager, spec: dict, uuids: list[str]) -> dict:
    """Call the endpoint as the RPC dispatcher would, unwrapping expected exceptions.

    select_destinations marks NoValidHost as expected (no traceback in the
    scheduler's log), so a direct call gets it wrapped; over RPC it arrives
    as itself (see test_rpcapi).
    """
    try:
        return manager.select_destinations(CTXT, spec, uuids)
    except messaging.ExpectedException as wrapped:
        raise wrapped.exc_info[1] from None


def wait_until(predicate, timeout: float = 5.0) -> None:
    """Poll ``predicate`` until it holds; fail after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def primary(result: dict) -> str:
    return result["selections"][0][0]["service_host"]


def test_answer_matches_the_documented_shape():
    manager, _ = manager_for(fakes.host_state("a"), fakes.host_state("b", vcpus_used=2))
    result = select(manager, fakes.spec(num=2), ["i0", "i1"])
    assert set(result) == {"selections", "decisions"}
    assert len(result["selections"]) == len(result["decisions"]) == 2
    for selection in result["selections"]:
        for entry in selection:
            assert set(entry) == {"service_host", "nodename", "compute_node_id",
                                  "compute_node_uuid", "availability_zone"}
    assert {"hosts_considered", "filters", "weights", "winner",
            "alternates"} <= set(result["decisions"][0])
    # It crosses the bus as JSON.
    assert json.loads(json.dumps(result)) == result


def test_consumption_survives_refreshes_until_the_generation_moves():
    manager, conductor = manager_for(fakes.host_state("a", memory_mb=1024),
                                     fakes.host_state("b", memory_mb=1024))
    spec = fakes.spec(memory_mb=1024)
    assert primary(select(manager, spec, ["i0"])) == "a"
    # Nothing claimed yet in the conductor's numbers: a is still taken locally.
    assert primary(select(manager, spec, ["i1"])) == "b"
    with pytest.raises(exception.NoValidHost, match="RamFilter removed 2 of 2 hosts"):
        select(manager, spec, ["i2"])
    # The claim on a failed and was released: a new generation, nothing used.
    conductor.hosts[0]["generation"] = 2
    assert primary(select(manager, spec, ["i3"])) == "a"


def test_a_new_generation_brings_the_conductors_usage_at_the_next_refresh():
    manager, conductor = manager_for(fakes.host_state("a", memory_mb=3072))
    spec = fakes.spec(memory_mb=1024)
    select(manager, spec, ["i0"])
    # Our claim landed and another scheduler's too: a is full.
    conductor.hosts[0].update(generation=3, memory_mb_used=3072, running_vms=3)
    asked = len(conductor.calls)
    # Until its timer refreshes, the scheduler places on what it holds (the
    # conductor's claim is what would refuse it), asking the conductor nothing.
    assert primary(select(manager, spec, ["i1"])) == "a"
    assert len(conductor.calls) == asked
    manager.refresh_host_states()
    with pytest.raises(exception.NoValidHost):
        select(manager, spec, ["i2"])


def test_a_retry_after_a_lost_claim_reads_fresh_host_states():
    manager, conductor = manager_for(fakes.host_state("a", memory_mb=2048),
                                     fakes.host_state("b", memory_mb=2048))
    spec = fakes.spec(memory_mb=2048)
    select(manager, spec, ["i0"])  # a, in the scheduler's view
    conductor.hosts[1].update(generation=3, memory_mb_used=2048, running_vms=1)
    with pytest.raises(exception.NoValidHost):
        select(manager, dict(spec, refresh_host_states=True), ["i1"])


def test_no_host_in_a_view_older_than_the_request_reads_fresh_states():
    manager, conductor = manager_for(fakes.host_state("a", vcpus=1, vcpus_used=1))
    select_spec = fakes.spec()
    with pytest.raises(exception.NoValidHost):
        select(manager, select_spec, ["i0"])
    conductor.hosts.append(fakes.host_state("b", compute_node_id=2))  # a new compute
    assert primary(select(manager, select_spec, ["i1"])) == "b"


def test_a_failed_request_consumes_nothing():
    manager, _ = manager_for(fakes.host_state("a", memory_mb=2048))
    with pytest.raises(exception.NoValidHost, match="placed 2 of 3 instances"):
        select(manager, fakes.spec(num=3, memory_mb=1024),
                                    ["i0", "i1", "i2"])
    result = select(manager, fakes.spec(num=2, memory_mb=1024), ["i3", "i4"])
    assert [d["winner"] for d in result["decisions"]] == ["a", "a"]


def test_retry_hosts_are_skipped():
    manager, _ = manager_for(fakes.host_state("a"), fakes.host_state("b", vcpus_used=4))
    spec = fakes.spec()
    spec["retry"] = {"num_attempts": 1, "hosts": [["a", "a"]]}
    result = select(manager, spec, ["i0"])
    assert primary(result) == "b"
    assert result["decisions"][0]["filters"][0]["name"] == "RetryFilter"


def test_configured_filters_are_used(override):
    override("enabled_filters", ["RamFilter"], group="filter_scheduler")
    manager, _ = manager_for(fakes.host_state("down", service_up=False, vcpus_used=0),
                             fakes.host_state("up", vcpus_used=4))
    result = select(manager, fakes.spec(), ["i0"])
    # Without ComputeFilter the down host is not removed (and weighs best).
    assert primary(result) == "down"
    assert [f["name"] for f in result["decisions"][0]["filters"]] == ["RamFilter"]


def test_unknown_filter_fails_at_start(override):
    override("enabled_filters", ["ComputeFilter", "NoSuchFilter"], group="filter_scheduler")
    with pytest.raises(exception.ConfigurationError, match="NoSuchFilter"):
        SchedulerManager("sched-1", conductor_api=fakes.FakeConductor([]))


def test_unknown_weigher_fails_at_start(override):
    override("weight_classes", ["RAMWeigher", "FooWeigher"], group="filter_scheduler")
    with pytest.raises(exception.ConfigurationError, match="FooWeigher"):
        SchedulerManager("sched-1", conductor_api=fakes.FakeConductor([]))


def test_no_valid_host_is_marked_expected_for_the_dispatcher():
    manager, _ = manager_for()
    with pytest.raises(messaging.ExpectedException) as wrapped:
        manager.select_destinations(CTXT, fakes.spec(), ["i0"])
    assert isinstance(wrapped.value.exc_info[1], exception.NoValidHost)


def test_decisions_name_the_instances():
    manager, _ = manager_for(fakes.host_state("a"))
    result = select(manager, fakes.spec(num=2), ["uuid-1", "uuid-2"])
    assert [d["instance_uuid"] for d in result["decisions"]] == ["uuid-1", "uuid-2"]


def test_an_admin_change_makes_the_next_placement_read_afresh():
    manager, conductor = manager_for(fakes.host_state("a"), fakes.host_state("b"))
    select(manager, fakes.spec(), ["i0"])
    conductor.hosts[0]["service_disabled"] = True  # a is disabled: no generation change
    asked = len(conductor.calls)
    manager.host_states_changed(CTXT)
    result = select(manager, fakes.spec(), ["i1"])
    assert len(conductor.calls) == asked + 1
    assert [s["service_host"] for s in result["selections"][0]] == ["b"]
