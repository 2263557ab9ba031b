"""Soft server group policies: prefer, never require.

Nova's ServerGroupSoftAffinityWeigher and ServerGroupSoftAntiAffinityWeigher
(nova/scheduler/weights/affinity.py). A host's raw weight is the number of
the group's members on it (soft-affinity), or minus that number
(soft-anti-affinity), so the pipeline's normalising and multiplier make
the most (or least) crowded host the preferred one. Being weighers, not
filters, they never remove a host: when every host already runs a member
of a soft-anti-affinity group, the instance still lands, on the host with
the fewest.

Members are counted from the request spec's ``instance_group.hosts`` (one
entry per member with a host, docs/architecture.md "request spec"), to
which the pipeline appends each winner of a multi-instance request.
"""

import collections

from minova.scheduler import weights
from minova.scheduler.host_manager import HostState
from minova.scheduler.spec import SchedulingSpec


class _SoftAffinityWeigherBase(weights.BaseHostWeigher):
    policy = ""
    # +1 prefers hosts with more members, -1 hosts with fewer.
    sign = 1

    def _members_per_host(self, spec: SchedulingSpec) -> collections.Counter | None:
        """Members per host name, or None if the request has no group of this policy."""
        group = spec.get("instance_group")
        if not group or group.get("policy") != self.policy:
            return None
        return collections.Counter(group.get("hosts") or ())

    def has_say(self, spec: SchedulingSpec) -> bool:
        """Only for a group of this policy with a member placed: else all hosts weigh 0."""
        return bool(self._members_per_host(spec))

    def _weigh_object(self, host_state: HostState, spec: SchedulingSpec) -> float:
        members = self._members_per_host(spec)
        if members is None:
            return 0.0
        return float(self.sign * members[host_state.host])

    def weigh_objects(self, hosts: list[HostState], spec: SchedulingSpec) -> list[float]:
        # _weigh_object over every host, with the members counted once.
        members = self._members_per_host(spec)
        if not members:  # no group of this policy, or no member placed yet: all equal
            return [0.0] * len(hosts)
        sign = self.sign
        return [float(sign * members[h.host]) for h in hosts]


class ServerGroupSoftAffinityWeigher(_SoftAffinityWeigherBase):
    """Prefers the hosts running the most members of the request's soft-affinity group."""

    policy = "soft-affinity"
    multiplier_option = "soft_affinity_weight_multiplier"


class ServerGroupSoftAntiAffinityWeigher(_SoftAffinityWeigherBase):
    """Prefers the hosts running the fewest members of the request's soft-anti-affinity group."""

    policy = "soft-anti-affinity"
    multiplier_option = "soft_anti_affinity_weight_multiplier"
    sign = -1
