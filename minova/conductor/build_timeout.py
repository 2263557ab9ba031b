"""The conductor's check for builds that never end (Nova's instance_build_timeout).

Nova runs _check_instance_build_time in each nova-compute, for that host's
instances, so a build on a compute that died stays in BUILD until it comes
back. minova runs it in the conductor, which owns the database and sees
every host, dead or alive: a build whose compute died after the build was
cast to it, or whose build_started/build_finished call was lost, ends in
ERROR with a fault the user can see instead of staying in BUILD.
"""

import datetime

from oslo_config import cfg
from oslo_log import log as logging

from minova import workers
from minova.db import instances as db_instances
from minova.db.rows import utcnow
from minova.objects import actions

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

BUILD_TIMEOUT_MESSAGE = "Instance build timed out. Set to error state."


class BuildTimeoutChecker:
    """Sets instances in BUILD longer than ``[conductor] instance_build_timeout`` to ERROR."""

    def __init__(self, host: str) -> None:
        self.host = host

    def check_instance_build_time(self) -> list[str]:
        """One run of the check; returns the uuids it set to ERROR.

        The age is counted from created_at, as Nova's is. The timeout is
        read on every run so that 0 turns the check off without a restart.
        """
        timeout = CONF.conductor.instance_build_timeout
        if timeout == 0:
            return []
        failed = db_instances.error_timed_out_builds(
            utcnow() - datetime.timedelta(seconds=timeout), BUILD_TIMEOUT_MESSAGE, self.host,
            schedule_event=actions.EVENT_SCHEDULE, build_event=actions.EVENT_BUILD)
        for uuid in failed:
            LOG.warning("Instance %s build timed out after %d seconds. Set to error state.",
                        uuid, timeout)
        return failed


def periodic_tasks(host: str) -> list[tuple[float, object]]:
    """The ``(interval, task)`` pairs to run on the conductor service.

    Only the first conductor worker runs the check: the compare-and-swap
    would make several harmless, but one is enough and keeps the log quiet.
    """
    if CONF.conductor.instance_build_timeout == 0 or workers.worker_index() != 0:
        return []
    checker = BuildTimeoutChecker(host)
    return [(CONF.conductor.build_timeout_check_interval, checker.check_instance_build_time)]
