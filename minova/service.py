"""A running minova service: RPC server, service record, heartbeat, periodic tasks.

The conductor records its own service row directly; the others record
theirs through the conductor, and wait for it at start-up the way
nova-compute waits for nova-conductor.
"""

import signal
import threading

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import concurrency, counters, exception, retry, rpc
from minova import context as minova_context

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class ConductorServiceRecorder:
    """Registers and heartbeats a service through the conductor (RPC)."""

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api
        self._heartbeat_api = retry.bounded_client(conductor_api)
        self._stopping: threading.Event | None = None

    def register(self, host: str, binary: str, topic: str, stopping: threading.Event) -> dict:
        ctxt = minova_context.get_admin_context()
        self._stopping = stopping
        timeout = 2.0
        while True:
            try:
                return self.conductor_api.service_register(ctxt, host, binary, topic,
                                                           timeout=timeout)
            except messaging.MessagingTimeout:
                LOG.warning("Waiting for the conductor to answer before starting %s", binary)
            if stopping.is_set():
                raise RuntimeError(f"{binary} stopped before the conductor answered")
            timeout = min(timeout * 2, 30.0)

    def heartbeat(self, service: dict, building: list[str] | None = None) -> None:
        """Retried across broker and database outages until the next one is due, so
        that one lost message or one database blip does not make the service
        look down; beyond that the next heartbeat says the same, later."""
        ctxt = minova_context.get_admin_context()
        retry.call(lambda: self._heartbeat_api.service_heartbeat(ctxt, service["id"],
                                                                 building=building),
                   what=f"heartbeat of service {service['id']}",
                   give_up_after=CONF.report_interval, stop=self._stopping)


class Service:
    """One service in this process; several may share a process (the all-in-one)."""

    def __init__(self, *, host: str, binary: str, topic: str, manager, recorder,
                 endpoints: list | None = None, periodic_tasks: list | None = None) -> None:
        self.host, self.binary, self.topic = host, binary, topic
        self.manager = manager
        self.recorder = recorder
        self.endpoints = endpoints or [manager]
        # (interval, task) pairs run besides the manager's own periodic_tasks().
        self.periodic_tasks = list(periodic_tasks or [])
        self.record: dict | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._rpc_server = None

    def start(self) -> None:
        if hasattr(self.manager, "init_host"):
            self.manager.init_host()
        target = messaging.Target(topic=self.topic, server=self.host)
        self._rpc_server = rpc.get_server(target, self.endpoints, concurrency.rpc_executor())
        self._rpc_server.start()
        self.record = self.recorder.register(self.host, self.binary, self.topic, self._stopping)
        if hasattr(self.manager, "service_registered"):
            self.manager.service_registered(self.record)
        self._every(CONF.report_interval, self._heartbeat, "heartbeat")
        periodic = getattr(self.manager, "periodic_tasks", lambda: [])() + self.periodic_tasks
        for interval, task in periodic:
            self._every(interval, task, task.__name__)
        LOG.info("%s started on %s (topic %s)", self.binary, self.host, self.topic)

    def _heartbeat(self) -> None:
        # A compute says which builds it holds (see conductor/build_recovery.py).
        builds_held = getattr(self.manager, "builds_held", None)
        if builds_held is None:
            self.recorder.heartbeat(self.record)
        else:
            self.recorder.heartbeat(self.record, building=builds_held())

    def _every(self, interval: float, task, name: str) -> None:
        def loop():
            while not self._stopping.wait(interval):
                try:
                    task()
                except Exception:  # a periodic task must outlive one failure
                    LOG.exception("Periodic task %s of %s failed", name, self.binary)

        thread = threading.Thread(target=loop, name=f"{self.binary}-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop taking messages, finish the ones in hand, then stop the timers."""
        self._stopping.set()
        manager_stopping = getattr(self.manager, "stopping", None)
        if manager_stopping is not None:
            # Its calls retried across outages give up now: the RPC server's
            # wait below would otherwise wait for them.
            manager_stopping.set()
        if self._rpc_server is not None:
            self._rpc_server.stop()
            self._rpc_server.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        if hasattr(self.manager, "cleanup_host"):
            self.manager.cleanup_host()
        LOG.info("%s on %s stopped", self.binary, self.host)


def wait_for_signal() -> int:
    """Block until SIGTERM or SIGINT; returns the signal number."""
    received: list[int] = []
    stop = threading.Event()

    def _handler(signum, _frame):
        received.append(signum)
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    counters.install_signal_handler()
    while not stop.is_set():
        # A short wait keeps signal delivery prompt under eventlet, too.
        stop.wait(0.5)
    return received[0] if received else signal.SIGTERM


def start_and_wait(services: list, servers: list = ()) -> None:
    """Run services (and HTTP servers) until a signal, then stop them in reverse order."""
    started = []
    try:
        for item in list(servers) + list(services):
            try:
                item.start()
            except exception.MinovaException as exc:
                # A known start-up problem (hypervisor unreachable, bad
                # configuration): one clear line and a failing exit status.
                LOG.error("%s could not start: %s", getattr(item, "binary", item),
                          exc.format_message())
                raise SystemExit(2) from None
            started.append(item)
        signum = wait_for_signal()
        LOG.info("Caught signal %s, stopping", signum)
    finally:
        for item in reversed(started):
            try:
                item.stop()
            except Exception:
                LOG.exception("Error while stopping %s", item)
        rpc.cleanup()
