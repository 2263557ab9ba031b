"""Which concurrency model this process runs: native threads (default) or eventlet.

``MINOVA_CONCURRENCY=eventlet`` is read by ``minova.cmd`` before anything
else is imported, and monkey-patches there; the rest of minova asks this
module which oslo.messaging executor and HTTP server to use.
"""

import os

ENV_VAR = "MINOVA_CONCURRENCY"


def mode() -> str:
    value = os.environ.get(ENV_VAR, "threading").strip().lower()
    return "eventlet" if value == "eventlet" else "threading"


def rpc_executor() -> str:
    return "eventlet" if mode() == "eventlet" else "threading"


def select_oslo_service_backend() -> None:
    """Make oslo.service (imported by oslo.messaging) use this process's model.

    Its default is eventlet, which would pull eventlet into a native-thread
    process; must run before oslo.messaging is first imported.
    """
    from oslo_service import backend

    wanted = (backend.BackendType.EVENTLET if mode() == "eventlet"
              else backend.BackendType.THREADING)
    backend.register_backend_default_hook(lambda: wanted)


def worker_pool(max_workers: int):
    """A futurist pool of the process's kind: green threads under eventlet."""
    import futurist

    if mode() == "eventlet":
        return futurist.GreenThreadPoolExecutor(max_workers=max_workers)
    return futurist.ThreadPoolExecutor(max_workers=max_workers)
