"""Hard server group policies: affinity and anti-affinity.

Nova's ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter
(nova/scheduler/filters/affinity_filter.py). The conductor puts the group
into the request spec (``instance_group``, docs/architecture.md "request
spec") with ``hosts`` holding one entry per member that has a host, and the
pipeline appends each winner of a multi-instance request, so the second
instance of an anti-affinity request already sees the first one's host.

Only the hard policies are filters; the soft ones are weighers
(minova/scheduler/weights/server_group.py) because they must never leave an
instance without a host. A request without a group, or with a group of
another policy, passes every host untouched.
"""

import collections
from typing import TYPE_CHECKING

from oslo_log import log as logging

from minova.scheduler import filters
from minova.scheduler.spec import SchedulingSpec

if TYPE_CHECKING:  # host_manager imports this package
    from minova.scheduler.host_manager import HostState

LOG = logging.getLogger(__name__)


def group_with_policy(spec: SchedulingSpec, policy: str) -> dict | None:
    """The request's server group if its policy is ``policy``, else None."""
    group = spec.get("instance_group")
    if group and group.get("policy") == policy:
        return group
    return None


def max_server_per_host(group: dict) -> int:
    """The anti-affinity rule's limit; 1 (no two members together) when unset, as Nova."""
    rules = group.get("rules") or {}
    if rules.get("max_server_per_host") is None:
        return 1
    return int(rules["max_server_per_host"])


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """Keeps only the hosts that already run a member of the request's affinity group.

    While no member has a host yet (the group's first build), every host
    passes: the first instance picks the host the others must follow.
    """

    policy = "affinity"

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        group = group_with_policy(spec, self.policy)
        if group is None or not group.get("hosts"):
            return True
        return host_state.host in group["hosts"]

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        # host_passes over every host, with the group's hosts made a set once.
        group = group_with_policy(spec, self.policy)
        if group is None or not group.get("hosts"):
            return hosts
        group_hosts = set(group["hosts"])
        LOG.debug("Group %s affinity: only hosts %s", group.get("uuid"), sorted(group_hosts))
        return [h for h in hosts if h.host in group_hosts]


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """Removes the hosts that already run ``max_server_per_host`` members of the group.

    The limit is the group's ``max_server_per_host`` rule (microversion
    2.64), 1 by default: a host passes while it runs fewer members than that.
    """

    policy = "anti-affinity"

    def host_passes(self, host_state: "HostState", spec: SchedulingSpec) -> bool:
        group = group_with_policy(spec, self.policy)
        if group is None or not group.get("hosts"):
            return True
        return group["hosts"].count(host_state.host) < max_server_per_host(group)

    def filter_all(self, hosts: list["HostState"], spec: SchedulingSpec) -> list["HostState"]:
        # host_passes over every host, with the members per host counted once.
        group = group_with_policy(spec, self.policy)
        if group is None or not group.get("hosts"):
            return hosts
        limit = max_server_per_host(group)
        full = {host for host, members in collections.Counter(group["hosts"]).items()
                if members >= limit}
        if not full:
            return hosts
        LOG.debug("Group %s anti-affinity (max %d per host): not on hosts %s",
                  group.get("uuid"), limit, sorted(full))
        return [h for h in hosts if h.host not in full]
