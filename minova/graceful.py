"""Stopping with a bound: one deadline for every step of a stop, and background
work that a stop can wait for.

A service given SIGTERM must finish the work in hand but must also exit in
time (``graceful_shutdown_timeout``), whatever that work waits for: a peer
that is stopping too, a broker that is gone. Each step of a stop (the RPC
server's in-flight messages, the conductor's builds, the timers, the HTTP
requests) waits only for what is left of one shared deadline, and says what
it had to leave unfinished, so the process can exit without waiting for it
and log what it handed back.
"""

import threading
import time

import futurist
from futurist import waiters
from oslo_config import cfg
from oslo_log import log as logging

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class Deadline:
    """A point in time every step of one stop shares; ``None`` seconds: no bound."""

    def __init__(self, seconds: float | None) -> None:
        self._at = None if seconds is None else time.monotonic() + seconds

    @classmethod
    def from_conf(cls) -> "Deadline":
        """The bound an operator configured (0 means wait without bound, as oslo.service)."""
        seconds = CONF.graceful_shutdown_timeout
        return cls(seconds if seconds > 0 else None)

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None when there is no bound."""
        if self._at is None:
            return None
        return max(0.0, self._at - time.monotonic())

    def expired(self) -> bool:
        return self._at is not None and time.monotonic() >= self._at


def join(thread: threading.Thread, deadline: Deadline) -> bool:
    """Join ``thread`` until the deadline; True if it ended."""
    thread.join(deadline.remaining())
    return not thread.is_alive()


def run_until(func, deadline: Deadline, name: str) -> bool:
    """Run ``func()`` (a step that may block without bound, such as an
    oslo.messaging server's ``wait``) on a daemon thread, waiting for it only
    until the deadline; True if it returned in time. A step left running is
    abandoned: the process exits without it."""
    def run():
        try:
            func()
        except Exception:  # logged here: nobody may be left to see it
            LOG.exception("%s failed while stopping", name)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return join(thread, deadline)


class BackgroundWork:
    """A pool's tasks, each with a label, so a stop can wait for the ones running.

    Once ``finish`` began, a task is refused: the caller leaves its work as
    it is (it says so), for whoever re-drives it.
    """

    def __init__(self, pool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._running: dict[futurist.Future, str] = {}
        self._closed = False

    def submit(self, label: str, func) -> bool:
        """Run ``func()`` on the pool; False if the service is stopping (not run)."""
        with self._lock:
            if self._closed:
                return False
            future = self._pool.submit(func)
            self._running[future] = label
        future.add_done_callback(self._done)
        return True

    def _done(self, future: futurist.Future) -> None:
        with self._lock:
            self._running.pop(future, None)

    def running(self) -> list[str]:
        with self._lock:
            return list(self._running.values())

    def finish(self, deadline: Deadline) -> list[str]:
        """Take no more tasks, wait for the running ones until the deadline,
        and return the labels of those that had not ended."""
        with self._lock:
            self._closed = True
            futures = list(self._running)
        if futures:
            waiters.wait_for_all(futures, timeout=deadline.remaining())
        # Idle workers notice this within a second on their own; nothing
        # waits for them (the process exits without joining them).
        self._pool.shutdown(wait=False)
        return self.running()
