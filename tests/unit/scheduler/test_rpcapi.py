"""select_destinations over oslo.messaging's in-process fake:// transport."""

import oslo_messaging as messaging
import pytest
from oslo_messaging import opts as messaging_opts

import minova.conf
from minova import context, exception, rpc
from minova.scheduler import rpcapi
from minova.scheduler.manager import SchedulerManager

from . import fakes

CONF = minova.conf.CONF


@pytest.fixture(scope="module")
def scheduler_api():
    """One scheduler server for the module: stopping a fake:// server takes a poll cycle."""
    if "transport_url" not in CONF:
        # oslo.messaging registers transport_url only when it builds a
        # transport; register it first so the override can be set. The
        # defaults go first so these copies equal the options oslo.messaging
        # registers itself later (a differing default is a DuplicateOptError).
        messaging.set_transport_defaults(control_exchange="minova")
        for group, opts in messaging_opts.list_opts():
            if group is None:
                CONF.register_opts(opts)
    CONF.set_override("transport_url", "fake://")
    rpc.cleanup()
    conductor = fakes.FakeConductor([fakes.host_state("a"),
                                     fakes.host_state("b", memory_mb=256)])
    manager = SchedulerManager("sched-test", conductor_api=conductor)
    server = rpc.get_server(messaging.Target(topic=rpcapi.TOPIC, server="sched-test"),
                            [manager], executor="threading")
    server.start()
    try:
        yield rpcapi.SchedulerAPI()
    finally:
        server.stop()
        server.wait()
        rpc.cleanup()
        CONF.clear_override("transport_url")


def test_select_destinations_round_trip(scheduler_api):
    ctxt = context.RequestContext(project_id="p1", user_id="u1", request_id="req-123")
    result = scheduler_api.select_destinations(ctxt, fakes.spec(memory_mb=512), ["i0"])
    assert [s["service_host"] for s in result["selections"][0]] == ["a"]
    decision = result["decisions"][0]
    assert decision["winner"] == "a"
    assert {"name": "RamFilter", "in": 2, "out": 1, "removed": ["b"]} in decision["filters"]


def test_no_valid_host_arrives_as_itself(scheduler_api):
    ctxt = context.get_admin_context()
    with pytest.raises(exception.NoValidHost, match="RamFilter removed 2 of 2 hosts"):
        scheduler_api.select_destinations(ctxt, fakes.spec(memory_mb=100000), ["i0"])


def test_client_targets_the_scheduler_topic_at_the_cap(scheduler_api):
    assert scheduler_api.client.target.topic == "scheduler"
    assert scheduler_api.client.target.version == "1.0"
    assert scheduler_api.client.version_cap == rpcapi.SchedulerAPI.VERSION_CAP == "1.0"
