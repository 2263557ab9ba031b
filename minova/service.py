"""A running minova service: RPC server, service record, heartbeat, periodic tasks.

The conductor records its own service row directly; the others record
theirs through the conductor, and wait for it at start-up the way
nova-compute waits for nova-conductor.
"""

import concurrent.futures
import threading
import time
from typing import NoReturn

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from minova import concurrency, exception, graceful, retry, rpc, signals
from minova import context as minova_context

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Seconds a stopping service waits for a timer's current run.
PERIODIC_STOP_WAIT = 0.5


def _run_into(future: concurrent.futures.Future, call, *args) -> None:
    """Run ``call(*args, timeout=...)`` (the last argument) into ``future``."""
    *args, timeout = args
    try:
        future.set_result(call(*args, timeout=timeout))
    except BaseException as exc:  # handed to the waiting thread as it is
        future.set_exception(exc)


class ConductorServiceRecorder:
    """Registers and heartbeats a service through the conductor (RPC)."""

    STOP_POLL = 0.1  # seconds: how late a wait to start notices a stop

    def __init__(self, conductor_api) -> None:
        self.conductor_api = conductor_api
        # An attempt waits at most a report interval: one whose answer is lost
        # (a conductor paused, a broker restart) must not hold back the next
        # heartbeat until the service looks down.
        self._heartbeat_api = retry.bounded_client(
            conductor_api, timeout=min(retry.ATTEMPT_TIMEOUT, max(1.0, CONF.report_interval)))
        self._stopping: threading.Event | None = None

    def register(self, host: str, binary: str, topic: str, stopping: threading.Event) -> dict:
        """Register with the conductor, waiting as long as it takes it to answer;
        each attempt waits longer (a loaded conductor may need more than 2 s).

        A stop (``stopping``, or a stop signal to the process) ends the wait
        within ``STOP_POLL`` seconds, not at the end of an attempt: a service
        still starting has nothing in hand, and systemd must not wait for it.
        """
        ctxt = minova_context.get_admin_context()
        self._stopping = stopping
        timeout = 2.0
        while True:
            attempt = concurrent.futures.Future()
            threading.Thread(target=_run_into, daemon=True, name=f"register {binary}", args=(
                attempt, self.conductor_api.service_register, ctxt, host, binary, topic,
                timeout)).start()
            while not attempt.done():
                if stopping.is_set() or signals.stop_requested():
                    raise exception.StoppedWhileStarting(binary=binary)
                try:
                    attempt.result(timeout=self.STOP_POLL)
                except (concurrent.futures.TimeoutError, messaging.MessagingTimeout):
                    pass
            try:
                return attempt.result()
            except messaging.MessagingTimeout:
                LOG.warning("Waiting for the conductor to answer before starting %s", binary)
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
        self._stopped = False
        self._taking_work = True

    def start(self) -> None:
        if hasattr(self.manager, "init_host"):
            self.manager.init_host()
        target = messaging.Target(topic=self.topic, server=self.host)
        self._rpc_server = rpc.get_server(target, self.endpoints, concurrency.rpc_executor())
        self._rpc_server.start()
        self.record = self.recorder.register(self.host, self.binary, self.topic, self._stopping)
        if hasattr(self.manager, "builds_held"):
            # At once, not a report interval later: until a compute has listed
            # the builds it holds, build recovery must treat every build cast
            # to it as possibly taken (and fail them, should it die).
            try:
                self._heartbeat()
            except Exception:  # the timer's next heartbeat says the same
                LOG.warning("First heartbeat of %s failed", self.binary, exc_info=True)
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
                except Exception as exc:  # a periodic task must outlive one failure
                    if self._stopping.is_set():
                        # Cut short by the stop (its peer stops too): not a fault.
                        LOG.info("Periodic task %s of %s ended by the stop: %s: %s", name,
                                 self.binary, type(exc).__name__, exc)
                    else:
                        LOG.exception("Periodic task %s of %s failed", name, self.binary)

        thread = threading.Thread(target=loop, name=f"{self.binary}-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop_taking_work(self) -> None:
        """No new message from here on (and the timers end after their current run)."""
        self._stopping.set()
        manager_stopping = getattr(self.manager, "stopping", None)
        if manager_stopping is not None:
            # Its calls retried across outages give up now: the RPC server's
            # wait would otherwise wait for them.
            manager_stopping.set()
        if self._rpc_server is not None and self._taking_work:
            self._taking_work = False
            self._rpc_server.stop()

    def stop(self, deadline: graceful.Deadline | None = None) -> list[str]:
        """Stop taking messages, finish the ones in hand, then stop the timers.

        Everything waits only until ``deadline`` (default: no bound); returns
        what was left unfinished, which the process then leaves as it is.
        Stopping twice, or a service that never started, is harmless.
        """
        deadline = deadline or graceful.Deadline(None)
        if self._stopped:
            return []
        self._stopped = True
        self.stop_taking_work()
        unfinished = []
        if self._rpc_server is not None:
            # The messages in hand finish on the executor's threads, but
            # oslo.messaging's wait has no bound.
            started = time.monotonic()
            if not graceful.run_until(self._rpc_server.wait, deadline,
                                      f"{self.binary}-rpc-wait"):
                unfinished.append(f"RPC messages being handled by {self.binary}")
            LOG.debug("%s: RPC server stopped in %.2f s", self.binary, time.monotonic() - started)
        endpoints = [self.manager] + [e for e in self.endpoints if e is not self.manager]
        for endpoint in endpoints:
            # Work an endpoint runs past its message (the conductor's builds).
            finish = getattr(endpoint, "finish_work", None)
            if finish is not None:
                unfinished.extend(finish(deadline))
        for thread in self._threads:
            # A timer's run holds no one's work (heartbeats, reports, refreshes,
            # build recovery's take-overs are all safe to cut): it gets a
            # moment, not the deadline, which a call to a peer that stops
            # at the same time (its answer never comes) would use up.
            remaining = deadline.remaining()
            thread.join(PERIODIC_STOP_WAIT if remaining is None
                        else min(PERIODIC_STOP_WAIT, remaining))
            if thread.is_alive():
                LOG.debug("%s: leaving periodic task %s to the exit", self.binary, thread.name)
        if hasattr(self.manager, "cleanup_host"):
            self.manager.cleanup_host()
        LOG.info("%s on %s stopped", self.binary, self.host)
        return unfinished


def start_and_wait(items: list, on_started=None) -> NoReturn:
    """Start services and HTTP servers in order, run until a stop signal,
    then stop them gracefully.

    Every item stops taking work at once (last started first), then all
    finish their work in hand within one shared
    ``graceful_shutdown_timeout``, and the process exits with status 0
    (``signals.exit_now``): without waiting for threads that still hold
    unfinished work, and without closing the message bus under their calls.
    SIGHUP reloads the configuration while running (``minova.signals``).
    """
    process_signals = signals.ProcessSignals()
    process_signals.install()
    started = []
    try:
        for item in items:
            if process_signals.stopping:
                break
            problem = None
            try:
                item.start()
            except exception.StoppedWhileStarting as exc:
                LOG.info("%s", exc.format_message())
                break
            except exception.MinovaException as exc:
                problem = exc.format_message()
            if problem is not None:
                # A known start-up problem (hypervisor unreachable, bad
                # configuration, a port taken): one clear line and a failing
                # exit status. Logged out of the except, where oslo.log would
                # append the exception to the line a second time.
                LOG.error("%s could not start: %s", getattr(item, "binary", item), problem)
                raise SystemExit(2)
            started.append(item)
        if on_started is not None and not process_signals.stopping:
            on_started()
        signum = process_signals.wait_for_stop()
        LOG.info("Caught signal %s, stopping (work in hand gets %s s)", signum,
                 CONF.graceful_shutdown_timeout or "unbounded")
    finally:
        unfinished = stop_all(started, graceful.Deadline.from_conf())
    if unfinished:
        LOG.warning("Stopped with work unfinished, left as it is for the re-drive: %s",
                    "; ".join(unfinished))
        rpc.hand_back()
    rpc.cleanup()
    LOG.info("Exiting")
    # Not the interpreter's exit: it would join every thread library pools
    # ever started, idle ones up to a second each, and those left holding
    # unfinished work for as long as their calls wait.
    signals.exit_now(0)


def stop_all(items: list, deadline: graceful.Deadline) -> list[str]:
    """Stop started services and servers, last started first: each stops
    taking work at once, then all finish theirs together, so one that
    waits does not hold the others' stop beyond the shared deadline."""
    for item in reversed(items):
        stop_taking = getattr(item, "stop_taking_work", None)
        if stop_taking is not None:
            stop_taking()
    unfinished = []
    for item in reversed(items):
        try:
            unfinished.extend(item.stop(deadline))
        except Exception:
            LOG.exception("Error while stopping %s", item)
    return unfinished
