"""The service runtime over the in-process fake:// bus: register, heartbeat, serve, stop."""

import threading

import oslo_messaging as messaging
import pytest
from oslo_config import cfg

from minova import context, exception, graceful, rpc, service

CONF = cfg.CONF


class RecordingRecorder:
    def __init__(self):
        self.heartbeats = threading.Event()
        self.registered = []

    def register(self, host, binary, topic, stopping):
        self.registered.append((host, binary, topic))
        return {"id": 42, "host": host}

    def heartbeat(self, record):
        assert record["id"] == 42
        self.heartbeats.set()


class EchoManager:
    target = messaging.Target(version="1.0")

    def __init__(self):
        self.events = []
        self.periodic_ran = threading.Event()

    def init_host(self):
        self.events.append("init_host")

    def service_registered(self, record):
        self.events.append(("registered", record["id"]))

    def periodic_tasks(self):
        return [(0.05, self.periodic_ran.set)]

    def cleanup_host(self):
        self.events.append("cleanup_host")

    def echo(self, ctxt, value):
        return {"value": value, "request_id": ctxt.request_id}


@pytest.fixture
def fake_bus():
    CONF.set_override("transport_url", "fake://")
    CONF.set_override("report_interval", 1)
    rpc.init(CONF)
    yield
    rpc.cleanup()


def test_service_lifecycle_and_context_travel(fake_bus):
    manager, recorder = EchoManager(), RecordingRecorder()
    svc = service.Service(host="h1", binary="minova-test", topic="echo", manager=manager,
                          recorder=recorder)
    svc.start()
    try:
        assert recorder.registered == [("h1", "minova-test", "echo")]
        assert manager.events == ["init_host", ("registered", 42)]
        ctxt = context.RequestContext(user_id="u", project_id="p")
        client = rpc.get_client("echo", "1.0", server="h1")
        reply = client.prepare(timeout=5).call(ctxt, "echo", value=[1, "x"])
        assert reply == {"value": [1, "x"], "request_id": ctxt.request_id}
        assert manager.periodic_ran.wait(5)
        assert recorder.heartbeats.wait(5)
    finally:
        svc.stop()
    assert manager.events[-1] == "cleanup_host"


def test_newer_major_version_is_refused_and_cap_is_enforced(fake_bus):
    svc = service.Service(host="h1", binary="minova-test", topic="echo",
                          manager=EchoManager(), recorder=RecordingRecorder())
    svc.start()
    try:
        ctxt = context.RequestContext(user_id="u", project_id="p")
        newer = rpc.get_client("echo", "2.0", server="h1")
        with pytest.raises(messaging.UnsupportedVersion):
            newer.prepare(timeout=5).call(ctxt, "echo", value=1)
        capped = rpc.get_client("echo", "1.0", version_cap="1.0", server="h1")
        assert capped.can_send_version("1.0") and not capped.can_send_version("1.1")
        with pytest.raises(messaging.RPCVersionCapError):
            capped.prepare(version="1.1").call(ctxt, "echo", value=1)
    finally:
        svc.stop()


class HoldingManager(EchoManager):
    """An endpoint with background work that a stop must wait for, or hand back."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.holding = threading.Event()
        self.finish_calls = []

    def hold(self, ctxt):
        self.holding.set()
        self.release.wait(10)

    def finish_work(self, deadline):
        self.finish_calls.append(deadline)
        return ["build of instance(s) x"]


def test_stop_is_bounded_and_names_what_it_left(fake_bus):
    manager = HoldingManager()
    svc = service.Service(host="h1", binary="minova-test", topic="echo", manager=manager,
                          recorder=RecordingRecorder())
    svc.start()
    client = rpc.get_client("echo", "1.0", server="h1")
    client.prepare().cast(context.RequestContext(user_id="u", project_id="p"), "hold")
    assert manager.holding.wait(5)
    unfinished = svc.stop(graceful.Deadline(0.5))
    assert "RPC messages being handled by minova-test" in unfinished
    assert "build of instance(s) x" in unfinished
    assert len(manager.finish_calls) == 1
    assert svc.stop(graceful.Deadline(0.5)) == []  # a second stop does nothing
    manager.release.set()


def test_a_timer_cut_short_by_the_stop_logs_no_traceback(caplog):
    import logging
    import threading

    from minova import service as service_mod

    class Manager:
        pass

    svc = service_mod.Service(host="h", binary="minova-test", topic="t", manager=Manager(),
                              recorder=None)
    ran = threading.Event()

    def task():
        svc._stopping.set()  # the stop arrives while the task's call waits
        ran.set()
        raise TimeoutError("no answer: the conductor stopped too")

    with caplog.at_level(logging.INFO, logger="minova.service"):
        svc._every(0.01, task, "heartbeat")
        assert ran.wait(5)
        svc._threads[0].join(5)
    assert "ended by the stop" in caplog.text
    assert "Traceback" not in caplog.text and "failed" not in caplog.text


class SlowConductor:
    """service_register as a conductor that does not answer: each call waits
    until the test lets it go (``release``), then times out, unless
    ``answer_after`` calls have been made."""

    def __init__(self, answer_after: int | None = None):
        self.timeouts = []
        self.release = threading.Event()
        self.in_call = threading.Event()
        self.answer_after = answer_after

    def service_register(self, ctxt, host, binary, topic, timeout):
        self.timeouts.append(timeout)
        if self.answer_after is not None and len(self.timeouts) > self.answer_after:
            return {"id": 7, "host": host}
        if self.answer_after is None:
            self.in_call.set()
            self.release.wait(60)
        raise messaging.MessagingTimeout("no reply")


def test_register_waits_longer_each_attempt_until_the_conductor_answers():
    conductor = SlowConductor(answer_after=3)
    recorder = service.ConductorServiceRecorder(conductor)
    record = recorder.register("h1", "minova-test", "echo", threading.Event())
    assert record == {"id": 7, "host": "h1"}
    assert conductor.timeouts == [2.0, 4.0, 8.0, 16.0]


def test_a_stop_ends_the_wait_to_start_without_waiting_out_the_attempt():
    conductor = SlowConductor()
    recorder = service.ConductorServiceRecorder(conductor)
    stopping = threading.Event()
    outcome = {}

    def register():
        try:
            recorder.register("h1", "minova-test", "echo", stopping)
        except Exception as exc:  # noqa: BLE001 - the test reads what it was
            outcome["error"] = exc

    thread = threading.Thread(target=register)
    thread.start()
    assert conductor.in_call.wait(30)
    stopping.set()
    thread.join(30)
    try:
        assert not thread.is_alive()
        assert isinstance(outcome.get("error"), exception.StoppedWhileStarting)
        # The attempt in flight was not waited for: it is still in the call.
        assert not conductor.release.is_set() and conductor.timeouts == [2.0]
    finally:
        conductor.release.set()
