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
        yield rpcapi.SchedulerAPI()


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


def test_client_targets_the_scheduler_topic_at_the_cap(scheduler_api):
    assert scheduler_api.client.target.topic == "scheduler"
    assert scheduler_api.client.target.version == "1.0"
    assert scheduler_api.client.version_cap == rpcapi.SchedulerAPI.VERSION_CAP == "1.0"
