"""Running one service as several worker processes (``[conductor] workers``).

The parent forks the workers before any transport or database connection
exists, forwards SIGTERM/SIGINT to them, restarts a worker that dies
unexpectedly, and exits once they have all stopped.
"""

import os
import signal
import time

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

# A worker that keeps dying is restarted at most this often.
_RESTART_DELAY = 1.0

# This process's worker index; 0 when the service runs unforked.
_worker_index = 0


def worker_index() -> int:
    """Which worker this process is (0 also when not forked): for work that
    one worker should do alone, such as a periodic check of the database."""
    return _worker_index


def run(count: int, worker_main) -> int:
    """Fork ``count`` processes running ``worker_main()``; returns the exit status."""
    stopping = False
    children: dict[int, int] = {}

    def spawn(index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            global _worker_index
            _worker_index = index
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                worker_main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                LOG.exception("Worker %d failed", index)
                code = 1
            os._exit(code)
        children[pid] = index
        LOG.info("Started worker %d (pid %d)", index, pid)

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for index in range(count):
        spawn(index)
    status = 0
    while children:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        index = children.pop(pid, None)
        if index is None:
            continue
        code = os.waitstatus_to_exitcode(wait_status)
        if stopping:
            status = status or (code if code > 0 else 0)
            continue
        if code == 2:
            # A known start-up problem: restarting would only repeat it.
            LOG.error("Worker %d could not start; stopping the others", index)
            status = 2
            stop(signal.SIGTERM, None)
            continue
        LOG.warning("Worker %d (pid %d) exited with %s; restarting it", index, pid, code)
        time.sleep(_RESTART_DELAY)
        spawn(index)
    return status
