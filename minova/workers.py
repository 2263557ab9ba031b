"""Running one service as several worker processes (``[conductor] workers``).

The parent forks the workers before any transport or database connection
exists, restarts a worker that dies unexpectedly, and exits once they have
all stopped. Signals (see ``minova.signals`` for what each means):

* SIGTERM/SIGINT: forwarded to every worker as SIGTERM; each stops
  gracefully within ``graceful_shutdown_timeout``. A worker that has not
  exited ``_KILL_MARGIN`` seconds after that is killed (SIGKILL), so the
  parent's own stop is bounded too. A second one: forwarded again (each
  worker then exits at once) and the parent exits at once.
* SIGHUP: the parent reloads its configuration and forwards it.

Workers ignore SIGINT: a Ctrl-C reaches the whole process group, and the
parent's forwarded SIGTERM is the one stop request they must see (a second
would make them exit at once).
"""

import os
import signal
import time

from oslo_config import cfg
from oslo_log import log as logging

from minova import signals

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# A worker that keeps dying is restarted at most this often.
_RESTART_DELAY = 1.0
# Seconds past graceful_shutdown_timeout the parent gives its workers to
# exit (their stop's own teardown) before it kills them.
_KILL_MARGIN = 3.0
# How often the parent looks for exited workers while they stop.
_REAP_INTERVAL = 0.05
# ... and while they run (a signal's handler runs at once; this only
# delays a reload and noticing a worker that died).
_IDLE_INTERVAL = 0.5

# This process's worker index; 0 when the service runs unforked.
_worker_index = 0


def worker_index() -> int:
    """Which worker this process is (0 also when not forked): for work that
    one worker should do alone, such as a periodic check of the database."""
    return _worker_index


def run(count: int, worker_main) -> int:
    """Fork ``count`` processes running ``worker_main()``; returns the exit status."""
    stop_requested: list[int] = []
    reload_requested: list[int] = []
    children: dict[int, int] = {}

    def spawn(index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            global _worker_index
            _worker_index = index
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            # Until the worker's own handler: a forwarded SIGHUP must not kill it.
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            code = 0
            try:
                worker_main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                LOG.exception("Worker %d failed", index)
                code = 1
            signals.exit_now(code)
        children[pid] = index
        LOG.info("Started worker %d (pid %d)", index, pid)

    def forward(signum: int) -> None:
        for pid in list(children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def on_stop(signum, _frame) -> None:
        if stop_requested:
            forward(signal.SIGTERM)  # the workers' second one: they exit at once
            LOG.warning("Caught signal %s again while stopping: exiting now", signum)
            signals.exit_now(signals.FORCED_EXIT_STATUS)
        stop_requested.append(signum)
        forward(signal.SIGTERM)

    def on_hup(_signum, _frame) -> None:
        reload_requested.append(1)
        forward(signal.SIGHUP)

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGHUP, on_hup)
    for index in range(count):
        spawn(index)
    status = 0
    kill_at = None
    while children:
        if reload_requested:
            reload_requested.clear()
            signals.reload_config()
        if stop_requested and kill_at is None:
            bound = CONF.graceful_shutdown_timeout
            kill_at = time.monotonic() + bound + _KILL_MARGIN if bound else float("inf")
        if kill_at is not None and time.monotonic() >= kill_at:
            LOG.warning("Workers %s did not stop in time; killing them", sorted(children))
            forward(signal.SIGKILL)
            kill_at = float("inf")
        try:
            # Not a blocking wait: a signal's request must be acted on here.
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(_REAP_INTERVAL if stop_requested else _IDLE_INTERVAL)
            continue
        index = children.pop(pid, None)
        if index is None:
            continue
        code = os.waitstatus_to_exitcode(wait_status)
        if stop_requested:
            # A worker killed (by the bound above, or anyone) is a failed stop;
            # one that the forwarded SIGTERM ended by its default action was
            # still starting (no handler yet): it held no work, a clean stop.
            failed = code > 0 or (code < 0 and code != -signal.SIGTERM)
            status = status or (code if code > 0 else 1 if failed else 0)
            continue
        if code == 2:
            # A known start-up problem: restarting would only repeat it.
            LOG.error("Worker %d could not start; stopping the others", index)
            status = 2
            on_stop(signal.SIGTERM, None)
            continue
        LOG.warning("Worker %d (pid %d) exited with %s; restarting it", index, pid, code)
        time.sleep(_RESTART_DELAY)
        spawn(index)
    return status
