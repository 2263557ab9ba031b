"""Entry points. Importing this package first patches for eventlet when asked.

Nova does the same in ``nova/cmd/__init__.py``: the patch must happen
before any module that creates sockets, threads or locks is imported.
"""

import os
import warnings

if os.environ.get("MINOVA_CONCURRENCY", "").strip().lower() == "eventlet":
    import eventlet

    eventlet.monkey_patch()
else:
    # Libraries import eventlet when it is installed even if nothing uses
    # it; its deprecation notice would only confuse native-thread users.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
