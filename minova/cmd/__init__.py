"""Entry points. Importing this package first patches for eventlet when asked.

Nova does the same in ``nova/cmd/__init__.py``: the patch must happen
before any module that creates sockets, threads or locks is imported.

It also keeps library import noise off every command's output. Eventlet
is imported even under native threads (futurist, under oslo.messaging,
imports it when installed), and its green DNS imports dnspython, whose
DNSSEC module names cryptography's DSA classes at import: cryptography 51
deprecated DSA, and every command printed its warnings.
"""

import os
import warnings

if os.environ.get("MINOVA_CONCURRENCY", "").strip().lower() == "eventlet":
    # Green DNS is wanted here (a native resolver call would block every
    # green thread), so dnspython's import is too: silence exactly its
    # DSA warnings, which no minova code path can cause.
    warnings.filterwarnings("ignore", message=r"DSA is deprecated", module=r"dns\.dnssecalgs\.")

    import eventlet

    eventlet.monkey_patch()
else:
    # Nothing resolves names through eventlet under native threads: its
    # green DNS (and with it dnspython) need not be imported at all.
    os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
    # Libraries import eventlet when it is installed even if nothing uses
    # it; its deprecation notice would only confuse native-thread users.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
