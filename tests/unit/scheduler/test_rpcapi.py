"""select_destinations over oslo.messaging's in-process fake:// transport."""

import pytest

import minova.conf
from minova import context, exception
from minova.scheduler import rpcapi
from minova.scheduler.manager import SchedulerManager
from tests import fake_bus

from . import fakes

CONF = minova.conf.CONF


@pytest.fixture(scope="module")
def scheduler_api():
    """One scheduler server for the module: stopping a fake:// server takes a poll cycle."""
    conductor = fakes.FakeConductor([fakes.host_state("a"),
                                     fakes.host_state("b", memory_mb=256)])
    manager = SchedulerManager("sched-test", conductor_api=conductor)
    with fake_bus.rpc_server(rpcapi.TOPIC, "sched-test", [manager]):
        api = rpcapi.SchedulerAPI()
        api.manager = manager  # for the tests' look at the server side
        yield api


def test_select_destinations_round_trip(scheduler_api):
    ctxt = context.RequestContext(project_id="p1", user_id="u1", request_id="req-123")
    result = scheduler_api.select_destinations(ctxt, fakes.spec(memory_mb=512), ["i0"])
    assert [s["service_host"] for s in result["selections"][0]] == ["a"]
    decision = result["decisions"][0]
    assert decision["winner"] == "a"
    assert {"name": "RamFilter", "in": 2, "out": 1, "removed": ["b"], "removed_count": 1,
            "removed_truncated": False} in decision["filters"]


def test_no_valid_host_arrives_as_itself(scheduler_api):
    ctxt = context.get_admin_context()
    with pytest.raises(exception.NoValidHost, match="RamFilter removed 2 of 2 hosts"):
        scheduler_api.select_destinations(ctxt, fakes.spec(memory_mb=100000), ["i0"])


def test_a_rebuild_check_judges_only_the_servers_host_by_the_image(scheduler_api):
    """1.2: host b has no room for the flavor, but a rebuild's check is about
    the image only, on the server's own host."""
    ctxt = context.get_admin_context()
    spec = fakes.spec(memory_mb=512)
    spec["requested_destination"] = {"host": "b", "node": "b"}
    result = scheduler_api.check_rebuild(ctxt, spec, "i0")
    assert [s["service_host"] for s in result["selections"][0]] == ["b"]
    assert scheduler_api.can_check_rebuild()


def test_client_targets_the_scheduler_topic_at_the_cap(scheduler_api):
    assert scheduler_api.client.target.topic == "scheduler"
    assert scheduler_api.client.target.version == "1.0"
    assert scheduler_api.client.version_cap == rpcapi.SchedulerAPI.VERSION_CAP == "1.2"


def test_host_states_changed_reaches_the_scheduler_by_fanout(scheduler_api):
    from tests.unit.scheduler.test_manager import wait_until

    host_manager = scheduler_api.manager.host_manager
    assert not host_manager._stale
    scheduler_api.host_states_changed(context.get_admin_context())
    wait_until(lambda: host_manager._stale)
    # The next placement reads afresh, and that clears it.
    asked = len(host_manager.conductor_api.calls)
    scheduler_api.select_destinations(context.get_admin_context(), fakes.spec(), ["i1"])
    assert len(host_manager.conductor_api.calls) == asked + 1 and not host_manager._stale


def test_no_fanout_to_schedulers_capped_below_1_1():
    CONF.set_override("scheduler", "1.0", group="upgrade_levels")
    sent = []
    api = rpcapi.SchedulerAPI()
    api.client = type("Client", (), {"can_send_version": lambda self, v: v == "1.0",
                                     "prepare": lambda self, **kw: sent.append(kw)})()
    api.host_states_changed(context.get_admin_context())
    assert sent == []
