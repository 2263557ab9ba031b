"""Retrying a call to another service across broker and database outages.

A service that reports progress to the conductor (a build's outcome, an
action's result, a heartbeat, an inventory) must not drop it because
RabbitMQ restarted or the conductor's database failed over: the record
would then disagree with what the host did, until a timeout turns a
running guest into an ERROR "timed out". So such calls go through
``call``: each attempt is bounded (the caller prepares its RPC client with
a short timeout and few reconnections, see ``ATTEMPT_TIMEOUT``), a failure
that says "not now" (``is_transient``) is retried after a jittered,
capped, exponential pause, and the caller says how long it is worth trying.

Retrying is only safe because the conductor's handlers of these calls are
idempotent, keyed by the instance and the state it is expected in: a
retry of a call whose first attempt committed, but whose answer was lost,
is answered as a success (see ``ComputeTaskManager.build_finished``).

Why not tenacity or oslo.messaging's own ``retry``: tenacity is not a
dependency of minova, and oslo.messaging's ``retry`` only re-sends while
the broker is unreachable (it cannot tell a lost answer, or a database
that refused the work, from a success). The loop is small enough to read.
"""

import random
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import oslo_messaging as messaging
from oslo_log import log as logging

from minova import exception

LOG = logging.getLogger(__name__)

T = TypeVar("T")

# Failures that say the call may succeed if sent again: the answer did not
# come in time (the conductor died, or the broker lost the message or its
# reply), or the broker could not be reached. A minova exception that means
# "the database is unavailable" goes here too, when the conductor raises one.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    messaging.MessagingTimeout,
    messaging.MessageDeliveryFailure,
    messaging.ClientSendError,
    # the conductor lost its database (conductor/db_errors.py)
    exception.DatabaseUnavailable,
)

# What the conductor's database driver raises when it lost or cannot open
# its connection, as a RemoteError names it (``exc_type`` is the class name):
# SQLAlchemy's wrappers of PyMySQL's and psycopg's errors 2003/2013 ...,
# and oslo.db's. A deadlock also comes as OperationalError; the handlers
# are idempotent, so retrying it is right too.
DATABASE_CONNECTION_ERRORS = frozenset({
    "OperationalError", "InterfaceError", "DisconnectionError", "DBConnectionError",
})

# One attempt of a retried call: its RPC timeout, and how often the
# transport reconnects to the broker before it gives the attempt up
# (oslo.messaging's ``retry``; its default, forever, would block the
# attempt for the whole outage, beyond any deadline or stop).
ATTEMPT_TIMEOUT = 10.0
ATTEMPT_SEND_RETRIES = 1


def bounded_client(api, timeout: float = ATTEMPT_TIMEOUT):
    """``api`` (a conductor RPC client) with each call bounded to one attempt as
    above (``timeout``: seconds for its answer); a stand-in without
    ``bounded`` (tests) is used as it is."""
    bound = getattr(api, "bounded", None)
    return bound(timeout, ATTEMPT_SEND_RETRIES) if bound else api


def is_transient(exc: BaseException) -> bool:
    """True for a failure that a later attempt of the same call may not have."""
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    if isinstance(exc, messaging.RemoteError):
        return exc.exc_type in DATABASE_CONNECTION_ERRORS
    return False


class Backoff:
    """Exponential pauses, capped, with "equal jitter": between half and all of
    ``min(cap, first * 2**n)``, so that hosts that lost the conductor at the
    same moment do not all come back at the same moment either."""

    def __init__(self, first: float = 0.5, cap: float = 10.0,
                 rng: random.Random | None = None) -> None:
        self.first, self.cap = first, cap
        self._rng = rng or random.Random()

    def pause(self, attempt: int) -> float:
        """The pause after failed attempt number ``attempt`` (1 for the first)."""
        ceiling = min(self.cap, self.first * 2 ** min(attempt - 1, 32))
        return self._rng.uniform(ceiling / 2, ceiling)


def call(func: Callable[[], T], *, what: str, give_up_after: float | None,
         stop: threading.Event | None = None, backoff: Backoff | None = None,
         clock: Callable[[], float] = time.monotonic,
         wait: Callable[[float], bool] | None = None) -> T:
    """``func()``, tried again on transient failures; its result.

    ``give_up_after``: seconds from the first attempt after which no new
    attempt starts (None: until it succeeds); ``stop``: set when the service
    stops, which ends the retrying at once. When it gives up, the last
    failure is raised. Any other failure is raised at once. ``what`` names
    the call in the log. ``clock`` and ``wait`` (a pause that returns True
    when stopped) are for tests.
    """
    backoff = backoff or Backoff()
    if wait is None:
        wait = stop.wait if stop is not None else _sleep
    deadline = None if give_up_after is None else clock() + give_up_after
    attempt = 0
    while True:
        attempt += 1
        try:
            result = func()
        except Exception as exc:
            if not is_transient(exc):
                raise
            # A stop first: a call that fails while its service stops (its
            # peers may be stopping too) is not an error, even at its deadline.
            if stop is not None and stop.is_set():
                LOG.warning("Not retrying %s: the service is stopping (%s)", what,
                            _describe(exc))
                raise
            pause = backoff.pause(attempt)
            if deadline is not None:
                left = deadline - clock()
                if left <= 0:
                    LOG.error("Giving up %s after %d attempts: %s", what, attempt,
                              _describe(exc))
                    raise
                pause = min(pause, left)
            log = LOG.warning if attempt == 1 else LOG.debug
            log("%s failed (%s); attempt %d again in %.1f s", what, _describe(exc),
                attempt + 1, pause)
            if wait(pause):
                LOG.warning("Not retrying %s: the service is stopping", what)
                raise
            continue
        if attempt > 1:
            LOG.info("%s succeeded at attempt %d", what, attempt)
        return result


def _sleep(seconds: float) -> bool:
    time.sleep(seconds)
    return False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, messaging.RemoteError):
        return f"{exc.exc_type} in the remote service: {str(exc.value)[:200]}"
    return f"{type(exc).__name__}: {str(exc)[:200]}"
