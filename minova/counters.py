"""Per-process counts of RPC messages sent and SQL statements run.

What a boot costs in messages and statements is the figure the boot
benchmark compares across commits (docs/benchmarks.md), and an operator
asks the same of a live service: ``kill -USR2 <pid>`` logs one line
``Counters: {...}`` with everything counted since the process started.
Counting is a dict increment under a lock; nothing is kept per request.

An RPC ``call`` is counted as two messages (the request and its reply), a
``cast`` as one; the key is ``"<topic>.<method>"``. SQL statements are the
ones sent through the conductor's engine (BEGIN/COMMIT are DB-API calls,
not statements, and are not counted).
"""

import collections
import json
import signal
import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

_LOCK = threading.Lock()
_RPC: collections.Counter = collections.Counter()
_SQL: collections.Counter = collections.Counter()


def count_rpc(topic: str, method: str, messages: int) -> None:
    with _LOCK:
        _RPC[f"{topic}.{method}"] += messages


def count_sql(verb: str) -> None:
    with _LOCK:
        _SQL[verb] += 1


def snapshot() -> dict:
    """Everything counted so far: ``{"rpc_messages": {...}, "sql_statements": {...}}``."""
    with _LOCK:
        return {"rpc_messages": dict(_RPC), "sql_statements": dict(_SQL)}


def reset() -> None:
    with _LOCK:
        _RPC.clear()
        _SQL.clear()


def log_snapshot(*_args) -> None:
    LOG.info("Counters: %s", json.dumps(snapshot(), sort_keys=True))


def install_signal_handler() -> None:
    """Log the counters on SIGUSR2 (main thread only, as every signal handler)."""
    signal.signal(signal.SIGUSR2, log_snapshot)
