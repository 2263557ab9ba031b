"""A cap on how many instances a host runs, whatever room it has left.

Nova's NumInstancesFilter and AggregateNumInstancesFilter
(nova/scheduler/filters/num_instances_filter.py). ``running_vms`` is the
compute node's count plus what this scheduler placed there since (the
pipeline consumes on each winner), so the instances of one request count
against the cap as they are placed.
"""

from typing import TYPE_CHECKING

from oslo_log import log as logging

import minova.conf
from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState

CONF = minova.conf.CONF
LOG = logging.getLogger(__name__)

_AGGREGATE_KEY = "max_instances_per_host"


class NumInstancesFilter(filters.BaseHostFilter):
    """Removes hosts already running ``[filter_scheduler] max_instances_per_host`` instances."""

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        return host_state.running_vms < CONF.filter_scheduler.max_instances_per_host

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        limit = CONF.filter_scheduler.max_instances_per_host  # read once, not per host
        return [h for h in hosts if h.running_vms < limit]


def aggregate_max_instances(host_state: "HostState", default: int) -> int:
    """The smallest ``max_instances_per_host`` of the host's aggregates, else ``default``.

    As in Nova, a value that is not an integer makes the filter fall back
    to the option (with a warning) rather than fail the request.
    """
    values = {agg["metadata"][_AGGREGATE_KEY] for agg in host_state.aggregates
              if _AGGREGATE_KEY in agg["metadata"]}
    if not values:
        return default
    try:
        return min(int(value) for value in values)
    except ValueError as exc:
        LOG.warning("Could not decode %s of host %s's aggregates: %s", _AGGREGATE_KEY,
                    host_state.host, exc)
        return default


class AggregateNumInstancesFilter(NumInstancesFilter):
    """NumInstancesFilter with the cap an aggregate's metadata sets for its hosts.

    A host in several aggregates with the key gets the smallest value; a
    host in none gets ``[filter_scheduler] max_instances_per_host``.
    """

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        default = CONF.filter_scheduler.max_instances_per_host
        limit = aggregate_max_instances(host_state, default) if host_state.aggregates else default
        return host_state.running_vms < limit

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        default = CONF.filter_scheduler.max_instances_per_host  # read once, not per host
        return [h for h in hosts
                if h.running_vms < (aggregate_max_instances(h, default) if h.aggregates
                                    else default)]
