"""The compute host's reports to the conductor, retried across outages (fake clock, no sleep)."""

import oslo_messaging as messaging
import pytest
from oslo_config import cfg

from minova.compute import conductor_calls, manager
from minova.virt import fake
from tests.unit.test_retry import DB_DOWN, Clock

CONF = cfg.CONF


class Outage:
    """A conductor client whose every call fails ``failures`` times first."""

    def __init__(self, failures: int, error=DB_DOWN):
        self.failures, self.error = failures, error
        self.calls = []

    def bounded(self, timeout, send_retries):
        self.bounded_with = (timeout, send_retries)
        return self

    def __getattr__(self, method):
        def call(*args, **kwargs):
            self.calls.append((method, args, kwargs))
            if self.failures > 0:
                self.failures -= 1
                raise self.error
            return "answered"
        return call


def _calls(client, clock):
    return conductor_calls.ConductorCalls(client, client, clock=clock, wait=clock.wait)


def test_a_build_outcome_is_retried_until_delivered_however_long_the_outage():
    client, clock = Outage(failures=500, error=messaging.MessagingTimeout()), Clock()
    _calls(client, clock).build_finished(None, "i1", "c1", 1, root_device_name="/dev/vda",
                                         failed_builds_reset=False)
    assert len(client.calls) == 501
    assert client.bounded_with == (10.0, 1)  # each attempt is bounded
    assert clock.now - 100 > CONF.conductor_call_retry_timeout


def test_a_build_failure_is_sent_as_a_call_and_retried():
    client, clock = Outage(failures=2), Clock()
    _calls(client, clock).build_failed(None, "i1", "c1", "c1", reason="boom", details=None,
                                       request_spec={}, alternates=[], reschedule=True)
    assert [c[0] for c in client.calls] == ["build_failed"] * 3
    assert client.calls[-1][2]["wait_for_receipt"] is True


def test_an_action_result_is_given_up_after_the_retry_timeout():
    CONF.set_override("conductor_call_retry_timeout", 120)
    client, clock = Outage(failures=10_000), Clock()
    with pytest.raises(messaging.RemoteError):
        _calls(client, clock).instance_action_finish(None, "i1", "compute_stop_instance", "c1",
                                                     {"task_state": None}, ["powering-off"])
    assert clock.now == pytest.approx(220.0)


def test_an_inventory_report_is_retried_until_the_next_one_is_due():
    CONF.set_override("update_resources_interval", 30)
    client, clock = Outage(failures=10_000), Clock()
    with pytest.raises(messaging.RemoteError):
        _calls(client, clock).compute_node_update(None, 1, "c1", "c1", {})
    assert clock.now == pytest.approx(130.0)


def test_a_stopping_service_gives_up_at_once():
    client, clock = Outage(failures=5), Clock()
    calls = _calls(client, clock)
    calls.stopping.set()
    # left unreported (as a kill would leave it), not raised into the RPC server
    assert calls.instance_destroy(None, "i1", "c1") is None
    assert len(client.calls) == 1


def test_the_manager_reports_a_spawn_through_a_database_outage():
    client = Outage(failures=3)
    mgr = manager.ComputeManager("c1", driver=fake.FakeDriver(), conductor_api=client,
                                 compute_task_api=client)
    clock = Clock()
    mgr.report = _calls(client, clock)
    mgr.init_host()
    mgr.build_and_run_instance(None, {"uuid": "i1", "display_name": "vm"}, "c1",
                               {"image": {}}, [])
    assert [c[0] for c in client.calls] == ["build_finished"] * 4
    assert mgr.driver.list_instance_uuids() == ["i1"]  # the guest kept: it was reported
    assert mgr._failed_builds == 0


def test_a_report_given_up_by_the_stop_is_left_not_raised():
    import threading

    import oslo_messaging

    from minova.compute import conductor_calls

    class Unanswered:
        def build_finished(self, *args, **kwargs):
            stopping.set()  # the service stops while the call waits
            raise oslo_messaging.MessagingTimeout("no answer")

    stopping = threading.Event()
    calls = conductor_calls.ConductorCalls(Unanswered(), Unanswered(), stopping)
    assert calls.build_finished(None, "u1", "c1", 1, None, False) is None
