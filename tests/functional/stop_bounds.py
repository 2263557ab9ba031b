"""How long a SIGTERMed service may take to exit, as behaviour rather than speed.

An idle service has nothing to finish, so it must exit before its
``graceful_shutdown_timeout`` deadline (one that waited the deadline out
has a bug, however fast the machine). A loaded one must be gone before
systemd's ``TimeoutStopSec`` of the shipped units, past which systemd
SIGKILLs what is left. How fast services actually stop (the targets: 2 s
idle, 10 s under load) is measured by tools/bench_faults.py and written to
docs/reliability.md, not asserted by tests on a shared two-core machine.
"""

import pathlib
import re

GRACEFUL_SHUTDOWN_TIMEOUT = 5.0  # [DEFAULT] graceful_shutdown_timeout's default

_UNIT = pathlib.Path(__file__).parents[2] / "etc" / "systemd" / "minova-conductor.service"
TIMEOUT_STOP_SEC = float(re.search(r"^TimeoutStopSec=(\d+)$", _UNIT.read_text(), re.M).group(1))

IDLE = GRACEFUL_SHUTDOWN_TIMEOUT
UNDER_LOAD = TIMEOUT_STOP_SEC
