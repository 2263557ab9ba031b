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
