"""The compute RPC client's calls over oslo.messaging's in-process fake:// transport."""

import pytest

import minova.conf
import minova.rpc
from minova import context
from minova.compute import manager, rpcapi
from minova.virt import fake
from tests import fake_bus
from tests.unit.compute.test_manager import RecordingConductor

CONF = minova.conf.CONF


@pytest.fixture(scope="module")
def compute_rpc():
    """One compute server (the fake driver on this host) for the module."""
    conductor = RecordingConductor()
    mgr = manager.ComputeManager("rpc-test", driver=fake.FakeDriver(),
                                 conductor_api=conductor, compute_task_api=conductor)
    with fake_bus.rpc_server(rpcapi.TOPIC, "rpc-test", [mgr]):
        yield rpcapi.ComputeAPI()


def test_get_host_uptime_is_the_hosts_uptime(compute_rpc):
    """Compute RPC 1.2: what ``uptime`` prints on the compute's host."""
    uptime = compute_rpc.get_host_uptime(context.get_admin_context(), "rpc-test")
    assert " up " in uptime and "load average" in uptime


def test_get_host_uptime_is_not_sent_to_older_computes(compute_rpc):
    """With [upgrade_levels] compute = 1.1 the api does not ask (it answers 501)."""
    capped = rpcapi.ComputeAPI.__new__(rpcapi.ComputeAPI)
    capped.client = minova.rpc.get_client(rpcapi.TOPIC, version="1.0", version_cap="1.1")
    with pytest.raises(NotImplementedError):
        capped.get_host_uptime(context.get_admin_context(), "rpc-test")


def test_client_cap_is_1_9(compute_rpc):
    """1.8: snapshot_instance, shelve_instance, shelve_offload_instance,
    unshelve_instance; 1.9: the move casts (prep_resize ... finish_revert_resize)."""
    assert compute_rpc.client.version_cap == rpcapi.ComputeAPI.VERSION_CAP == "1.9"


def test_rescue_is_not_sent_to_computes_older_than_1_7(compute_rpc):
    """Compute RPC 1.7 is rescue/unrescue: the api asks can_rescue first."""
    assert compute_rpc.can_rescue()
    capped = rpcapi.ComputeAPI.__new__(rpcapi.ComputeAPI)
    capped.client = minova.rpc.get_client(rpcapi.TOPIC, version="1.0", version_cap="1.6")
    assert not capped.can_rescue()


def test_rebuild_is_not_sent_to_computes_older_than_1_3(compute_rpc):
    """Compute RPC 1.3 is rebuild_instance: a cap of 1.2 (get_host_uptime's)
    refuses it, as the conductor asks can_rebuild before it casts."""
    assert compute_rpc.can_rebuild()
    capped = rpcapi.ComputeAPI.__new__(rpcapi.ComputeAPI)
    capped.client = minova.rpc.get_client(rpcapi.TOPIC, version="1.0", version_cap="1.2")
    assert not capped.can_rebuild()
